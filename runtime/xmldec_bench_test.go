package runtime_test

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	sfp "github.com/wsdlsess/wsdlsess/golden/salesforce-partner"
	"github.com/wsdlsess/wsdlsess/runtime"
)

const ec2NS = "http://ec2.amazonaws.com/doc/2016-11-15/"

// An EC2 DescribeInstances answer, the shape of a large generated type
// tree: nested lists of structs of strings, numbers, booleans and times.
type ec2DescribeInstancesResponse struct {
	RequestID      string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ requestId"`
	ReservationSet struct {
		Item []ec2Reservation `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ item"`
	} `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ reservationSet"`
}

type ec2Reservation struct {
	ReservationID string        `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ reservationId"`
	OwnerID       string        `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ ownerId"`
	Instances     *ec2Instances `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ instancesSet"`
}

type ec2Instances struct {
	Item []ec2Instance `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ item"`
}

type ec2Instance struct {
	InstanceID      string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ instanceId"`
	ImageID         string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ imageId"`
	State           ec2State     `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ instanceState"`
	PrivateDNSName  string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ privateDnsName"`
	DNSName         *string      `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ dnsName,omitempty"`
	KeyName         string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ keyName"`
	AmiLaunchIndex  int32        `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ amiLaunchIndex"`
	InstanceType    string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ instanceType"`
	LaunchTime      string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ launchTime"`
	Placement       ec2Placement `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ placement"`
	Monitoring      ec2State     `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ monitoring"`
	SubnetID        string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ subnetId"`
	VpcID           string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ vpcId"`
	PrivateIP       string       `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ privateIpAddress"`
	SourceDestCheck bool         `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ sourceDestCheck"`
	Groups          struct {
		Item []ec2Group `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ item"`
	} `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ groupSet"`
	Architecture   string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ architecture"`
	RootDeviceType string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ rootDeviceType"`
	RootDeviceName string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ rootDeviceName"`
	BlockDevices   struct {
		Item []ec2Block `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ item"`
	} `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ blockDeviceMapping"`
	Hypervisor string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ hypervisor"`
	Tags       struct {
		Item []ec2Tag `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ item"`
	} `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ tagSet"`
	EbsOptimized     bool          `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ ebsOptimized"`
	CPU              ec2CPUOptions `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ cpuOptions"`
	VirtualizationTy string        `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ virtualizationType"`
}

type ec2State struct {
	Code int32  `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ code"`
	Name string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ name"`
}

type ec2Placement struct {
	AvailabilityZone string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ availabilityZone"`
	Tenancy          string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ tenancy"`
}

type ec2Group struct {
	ID   string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ groupId"`
	Name string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ groupName"`
}

type ec2Block struct {
	DeviceName string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ deviceName"`
	Ebs        struct {
		VolumeID            string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ volumeId"`
		Status              string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ status"`
		AttachTime          string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ attachTime"`
		DeleteOnTermination bool   `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ deleteOnTermination"`
	} `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ ebs"`
}

type ec2Tag struct {
	Key   string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ key"`
	Value string `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ value"`
}

type ec2CPUOptions struct {
	CoreCount      int32 `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ coreCount"`
	ThreadsPerCore int32 `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ threadsPerCore"`
}

// ec2Answer returns an envelope with n instances, 10 to a reservation.
func ec2Answer(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>`)
	b.WriteString(`<DescribeInstancesResponse xmlns="` + ec2NS + `">` + "\n")
	b.WriteString("  <requestId>8f7724cf-496f-496e-8fe3-example</requestId>\n  <reservationSet>\n")
	for r := 0; r < n/10; r++ {
		fmt.Fprintf(&b, "    <item>\n      <reservationId>r-%017x</reservationId>\n      <ownerId>123456789012</ownerId>\n      <instancesSet>\n", r)
		for i := 0; i < 10; i++ {
			id := r*10 + i
			fmt.Fprintf(&b, `        <item>
          <instanceId>i-%017x</instanceId>
          <imageId>ami-0abcdef1234567890</imageId>
          <instanceState><code>16</code><name>running</name></instanceState>
          <privateDnsName>ip-10-0-%d-%d.ec2.internal</privateDnsName>
          <dnsName/>
          <keyName>deploy &amp; ops</keyName>
          <amiLaunchIndex>%d</amiLaunchIndex>
          <instanceType>m5.large</instanceType>
          <launchTime>2026-11-02T10:%02d:00.000Z</launchTime>
          <placement><availabilityZone>us-east-1a</availabilityZone><tenancy>default</tenancy></placement>
          <monitoring><code>0</code><name>disabled</name></monitoring>
          <subnetId>subnet-0123456789abcdef0</subnetId>
          <vpcId>vpc-0123456789abcdef0</vpcId>
          <privateIpAddress>10.0.%d.%d</privateIpAddress>
          <sourceDestCheck>true</sourceDestCheck>
          <groupSet><item><groupId>sg-0123456789abcdef0</groupId><groupName>web</groupName></item><item><groupId>sg-0fedcba9876543210</groupId><groupName>ssh</groupName></item></groupSet>
          <architecture>x86_64</architecture>
          <rootDeviceType>ebs</rootDeviceType>
          <rootDeviceName>/dev/xvda</rootDeviceName>
          <blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-%017x</volumeId><status>attached</status><attachTime>2026-11-02T10:00:01.000Z</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>
          <hypervisor>xen</hypervisor>
          <tagSet><item><key>Name</key><value>web-%d</value></item><item><key>env</key><value>prod</value></item></tagSet>
          <ebsOptimized>false</ebsOptimized>
          <cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions>
          <virtualizationType>hvm</virtualizationType>
        </item>
`, id, id/256, id%256, i, id%60, id/256, id%256, id, id)
		}
		b.WriteString("      </instancesSet>\n    </item>\n")
	}
	b.WriteString("  </reservationSet>\n</DescribeInstancesResponse></soapenv:Body></soapenv:Envelope>")
	return []byte(b.String())
}

// partnerQueryAnswer returns a Partner query answer with n Account records.
func partnerQueryAnswer(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com" xmlns:sf="urn:sobject.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString(`<soapenv:Header><LimitInfoHeader><limitInfo><current>12</current><limit>15000</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header><soapenv:Body><queryResponse><result xsi:type="QueryResult"><done>false</done><queryLocator>01gD0000002HU6KIAW-2000</queryLocator>`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `<records xsi:type="sf:sObject"><sf:type>Account</sf:type><sf:Id>0015g00000XyZ%05d</sf:Id><sf:Id>0015g00000XyZ%05d</sf:Id><sf:Name>Account %d &amp; Sons</sf:Name><sf:Industry>Manufacturing</sf:Industry><sf:AnnualRevenue>%d.0</sf:AnnualRevenue><sf:BillingCity xsi:nil="true"/><sf:LastModifiedDate>2026-11-02T10:00:00.000Z</sf:LastModifiedDate></records>`, i, i, i, i*1000)
	}
	fmt.Fprintf(&b, `<size>%d</size></result></queryResponse></soapenv:Body></soapenv:Envelope>`, n)
	return []byte(b.String())
}

// plainAny is an XSDAnyType without its decode method: the plain struct
// a hand-written client would give encoding/xml for a wildcard.
type plainAny struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Inner   []byte     `xml:",innerxml"`
}

// plainQueryEnvelope is a Partner query answer as plain structs: the
// baseline "xml.Unmarshal into equivalent plain structs".
type plainQueryEnvelope struct {
	Body struct {
		Resp struct {
			Result struct {
				Done         bool   `xml:"urn:partner.soap.sforce.com done"`
				QueryLocator string `xml:"urn:partner.soap.sforce.com queryLocator"`
				Records      []struct {
					Type         string     `xml:"urn:sobject.partner.soap.sforce.com type"`
					FieldsToNull []string   `xml:"urn:sobject.partner.soap.sforce.com fieldsToNull"`
					ID           string     `xml:"urn:sobject.partner.soap.sforce.com Id"`
					Any          []plainAny `xml:",any"`
				} `xml:"urn:partner.soap.sforce.com records"`
				Size int32 `xml:"urn:partner.soap.sforce.com size"`
			} `xml:"urn:partner.soap.sforce.com result"`
		} `xml:"urn:partner.soap.sforce.com queryResponse"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

type plainEC2Envelope struct {
	Body struct {
		Resp ec2DescribeInstancesResponse `xml:"http://ec2.amazonaws.com/doc/2016-11-15/ DescribeInstancesResponse"`
	} `xml:"http://schemas.xmlsoap.org/soap/envelope/ Body"`
}

// BenchmarkDecodeLarge decodes large answers as a call does, with
// encoding/xml and with xmldec, side by side, and the floor the issue
// names: xml.Unmarshal of the whole answer into equivalent plain
// structs (what a hand-written client does).
func BenchmarkDecodeLarge(b *testing.B) {
	cases := []struct {
		name     string
		data     []byte
		newOut   func() any
		newPlain func() any
	}{
		{"ec2-200", ec2Answer(200), func() any { return new(ec2DescribeInstancesResponse) }, func() any { return new(plainEC2Envelope) }},
		{"sf-partner-2000", partnerQueryAnswer(2000), func() any { return new(sfp.QueryResponse) }, func() any { return new(plainQueryEnvelope) }},
	}
	for _, c := range cases {
		b.Run(c.name+"/xml-unmarshal-plain", func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if err := xml.Unmarshal(c.data, c.newPlain()); err != nil {
					b.Fatal(err)
				}
			}
		})
		for _, mode := range []string{"encoding-xml", "xmldec"} {
			b.Run(c.name+"/"+mode, func(b *testing.B) {
				b.SetBytes(int64(len(c.data)))
				b.ReportAllocs()
				fast := mode == "xmldec"
				for b.Loop() {
					used, _, err := runtime.DecodeResponseForTest(c.data, c.newOut(), fast)
					if err != nil || used != fast {
						b.Fatalf("decode: %v (xmldec used: %v)", err, used)
					}
				}
			})
		}
	}
}

// The plain baseline decodes what the call decodes: a benchmark of
// decoding nothing would flatter the ratio.
func TestPlainBaselinesDecodeTheAnswers(t *testing.T) {
	var sf plainQueryEnvelope
	if err := xml.Unmarshal(partnerQueryAnswer(3), &sf); err != nil {
		t.Fatal(err)
	}
	recs := sf.Body.Resp.Result.Records
	if len(recs) != 3 || recs[2].Type != "Account" || len(recs[2].Any) != 5 || sf.Body.Resp.Result.Size != 3 {
		t.Fatalf("plain Partner baseline decoded %+v", sf.Body.Resp.Result)
	}
	var ec2 plainEC2Envelope
	if err := xml.Unmarshal(ec2Answer(20), &ec2); err != nil {
		t.Fatal(err)
	}
	var typed ec2DescribeInstancesResponse
	if _, _, err := runtime.DecodeResponseForTest(ec2Answer(20), &typed, true); err != nil {
		t.Fatal(err)
	}
	if len(typed.ReservationSet.Item) == 0 || !cmp.Equal(ec2.Body.Resp, typed) {
		t.Fatalf("plain EC2 baseline differs from the call's value:\n%s", cmp.Diff(typed, ec2.Body.Resp))
	}
}

#!/usr/bin/env python3
"""Validates each case's sample payloads (SOAP Body children, Header
children, Fault detail children) against the case's own schemas with
xmllint, offline: the well-known schemas resolve from the embedded copies in
generator/internal/wellknown/schemas through a generated XML catalog.

Run from the module root (needs python3 and xmllint from libxml2-utils):

    python3 testdata/wsdl/validate_samples.py testdata/wsdl/*/

Payloads in a namespace no schema of the case declares (rpc wrappers,
undeclared vendor headers and fault details) are reported as "skip". Known
failures are listed in the case's samples/README."""
import sys, os, glob, re, shutil, subprocess, tempfile
from xml.dom import minidom

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
WK = os.path.abspath("generator/internal/wellknown/schemas") + "/"


def make_catalog():
    """Writes an XML catalog mapping every well-known location in
    generator/internal/wellknown/table.go to its embedded file."""
    src = open("generator/internal/wellknown/table.go").read()
    out = ['<?xml version="1.0"?>', '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">']
    for f, locs in re.findall(r'file:\s+"([^"]+)",.*?locations: \[\]string\{(.*?)\}', src, re.S):
        for l in re.findall(r'"([^"]+)"', locs):
            out.append(f'  <uri name="{l}" uri="file://{WK}{f}"/>')
            out.append(f'  <system systemId="{l}" uri="file://{WK}{f}"/>')
    out.append("</catalog>")
    fd, path = tempfile.mkstemp(suffix=".xml")
    os.write(fd, "\n".join(out).encode())
    os.close(fd)
    return path


WELLKNOWN = {"http://schemas.xmlsoap.org/soap/encoding/": WK + "soap-encoding.xsd", "http://schemas.xmlsoap.org/wsdl/": WK + "wsdl-1.1.xsd"}

def inscope(el):
    decl = {}
    n = el
    while n is not None and n.nodeType == n.ELEMENT_NODE:
        for i in range(n.attributes.length):
            a = n.attributes.item(i)
            if a.name.startswith("xmlns") and a.name not in decl:
                decl[a.name] = a.value
        n = n.parentNode
    return decl

def case_schemas(case, tmp):
    """Returns {namespace: path} of schema files for the case."""
    out = {}
    files = glob.glob(os.path.join(case, "**", "*.wsdl"), recursive=True) + glob.glob(os.path.join(case, "**", "*.xsd"), recursive=True)
    n = 0
    pending = []
    for f in files:
        if "/samples/" in f or "/gen/" in f:
            continue
        doc = minidom.parse(f)
        root = doc.documentElement
        schemas = [root] if (root.namespaceURI == XSD and root.localName == "schema") else doc.getElementsByTagNameNS(XSD, "schema")
        for s in schemas:
            if root.localName == "schema" and s is root:
                # standalone file: keep as is, unless chameleon (included only)
                if s.getAttribute("targetNamespace") == "":
                    continue
                pending.append((s, f, s.getAttribute("targetNamespace"), os.path.abspath(f), doc, False))
                continue
            n += 1
            path = os.path.join(tmp, f"s{n}.xsd")
            for k, v in inscope(s).items():
                if not s.hasAttribute(k):
                    s.setAttribute(k, v)
            pending.append((s, f, s.getAttribute("targetNamespace"), path, doc, True))
    for s, f, tns, path, doc, write in pending:
        out.setdefault(tns, path)
    for s, f, tns, path, doc, write in pending:
        if not write:
            continue
        for imp in s.getElementsByTagNameNS(XSD, "import") + s.getElementsByTagNameNS(XSD, "include"):
            loc = imp.getAttribute("schemaLocation")
            if loc and not loc.startswith("http"):
                imp.setAttribute("schemaLocation", os.path.abspath(os.path.join(os.path.dirname(f), loc)))
            elif not loc:
                ns = imp.getAttribute("namespace")
                if ns in out and out[ns] != path:
                    imp.setAttribute("schemaLocation", out[ns])
                elif ns in WELLKNOWN:
                    imp.setAttribute("schemaLocation", WELLKNOWN[ns])
        open(path, "w", encoding="utf-8").write(s.toxml())
    return out

def payloads(sample):
    doc = minidom.parse(sample)
    env = doc.documentElement
    res = []
    for part in env.childNodes:
        if part.nodeType != part.ELEMENT_NODE:
            continue
        for ch in part.childNodes:
            if ch.nodeType != ch.ELEMENT_NODE:
                continue
            if ch.localName == "Fault" and ch.namespaceURI in (SOAP11, SOAP12):
                for d in ch.childNodes:
                    if d.nodeType == d.ELEMENT_NODE and d.localName in ("detail", "Detail"):
                        res += [x for x in d.childNodes if x.nodeType == x.ELEMENT_NODE]
            else:
                res.append(ch)
    return res

def main():
    catalog = make_catalog()
    bad = 0
    for case in sys.argv[1:]:
        tmp = tempfile.mkdtemp()
        schemas = case_schemas(case, tmp)
        root = os.path.join(tmp, "root.xsd")
        with open(root, "w") as r:
            r.write('<xs:schema xmlns:xs="%s">\n' % XSD)
            for ns, p in sorted(schemas.items()):
                r.write('  <xs:import namespace="%s" schemaLocation="%s"/>\n' % (ns, p))
            r.write('</xs:schema>\n')
        for sample in sorted(glob.glob(os.path.join(case, "samples", "*.xml"))):
            for i, p in enumerate(payloads(sample)):
                if p.namespaceURI not in schemas:
                    print(f"skip {sample}: {{{p.namespaceURI}}}{p.localName} (no schema)")
                    continue
                for k, v in inscope(p).items():
                    if not p.hasAttribute(k):
                        p.setAttribute(k, v)
                pf = os.path.join(tmp, f"payload{i}.xml")
                open(pf, "w", encoding="utf-8").write('<?xml version="1.0" encoding="UTF-8"?>\n' + p.toxml())
                r = subprocess.run(["xmllint", "--nonet", "--noout", "--schema", root, pf], capture_output=True, text=True,
                                   env=dict(os.environ, XML_CATALOG_FILES=catalog))
                if r.returncode != 0:
                    bad += 1
                    print(f"FAIL {sample} {p.localName}:\n" + r.stderr)
                else:
                    print(f"ok   {sample} {p.localName}")
        shutil.rmtree(tmp)
    os.remove(catalog)
    sys.exit(1 if bad else 0)

main()

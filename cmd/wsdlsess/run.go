package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/wsdlsess/wsdlsess/generator"
	"github.com/wsdlsess/wsdlsess/generator/profile"
)

const usage = `usage:
  wsdlsess generate -wsdl PATH -profile NAME|FILE -pkg NAME -out DIR [-check] [-allow-remote]
  wsdlsess inspect  -wsdl PATH [-profile NAME|FILE] [-allow-remote]
  wsdlsess profiles [NAME | -schema]
  wsdlsess version`

// run executes one command line and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	switch args[0] {
	case "generate":
		return runGenerate(args[1:], stdout, stderr)
	case "inspect":
		return runInspect(args[1:], stdout, stderr)
	case "profiles":
		return runProfiles(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, versionLine())
		return 0
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "wsdlsess: unknown command %q\n%s\n", args[0], usage)
	return 2
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("wsdlsess "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func runGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("generate", stderr)
	wsdl := fs.String("wsdl", "", "path of the WSDL 1.1 document")
	profile := fs.String("profile", "", "session profile: a built-in NAME (see wsdlsess profiles) or a FILE path ending in .yaml")
	pkg := fs.String("pkg", "", "Go package name of the generated code")
	out := fs.String("out", "", "output directory; only files wsdlsess generated are replaced or removed")
	check := fs.Bool("check", false, "write nothing; exit 1 with a unified diff when the files in -out are not what generate would write")
	remote := fs.Bool("allow-remote", false, "fetch http(s) imports that are not embedded well-known schemas")
	strict := fs.Bool("strict", false, "fail on a reference to anything no file defines, instead of skipping what needs it with a warning")
	schemaMap := schemaMapFlag{}
	fs.Var(schemaMap, "schema-map", "map a remote location to a local copy: `URL=PATH` (a URL ending in / maps a folder to a directory); repeatable")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"-wsdl", *wsdl}, {"-profile", *profile}, {"-pkg", *pkg}, {"-out", *out}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 || fs.NArg() > 0 {
		if len(missing) > 0 {
			fmt.Fprintf(stderr, "wsdlsess generate: missing %s\n", strings.Join(missing, ", "))
		} else {
			fmt.Fprintf(stderr, "wsdlsess generate: unexpected argument %q\n", fs.Arg(0))
		}
		fmt.Fprintln(stderr, usage)
		return 2
	}
	restoreGC, _ := tuneGC()
	defer restoreGC()
	files, err := generator.Generate(generator.Options{
		WSDL: *wsdl, Package: *pkg, Profile: *profile, AllowRemote: *remote,
		Strict: *strict, SchemaMap: schemaMap,
		Version: version(),
		Warn:    func(s string) { fmt.Fprintln(stderr, "wsdlsess: warning:", s) },
	})
	if err != nil {
		printErr(stderr, err)
		return 1
	}
	dir, err := scanOutDir(*out, *pkg, files)
	if err != nil {
		fmt.Fprintln(stderr, "wsdlsess:", err)
		return 1
	}
	if *check {
		current, err := dir.check(files, stdout)
		if err != nil {
			fmt.Fprintln(stderr, "wsdlsess:", err)
			return 1
		}
		if !current {
			fmt.Fprintf(stderr, "wsdlsess: the generated files in %s are not current (fix: run go generate, or the same wsdlsess generate without -check, and commit the result)\n", *out)
			return 1
		}
		return 0
	}
	res, err := dir.write(files)
	if err != nil {
		fmt.Fprintln(stderr, "wsdlsess:", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %s written, %d unchanged", *out, count(res.written, "file"), res.unchanged)
	if res.removed > 0 {
		fmt.Fprintf(stdout, ", %s removed", count(res.removed, "stale generated file"))
	}
	fmt.Fprintln(stdout)
	return 0
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", stderr)
	wsdl := fs.String("wsdl", "", "path of the WSDL 1.1 document")
	prof := fs.String("profile", "", "optional session profile to check against the WSDL and show per port")
	remote := fs.Bool("allow-remote", false, "fetch http(s) imports that are not embedded well-known schemas")
	strict := fs.Bool("strict", false, "fail on a reference to anything no file defines")
	schemaMap := schemaMapFlag{}
	fs.Var(schemaMap, "schema-map", "map a remote location to a local copy: `URL=PATH` (a URL ending in / maps a folder to a directory); repeatable")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *wsdl == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "wsdlsess inspect: missing -wsdl")
		fmt.Fprintln(stderr, usage)
		return 2
	}
	text, err := generator.Inspect(generator.Options{
		WSDL: *wsdl, Package: "inspect", Profile: *prof, AllowRemote: *remote,
		Strict: *strict, SchemaMap: schemaMap,
		Warn: func(s string) { fmt.Fprintln(stderr, "wsdlsess: warning:", s) },
	})
	if err != nil {
		printErr(stderr, err)
		return 1
	}
	io.WriteString(stdout, text)
	return 0
}

func runProfiles(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if len(args) == 1 {
		if args[0] == "-schema" {
			stdout.Write(profile.Schema())
			return 0
		}
		src, ok := profile.BuiltinSource(args[0])
		if !ok {
			// Load explains: the names there are, and a close one.
			_, err := profile.Load(args[0])
			if err == nil || strings.ContainsAny(args[0], `/\`) {
				err = fmt.Errorf("%s is not a built-in profile name (fix: run wsdlsess profiles to list them)", args[0])
			}
			printErr(stderr, err)
			return 1
		}
		stdout.Write(src)
		return 0
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, b := range profile.Builtins() {
		summary := b.Summary
		if base := profile.Extends(b.Name); base != "" {
			summary += " (extends " + base + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\n", b.Name, summary)
	}
	tw.Flush()
	fmt.Fprintln(stdout, "\nwsdlsess profiles NAME prints one to copy and adapt; wsdlsess profiles -schema prints the JSON Schema for editors.")
	return 0
}

// printErr prints an error one line at a time, each prefixed, so a profile
// with several problems reads like compiler output.
func printErr(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, "wsdlsess:", line)
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// schemaMapFlag collects -schema-map URL=PATH flags (Options.SchemaMap).
type schemaMapFlag map[string]string

func (m schemaMapFlag) String() string {
	var s []string
	for k, v := range m {
		s = append(s, k+"="+v)
	}
	return strings.Join(s, " ")
}

func (m schemaMapFlag) Set(v string) error {
	url, path, ok := strings.Cut(v, "=")
	if !ok || url == "" || path == "" {
		return fmt.Errorf("%q is not URL=PATH", v)
	}
	m[url] = path
	return nil
}

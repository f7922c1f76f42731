package profile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxSize bounds a profile file; real ones are a few kilobytes.
const maxSize = 1 << 20

// Parse reads a profile from data; filename is used in messages only. It
// checks the file's structure, then decodes it strictly (unknown keys are
// errors), then validates everything that does not need the WSDL. The error,
// when not nil, is an Errors value listing every problem found.
func Parse(filename string, data []byte) (p *Profile, err error) {
	defer func() {
		// The YAML library is well fuzzed but not ours; whatever it does on
		// hostile input must surface as an error, never as a crash.
		if r := recover(); r != nil {
			p, err = nil, Errors{{File: filename, Msg: fmt.Sprintf("the YAML library failed on this file (%v); check its syntax", r)}}
		}
	}()
	root, err := readRoot(filename, data)
	if err != nil {
		return nil, err
	}
	m := &merger{origin: map[*yaml.Node]string{}, removed: map[string]Pos{}, removedIn: map[string]string{}}
	root, bases, err := m.chain(&layer{file: filename, root: root}, readRoot)
	if err != nil {
		return nil, err
	}

	w := &walker{file: filename, origin: m.origin, pos: map[string]Pos{"": {root.Line, root.Column}}, files: map[string]string{"": filename}}
	w.walk(root, reflect.TypeFor[Profile](), "", false)
	if err := w.errs.sortedIn(filename); err != nil {
		return nil, err
	}

	merged := data
	if len(bases) > 0 {
		if merged, err = yaml.Marshal(root); err != nil {
			return nil, Errors{{File: filename, Msg: fmt.Sprintf("cannot write the merged profile (%v); this is a wsdlsess bug, please report it with the files", err)}}
		}
	}
	p = &Profile{}
	strict := yaml.NewDecoder(bytes.NewReader(merged))
	strict.KnownFields(true)
	if err := strict.Decode(p); err != nil {
		// The walker accepts only what the decoder can read, so this means
		// the two disagree: say so instead of guessing.
		return nil, Errors{{File: filename, Msg: fmt.Sprintf("cannot decode (%v); this is a wsdlsess bug, please report it with the file", err)}}
	}
	p.File = filename
	p.positions, p.files = w.pos, w.files
	p.removed, p.removedIn = m.removed, m.removedIn
	p.bases = bases
	if len(w.values) > 0 {
		// A value that is not one of its key's words decodes all the
		// same: the caller gets the profile and these problems, and
		// reports them together with the binding's. Validation would only
		// add noise about the unknown word.
		w.values.Sort(filename)
		return p, w.values
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	// limits whose every given value is zero ("refresh-margin: 0m") says
	// what an omitted limits says; without this the profile marshalled
	// back to "limits: {}", which Validate rejects as empty (found by
	// FuzzParse, testdata/fuzz/FuzzParse/07b7ce73d6ef08f3).
	if p.Limits != nil && *p.Limits == (Limits{}) {
		p.Limits = nil
	}
	return p, nil
}

// readRoot reads one file's YAML and returns its top-level mapping,
// checking the file's shape (size, one document, a mapping).
func readRoot(filename string, data []byte) (*yaml.Node, error) {
	fail := func(line int, key, format string, args ...any) (*yaml.Node, error) {
		return nil, Errors{{File: filename, Pos: Pos{Line: line}, Key: key, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > maxSize {
		return fail(0, "", "file is %d bytes; a profile is at most %d", len(data), maxSize)
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(0, "", "the file is empty; start from a built-in: wsdlsess profiles none")
		}
		return nil, syntaxError(filename, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fail(extra.Line, "", "a second YAML document starts here; a profile file holds one document, remove the \"---\"")
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(filename, data, err)
	}
	if len(doc.Content) == 0 {
		return fail(doc.Line, "", "the file is empty; start from a built-in: wsdlsess profiles none")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, "", "want a mapping of profile keys (version, name, login, ...), got %s", got(root))
	}
	return root, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a YAML library error into an Error with its line. The
// library gives no line when the document ends inside a construct (an
// unclosed quote: "found unexpected end of stream"); the last line is then
// where the reader stopped, so the message still has file:line shape (found
// by FuzzParse, testdata/fuzz/FuzzParse/a02ef305d81877f9).
func syntaxError(filename string, data []byte, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		line = 1 + bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n"))
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return Errors{{File: filename, Pos: Pos{Line: line}, Msg: "YAML syntax: " + msg + " (check the indentation and quoting here and on the lines before)"}}
}

package generator

import (
	"bytes"
	"go/token"
	"strings"
	"unicode/utf8"
)

// quickFormat prints jennifer's unformatted output of top-level
// declarations (every line at column 1, tokens spaced its own way) as
// gofmt prints them, for the shapes a large WSDL has by the thousand:
// struct types whose fields are a name, a type and a tag, defined and
// alias types, constant blocks of typed literals, and variables holding
// a multi-line composite literal of one-line elements, each with doc
// comments, and the empty marker methods of polymorphic holders. It reports false for anything else (functions, interfaces,
// expressions with operators, blank lines, trailing comments), which
// then goes through go/format.
//
// It follows go/printer's rules for that subset: a comment that abuts
// the next token at column 1 (all of jennifer's do) is a doc comment,
// reformatted by go/doc/comment as gofmt does; tab-aligned cells
// (field name and type, constant name and type, key of a key: value
// element) are padded to the widest cell of their block of consecutive
// lines, which a line without that cell, a comment among them, ends
// (text/tabwriter's column blocks); a blank line separates two
// declarations when their keyword differs or the second has a doc
// comment. TestQuickFormat compares it with go/format on every golden
// case and gowsdl fixture, declaration by declaration.
//
// It appends to dst, which it leaves as it was when it reports false.
// scratch, if not nil, holds a token slice to reuse and receives it back.
func quickFormat(dst *bytes.Buffer, src string, scratch *[]qtok) bool {
	size := dst.Len()
	if !quickFormatTo(dst, src, scratch) {
		dst.Truncate(size)
		return false
	}
	if seg := dst.Bytes()[size:]; bytes.Contains(seg, []byte(" {}\nfunc ")) {
		aligned := alignOneLineFuncs(seg)
		dst.Truncate(size)
		dst.Write(aligned)
	}
	return true
}

// alignOneLineFuncs aligns the bodies of one-line functions on
// consecutive lines (the marker methods, func (*T) isBase() {}), as
// go/printer does: it writes a tab cell between a one-line function's
// signature and its body.
func alignOneLineFuncs(src []byte) []byte {
	lines := bytes.SplitAfter(src, []byte("\n"))
	isOneLine := func(l []byte) bool {
		return bytes.HasPrefix(l, []byte("func ")) && bytes.HasSuffix(l, []byte(" {}\n"))
	}
	out := make([]byte, 0, len(src)+64)
	for i := 0; i < len(lines); {
		if !isOneLine(lines[i]) {
			out = append(out, lines[i]...)
			i++
			continue
		}
		j, w := i, 0
		for ; j < len(lines) && isOneLine(lines[j]); j++ {
			w = max(w, utf8.RuneCount(lines[j])-len(" {}\n"))
		}
		for _, l := range lines[i:j] {
			head := l[:len(l)-len(" {}\n")]
			out = append(out, head...)
			for n := w + 1 - utf8.RuneCount(head); n > 0; n-- {
				out = append(out, ' ')
			}
			out = append(out, "{}\n"...)
		}
		i = j
	}
	return out
}

func quickFormatTo(dst *bytes.Buffer, src string, scratch *[]qtok) bool {
	var buf []qtok
	if scratch != nil {
		buf = (*scratch)[:0]
	}
	toks, ok := lexQuick(src, buf)
	if scratch != nil && cap(toks) > cap(buf) {
		*scratch = toks
	}
	if !ok {
		return false
	}
	if toks[0].nl > 0 {
		return false
	}
	q := &quick{toks: toks, out: dst}
	var prev token.Token
	for q.peek().tok != token.EOF {
		doc, ok := q.docGroup()
		if !ok {
			return false
		}
		kw := q.peek()
		if kw.tok != token.TYPE && kw.tok != token.CONST && kw.tok != token.VAR && kw.tok != token.FUNC {
			return false
		}
		if prev != token.ILLEGAL {
			// go/printer's declList: one line between declarations, two
			// when the keyword changes or the declaration has a doc
			// comment or the source had a blank line.
			first := kw
			if len(doc) > 0 {
				first = q.toks[q.i-len(doc)]
			}
			q.out.WriteByte('\n')
			if prev != kw.tok || len(doc) > 0 || first.nl > 1 {
				q.out.WriteByte('\n')
			}
		}
		for _, l := range doc {
			q.out.WriteString(l)
			q.out.WriteByte('\n')
		}
		q.next()
		switch kw.tok {
		case token.TYPE:
			ok = q.typeDecl()
		case token.CONST:
			ok = q.constDecl()
		case token.VAR:
			ok = q.varDecl()
		case token.FUNC:
			at, size := q.i, q.out.Len()
			if ok = q.markerFunc(); !ok {
				q.i = at
				q.out.Truncate(size)
				ok = q.funcDecl()
			}
		}
		if !ok {
			return false
		}
		if t := q.peek(); t.tok != token.EOF && t.nl == 0 {
			return false // something after the declaration on its line
		}
		prev = kw.tok
	}
	if prev == token.ILLEGAL {
		return false
	}
	q.out.WriteByte('\n')
	return true
}

type quick struct {
	toks []qtok
	i    int
	out  *bytes.Buffer
	// bol: the next token starts a statement, on a line of its own.
	bol bool
}

func (q *quick) peek() qtok { return q.toks[q.i] }

func (q *quick) next() qtok {
	t := q.toks[q.i]
	if t.tok != token.EOF {
		q.i++
	}
	return t
}

// sameLine takes the next token if it is tok on the current line.
func (q *quick) sameLine(tok token.Token) (qtok, bool) {
	t := q.peek()
	if t.tok != tok || t.nl != 0 {
		return t, false
	}
	return q.next(), true
}

// docGroup takes the comments on consecutive lines before a token and
// returns them as gofmt prints a doc comment. They must abut that token
// (no blank line), each on a line of its own.
func (q *quick) docGroup() ([]string, bool) {
	var lines []string
	for q.peek().tok == token.COMMENT {
		t := q.next()
		if len(lines) > 0 && t.nl != 1 || len(lines) == 0 && (t.nl == 0 && q.i > 1 || !t.col1) {
			return nil, false
		}
		lines = append(lines, t.lit)
	}
	if len(lines) == 0 {
		return nil, true
	}
	// gofmt rewrites a comment group as a doc comment only when the
	// token after it starts the next line; otherwise it keeps it as it is,
	// which is not this printer's business.
	if t := q.peek(); t.nl != 1 || !t.col1 {
		return nil, false
	}
	return formatDoc(lines)
}

// typeDecl: type Name T, type Name = T, or a struct type.
func (q *quick) typeDecl() bool {
	name, ok := q.sameLine(token.IDENT)
	if !ok {
		return false
	}
	q.out.WriteString("type ")
	q.out.WriteString(name.lit)
	if _, ok := q.sameLine(token.ASSIGN); ok {
		q.out.WriteString(" =")
	}
	if t := q.peek(); t.tok == token.STRUCT && t.nl == 0 {
		q.next()
		return q.structType()
	}
	typ, ok := q.typeExpr()
	if !ok {
		return false
	}
	q.out.WriteByte(' ')
	q.out.WriteString(typ)
	return true
}

// structType prints struct{} or a struct of one-line fields with their
// doc comments.
func (q *quick) structType() bool {
	if _, ok := q.sameLine(token.LBRACE); !ok {
		return false
	}
	if _, ok := q.sameLine(token.RBRACE); ok {
		q.out.WriteString(" struct{}")
		return true
	}
	q.out.WriteString(" struct {\n")
	var rows []row
	for {
		name, typ, done, ok := q.specHead(token.RBRACE, &rows)
		if !ok {
			return false
		}
		if done {
			break
		}
		r := row{cells: []string{name}, text: typ}
		if tag, ok := q.sameLine(token.STRING); ok {
			if strings.Contains(tag.lit, "\n") {
				return false
			}
			r.cells = append(r.cells, typ)
			r.text = tag.lit
		}
		rows = append(rows, r)
	}
	writeRows(q.out, rows)
	q.out.WriteByte('}')
	return true
}

// markerFunc prints a method without parameters, results or body on
// one line, func (*T) isBase() {}: a polymorphic holder's marker, one
// per derived type.
func (q *quick) markerFunc() bool {
	if _, ok := q.sameLine(token.LPAREN); !ok {
		return false
	}
	recv := ""
	if t, ok := q.sameLine(token.IDENT); ok {
		recv = t.lit + " "
	}
	typ, ok := q.typeExpr()
	if !ok {
		return false
	}
	if _, ok := q.sameLine(token.RPAREN); !ok {
		return false
	}
	name, ok := q.sameLine(token.IDENT)
	if !ok {
		return false
	}
	for _, tok := range []token.Token{token.LPAREN, token.RPAREN, token.LBRACE, token.RBRACE} {
		if _, ok := q.sameLine(tok); !ok {
			return false
		}
	}
	head := "func (" + recv + typ + ") " + name.lit + "()"
	if len(head) > 90 {
		return false // go/printer puts the body of a long one on lines of its own
	}
	q.out.WriteString(head + " {}")
	return true
}

// constDecl prints a parenthesised block of Name Type = literal specs.
func (q *quick) constDecl() bool {
	if _, ok := q.sameLine(token.LPAREN); !ok {
		return false
	}
	q.out.WriteString("const (\n")
	var rows []row
	for {
		name, typ, done, ok := q.specHead(token.RPAREN, &rows)
		if !ok {
			return false
		}
		if done {
			break
		}
		if _, ok := q.sameLine(token.ASSIGN); !ok {
			return false
		}
		v, ok := q.literal()
		if !ok {
			return false
		}
		rows = append(rows, row{cells: []string{name, typ}, text: "= " + v})
	}
	if len(rows) == 0 {
		return false
	}
	writeRows(q.out, rows)
	q.out.WriteByte(')')
	return true
}

// specHead reads the start of the next line of a struct's fields or a
// const block, each on a line of its own: its doc comment (added to rows),
// then a name and a type. done is true, and the closing token read, at
// end.
func (q *quick) specHead(end token.Token, rows *[]row) (name, typ string, done, ok bool) {
	t := q.peek()
	if t.nl != 1 {
		return "", "", false, false
	}
	if t.tok == end {
		q.next()
		return "", "", true, true
	}
	doc, ok := q.docGroup()
	if !ok {
		return "", "", false, false
	}
	for _, l := range doc {
		*rows = append(*rows, row{text: l})
	}
	n := q.next()
	if n.tok != token.IDENT || n.nl != 1 {
		return "", "", false, false
	}
	typ, ok = q.typeExpr()
	return n.lit, typ, false, ok
}

// literal is a basic literal, an identifier or a signed number.
func (q *quick) literal() (string, bool) {
	t := q.peek()
	if t.nl != 0 {
		return "", false
	}
	sign := ""
	if t.tok == token.SUB || t.tok == token.ADD {
		q.next()
		sign = t.tok.String()
		t = q.peek()
		if t.nl != 0 || t.tok != token.INT && t.tok != token.FLOAT {
			return "", false
		}
	}
	switch t.tok {
	case token.INT, token.FLOAT, token.IMAG, token.CHAR, token.STRING, token.IDENT:
		q.next()
		return sign + t.lit, true
	}
	return "", false
}

// varDecl prints var Name = T{ one element a line }, the elements all
// key: value (keys aligned) or all values.
func (q *quick) varDecl() bool {
	name, ok := q.sameLine(token.IDENT)
	if !ok {
		return false
	}
	if _, ok := q.sameLine(token.ASSIGN); !ok {
		return false
	}
	head, ok := q.typeExpr()
	if !ok {
		return false
	}
	q.out.WriteString("var " + name.lit + " = " + head)
	if _, ok := q.sameLine(token.LBRACE); ok {
		q.out.WriteString("{\n")
		return q.rows(token.RBRACE) && q.closing("}")
	}
	// A call: f(), f( one argument a line ), or f(T{ one element a
	// line }).
	if _, ok := q.sameLine(token.LPAREN); !ok {
		return false
	}
	if _, ok := q.sameLine(token.RPAREN); ok {
		q.out.WriteString("()")
		return true
	}
	if q.peek().nl == 0 {
		typ, ok := q.typeExpr()
		if !ok {
			return false
		}
		if _, ok := q.sameLine(token.LBRACE); !ok {
			return false
		}
		q.out.WriteString("(" + typ + "{\n")
		if !q.rows(token.RBRACE) || !q.closing("}") {
			return false
		}
		if _, ok := q.sameLine(token.RPAREN); !ok {
			return false
		}
		q.out.WriteByte(')')
		return true
	}
	q.out.WriteString("(\n")
	return q.rows(token.RPAREN) && q.closing(")")
}

// closing writes the brace or parenthesis that ended rows.
func (q *quick) closing(s string) bool {
	q.out.WriteString(s)
	return true
}

// rows prints the elements of a multi-line composite literal or call,
// one a line with its comma, up to close on a line of its own: all
// key: value (keys aligned) or all values.
func (q *quick) rows(close token.Token) bool {
	var rows []row
	keyed := false
	for {
		t := q.peek()
		if t.nl != 1 {
			return false
		}
		if t.tok == close {
			q.next()
			break
		}
		var r row
		isKey := close == token.RBRACE && t.tok == token.IDENT && q.toks[q.i+1].tok == token.COLON && q.toks[q.i+1].nl == 0
		if len(rows) > 0 && isKey != keyed {
			return false
		}
		keyed = isKey
		var v string
		var ok bool
		switch {
		case keyed:
			q.i += 2
			// exprList breaks the alignment of keys longer than this.
			if len(t.lit) >= 40 {
				return false
			}
			r.cells = []string{t.lit + ":"}
			v, ok = q.expr2(0, false)
		case t.tok == token.LBRACE && close == token.RBRACE:
			// An element of the literal's element type, its type elided.
			q.next()
			v, ok = q.oneLineElems(0)
			v = "{" + v + "}"
		default:
			q.bol = true
			v, ok = q.expr2(0, false)
			q.bol = false
		}
		if !ok {
			return false
		}
		if _, ok := q.sameLine(token.COMMA); !ok {
			return false
		}
		r.text = v + ","
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return false
	}
	writeRows(q.out, rows)
	return true
}

// typeExpr is a one-line type: pointers, slices, qualified and generic
// names.
func (q *quick) typeExpr() (string, bool) {
	t := q.peek()
	if t.nl != 0 {
		return "", false
	}
	switch t.tok {
	case token.MUL:
		q.next()
		s, ok := q.typeExpr()
		return "*" + s, ok
	case token.LBRACK:
		q.next()
		if _, ok := q.sameLine(token.RBRACK); !ok {
			return "", false
		}
		s, ok := q.typeExpr()
		return "[]" + s, ok
	case token.IDENT:
		q.next()
		s := t.lit
		if _, ok := q.sameLine(token.PERIOD); ok {
			sel, ok := q.sameLine(token.IDENT)
			if !ok {
				return "", false
			}
			s += "." + sel.lit
		}
		if _, ok := q.sameLine(token.LBRACK); ok {
			args, ok := q.list(token.RBRACK, q.typeExpr)
			if !ok || args == "" {
				return "", false
			}
			s += "[" + args + "]"
		}
		return s, true
	}
	return "", false
}

// list reads one-line items separated by commas up to close, and
// prints them as gofmt does: comma and blank.
func (q *quick) list(close token.Token, item func() (string, bool)) (string, bool) {
	var b strings.Builder
	for i := 0; ; i++ {
		if _, ok := q.sameLine(close); ok {
			return b.String(), true
		}
		if i > 0 {
			if _, ok := q.sameLine(token.COMMA); !ok {
				return "", false
			}
			if _, ok := q.sameLine(close); ok {
				return "", false // trailing comma: gofmt keeps it
			}
			b.WriteString(", ")
		}
		s, ok := item()
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
}

// row is one line inside a block, indented one tab: cells padded to the
// widest of their column block, then text. A row without cells (a
// comment) ends every column block.
type row struct {
	cells []string
	text  string
}

// writeRows writes rows as go/printer's tabwriter does (padding 1,
// spaces, widths in runes).
func writeRows(out *bytes.Buffer, rows []row) {
	widths := make([][]int, len(rows))
	for i := range rows {
		widths[i] = make([]int, len(rows[i].cells))
	}
	for col := 0; ; col++ {
		found := false
		for i := 0; i < len(rows); {
			if len(rows[i].cells) <= col {
				i++
				continue
			}
			found = true
			j, w := i, 0
			for ; j < len(rows) && len(rows[j].cells) > col; j++ {
				w = max(w, utf8.RuneCountInString(rows[j].cells[col]))
			}
			for k := i; k < j; k++ {
				widths[k][col] = w + 1
			}
			i = j
		}
		if !found {
			break
		}
	}
	for i, r := range rows {
		out.WriteByte('\t')
		for c, cell := range r.cells {
			out.WriteString(cell)
			for n := widths[i][c] - utf8.RuneCountInString(cell); n > 0; n-- {
				out.WriteByte(' ')
			}
		}
		out.WriteString(r.text)
		out.WriteByte('\n')
	}
}

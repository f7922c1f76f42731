package generator

import (
	"go/token"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// qtok is one token of jennifer's output: nl is the number of line
// breaks before it.
type qtok struct {
	tok token.Token
	lit string
	nl  int
	// col1: the token starts its line (gofmt reformats a comment group
	// as a doc comment only then).
	col1 bool
}

// lexQuick splits src into tokens: identifiers, numbers, strings,
// characters, // comments and the punctuation of the shapes quickFormat
// knows. Anything else (operators, /* */ comments, a semicolon, a
// malformed literal) is not such a shape. Literals are slices of s:
// go/scanner, which allocates each, was most of the cost. toks is
// appended to.
func lexQuick(s string, toks []qtok) ([]qtok, bool) {
	// go/scanner rejects these anywhere, comments and literals included.
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 || strings.Contains(s, "\uFEFF") {
		return nil, false
	}
	nl := 0
	for i := 0; i < len(s); {
		c := s[i]
		start := i
		var tok token.Token
		switch {
		case c == '\n':
			nl++
			i++
			continue
		case c == ' ' || c == '\t' || c == '\r':
			i++
			continue
		case c == '/' && i+1 < len(s) && s[i+1] == '/':
			for i < len(s) && s[i] != '\n' {
				if s[i] == '\r' {
					return nil, false // go/scanner drops it from comments
				}
				i++
			}
			tok = token.COMMENT
		case c == '"' || c == '\'':
			end, ok := quoted(s, i)
			if !ok {
				return nil, false
			}
			i = end
			tok = token.STRING
			if c == '\'' {
				tok = token.CHAR
			}
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 || strings.ContainsAny(s[i+1:i+1+j], "\r\n") {
				return nil, false
			}
			i += j + 2
			tok = token.STRING
		case '0' <= c && c <= '9':
			for i < len(s) && ('0' <= s[i] && s[i] <= '9') {
				i++
			}
			if i < len(s) && (s[i] == '.' || s[i] == '_' || isWordByte(s[i])) || c == '0' && i-start > 1 {
				return nil, false // leave other number forms (octal, invalid) to go/format
			}
			tok = token.INT
		case isWordByte(c) || c >= utf8.RuneSelf:
			for i < len(s) {
				if s[i] < utf8.RuneSelf {
					if !isWordByte(s[i]) && !('0' <= s[i] && s[i] <= '9') {
						break
					}
					i++
					continue
				}
				r, n := utf8.DecodeRuneInString(s[i:])
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					break
				}
				i += n
			}
			if r, _ := utf8.DecodeRuneInString(s[start:]); i == start || !unicode.IsLetter(r) && r != '_' {
				return nil, false
			}
			tok = token.IDENT
			if k := token.Lookup(s[start:i]); k.IsKeyword() {
				tok = k
			}
		case strings.HasPrefix(s[i:], ":="), strings.HasPrefix(s[i:], "=="), strings.HasPrefix(s[i:], "!="):
			tok = token.DEFINE
			if c == '=' {
				tok = token.EQL
			} else if c == '!' {
				tok = token.NEQ
			}
			i += 2
		case strings.HasPrefix(s[i:], "..."):
			tok = token.ELLIPSIS
			i += 3
		default:
			tok = punct[c]
			if tok == token.ILLEGAL {
				return nil, false
			}
			i++
		}
		toks = append(toks, qtok{tok: tok, lit: s[start:i], nl: nl, col1: start == 0 || s[start-1] == '\n'})
		nl = 0
	}
	toks = append(toks, qtok{tok: token.EOF, nl: nl})
	return toks, true
}

// punct is the punctuation quickFormat reads; any other is not its
// shape.
var punct = [256]token.Token{
	'*': token.MUL, '[': token.LBRACK, ']': token.RBRACK, '(': token.LPAREN, ')': token.RPAREN,
	'{': token.LBRACE, '}': token.RBRACE, '.': token.PERIOD, ',': token.COMMA, '=': token.ASSIGN,
	':': token.COLON, '-': token.SUB, '+': token.ADD, ';': token.SEMICOLON, '!': token.NOT, '&': token.AND,
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

// quoted returns the end of the "…" or '…' literal that starts at
// s[start], on one line; ok is false for one Go does not read.
func quoted(s string, start int) (end int, ok bool) {
	q := s[start]
	i := start + 1
	for i < len(s) && s[i] != q {
		if s[i] == '\\' {
			i++
		}
		if i < len(s) && s[i] == '\n' {
			return 0, false
		}
		i++
	}
	if i >= len(s) {
		return 0, false
	}
	i++
	return i, validQuoted(s[start:i])
}

// validQuoted reports whether lit, a "…" or '…' literal whose quotes the
// lexer matched, is one Go reads: an invalid escape is go/format's error
// to report, not a shape to print.
func validQuoted(lit string) bool {
	if !strings.Contains(lit, "\\") && utf8.ValidString(lit) {
		return lit[0] == '"' || utf8.RuneCountInString(lit) == 3
	}
	_, err := strconv.Unquote(lit)
	return err == nil
}

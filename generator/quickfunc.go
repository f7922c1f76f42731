package generator

import (
	"bytes"
	"go/token"
	"strings"
)

// funcDecl prints a function or method whose body is statements of the
// generated shapes: return, if (with an init statement), switch with
// case and default clauses, var and type declarations, assignments and
// calls, on one line each, apart from a function literal in them. Its
// expressions have at most one binary operator (== or !=, which gofmt
// surrounds with blanks at any depth) and composite literals on one
// line. Type parameters, else, for, comments and anything else are not
// its shapes.
func (q *quick) funcDecl() bool {
	q.out.WriteString("func ")
	if _, ok := q.sameLine(token.LPAREN); ok {
		p, ok := q.param()
		if !ok {
			return false
		}
		if _, ok := q.sameLine(token.RPAREN); !ok {
			return false
		}
		q.out.WriteString("(" + p + ") ")
	}
	name, ok := q.sameLine(token.IDENT)
	if !ok {
		return false
	}
	q.out.WriteString(name.lit)
	sig, ok := q.signature()
	if !ok {
		return false
	}
	q.out.WriteString(sig)
	return q.block(0)
}

// signature is (params) results, up to the body's brace.
func (q *quick) signature() (string, bool) {
	if _, ok := q.sameLine(token.LPAREN); !ok {
		return "", false
	}
	params, ok := q.list(token.RPAREN, q.param)
	if !ok {
		return "", false
	}
	s := "(" + params + ")"
	if _, ok := q.sameLine(token.LPAREN); ok {
		results, ok := q.list(token.RPAREN, q.typeExpr)
		if !ok || !strings.Contains(results, ",") {
			return "", false // gofmt drops the parentheses of one result
		}
		return s + " (" + results + ")", true
	}
	if t := q.peek(); t.tok != token.LBRACE {
		r, ok := q.typeExpr()
		if !ok {
			return "", false
		}
		s += " " + r
	}
	return s, true
}

// param is a named parameter, variadic or not.
func (q *quick) param() (string, bool) {
	name, ok := q.sameLine(token.IDENT)
	if !ok {
		return "", false
	}
	dots := ""
	if _, ok := q.sameLine(token.ELLIPSIS); ok {
		dots = "..."
	}
	t, ok := q.typeExpr()
	return name.lit + " " + dots + t, ok
}

// block prints { statements } at depth indent: the brace on the current
// line, each statement on a line of its own one tab deeper.
func (q *quick) block(indent int) bool {
	if _, ok := q.sameLine(token.LBRACE); !ok {
		return false
	}
	q.out.WriteString(" {\n")
	if !q.stmts(indent + 1) {
		return false
	}
	if t := q.next(); t.tok != token.RBRACE || t.nl != 1 {
		return false
	}
	q.tabs(indent)
	q.out.WriteByte('}')
	return true
}

func (q *quick) tabs(n int) {
	for range n {
		q.out.WriteByte('\t')
	}
}

// stmts prints statements up to a closing brace or the next case.
func (q *quick) stmts(indent int) bool {
	for {
		t := q.peek()
		if t.nl != 1 {
			return false
		}
		if t.tok == token.RBRACE || t.tok == token.CASE || t.tok == token.DEFAULT {
			return true
		}
		q.tabs(indent)
		if !q.stmt(indent) {
			return false
		}
		q.out.WriteByte('\n')
	}
}

func (q *quick) stmt(indent int) bool {
	t := q.next()
	if t.tok == token.EOF {
		return false // not consumed: the q.i-- below would step back
	}
	switch t.tok {
	case token.RETURN:
		q.out.WriteString("return")
		if q.peek().nl != 0 {
			return true
		}
		list, ok := q.exprList(indent, false)
		if !ok {
			return false
		}
		q.out.WriteString(" " + list)
		return true
	case token.VAR, token.TYPE:
		name, ok := q.sameLine(token.IDENT)
		if !ok {
			return false
		}
		typ, ok := q.typeExpr()
		if !ok {
			return false
		}
		q.out.WriteString(t.lit + " " + name.lit + " " + typ)
		return true
	case token.IF:
		q.out.WriteString("if ")
		assign, ok := q.simpleStmt(indent, true)
		if !ok {
			return false
		}
		if _, ok := q.sameLine(token.SEMICOLON); !ok && assign {
			return false // an assignment is no condition
		} else if ok {
			q.out.WriteString("; ")
			x, ok := q.expr2(indent, true)
			if !ok {
				return false
			}
			q.out.WriteString(x)
		}
		if !q.block(indent) {
			return false
		}
		if q.peek().tok == token.ELSE {
			return false
		}
		return true
	case token.SWITCH:
		q.out.WriteString("switch ")
		if q.peek().tok != token.LBRACE {
			x, ok := q.expr2(indent, true)
			if !ok {
				return false
			}
			q.out.WriteString(x + " ")
		}
		if _, ok := q.sameLine(token.LBRACE); !ok {
			return false
		}
		q.out.WriteString("{\n")
		for {
			c := q.next()
			if c.nl != 1 {
				return false
			}
			switch c.tok {
			case token.RBRACE:
				q.tabs(indent)
				q.out.WriteByte('}')
				return true
			case token.CASE:
				q.tabs(indent)
				list, ok := q.exprList(indent, false)
				if !ok {
					return false
				}
				q.out.WriteString("case " + list)
			case token.DEFAULT:
				q.tabs(indent)
				q.out.WriteString("default")
			default:
				return false
			}
			if _, ok := q.sameLine(token.COLON); !ok {
				return false
			}
			q.out.WriteString(":\n")
			if !q.stmts(indent + 1) {
				return false
			}
		}
	}
	q.i--
	// The statement's first token is the first of its line.
	q.bol = true
	_, ok := q.simpleStmt(indent, false)
	q.bol = false
	return ok
}

// simpleStmt is an expression list, with = or := and another list.
func (q *quick) simpleStmt(indent int, header bool) (assign, ok bool) {
	lhs, n, listOK := q.exprListN(indent, header)
	if !listOK {
		return false, false
	}
	q.out.WriteString(lhs)
	t := q.peek()
	assign = t.nl == 0 && (t.tok == token.ASSIGN || t.tok == token.DEFINE)
	if n > 1 && !assign {
		return false, false // a list is no statement without = or :=
	}
	if assign {
		q.next()
		rhs, ok := q.exprList(indent, header)
		if !ok {
			return false, false
		}
		q.out.WriteString(" " + t.tok.String() + " " + rhs)
	}
	return assign, true
}

func (q *quick) exprList(indent int, header bool) (string, bool) {
	list, _, ok := q.exprListN(indent, header)
	return list, ok
}

// exprListN is exprList and the number of expressions in it.
func (q *quick) exprListN(indent int, header bool) (string, int, bool) {
	var b strings.Builder
	for i := 0; ; i++ {
		if i > 0 {
			if _, ok := q.sameLine(token.COMMA); !ok {
				return b.String(), i, true
			}
			b.WriteString(", ")
		}
		x, ok := q.expr2(indent, header)
		if !ok {
			return "", 0, false
		}
		b.WriteString(x)
	}
}

// expr2 is a unary expression, or two joined by == or !=. In a header
// (if, switch) a brace ends the expression instead of starting a
// composite literal.
func (q *quick) expr2(indent int, header bool) (string, bool) {
	if header && q.peek().tok == token.LPAREN {
		// gofmt drops the parentheses around a whole if or switch
		// expression (go/printer's stripParens); generated code has none.
		return "", false
	}
	x, ok := q.unary(indent, header)
	if !ok {
		return "", false
	}
	if t := q.peek(); t.nl == 0 && (t.tok == token.EQL || t.tok == token.NEQ) {
		q.next()
		y, ok := q.unary(indent, header)
		if !ok {
			return "", false
		}
		if t := q.peek(); t.nl == 0 && (t.tok == token.EQL || t.tok == token.NEQ) {
			return "", false
		}
		return x + " " + t.tok.String() + " " + y, true
	}
	return x, true
}

func (q *quick) unary(indent int, header bool) (string, bool) {
	t := q.peek()
	if t.nl != 0 && !q.bol {
		return "", false
	}
	switch t.tok {
	case token.AND, token.MUL, token.NOT:
		q.bol = false
		q.next()
		x, ok := q.unary(indent, header)
		return t.lit + x, ok
	}
	return q.primary(indent, header)
}

// primary is an operand with selectors, type assertions, type
// arguments, calls and (outside a header) composite literals.
func (q *quick) primary(indent int, header bool) (string, bool) {
	t := q.next()
	if t.nl != 0 && !q.bol {
		return "", false
	}
	q.bol = false
	var s string
	lit := false // s may name a type of a composite literal
	switch t.tok {
	case token.IDENT:
		s, lit = t.lit, true
	case token.INT, token.STRING, token.CHAR:
		if t.tok == token.INT && q.peek().tok == token.PERIOD {
			return "", false // gofmt writes "0 .A": "0.A" would read as 0. then A
		}
		s = t.lit
	case token.LPAREN:
		x, ok := q.expr2(indent, false)
		if !ok {
			return "", false
		}
		if _, ok := q.sameLine(token.RPAREN); !ok {
			return "", false
		}
		s = "(" + x + ")"
	case token.FUNC:
		return q.funcLit(indent)
	default:
		return "", false
	}
	for {
		t := q.peek()
		if t.nl != 0 {
			return s, true
		}
		switch t.tok {
		case token.PERIOD:
			q.next()
			if _, ok := q.sameLine(token.LPAREN); ok {
				typ, ok := q.typeExpr()
				if !ok {
					return "", false
				}
				if _, ok := q.sameLine(token.RPAREN); !ok {
					return "", false
				}
				s += ".(" + typ + ")"
				lit = false
				continue
			}
			sel, ok := q.sameLine(token.IDENT)
			if !ok {
				return "", false
			}
			s += "." + sel.lit
		case token.LBRACK:
			q.next()
			args, ok := q.list(token.RBRACK, q.typeExpr)
			if !ok || args == "" {
				return "", false
			}
			s += "[" + args + "]"
		case token.LPAREN:
			q.next()
			args, ok := q.callArgs(indent)
			if !ok {
				return "", false
			}
			s += "(" + args + ")"
			lit = false
		case token.LBRACE:
			if header || !lit {
				return s, true
			}
			q.next()
			elems, ok := q.oneLineElems(indent)
			if !ok {
				return "", false
			}
			s += "{" + elems + "}"
			lit = false
		default:
			return s, true
		}
	}
}

// callArgs reads arguments up to ), the last maybe followed by "...".
func (q *quick) callArgs(indent int) (string, bool) {
	var b strings.Builder
	for i := 0; ; i++ {
		if _, ok := q.sameLine(token.RPAREN); ok {
			return b.String(), true
		}
		if i > 0 {
			if _, ok := q.sameLine(token.COMMA); !ok {
				return "", false
			}
			if q.peek().tok == token.RPAREN {
				return "", false
			}
			b.WriteString(", ")
		}
		x, ok := q.expr2(indent, false)
		if !ok {
			return "", false
		}
		b.WriteString(x)
		if q.peek().tok == token.ELLIPSIS {
			switch q.toks[q.i-1].tok {
			case token.INT, token.FLOAT, token.IMAG:
				return "", false // gofmt writes "0 ...": "0..." would read as 0. then ..
			}
		}
		if _, ok := q.sameLine(token.ELLIPSIS); ok {
			b.WriteString("...")
		}
	}
}

// oneLineElems reads the elements of a composite literal on one line,
// all key: value or all values, up to }.
func (q *quick) oneLineElems(indent int) (string, bool) {
	var b strings.Builder
	keyed := false
	for i := 0; ; i++ {
		if _, ok := q.sameLine(token.RBRACE); ok {
			return b.String(), true
		}
		if i > 0 {
			if _, ok := q.sameLine(token.COMMA); !ok {
				return "", false
			}
			if q.peek().tok == token.RBRACE {
				return "", false
			}
			b.WriteString(", ")
		}
		t := q.peek()
		isKey := t.tok == token.IDENT && t.nl == 0 && q.toks[q.i+1].tok == token.COLON && q.toks[q.i+1].nl == 0
		if i > 0 && isKey != keyed {
			return "", false
		}
		keyed = isKey
		if isKey {
			q.i += 2
			b.WriteString(t.lit + ": ")
		}
		x, ok := q.expr2(indent, false)
		if !ok {
			return "", false
		}
		b.WriteString(x)
	}
}

// funcLit is func(params) results { statements }, its body one tab
// deeper than the statement it is in and its brace back at that depth.
func (q *quick) funcLit(indent int) (string, bool) {
	sig, ok := q.signature()
	if !ok {
		return "", false
	}
	// The caller writes the expression the literal is in when it has
	// all of it: the body is printed apart.
	sub := &quick{toks: q.toks, i: q.i, out: new(bytes.Buffer)}
	ok = sub.block(indent)
	q.i = sub.i
	if !ok {
		return "", false
	}
	body := sub.out.String()
	return "func" + sig + body, true
}

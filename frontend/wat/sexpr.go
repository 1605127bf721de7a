package wat

// node is an S-expression: a list (kind tokLParen, kids) or a single token.
type node struct {
	kind      tokKind // tokLParen for lists, else the token kind
	text      string
	kids      []*node
	line, col int
	// endLine/endCol locate a list's closing parenthesis.
	endLine, endCol int
}

// isList reports whether n is a list whose first element is the keyword kw.
func (n *node) isList(kw string) bool {
	return n.kind == tokLParen && len(n.kids) > 0 && n.kids[0].kind == tokAtom && n.kids[0].text == kw
}

// head returns the keyword that starts a list, or "".
func (n *node) head() string {
	if n.kind == tokLParen && len(n.kids) > 0 && n.kids[0].kind == tokAtom {
		return n.kids[0].text
	}
	return ""
}

func (n *node) isAtom(kw string) bool { return n.kind == tokAtom && n.text == kw }

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 10000

// parseSexprs reads all top-level S-expressions (and atoms) of src.
func parseSexprs(src []byte, file string) ([]*node, error) {
	l := &lexer{src: src, line: 1, col: 1, file: file}
	var stack []*node
	var top []*node
	for {
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		switch t.kind {
		case tokEOF:
			if len(stack) > 0 {
				o := stack[len(stack)-1]
				return nil, l.errorf(o.line, o.col, "unclosed parenthesis")
			}
			return top, nil
		case tokLParen:
			if len(stack) >= maxDepth {
				return nil, l.errorf(t.line, t.col, "nesting too deep")
			}
			n := &node{kind: tokLParen, line: t.line, col: t.col}
			stack = append(stack, n)
		case tokRParen:
			if len(stack) == 0 {
				return nil, l.errorf(t.line, t.col, "unexpected token )")
			}
			n := stack[len(stack)-1]
			n.endLine, n.endCol = t.line, t.col
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
		default:
			n := &node{kind: t.kind, text: t.text, line: t.line, col: t.col}
			if len(stack) == 0 {
				top = append(top, n)
			} else {
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
		}
	}
}

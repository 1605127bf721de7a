package wat

import "fmt"

// cursor walks the elements of a list (or a slice of top-level nodes).
type cursor struct {
	nodes []*node
	i     int
	owner *node // the enclosing list, for "expected …" errors at its end
}

func newCursor(n *node, skip int) *cursor {
	return &cursor{nodes: n.kids, i: skip, owner: n}
}

func (c *cursor) done() bool { return c.i >= len(c.nodes) }

func (c *cursor) peek() *node {
	if c.i < len(c.nodes) {
		return c.nodes[c.i]
	}
	return nil
}

func (c *cursor) peekAt(k int) *node {
	if c.i+k < len(c.nodes) {
		return c.nodes[c.i+k]
	}
	return nil
}

func (c *cursor) next() *node {
	n := c.peek()
	if n != nil {
		c.i++
	}
	return n
}

// peekList reports whether the next element is a list starting with kw.
func (c *cursor) peekList(kw string) bool {
	n := c.peek()
	return n != nil && n.isList(kw)
}

func (c *cursor) peekAtom(kw string) bool {
	n := c.peek()
	return n != nil && n.isAtom(kw)
}

func (c *cursor) peekID() bool {
	n := c.peek()
	return n != nil && n.kind == tokID
}

// optID consumes an identifier if present.
func (c *cursor) optID() (string, *node) {
	if c.peekID() {
		n := c.next()
		return n.text, n
	}
	return "", nil
}

// pos returns a position for errors: the next element, or the end of the
// owning list.
func (c *cursor) pos() (int, int) {
	if n := c.peek(); n != nil {
		return n.line, n.col
	}
	if c.owner != nil {
		if c.owner.endLine > 0 {
			return c.owner.endLine, c.owner.endCol
		}
		return c.owner.line, c.owner.col
	}
	if len(c.nodes) > 0 {
		n := c.nodes[len(c.nodes)-1]
		return n.line, n.col
	}
	return 1, 1
}

// describe names a node for error messages.
func describe(n *node) string {
	if n == nil {
		return "end of list"
	}
	switch n.kind {
	case tokLParen:
		if h := n.head(); h != "" {
			return fmt.Sprintf("(%s …)", h)
		}
		return "list"
	case tokID:
		return "$" + n.text
	case tokString:
		return "string"
	}
	return fmt.Sprintf("%q", n.text)
}

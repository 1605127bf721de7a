// Package wat parses the WebAssembly text format (Wasm 3.0 plus the
// stack-switching proposal): modules (.wat) and spec scripts (.wast).
//
// Parsing happens in three steps. The lexer (this file) turns the source
// into tokens, skipping white space, comments and annotations. A small
// reader builds an S-expression tree from them (sexpr.go), so that every
// later step can look ahead freely. The module builder (module.go,
// instr.go, types.go) walks the tree of a module in two passes: the first
// collects every definition and binds its identifier in its index space;
// the second resolves references, expands the abbreviations of the text
// format (inline imports and exports, inline type uses, (data …) in a
// memory, (elem …) in a table, folded instructions) and produces a
// frontend.Module with function bodies in binary form. frontend.Encode then
// turns that into the binary module, so a text module and its binary
// counterpart decode to the same structure.
//
// Every error carries the line and column of the offending token.
package wat

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a text-format error at a source position.
type Error struct {
	File      string
	Line, Col int // 1-based
	Msg       string
}

func (e *Error) Error() string {
	if e.File != "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
}

type tokKind uint8

const (
	tokEOF    tokKind = iota
	tokLParen         // (
	tokRParen         // )
	tokAtom           // keyword, number or reserved word
	tokID             // $name (text holds the name without $)
	tokString         // "…" (text holds the decoded bytes)
)

type token struct {
	kind      tokKind
	text      string
	line, col int
}

type lexer struct {
	src       []byte
	pos       int
	line, col int
	file      string
}

func (l *lexer) errorf(line, col int, format string, args ...any) error {
	return &Error{File: l.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

// advance moves past n bytes, tracking line and column.
func (l *lexer) advance(n int) {
	for i := 0; i < n && l.pos < len(l.src); i++ {
		if l.src[l.pos] == '\n' {
			l.line++
			l.col = 1
		} else {
			l.col++
		}
		l.pos++
	}
}

func isIDChar(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '/', ':', '<', '=', '>', '?', '@', '\\', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// skip skips white space, comments and annotations.
func (l *lexer) skip() error {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.advance(1)
		case c == ';' && l.pos+1 < len(l.src) && l.src[l.pos+1] == ';':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
				l.advance(1)
			}
		case c == '(' && l.pos+1 < len(l.src) && l.src[l.pos+1] == ';':
			if err := l.blockComment(); err != nil {
				return err
			}
		case c == '(' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '@':
			if err := l.annotation(); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

func (l *lexer) blockComment() error {
	line, col := l.line, l.col
	depth := 0
	for l.pos < len(l.src) {
		if l.src[l.pos] == '(' && l.pos+1 < len(l.src) && l.src[l.pos+1] == ';' {
			depth++
			l.advance(2)
			continue
		}
		if l.src[l.pos] == ';' && l.pos+1 < len(l.src) && l.src[l.pos+1] == ')' {
			depth--
			l.advance(2)
			if depth == 0 {
				return nil
			}
			continue
		}
		l.advance(1)
	}
	return l.errorf(line, col, "unclosed comment")
}

// annotation skips a balanced (@id …) form: strings, comments and nested
// parentheses are honoured, everything else is skipped.
func (l *lexer) annotation() error {
	line, col := l.line, l.col
	l.advance(2)
	switch {
	case l.pos < len(l.src) && isIDChar(l.src[l.pos]):
	case l.pos < len(l.src) && l.src[l.pos] == '"':
		id, err := l.str()
		if err != nil {
			return err
		}
		if id == "" {
			return l.errorf(line, col, "empty annotation id")
		}
		if !utf8.ValidString(id) {
			return l.errorf(line, col, "malformed UTF-8 encoding")
		}
	default:
		return l.errorf(line, col, "empty annotation id")
	}
	depth := 1
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		next := byte(0)
		if l.pos+1 < len(l.src) {
			next = l.src[l.pos+1]
		}
		switch {
		case c == '"':
			if _, err := l.str(); err != nil {
				return err
			}
		case c == '(' && next == ';':
			if err := l.blockComment(); err != nil {
				return err
			}
		case c == ';' && next == ';':
			for l.pos < len(l.src) && l.src[l.pos] != '\n' && l.src[l.pos] != '\r' {
				l.advance(1)
			}
		case c == '(':
			depth++
			l.advance(1)
		case c == ')':
			depth--
			l.advance(1)
			if depth == 0 {
				return nil
			}
		case isIDChar(c) || strings.IndexByte(" \t\n\r,;[]{}", c) >= 0:
			l.advance(1)
		case c >= 0x80:
			return l.errorf(l.line, l.col, "malformed UTF-8 encoding or illegal character")
		default:
			return l.errorf(l.line, l.col, "illegal character %q", c)
		}
	}
	return l.errorf(line, col, "unclosed annotation")
}

// next returns the next token; skip must have been called.
func (l *lexer) next() (token, error) {
	if err := l.skip(); err != nil {
		return token{}, err
	}
	t := token{line: l.line, col: l.col}
	if l.pos >= len(l.src) {
		t.kind = tokEOF
		return t, nil
	}
	c := l.src[l.pos]
	switch {
	case c == '(':
		l.advance(1)
		t.kind = tokLParen
		return t, nil
	case c == ')':
		l.advance(1)
		t.kind = tokRParen
		return t, nil
	case c == '"':
		s, err := l.str()
		if err != nil {
			return t, err
		}
		t.kind, t.text = tokString, s
		return t, l.separated(t)
	case c == '$' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '"':
		l.advance(1)
		s, err := l.str()
		if err != nil {
			return t, err
		}
		if s == "" {
			return t, l.errorf(t.line, t.col, "empty identifier")
		}
		if !utf8.ValidString(s) {
			return t, l.errorf(t.line, t.col, "malformed UTF-8 encoding")
		}
		t.kind, t.text = tokID, s
		return t, l.separated(t)
	case isIDChar(c):
		start := l.pos
		for l.pos < len(l.src) && isIDChar(l.src[l.pos]) {
			l.advance(1)
		}
		word := string(l.src[start:l.pos])
		if l.pos < len(l.src) && l.src[l.pos] == '"' {
			return t, l.errorf(t.line, t.col, "unknown operator %q", word+"\"")
		}
		if word[0] == '$' {
			if len(word) == 1 {
				return t, l.errorf(t.line, t.col, "empty identifier")
			}
			t.kind, t.text = tokID, word[1:]
			return t, nil
		}
		t.kind, t.text = tokAtom, word
		return t, nil
	}
	return t, l.errorf(t.line, t.col, "malformed text: unexpected character %q", c)
}

// separated checks that a string token is not directly followed by
// another token character.
func (l *lexer) separated(t token) error {
	if l.pos < len(l.src) && (isIDChar(l.src[l.pos]) || l.src[l.pos] == '"') {
		return l.errorf(l.line, l.col, "unknown operator: tokens must be separated")
	}
	return nil
}

// str reads a string literal, decoding escapes.
func (l *lexer) str() (string, error) {
	line, col := l.line, l.col
	l.advance(1) // opening quote
	var out []byte
	for {
		if l.pos >= len(l.src) {
			return "", l.errorf(line, col, "unclosed string")
		}
		c := l.src[l.pos]
		switch {
		case c == '"':
			l.advance(1)
			return string(out), nil
		case c == '\n':
			return "", l.errorf(line, col, "unclosed string")
		case c < 0x20 || c == 0x7f:
			return "", l.errorf(l.line, l.col, "malformed string: control character")
		case c == '\\':
			if l.pos+1 >= len(l.src) {
				return "", l.errorf(line, col, "unclosed string")
			}
			eline, ecol := l.line, l.col
			d := l.src[l.pos+1]
			switch d {
			case 't':
				out = append(out, '\t')
				l.advance(2)
			case 'n':
				out = append(out, '\n')
				l.advance(2)
			case 'r':
				out = append(out, '\r')
				l.advance(2)
			case '"', '\'', '\\':
				out = append(out, d)
				l.advance(2)
			case 'u':
				l.advance(2)
				if l.pos >= len(l.src) || l.src[l.pos] != '{' {
					return "", l.errorf(eline, ecol, "malformed string escape")
				}
				l.advance(1)
				var v uint32
				n := 0
				for l.pos < len(l.src) && l.src[l.pos] != '}' {
					h, ok := hexDigit(l.src[l.pos])
					if !ok {
						if l.src[l.pos] == '_' && n > 0 && l.pos+1 < len(l.src) && isHex(l.src[l.pos+1]) {
							l.advance(1)
							continue
						}
						return "", l.errorf(eline, ecol, "malformed string escape")
					}
					if v > 0x10FFFF {
						return "", l.errorf(eline, ecol, "malformed unicode escape")
					}
					v = v*16 + uint32(h)
					n++
					l.advance(1)
				}
				if l.pos >= len(l.src) || n == 0 || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000) {
					return "", l.errorf(eline, ecol, "malformed unicode escape")
				}
				l.advance(1)
				out = utf8.AppendRune(out, rune(v))
			default:
				h1, ok1 := hexDigit(d)
				var h2 byte
				ok2 := false
				if l.pos+2 < len(l.src) {
					h2, ok2 = hexDigit(l.src[l.pos+2])
				}
				if !ok1 || !ok2 {
					return "", l.errorf(eline, ecol, "malformed string escape")
				}
				out = append(out, h1<<4|h2)
				l.advance(3)
			}
		case c < 0x80:
			out = append(out, c)
			l.advance(1)
		default:
			r, size := utf8.DecodeRune(l.src[l.pos:])
			if r == utf8.RuneError && size <= 1 {
				return "", l.errorf(l.line, l.col, "malformed UTF-8 encoding")
			}
			out = append(out, l.src[l.pos:l.pos+size]...)
			l.pos += size
			l.col++
		}
	}
}

func isHex(c byte) bool { _, ok := hexDigit(c); return ok }

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

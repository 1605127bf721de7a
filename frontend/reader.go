package frontend

import (
	"fmt"
	"math"
	"unicode/utf8"

	"wfxc/internal/leb128"
)

// Error is a decode or validation error at a byte offset of the module.
type Error struct {
	Offset int
	Msg    string
}

func (e *Error) Error() string { return fmt.Sprintf("0x%x: %s", e.Offset, e.Msg) }

// Reader reads the primitive encodings of the binary format from a byte
// slice. Base is the module offset of Buf[0], so errors carry module
// offsets. Every read that fails returns an *Error; none panics.
type Reader struct {
	Buf  []byte
	Pos  int
	Base int
}

// Offset is the module offset of the next byte.
func (r *Reader) Offset() int { return r.Base + r.Pos }

// EOF reports whether all bytes were read.
func (r *Reader) EOF() bool { return r.Pos >= len(r.Buf) }

// Errorf returns an *Error at the current offset.
func (r *Reader) Errorf(format string, args ...any) error {
	return &Error{Offset: r.Offset(), Msg: fmt.Sprintf(format, args...)}
}

// Byte reads one byte.
func (r *Reader) Byte() (byte, error) {
	if r.Pos >= len(r.Buf) {
		return 0, r.Errorf("unexpected end")
	}
	b := r.Buf[r.Pos]
	r.Pos++
	return b, nil
}

// Bytes reads n bytes.
func (r *Reader) Bytes(n int) ([]byte, error) {
	if n < 0 || n > len(r.Buf)-r.Pos {
		return nil, r.Errorf("unexpected end")
	}
	b := r.Buf[r.Pos : r.Pos+n]
	r.Pos += n
	return b, nil
}

// uleb reads an unsigned LEB128 of at most bits bits.
func (r *Reader) uleb(bits uint) (uint64, error) {
	if r.Pos >= len(r.Buf) {
		return 0, r.Errorf("unexpected end")
	}
	v, n, err := leb128.Uint(r.Buf[r.Pos:], bits)
	r.Pos += n
	if err != nil {
		return 0, r.Errorf("%s", err)
	}
	return v, nil
}

// sleb reads a signed LEB128 of at most bits bits.
func (r *Reader) sleb(bits uint) (int64, error) {
	if r.Pos >= len(r.Buf) {
		return 0, r.Errorf("unexpected end")
	}
	v, n, err := leb128.Int(r.Buf[r.Pos:], bits)
	r.Pos += n
	if err != nil {
		return 0, r.Errorf("%s", err)
	}
	return v, nil
}

// U32 reads an unsigned 32-bit LEB128.
func (r *Reader) U32() (uint32, error) {
	v, err := r.uleb(32)
	return uint32(v), err
}

// U64 reads an unsigned 64-bit LEB128.
func (r *Reader) U64() (uint64, error) { return r.uleb(64) }

// S32 reads a signed 32-bit LEB128.
func (r *Reader) S32() (int32, error) {
	v, err := r.sleb(32)
	return int32(v), err
}

// S33 reads a signed 33-bit LEB128 (block types, heap types).
func (r *Reader) S33() (int64, error) { return r.sleb(33) }

// S64 reads a signed 64-bit LEB128.
func (r *Reader) S64() (int64, error) { return r.sleb(64) }

// F32 reads a little-endian f32 and returns its bits.
func (r *Reader) F32() (uint32, error) {
	b, err := r.Bytes(4)
	if err != nil {
		return 0, err
	}
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24, nil
}

// F64 reads a little-endian f64 and returns its bits.
func (r *Reader) F64() (uint64, error) {
	b, err := r.Bytes(8)
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, nil
}

// Name reads a length-prefixed UTF-8 name.
func (r *Reader) Name() (string, error) {
	n, err := r.U32()
	if err != nil {
		return "", err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return "", r.Errorf("unexpected end")
	}
	b, _ := r.Bytes(int(n))
	if !utf8.Valid(b) {
		return "", r.Errorf("malformed UTF-8 encoding")
	}
	return string(b), nil
}

// F32FromBits and F64FromBits are re-exported for translators.
var (
	F32FromBits = math.Float32frombits
	F64FromBits = math.Float64frombits
)

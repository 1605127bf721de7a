// Package leb128 encodes and decodes LEB128, the variable-length integers of
// the WebAssembly binary format
// (https://webassembly.github.io/spec/core/binary/values.html#integers) and
// of DWARF and .eh_frame (DWARF 5 §7.6). It is the one implementation the
// decoder, the encoders, the text-format assembler, the object writer and
// the runtime share.
//
// Decoding follows the spec's rules for an N-bit integer: at most ⌈N/7⌉
// bytes, and in the last permitted byte the bits beyond N must be zero
// (unsigned) or a sign extension (signed). A longer encoding is "integer
// representation too long"; one whose spare bits are wrong is "integer too
// large". Encoding is always of minimal length.
//
//	AppendUint(nil, 624485) = e5 8e 26
//	AppendInt(nil, -123456) = c0 bb 78
//	Uint([]byte{0x80, 0x80, 0x80, 0x80, 0x10}, 32) → ErrTooLarge (bit 32 set)
//	Uint([]byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32) → ErrTooLong (6 bytes)
package leb128

import "errors"

// Decoding errors, in the wording of the spec interpreter (spec tests match
// on it).
var (
	ErrUnexpectedEnd = errors.New("unexpected end")
	ErrTooLong       = errors.New("integer representation too long")
	ErrTooLarge      = errors.New("integer too large")
)

// AppendUint appends v as an unsigned LEB128 of minimal length.
func AppendUint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// AppendInt appends v as a signed LEB128 of minimal length.
func AppendInt(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// Uint decodes an unsigned LEB128 of at most bits bits (1 to 64) from the
// start of b. It returns the value and the number of bytes read; on error, n
// counts the bytes up to and including the wrong one (all of b for
// ErrUnexpectedEnd).
func Uint(b []byte, bits uint) (v uint64, n int, err error) {
	for shift := uint(0); ; shift += 7 {
		if n >= len(b) {
			return 0, n, ErrUnexpectedEnd
		}
		c := b[n]
		n++
		if shift+7 >= bits {
			// The last permitted byte: no continuation, no bits beyond bits.
			if c&0x80 != 0 {
				return 0, n, ErrTooLong
			}
			if rem := bits - shift; rem < 7 && c>>rem != 0 {
				return 0, n, ErrTooLarge
			}
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v, n, nil
		}
	}
}

// Int decodes a signed LEB128 of at most bits bits (1 to 64) from the start
// of b and returns it sign-extended to 64 bits. The byte count and errors are
// as for Uint.
func Int(b []byte, bits uint) (v int64, n int, err error) {
	for shift := uint(0); ; {
		if n >= len(b) {
			return 0, n, ErrUnexpectedEnd
		}
		c := b[n]
		n++
		if shift+7 >= bits {
			// The last permitted byte: no continuation, and the bits beyond
			// bits repeat the sign bit.
			if c&0x80 != 0 {
				return 0, n, ErrTooLong
			}
			if rem := bits - shift; rem < 7 { // value bits in this byte
				top := int8(c<<1) >> rem // bits rem-1..6 of c, sign-extended
				if top != 0 && top != -1 {
					return 0, n, ErrTooLarge
				}
			}
		}
		v |= int64(c&0x7f) << shift
		shift += 7
		if c&0x80 == 0 {
			if shift < 64 && c&0x40 != 0 {
				v |= -1 << shift
			}
			return v, n, nil
		}
	}
}

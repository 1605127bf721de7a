package leb128

import (
	"bytes"
	"math"
	"testing"
)

// hex is a test helper: bytes from a list.
func hex(b ...byte) []byte { return b }

// TestUint covers the valid and malformed u32/u64 encodings of the spec's
// binary-leb128.wast and the truncated cases.
func TestUint(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		bits uint
		want uint64
		n    int
		err  error
	}{
		{"zero", hex(0x00), 32, 0, 1, nil},
		{"one byte max", hex(0x7f), 32, 127, 1, nil},
		{"wikipedia", hex(0xe5, 0x8e, 0x26), 32, 624485, 3, nil},
		{"u32 max", hex(0xff, 0xff, 0xff, 0xff, 0x0f), 32, math.MaxUint32, 5, nil},
		{"u32 padded", hex(0x82, 0x80, 0x80, 0x80, 0x00), 32, 2, 5, nil},
		{"trailing bytes ignored", hex(0x01, 0x80), 32, 1, 1, nil},
		{"u32 six bytes", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 32, 0, 5, ErrTooLong},
		{"u32 bit 32 set", hex(0x80, 0x80, 0x80, 0x80, 0x10), 32, 0, 5, ErrTooLarge},
		{"u32 top bits", hex(0x82, 0x80, 0x80, 0x80, 0x70), 32, 0, 5, ErrTooLarge},
		{"u32 0x1f", hex(0xff, 0xff, 0xff, 0xff, 0x1f), 32, 0, 5, ErrTooLarge},
		{"u64 max", hex(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 64, math.MaxUint64, 10, nil},
		{"u64 padded", hex(0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 64, 2, 10, nil},
		{"u64 eleven bytes", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 64, 0, 10, ErrTooLong},
		{"u64 bit 64 set", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02), 64, 0, 10, ErrTooLarge},
		{"u64 top bits", hex(0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e), 64, 0, 10, ErrTooLarge},
		{"empty", nil, 32, 0, 0, ErrUnexpectedEnd},
		{"truncated", hex(0x80), 32, 0, 1, ErrUnexpectedEnd},
		{"truncated at the limit", hex(0x80, 0x80, 0x80, 0x80), 32, 0, 4, ErrUnexpectedEnd},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, n, err := Uint(tc.in, tc.bits)
			if v != tc.want || n != tc.n || err != tc.err {
				t.Errorf("Uint(% x, %d) = %#x, %d, %v; want %#x, %d, %v", tc.in, tc.bits, v, n, err, tc.want, tc.n, tc.err)
			}
		})
	}
}

// TestInt covers the valid and malformed s32/s33/s64 encodings of the
// spec's binary-leb128.wast and the truncated cases.
func TestInt(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		bits uint
		want int64
		n    int
		err  error
	}{
		{"zero", hex(0x00), 32, 0, 1, nil},
		{"minus one", hex(0x7f), 32, -1, 1, nil},
		{"64 is two bytes", hex(0xc0, 0x00), 32, 64, 2, nil},
		{"minus 64", hex(0x40), 32, -64, 1, nil},
		{"wikipedia", hex(0xc0, 0xbb, 0x78), 32, -123456, 3, nil},
		{"s32 max", hex(0xff, 0xff, 0xff, 0xff, 0x07), 32, math.MaxInt32, 5, nil},
		{"s32 min", hex(0x80, 0x80, 0x80, 0x80, 0x78), 32, math.MinInt32, 5, nil},
		{"s32 padded minus one", hex(0xff, 0xff, 0xff, 0xff, 0x7f), 32, -1, 5, nil},
		{"s32 six bytes", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 32, 0, 5, ErrTooLong},
		{"s32 six bytes negative", hex(0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), 32, 0, 5, ErrTooLong},
		{"s32 0x0f", hex(0xff, 0xff, 0xff, 0xff, 0x0f), 32, 0, 5, ErrTooLarge},
		{"s32 0x70", hex(0x80, 0x80, 0x80, 0x80, 0x70), 32, 0, 5, ErrTooLarge},
		{"s32 0x1f", hex(0xff, 0xff, 0xff, 0xff, 0x1f), 32, 0, 5, ErrTooLarge},
		{"s33 type index", hex(0xff, 0xff, 0xff, 0xff, 0x0f), 33, math.MaxUint32, 5, nil},
		{"s33 min", hex(0x80, 0x80, 0x80, 0x80, 0x70), 33, -1 << 32, 5, nil},
		{"s33 0x1f", hex(0xff, 0xff, 0xff, 0xff, 0x1f), 33, 0, 5, ErrTooLarge},
		{"s33 0x60", hex(0x80, 0x80, 0x80, 0x80, 0x60), 33, 0, 5, ErrTooLarge},
		{"s64 max", hex(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00), 64, math.MaxInt64, 10, nil},
		{"s64 min", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f), 64, math.MinInt64, 10, nil},
		{"s64 eleven bytes", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), 64, 0, 10, ErrTooLong},
		{"s64 0x01", hex(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), 64, 0, 10, ErrTooLarge},
		{"s64 0x7e", hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7e), 64, 0, 10, ErrTooLarge},
		{"empty", nil, 64, 0, 0, ErrUnexpectedEnd},
		{"truncated", hex(0xff, 0xff), 64, 0, 2, ErrUnexpectedEnd},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, n, err := Int(tc.in, tc.bits)
			if v != tc.want || n != tc.n || err != tc.err {
				t.Errorf("Int(% x, %d) = %d, %d, %v; want %d, %d, %v", tc.in, tc.bits, v, n, err, tc.want, tc.n, tc.err)
			}
		})
	}
}

// edges are values around every 7-bit group boundary and the type limits.
func edges() []uint64 {
	vs := []uint64{0, 1, math.MaxUint32, math.MaxUint64, math.MaxInt64, 1 << 63}
	for s := 6; s < 64; s++ {
		vs = append(vs, 1<<s-1, 1<<s, 1<<s+1)
	}
	return vs
}

// TestAppend_roundTrip decodes what Append* encode and checks the length is
// minimal: ⌈significant bits / 7⌉ bytes.
func TestAppend_roundTrip(t *testing.T) {
	for _, u := range edges() {
		b := AppendUint([]byte{0xaa}, u)[1:]
		sig := 1
		for x := u >> 7; x != 0; x >>= 7 {
			sig++
		}
		if len(b) != sig {
			t.Errorf("AppendUint(%#x) = % x, want %d bytes", u, b, sig)
		}
		if v, n, err := Uint(b, 64); v != u || n != len(b) || err != nil {
			t.Errorf("Uint(AppendUint(%#x)) = %#x, %d, %v", u, v, n, err)
		}
		for _, s := range []int64{int64(u), -int64(u)} {
			b := AppendInt(nil, s)
			// Minimal: dropping the last byte's continuation leaves a
			// different value, i.e. the last two bytes are not redundant.
			if len(b) > 1 {
				last, prev := b[len(b)-1], b[len(b)-2]
				if last == 0x00 && prev&0x40 == 0 || last == 0x7f && prev&0x40 != 0 {
					t.Errorf("AppendInt(%d) = % x is not minimal", s, b)
				}
			}
			if v, n, err := Int(b, 64); v != s || n != len(b) || err != nil {
				t.Errorf("Int(AppendInt(%d)) = %d, %d, %v", s, v, n, err)
			}
			if s == int64(int32(s)) {
				if v, _, err := Int(b, 32); v != s || err != nil {
					t.Errorf("Int(AppendInt(%d), 32) = %d, %v", s, v, err)
				}
			}
		}
	}
}

// FuzzDecode checks that decoding never reads past a malformed or
// truncated prefix and that every accepted value fits its width and
// re-encodes to at most the bytes it was read from.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{0xe5, 0x8e, 0x26}, uint8(32))
	f.Add([]byte{0x80, 0x80, 0x80, 0x80, 0x70}, uint8(33))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, uint8(64))
	f.Fuzz(func(t *testing.T, b []byte, w uint8) {
		bits := uint(w%64) + 1
		if v, n, err := Uint(b, bits); err == nil {
			if bits < 64 && v>>bits != 0 {
				t.Fatalf("Uint(% x, %d) = %#x does not fit", b, bits, v)
			}
			if e := AppendUint(nil, v); len(e) > n || !bytes.Equal(e, b[:len(e)]) && len(e) == n {
				t.Fatalf("Uint(% x, %d) = %#x, %d; re-encoded % x", b, bits, v, n, e)
			}
		} else if n > len(b) || n > int(bits+6)/7 {
			t.Fatalf("Uint(% x, %d) read %d bytes before %v", b, bits, n, err)
		}
		if v, n, err := Int(b, bits); err == nil {
			if bits < 64 && (v >= 1<<(bits-1) || v < -1<<(bits-1)) {
				t.Fatalf("Int(% x, %d) = %d does not fit", b, bits, v)
			}
			if e := AppendInt(nil, v); len(e) > n {
				t.Fatalf("Int(% x, %d) = %d, %d; re-encoded % x", b, bits, v, n, e)
			}
		} else if n > len(b) || n > int(bits+6)/7 {
			t.Fatalf("Int(% x, %d) read %d bytes before %v", b, bits, n, err)
		}
	})
}

// TestAppendInt checks the sign-bit edge cases of signed encoding.
func TestAppendInt(t *testing.T) {
	tests := []struct {
		v    int64
		want []byte
	}{
		{0, hex(0x00)}, {63, hex(0x3f)}, {64, hex(0xc0, 0x00)}, {-1, hex(0x7f)},
		{-64, hex(0x40)}, {-65, hex(0xbf, 0x7f)}, {-0x10, hex(0x70)},
		{math.MinInt64, hex(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f)},
	}
	for _, tc := range tests {
		if got := AppendInt(nil, tc.v); !bytes.Equal(got, tc.want) {
			t.Errorf("AppendInt(%d) = % x, want % x", tc.v, got, tc.want)
		}
	}
}

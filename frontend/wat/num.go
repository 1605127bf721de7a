package wat

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// Numeric literals of the text format
// (https://webassembly.github.io/spec/core/text/values.html): decimal and
// hexadecimal integers and floats with optional '_' between digits, inf,
// nan and nan:0x… payloads. Float rounding is delegated to strconv, which
// rounds decimal and hexadecimal input correctly to the requested size.

var errRange = errors.New("constant out of range")
var errNumber = errors.New("unknown operator (malformed number)")

// scanDigits checks a run of digits (hex or decimal) starting at i, with
// '_' only between digits, and returns the index after it.
func scanDigits(s string, i int, hex bool) (int, bool) {
	start := i
	for i < len(s) {
		c := s[i]
		if c >= '0' && c <= '9' || hex && isHex(c) {
			i++
			continue
		}
		if c == '_' && i > start && i+1 < len(s) {
			n := s[i+1]
			if n >= '0' && n <= '9' || hex && isHex(n) {
				i++
				continue
			}
		}
		break
	}
	return i, i > start
}

// parseNat parses an unsigned integer (no sign) of at most bits bits.
func parseNat(s string, bits uint) (uint64, error) {
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, errNumber
	}
	return parseMag(s, bits)
}

// parseMag parses the magnitude of an unsigned literal.
func parseMag(s string, bits uint) (uint64, error) {
	hex := strings.HasPrefix(s, "0x")
	body := s
	base := uint64(10)
	if hex {
		body = s[2:]
		base = 16
	}
	end, ok := scanDigits(body, 0, hex)
	if !ok || end != len(body) {
		return 0, errNumber
	}
	var v uint64
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '_' {
			continue
		}
		d, _ := hexDigit(c)
		hi, lo := mul64(v, base)
		if hi != 0 {
			return 0, errRange
		}
		nv := lo + uint64(d)
		if nv < lo {
			return 0, errRange
		}
		v = nv
	}
	if bits < 64 && v >= 1<<bits {
		return 0, errRange
	}
	return v, nil
}

func mul64(a, b uint64) (hi, lo uint64) {
	const mask32 = 1<<32 - 1
	a0, a1 := a&mask32, a>>32
	b0, b1 := b&mask32, b>>32
	w0 := a0 * b0
	t := a1*b0 + w0>>32
	w1 := t & mask32
	w2 := t >> 32
	w1 += a0 * b1
	hi = a1*b1 + w2 + w1>>32
	lo = a * b
	return
}

// parseInt parses a signed or unsigned integer literal of bits bits and
// returns its two's-complement bit pattern.
func parseInt(s string, bits uint) (uint64, error) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, errNumber
	}
	v, err := parseMag(s, 64)
	if err != nil {
		return 0, err
	}
	if neg {
		if v > 1<<(bits-1) {
			return 0, errRange
		}
		v = -v
		if bits < 64 {
			v &= 1<<bits - 1
		}
		return v, nil
	}
	if bits < 64 && v >= 1<<bits {
		return 0, errRange
	}
	return v, nil
}

// parseFloat parses a float literal into the bit pattern of an IEEE value
// with bits = 32 or 64.
func parseFloat(s string, bits int) (uint64, error) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var signBit uint64 = 1 << 63
	mantBits := 52
	if bits == 32 {
		signBit = 1 << 31
		mantBits = 23
	}
	expMask := (signBit - 1) &^ (1<<mantBits - 1)
	sign := uint64(0)
	if neg {
		sign = signBit
	}
	switch {
	case s == "inf":
		return sign | expMask, nil
	case s == "nan":
		return sign | expMask | 1<<(mantBits-1), nil
	case strings.HasPrefix(s, "nan:0x"):
		p, err := parseMag(s[4:], 64)
		if err != nil {
			return 0, errNumber
		}
		if p == 0 || p >= 1<<mantBits {
			return 0, errRange
		}
		return sign | expMask | p, nil
	}
	if s == "" {
		return 0, errNumber
	}
	hex := strings.HasPrefix(s, "0x")
	i := 0
	if hex {
		i = 2
	}
	i, ok := scanDigits(s, i, hex)
	if !ok {
		return 0, errNumber
	}
	if i < len(s) && s[i] == '.' {
		i++
		if j, ok := scanDigits(s, i, hex); ok {
			i = j
		}
	}
	hasExp := false
	if i < len(s) && (hex && (s[i] == 'p' || s[i] == 'P') || !hex && (s[i] == 'e' || s[i] == 'E')) {
		hasExp = true
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i, ok = scanDigits(s, i, false); !ok {
			return 0, errNumber
		}
	}
	if i != len(s) {
		return 0, errNumber
	}
	clean := strings.ReplaceAll(s, "_", "")
	if hex && !hasExp {
		clean += "p0"
	}
	if neg {
		clean = "-" + clean
	}
	f, err := strconv.ParseFloat(clean, bits)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange && (math.IsInf(f, 0)) {
			return 0, errRange
		}
		if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
			return 0, errNumber
		}
	}
	if bits == 32 {
		return uint64(math.Float32bits(float32(f))), nil
	}
	return math.Float64bits(f), nil
}

// isNumberStart reports whether an atom looks like a number literal.
func isNumberStart(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c == '+' || c == '-' {
		if len(s) == 1 {
			return false
		}
		c = s[1]
		if c == 'i' || c == 'n' {
			return true // inf, nan
		}
	}
	return c >= '0' && c <= '9' || s == "inf" || s == "nan" || strings.HasPrefix(s, "nan:")
}

// quoteInt is strconv.FormatUint, used in messages.
func quoteInt(v uint64) string { return strconv.FormatUint(v, 10) }

package wat

// ParseInt parses an integer literal of the text format (decimal or 0x
// hexadecimal, signed or unsigned, '_' between digits) of bits = 32 or 64
// bits and returns its two's-complement bit pattern.
func ParseInt(s string, bits uint) (uint64, error) { return parseInt(s, bits) }

// ParseFloat parses a float literal of the text format (decimal, 0x
// hexadecimal, inf, nan, nan:0x… with an optional sign) into the bit
// pattern of an IEEE value of bits = 32 or 64 bits.
func ParseFloat(s string, bits int) (uint64, error) { return parseFloat(s, bits) }

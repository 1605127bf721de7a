package aarch64

import (
	"encoding/binary"
	"fmt"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

// disasm returns one line per instruction: "off: text" in GNU syntax.
func disasm(code []byte) string {
	var sb strings.Builder
	for off := 0; off+4 <= len(code); off += 4 {
		inst, err := arm64asm.Decode(code[off:])
		if err != nil {
			fmt.Fprintf(&sb, "%#x: ?? %08x\n", off, binary.LittleEndian.Uint32(code[off:]))
			continue
		}
		fmt.Fprintf(&sb, "%#x: %s\n", off, inst.String())
	}
	return sb.String()
}

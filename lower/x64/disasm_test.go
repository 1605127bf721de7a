package x64

import (
	"fmt"
	"strings"

	"golang.org/x/arch/x86/x86asm"
)

// disasm returns one line per instruction: "off: text" in Intel syntax.
func disasm(code []byte) string {
	var sb strings.Builder
	for off := 0; off < len(code); {
		inst, err := x86asm.Decode(code[off:], 64)
		if err != nil || inst.Len == 0 {
			fmt.Fprintf(&sb, "%#x: ?? %x\n", off, code[off])
			off++
			continue
		}
		fmt.Fprintf(&sb, "%#x: %s\n", off, x86asm.IntelSyntax(inst, uint64(off), nil))
		off += inst.Len
	}
	return sb.String()
}

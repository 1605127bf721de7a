//go:build cgo

// Command wtdump writes the native code Wasmtime (wasmtime-go's prebuilt
// Cranelift) compiles for a module, as the ELF object its Serialize gives,
// so that `objdump -d` shows it beside wfxc's:
//
//	go run ./cmd/wtdump simdsrc/wasm/dotf32.wasm /tmp/wt.elf
//	objdump -d --no-show-raw-insn /tmp/wt.elf
package main

import (
	"fmt"
	"os"

	"github.com/bytecodealliance/wasmtime-go/v39"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: wtdump MODULE.wasm OUT.elf")
		os.Exit(2)
	}
	if err := dump(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "wtdump:", err)
		os.Exit(1)
	}
}

func dump(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	m, err := wasmtime.NewModule(wasmtime.NewEngine(), b)
	if err != nil {
		return err
	}
	s, err := m.Serialize()
	if err != nil {
		return err
	}
	return os.WriteFile(out, s, 0o644)
}

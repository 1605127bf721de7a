package rt

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
)

// TestGDBJIT_image: the image handed to gdb has .text at the code's
// address, the other allocated sections after it, no relocation sections
// left, and FDEs whose PC-relative initial locations point into the code.
func TestGDBJIT_image(t *testing.T) {
	bin, err := wat.ParseModule([]byte(`(module (func (export "f") (result i32) (i32.const 7)))`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(bin, compile.Options{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	f, err := elf.NewFile(bytes.NewReader(res.Object))
	if err != nil {
		t.Fatal(err)
	}
	textSec := 0
	for i, s := range f.Sections {
		if s.Name == ".text" {
			textSec = i
		}
	}
	const text = 0x7f12_3456_0000
	img := bytes.Clone(res.Object)
	if !layout(img, textSec, text) {
		t.Fatal("layout failed")
	}
	if err := relocate(img); err != nil {
		t.Fatal(err)
	}
	g, err := elf.NewFile(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	textSize := g.Sections[textSec].Size
	if a := g.Sections[textSec].Addr; a != text {
		t.Fatalf(".text at %#x, want %#x", a, text)
	}
	eh := g.Section(".eh_frame")
	if eh == nil || eh.Addr < text+textSize {
		t.Fatalf(".eh_frame %v not placed after .text", eh)
	}
	for _, s := range g.Sections {
		if s.Type == elf.SHT_RELA {
			t.Errorf("relocation section %s left", s.Name)
		}
	}
	data, err := eh.Data()
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	fdes := 0
	for off := uint64(0); off+8 <= uint64(len(data)); {
		n := uint64(le.Uint32(data[off:]))
		if n == 0 {
			break
		}
		if le.Uint32(data[off+4:]) != 0 { // an FDE: its initial location follows the CIE pointer
			loc := eh.Addr + off + 8 + uint64(int64(int32(le.Uint32(data[off+8:]))))
			if loc < text || loc >= text+textSize {
				t.Errorf("FDE at %#x starts at %#x, outside .text [%#x, %#x)", off, loc, text, text+textSize)
			}
			fdes++
		}
		off += 4 + n
	}
	if fdes == 0 {
		t.Error("no FDEs")
	}
}

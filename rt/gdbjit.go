package rt

// GDB's JIT interface
// (https://sourceware.org/gdb/current/onlinedocs/gdb.html/JIT-Interface.html):
// code that rt maps itself (LoadObject: wfxc run, wfxc build executables)
// is in no file gdb reads, so rt hands gdb the object in memory. gdb puts
// a breakpoint on __jit_debug_register_code and, when it is hit, reads
// __jit_debug_descriptor: the action and the entry concerned, each entry
// an in-memory ELF file. The object is wfxc's own relocatable object with
// the address of .text (sh_addr) set to where the code is mapped and the
// relocations of .eh_frame and .debug_* applied against it (gdb does not
// relocate .eh_frame itself), so symbols, unwinding and source lines work
// as for a linked program.
//
// Registration costs a copy of the object, so rt registers only when a
// debugger traces the process at load time (TracerPid in
// /proc/self/status); a debugger that attaches later sees the modules
// loaded after it.

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"runtime"
	"sync"
	_ "unsafe" // go:linkname
)

// gdbJITEntry is gdb's struct jit_code_entry.
type gdbJITEntry struct {
	next, prev  *gdbJITEntry
	symfile     *byte
	symfileSize uint64
}

// gdbJITDescriptor is gdb's struct jit_descriptor.
type gdbJITDescriptor struct {
	version  uint32
	action   uint32 // gdbJITNoAction, gdbJITRegister, gdbJITUnregister
	relevant *gdbJITEntry
	first    *gdbJITEntry
}

// Values of gdbJITDescriptor.action (gdb's jit_actions_t).
const (
	gdbJITNoAction = iota
	gdbJITRegister
	gdbJITUnregister
)

//go:linkname gdbJIT __jit_debug_descriptor
var gdbJIT = gdbJITDescriptor{version: 1}

var gdbJITMu sync.Mutex

// gdbJITRegisterCode is the function gdb breaks on; it must stay a call.
//
//go:linkname gdbJITRegisterCode __jit_debug_register_code
//go:noinline
func gdbJITRegisterCode() {}

// gdbRegister registers obj, whose .text is section textSec, with gdb
// when a debugger traces the process, with .text at address text; m's
// cleanup unregisters it.
func gdbRegister(m *Module, obj []byte, textSec int, text uintptr) {
	if !traced() {
		return
	}
	img := bytes.Clone(obj)
	if !layout(img, textSec, uint64(text)) || relocate(img) != nil {
		return
	}
	e := &gdbJITEntry{symfile: &img[0], symfileSize: uint64(len(img))}
	gdbJITMu.Lock()
	e.next = gdbJIT.first
	if e.next != nil {
		e.next.prev = e
	}
	gdbJIT.first = e
	gdbJIT.relevant, gdbJIT.action = e, gdbJITRegister
	gdbJITRegisterCode()
	gdbJIT.action = gdbJITNoAction
	gdbJITMu.Unlock()
	runtime.AddCleanup(m, gdbUnregister, e)
}

// gdbUnregister removes e from gdb's list.
func gdbUnregister(e *gdbJITEntry) {
	gdbJITMu.Lock()
	defer gdbJITMu.Unlock()
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		gdbJIT.first = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	}
	gdbJIT.relevant, gdbJIT.action = e, gdbJITUnregister
	gdbJITRegisterCode()
	gdbJIT.action, gdbJIT.relevant = gdbJITNoAction, nil
}

// layout sets the addresses (sh_addr) of the sections of the ELF64
// little-endian image img that occupy memory: section textSec at text and
// the others after it, in order and aligned, so that .eh_frame's 32-bit
// PC-relative pointers reach .text and no two sections overlap. (Only
// .text is really there; gdb reads the others from the image.)
func layout(img []byte, textSec int, text uint64) bool {
	if len(img) < 64 || img[elf.EI_CLASS] != byte(elf.ELFCLASS64) || img[elf.EI_DATA] != byte(elf.ELFDATA2LSB) {
		return false
	}
	le := binary.LittleEndian
	shoff, shentsize, shnum := le.Uint64(img[0x28:]), uint64(le.Uint16(img[0x3a:])), uint64(le.Uint16(img[0x3c:]))
	if textSec <= 0 || uint64(textSec) >= shnum || shentsize < 64 || shoff+shnum*shentsize > uint64(len(img)) {
		return false
	}
	hdr := func(i uint64) []byte { return img[shoff+i*shentsize:] }
	le.PutUint64(hdr(uint64(textSec))[0x10:], text)
	next := text + le.Uint64(hdr(uint64(textSec))[0x20:]) // + sh_size
	for i := uint64(1); i < shnum; i++ {
		h := hdr(i)
		if i == uint64(textSec) || elf.SectionFlag(le.Uint64(h[0x08:]))&elf.SHF_ALLOC == 0 {
			continue
		}
		if align := le.Uint64(h[0x30:]); align > 1 {
			next = (next + align - 1) &^ (align - 1)
		}
		le.PutUint64(h[0x10:], next)
		next += le.Uint64(h[0x20:])
	}
	return true
}

// relocate applies the relocations of the ELF image img in place, with
// every section at its sh_addr: the relocations of .eh_frame and .debug_*
// against section symbols that wfxc writes (absolute 32- and 64-bit and
// PC-relative 32-bit, on x86-64 and aarch64). It then turns the
// relocation sections into SHT_NULL ones, which readers skip.
func relocate(img []byte) error {
	f, err := elf.NewFile(bytes.NewReader(img))
	if err != nil {
		return err
	}
	syms, err := f.Symbols()
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	for _, rs := range f.Sections {
		if rs.Type != elf.SHT_RELA || int(rs.Info) >= len(f.Sections) {
			continue
		}
		target := f.Sections[rs.Info]
		data, err := rs.Data()
		if err != nil {
			return err
		}
		for ; len(data) >= 24; data = data[24:] {
			off, info, addend := le.Uint64(data), le.Uint64(data[8:]), int64(le.Uint64(data[16:]))
			si := int(info>>32) - 1 // Symbols omits the null symbol
			if si < 0 || si >= len(syms) || int(syms[si].Section) >= len(f.Sections) || off+8 > target.Size {
				return fmt.Errorf("bad relocation in %s", rs.Name)
			}
			sv := f.Sections[syms[si].Section].Addr + syms[si].Value
			v, p := uint64(int64(sv)+addend), target.Offset+off
			if p+8 > uint64(len(img)) {
				return fmt.Errorf("relocation outside the image in %s", rs.Name)
			}
			switch t := uint32(info); {
			case f.Machine == elf.EM_X86_64 && t == uint32(elf.R_X86_64_64), f.Machine == elf.EM_AARCH64 && t == uint32(elf.R_AARCH64_ABS64):
				le.PutUint64(img[p:], v)
			case f.Machine == elf.EM_X86_64 && t == uint32(elf.R_X86_64_32), f.Machine == elf.EM_AARCH64 && t == uint32(elf.R_AARCH64_ABS32):
				le.PutUint32(img[p:], uint32(v))
			case f.Machine == elf.EM_X86_64 && t == uint32(elf.R_X86_64_PC32), f.Machine == elf.EM_AARCH64 && t == uint32(elf.R_AARCH64_PREL32):
				le.PutUint32(img[p:], uint32(v-(target.Addr+off)))
			default:
				return fmt.Errorf("relocation type %d in %s", t, rs.Name)
			}
		}
	}
	shoff, shentsize := le.Uint64(img[0x28:]), uint64(le.Uint16(img[0x3a:]))
	for i, rs := range f.Sections {
		if rs.Type == elf.SHT_RELA {
			le.PutUint32(img[shoff+uint64(i)*shentsize+4:], uint32(elf.SHT_NULL)) // sh_type
		}
	}
	return nil
}

// traced reports whether a debugger (ptrace) traces this process.
func traced() bool {
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return false
	}
	i := bytes.Index(st, []byte("\nTracerPid:"))
	if i < 0 {
		return false
	}
	f := bytes.Fields(st[i+len("\nTracerPid:"):])
	return len(f) > 0 && string(f[0]) != "0"
}

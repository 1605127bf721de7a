// Package rttest builds a hand-written test module for rt's tests. Until
// the compiler exists, rt's tests run code assembled here with GNU as: the
// trampolines follow rt/abi exactly (enter/resume/exit as DESIGN.md §3
// describes them) and the "wasm" functions use the wasm calling convention
// (RDI = vmctx, R15 = ectx, frame records everywhere), so the runtime sees
// what generated code does. The module is named "t"; it imports env.host
// (i64) -> i64 and exports the functions listed in Funcs.
package rttest

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"wfxc/rt/abi"
)

// Test module layout: I64 is the i64 value type, Types the module's
// types, Layout its vmctx layout.
var (
	I64 = abi.ValType(0x7E)

	Types = []abi.FuncType{
		{Params: []abi.ValType{I64, I64}, Results: []abi.ValType{I64}}, // 0
		{Params: []abi.ValType{I64}, Results: []abi.ValType{I64}},      // 1
		{Results: []abi.ValType{I64}},                                  // 2
		{Params: []abi.ValType{I64}},                                   // 3: the tag's type
	}
	Layout = abi.Layout(abi.VMCtxCounts{Memories: 1, Globals: 1, ImportedFuncs: 1, Types: 4})
)

// Funcs lists the test functions: label, type, name.
var Funcs = []struct {
	label string
	typ   uint32
	name  string
}{
	{"stub0", 1, "host"}, // imported env.host
	{"f_add", 0, "add"},
	{"f_callimp", 1, "callimp"},
	{"f_outer", 2, "outer"},
	{"f_inner", 2, ""},
	{"f_yield", 2, "yield"},
	{"f_grow", 1, "grow"},
	{"f_load", 1, "load"},
	{"f_global", 2, "global"},
	{"f_spin", 2, "spin"},
	{"f_throw", 1, "throw"},
	{"f_try", 1, "try"},
	{"f_trytag", 1, "trytag"},
	{"f_tryhost", 1, "tryhost"},
	{"f_rethrow", 1, "rethrow"},
}

const tAsm = `
.intel_syntax noprefix
.text
.globl wfx_t_text
wfx_t_text:
enter:                       # enter(ectx, fn, vmctx, args), SysV (as lower/x64)
	push rbp
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi+{{HostSP}}], rsp
	mov r15, rdi
	mov rsp, [r15+{{StackTop}}]
	xor ebp, ebp             # the frame chain ends here
	mov rax, rsi
	mov rdi, rdx
	mov rsi, rcx
	call rax
	mov rsp, [r15+{{HostSP}}]
	mov eax, {{ExitDone}}
	jmp back
exit_routine:                # called by stubs; ExitCode is already set
	push rbp                 # native save area: R14 R13 R12 RBX RBP ret
	push rbx
	push r12
	push r13
	push r14
	mov [r15+{{NativeSP}}], rsp
	mov rsp, [r15+{{HostSP}}]
	mov rax, [r15+{{ExitCode}}]
back:
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
resume:                      # resume(ectx), SysV
	push rbp
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi+{{HostSP}}], rsp
	mov r15, rdi
	mov rsp, [r15+{{NativeSP}}]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

stub0:                       # host-call stub of import 0: (i64) -> i64
	push rbp
	mov rbp, rsp
	sub rsp, 16
	mov [rsp], rsi
	mov [r15+{{ExitArgs}}], rsp
	mov qword ptr [r15+{{ExitArg}}], 0
	mov [r15+{{ExitVMCtx}}], rdi
	mov qword ptr [r15+{{ExitCode}}], {{ExitHostCall}}
	call exit_routine
	mov rax, [rsp]
	leave
	ret
stub0_end:

f_add:
	push rbp
	mov rbp, rsp
	lea rax, [rsi+rdx]
	pop rbp
	ret
f_add_end:

f_callimp:                   # import0(x+1) * 2
	push rbp
	mov rbp, rsp
	lea rsi, [rsi+1]
	mov rax, [rdi+{{ImpCode}}]
	mov rdi, [rdi+{{ImpVMCtx}}]
	call rax
	add rax, rax
	pop rbp
	ret
f_callimp_end:

f_outer:
	push rbp
	mov rbp, rsp
	call f_inner
ret_site:
	pop rbp
	ret
f_outer_end:

f_inner:
	push rbp
	mov rbp, rsp
trap_site:
	lea rax, [rip+trap_site]
	mov [r15+{{TrapPC}}], rax
	mov [r15+{{TrapFP}}], rbp
	mov qword ptr [r15+{{ExitArg}}], {{TrapUnreachable}}
	mov qword ptr [r15+{{ExitCode}}], {{ExitTrap}}
	call exit_routine
	ud2
f_inner_end:

f_yield:
	push rbp
	mov rbp, rsp
	mov qword ptr [r15+{{ExitCode}}], {{ExitYield}}
	call exit_routine
	mov eax, 7
	pop rbp
	ret
f_yield_end:

f_grow:                      # memory.grow(0, delta)
	push rbp
	mov rbp, rsp
	sub rsp, 16
	mov qword ptr [rsp], 0
	mov [rsp+8], rsi
	mov [r15+{{ExitArgs}}], rsp
	mov qword ptr [r15+{{ExitArg}}], {{LibcallMemoryGrow}}
	mov [r15+{{ExitVMCtx}}], rdi
	mov qword ptr [r15+{{ExitCode}}], {{ExitLibcall}}
	call exit_routine
	mov rax, [rsp]
	leave
	ret
f_grow_end:

f_load:                      # i32.load (memory 0) at addr, bounds-checked
	push rbp
	mov rbp, rsp
	lea rcx, [rsi+4]
	cmp rcx, [rdi+{{MemLen}}]
	ja 1f
	mov rcx, [rdi+{{MemBase}}]
	mov eax, [rcx+rsi]
	pop rbp
	ret
1:
load_trap:
	lea rax, [rip+load_trap]
	mov [r15+{{TrapPC}}], rax
	mov [r15+{{TrapFP}}], rbp
	mov qword ptr [r15+{{ExitArg}}], {{TrapMemoryOutOfBounds}}
	mov qword ptr [r15+{{ExitCode}}], {{ExitTrap}}
	call exit_routine
	ud2
f_load_end:

f_global:
	push rbp
	mov rbp, rsp
	mov rax, [rdi+{{Global0}}]
	pop rbp
	ret
f_global_end:

f_spin:                      # loop { poll }
	push rbp
	mov rbp, rsp
2:
	mov rax, [r15+{{G}}]
	mov rcx, {{StackPreempt}}
	cmp [rax+{{GStackguard0}}], rcx
	je 3f
	cmp qword ptr [r15+{{Interrupt}}], 0
	je 2b
3:
	mov qword ptr [r15+{{ExitCode}}], {{ExitYield}}
	call exit_routine
	jmp 2b
f_spin_end:

f_throw:                     # throw tag 0 (x)
	push rbp
	mov rbp, rsp
	sub rsp, 32
	mov [rsp], rsi
	mov qword ptr [rsp+8], 0
	lea rax, [rsp]
	mov [rsp+16], rax
	mov qword ptr [rsp+24], 1
	lea rax, [rsp+8]
	mov [r15+{{ExitArgs}}], rax
	mov qword ptr [r15+{{ExitArg}}], {{LibcallThrow}}
	mov [r15+{{ExitVMCtx}}], rdi
	mov qword ptr [r15+{{ExitCode}}], {{ExitLibcall}}
	call exit_routine
	ud2
f_throw_end:

f_try:                       # try { throw(x) } catch tag 0 (v) { v + 1000 }
	push rbp                 # try_table frame: every callee-saved register saved
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	sub rsp, 16
	mov [rbp-40], rdi
	call f_throw
try_ret:
	xor eax, eax
	lea rsp, [rbp-32]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
try_pad:
	mov rax, [r15+{{ExitArgs}}]
	mov rax, [rax]
	add rax, 1000
	lea rsp, [rbp-32]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
f_try_end:

f_trytag:                    # try { host(x) } catch tag 0 (v) { v + 1000 }
	push rbp                 # try_table frame: every callee-saved register saved
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	sub rsp, 16
	mov [rbp-40], rdi
	mov rax, [rdi+{{ImpCode}}]
	mov rdi, [rdi+{{ImpVMCtx}}]
	call rax
trytag_ret:
	lea rsp, [rbp-32]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
trytag_pad:
	mov rax, [r15+{{ExitArgs}}]
	mov rax, [rax]
	add rax, 1000
	lea rsp, [rbp-32]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
f_trytag_end:

f_tryhost:                   # try { host(x) } catch_all_ref (e) { e + 1<<40 }
	push rbp                 # try_table frame: every callee-saved register saved
	mov rbp, rsp
	push rbx
	push r12
	push r13
	push r14
	sub rsp, 16
	mov [rbp-40], rdi
	mov rax, [rdi+{{ImpCode}}]
	mov rdi, [rdi+{{ImpVMCtx}}]
	call rax
tryhost_ret:
	lea rsp, [rbp-32]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
tryhost_pad:
	mov rax, [r15+{{ExitArgs}}]
	mov rax, [rax]
	mov rcx, 0x10000000000
	add rax, rcx
	lea rsp, [rbp-32]
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
f_tryhost_end:

f_rethrow:                   # throw_ref (e)
	push rbp
	mov rbp, rsp
	sub rsp, 16
	mov [rsp], rsi
	mov [r15+{{ExitArgs}}], rsp
	mov qword ptr [r15+{{ExitArg}}], {{LibcallThrowRef}}
	mov [r15+{{ExitVMCtx}}], rdi
	mov qword ptr [r15+{{ExitCode}}], {{ExitLibcall}}
	call exit_routine
	ud2
f_rethrow_end:

# Array-call wrappers: wrapper(vmctx, args).
{{WRAPPERS}}
`

// wrapperAsm writes the array-call wrapper of a function with n params.
func wrapperAsm(label string, n int) string {
	regs := []string{"rsi", "rdx", "rcx", "r8"}
	var b strings.Builder
	fmt.Fprintf(&b, "w_%s:\n\tpush rbp\n\tmov rbp, rsp\n\tpush rbx\n\tpush rbx\n\tmov rbx, rsi\n", label)
	for i := n - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "\tmov %s, [rbx+%d]\n", regs[i], 8*i)
	}
	fmt.Fprintf(&b, "\tcall %s\n\tmov [rbx], rax\n\tpop rbx\n\tpop rbx\n\tpop rbp\n\tret\n", label)
	return b.String()
}

func tAsmSource(rodata string) string {
	r := map[string]any{
		"HostSP": abi.EctxHostSP, "NativeSP": abi.EctxNativeSP, "StackTop": abi.EctxStackTop,
		"ExitCode": abi.EctxExitCode, "ExitArg": abi.EctxExitArg, "ExitArgs": abi.EctxExitArgs,
		"ExitVMCtx": abi.EctxExitVMCtx, "TrapPC": abi.EctxTrapPC, "TrapFP": abi.EctxTrapFP,
		"G": abi.EctxG, "Interrupt": abi.EctxInterrupt,
		"GStackguard0": abi.GStackguard0, "StackPreempt": fmt.Sprintf("%#x", uint64(abi.StackPreempt)),
		"ExitHostCall": abi.ExitHostCall, "ExitTrap": abi.ExitTrap, "ExitYield": abi.ExitYield,
		"ExitLibcall": abi.ExitLibcall, "ExitDone": abi.ExitDone,
		"LibcallThrow": abi.LibcallThrow, "LibcallThrowRef": abi.LibcallThrowRef, "LibcallMemoryGrow": abi.LibcallMemoryGrow,
		"TrapUnreachable": abi.TrapUnreachable, "TrapMemoryOutOfBounds": abi.TrapMemoryOutOfBounds,
		"ImpCode": Layout.ImportedFuncCode(0), "ImpVMCtx": Layout.ImportedFuncVMCtx(0),
		"MemBase": Layout.MemoryBase(0), "MemLen": Layout.MemoryLen(0), "Global0": Layout.Global(0),
	}
	var w strings.Builder
	for _, f := range Funcs[1:] {
		w.WriteString(wrapperAsm(f.label, len(Types[f.typ].Params)))
	}
	r["WRAPPERS"] = w.String() + rodata
	s := tAsm
	for k, v := range r {
		s = strings.ReplaceAll(s, "{{"+k+"}}", fmt.Sprint(v))
	}
	return s
}

// Assemble runs GNU as on src (x86-64) and returns the object.
func Assemble(src string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "rttest")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "t.s"), filepath.Join(dir, "t.o")
	if err := os.WriteFile(in, []byte(src), 0o644); err != nil {
		return nil, err
	}
	if msg, err := exec.Command("as", "--64", "-o", out, in).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("as: %v\n%s", err, msg)
	}
	return os.ReadFile(out)
}

// Obj is the assembled test module: code, descriptor and the object with
// the descriptor embedded (for rt.LoadObject and host linking).
type Obj struct {
	Text []byte
	Desc *abi.Descriptor
	Obj  []byte
}

var (
	once   sync.Once
	built  *Obj
	errBld error
)

func symbolOffsets(obj []byte) (map[string]uint64, []byte, error) {
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		return nil, nil, err
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, nil, err
	}
	m := map[string]uint64{}
	for _, s := range syms {
		if int(s.Section) > 0 && int(s.Section) < len(f.Sections) && f.Sections[s.Section].Name == ".text" {
			m[s.Name] = s.Value
		}
	}
	text, err := f.Section(".text").Data()
	return m, text, err
}

// Build assembles the test module (once per process) twice: once to learn
// the code offsets, then with the encoded descriptor in .rodata.
func Build() (*Obj, error) {
	once.Do(func() {
		obj, err := Assemble(tAsmSource(""))
		if err != nil {
			errBld = err
			return
		}
		off, text, err := symbolOffsets(obj)
		if err != nil {
			errBld = err
			return
		}
		d := &abi.Descriptor{
			Version: abi.DescriptorVersion, Name: "t", Arch: "x86_64", Types: Types,
			Imports:  []abi.Import{{Module: "env", Name: "host", Kind: abi.ExternFunc, Index: 0}},
			Memories: []abi.Memory{{Min: 1, Max: 4, HasMax: true, PageLog2: 16}},
			Globals:  []abi.Global{{Type: I64, Mutable: true, Init: []byte{0x42, 42, 0x0B}}},
			Start:    -1,
			Data:     []abi.Data{{Mode: abi.SegActive, Offset: []byte{0x41, 16, 0x0B}, Bytes: []byte{1, 2, 3, 4}}},
			Layout:   Layout,
			EnterOff: uint32(off["enter"]),
			Resume:   uint32(off["resume"]),
		}
		for i, f := range Funcs {
			fn := abi.Func{
				Type: f.typ, Name: f.name, Code: uint32(off[f.label]),
				Size: uint32(off[f.label+"_end"] - off[f.label]), Wrapper: uint32(off["w_"+f.label]),
			}
			if i == 0 {
				fn.Imported, fn.Wrapper, fn.Name = true, abi.NoCode, ""
			} else if f.name != "" {
				d.Exports = append(d.Exports, abi.Export{Name: f.name, Kind: abi.ExternFunc, Index: uint32(i)})
			}
			d.Funcs = append(d.Funcs, fn)
		}
		d.Exports = append(d.Exports,
			abi.Export{Name: "mem", Kind: abi.ExternMemory, Index: 0},
			abi.Export{Name: "g", Kind: abi.ExternGlobal, Index: 0},
			abi.Export{Name: "inner", Kind: abi.ExternFunc, Index: 4})
		d.Tags = []abi.Tag{{Type: 3}}
		d.Exports = append(d.Exports, abi.Export{Name: "tag", Kind: abi.ExternTag, Index: 0})
		handler := func(ret, pad string, kind uint8) abi.Handler {
			return abi.Handler{RetOff: uint32(off[ret]), SPOff: 48, VMCtxOff: 40,
				Clauses: []abi.Catch{{Kind: kind, Tag: 0, Pad: uint32(off[pad])}}}
		}
		d.Handlers = []abi.Handler{
			handler("try_ret", "try_pad", abi.CatchTag),
			handler("trytag_ret", "trytag_pad", abi.CatchTag),
			handler("tryhost_ret", "tryhost_pad", abi.CatchAllRef),
		}
		d.Sites = []abi.Site{
			{CodeOff: uint32(off["ret_site"]), Func: 3, WasmOff: 0x30},
			{CodeOff: uint32(off["trap_site"]), Func: 4, WasmOff: 0x42},
			{CodeOff: uint32(off["load_trap"]), Func: 7, WasmOff: 0x50},
		}
		enc, err := d.Encode()
		if err != nil {
			errBld = err
			return
		}
		var ro strings.Builder
		ro.WriteString(".section .rodata\n.globl wfx_t_descriptor\nwfx_t_descriptor:\n")
		for _, c := range enc {
			fmt.Fprintf(&ro, ".byte %d\n", c)
		}
		var sz [8]byte
		binary.LittleEndian.PutUint64(sz[:], uint64(len(enc)))
		ro.WriteString(".globl wfx_t_descriptor_size\nwfx_t_descriptor_size:\n")
		for _, c := range sz {
			fmt.Fprintf(&ro, ".byte %d\n", c)
		}
		full, err := Assemble(tAsmSource(ro.String()))
		if err != nil {
			errBld = err
			return
		}
		built = &Obj{Text: text, Desc: d, Obj: full}
	})
	return built, errBld
}

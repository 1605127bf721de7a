package refexec

// Preparation of function bodies: each body is decoded once, with
// frontend.InstrReader, into a flat []instr. Block instructions learn the
// index of their `else` and `end`, so execution never scans for them; the
// function's final `end` becomes opFuncEnd. Immediates go into a, b, c as
// listed on instr; clause lists (br_table, try_table, resume) go into side
// tables of the function. Nothing is typed here: the module is validated.

import (
	"fmt"

	"wfxc/frontend"
)

// Internal opcodes: single-byte opcodes are themselves, 0xFC sub-opcodes
// are opMisc+sub.
const (
	opMisc    = 0x100
	opFuncEnd = 0x200 // the final end of a body: return
)

// instr is one prepared instruction. Immediates by opcode:
//
//   - block, loop: a = params, b = results, c = index of the end.
//   - if: a, b as block; c = end | else<<32 (else 0 when absent).
//   - try_table: a, b as block; c = end | catch list<<32.
//   - else: c = index of the end of its if.
//   - br, br_if, br_on_null, br_on_non_null: a = label depth;
//     br_table: a = label list.
//   - call, return_call, ref.func: a = function; call_indirect,
//     return_call_indirect: a = type, b = table.
//   - local.*, global.*, table.get/set/grow/size/fill, elem.drop,
//     data.drop, memory.size/grow/fill: a = index.
//   - loads, stores: a = memory, c = offset.
//   - consts: c = bits (i32 zero-extended).
//   - throw: a = tag, b = payload length.
//   - memory.init, table.init: a = segment, b = memory/table;
//     memory.copy, table.copy: a = destination, b = source.
//   - cont.bind: a = bound values. suspend: a = tag, b = payload length.
//     resume: a = arguments, b = handler list. resume_throw: a = tag,
//     b = handler list, c = payload length. resume_throw_ref: b = handler
//     list. switch: a = tag, b = arguments (without the continuation).
type instr struct {
	op uint16
	a  uint32
	b  uint32
	c  uint64
}

// fcode is a prepared function body.
type fcode struct {
	nparams, nresults int
	locals            int // declared locals, zero-initialised
	code              []instr
	brTables          [][]uint32
	catches           [][]frontend.Catch
	handlers          [][]frontend.Handler
}

// Module is a decoded and validated module with its bodies prepared.
type Module struct {
	m     *frontend.Module
	funcs []*fcode // defined functions
}

// Compile decodes, validates and prepares a binary module.
func Compile(wasm []byte) (*Module, error) {
	m, err := frontend.DecodeAndValidate(wasm)
	if err != nil {
		return nil, err
	}
	return NewModule(m)
}

// NewModule prepares a module that frontend.Validate accepted.
func NewModule(m *frontend.Module) (*Module, error) {
	mod := &Module{m: m, funcs: make([]*fcode, len(m.Codes))}
	for i := range m.Codes {
		fc, err := prepare(m, &m.Codes[i], &m.Types[m.Funcs[i]].Comp)
		if err != nil {
			return nil, err
		}
		mod.funcs[i] = fc
	}
	return mod, nil
}

// Frontend returns the decoded module.
func (m *Module) Frontend() *frontend.Module { return m.m }

func unsupported(format string, args ...any) error {
	return &UnsupportedError{Feature: fmt.Sprintf(format, args...)}
}

func prepare(m *frontend.Module, code *frontend.Code, typ *frontend.CompType) (*fcode, error) {
	fc := &fcode{nparams: len(typ.Params), nresults: len(typ.Results)}
	for _, t := range append(append([]frontend.ValType(nil), typ.Params...), typ.Results...) {
		if t.Code == frontend.CodeV128 {
			return nil, unsupported("v128")
		}
	}
	for _, l := range code.Locals {
		if l.Type.Code == frontend.CodeV128 {
			return nil, unsupported("v128")
		}
		fc.locals += int(l.Count)
	}
	var open []int // indices of the open block instructions
	r := frontend.NewInstrReader(code.Body, code.BodyOffset)
	for !r.EOF() {
		in, err := r.Next()
		if err != nil {
			return nil, err
		}
		pc := len(fc.code)
		ins := instr{op: uint16(in.Op), a: in.Idx[0], b: in.Idx[1]}
		switch in.Op {
		case frontend.OpBlock, frontend.OpLoop, frontend.OpIf, frontend.OpTryTable:
			p, res := frontend.BlockSig(m, in.Block)
			ins.a, ins.b = uint32(len(p)), uint32(len(res))
			for _, t := range append(append([]frontend.ValType(nil), p...), res...) {
				if t.Code == frontend.CodeV128 {
					return nil, unsupported("v128")
				}
			}
			if in.Op == frontend.OpTryTable {
				ins.c = uint64(len(fc.catches)) << 32
				fc.catches = append(fc.catches, append([]frontend.Catch(nil), in.Catches...))
			}
			open = append(open, pc)
		case frontend.OpElse:
			fc.code[open[len(open)-1]].c |= uint64(pc) << 32
		case frontend.OpEnd:
			if len(open) == 0 {
				ins.op = opFuncEnd
				break
			}
			blk := open[len(open)-1]
			open = open[:len(open)-1]
			b := &fc.code[blk]
			b.c |= uint64(pc)
			if b.op == frontend.OpIf {
				if e := b.c >> 32; e != 0 {
					fc.code[e].c = uint64(pc)
				}
			}
		case frontend.OpBrTable:
			ins.a = uint32(len(fc.brTables))
			fc.brTables = append(fc.brTables, append([]uint32(nil), in.Labels...))
		case frontend.OpI32Const:
			ins.c = uint64(uint32(in.Const))
		case frontend.OpI64Const, frontend.OpF32Const, frontend.OpF64Const:
			ins.c = in.Const
		case frontend.OpSelectT:
			for _, t := range in.Types {
				if t.Code == frontend.CodeV128 {
					return nil, unsupported("v128")
				}
			}
			ins.op = frontend.OpSelect
		case frontend.OpThrow, frontend.OpSuspend:
			ins.b = uint32(len(tagType(m, in.Idx[0]).Params))
		case frontend.OpContBind:
			n1 := len(contFunc(m, in.Idx[0]).Params)
			n2 := len(contFunc(m, in.Idx[1]).Params)
			ins.a = uint32(n1 - n2)
		case frontend.OpResume:
			ins.a = uint32(len(contFunc(m, in.Idx[0]).Params))
			ins.b = fc.addHandlers(in.Handlers)
		case frontend.OpResumeThrow:
			ins.a = in.Idx[1]
			ins.b = fc.addHandlers(in.Handlers)
			ins.c = uint64(len(tagType(m, in.Idx[1]).Params))
		case frontend.OpResumeThrowRef:
			ins.b = fc.addHandlers(in.Handlers)
		case frontend.OpSwitch:
			ins.a = in.Idx[1]
			ins.b = uint32(len(contFunc(m, in.Idx[0]).Params) - 1)
		case frontend.OpPrefixMisc:
			ins.op = opMisc + uint16(in.Sub)
		case frontend.OpPrefixGC:
			return nil, unsupported("GC instruction 0xFB %d", in.Sub)
		case frontend.OpPrefixSIMD:
			return nil, unsupported("SIMD instruction 0xFD %d", in.Sub)
		default:
			if in.Op >= frontend.OpI32Load && in.Op <= frontend.OpI64Store32 {
				ins.a, ins.c = in.Mem.Mem, in.Mem.Offset
			}
		}
		fc.code = append(fc.code, ins)
	}
	return fc, nil
}

func (fc *fcode) addHandlers(hs []frontend.Handler) uint32 {
	fc.handlers = append(fc.handlers, append([]frontend.Handler(nil), hs...))
	return uint32(len(fc.handlers) - 1)
}

// tagType returns the function type of tag t of a validated module.
func tagType(m *frontend.Module, t uint32) *frontend.CompType {
	return &m.Types[m.TagTypeIdx[t]].Comp
}

// contFunc returns the function type of continuation type ct.
func contFunc(m *frontend.Module, ct uint32) *frontend.CompType {
	return &m.Types[m.Types[ct].Comp.Cont].Comp
}

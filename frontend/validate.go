package frontend

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Module validation (Wasm 3.0 + stack switching): types, imports, the
// index spaces, constant expressions, segments, exports, start function,
// and every function body (validate_func.go). Errors are *Error with the
// byte offset of the offending entry or instruction and the reference
// interpreter's wording, because spec tests match on it.

type validator struct {
	m       *Module
	ti      typeInfo
	funcs   []uint32 // type index per function (imports first)
	tables  []TableType
	mems    []Limits
	globals []GlobalType
	tags    []uint32 // type index per tag
	// declared marks functions referenced outside function bodies
	// (C.refs), which ref.func in a body may name.
	declared []bool
	fv       funcValidator
}

// Validate checks a decoded module against the validation rules of Wasm 3.0
// and the stack-switching proposal.
func Validate(m *Module) error {
	v := &validator{m: m}
	v.fv.v = v
	return v.validate()
}

// DecodeAndValidate decodes and validates a binary module.
func DecodeAndValidate(wasm []byte) (*Module, error) {
	m, err := Decode(wasm)
	if err != nil {
		return nil, err
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

// BlockSig returns the parameter and result types of block type bt in a
// validated module.
func BlockSig(m *Module, bt BlockType) (params, results []ValType) {
	switch {
	case bt.Empty:
		return nil, nil
	case bt.Index < 0:
		return nil, []ValType{bt.Val}
	}
	c := &m.Types[bt.Index].Comp
	return c.Params, c.Results
}

// checkHeap checks that a heap type's index exists.
func (v *validator) checkHeap(h HeapType, off int) error {
	if h >= 0 && int64(h) >= int64(len(v.m.Types)) {
		return &Error{Offset: off, Msg: fmt.Sprintf("unknown type %d", h)}
	}
	return nil
}

// checkVal checks that a value type's type index exists.
func (v *validator) checkVal(t ValType, off int) error {
	if t.IsRef() {
		return v.checkHeap(t.Heap, off)
	}
	return nil
}

// funcType returns type idx, which must be a function type.
func (v *validator) funcType(idx int64, off int) (*CompType, error) {
	if idx < 0 || idx >= int64(len(v.m.Types)) {
		return nil, &Error{Offset: off, Msg: fmt.Sprintf("unknown type %d", idx)}
	}
	c := &v.m.Types[idx].Comp
	if c.Kind != CompFunc {
		return nil, &Error{Offset: off, Msg: fmt.Sprintf("non-function type %d", idx)}
	}
	return c, nil
}

func (v *validator) checkLimits(l Limits, off int, memory bool) error {
	if l.HasMax && l.Min > l.Max {
		return &Error{Offset: off, Msg: "size minimum must not be greater than maximum"}
	}
	if memory {
		// Pages of 64 KiB (Wasm 3.0 has no custom page sizes).
		limit := uint64(1) << 16
		msg := "memory size must be at most 65536 pages (4GiB)"
		if l.Is64 {
			limit = 1 << 48
			msg = "memory size must be at most 2^48 pages (256TiB)"
		}
		if l.Min > limit || (l.HasMax && l.Max > limit) {
			return &Error{Offset: off, Msg: msg}
		}
		if l.Shared && !l.HasMax {
			return &Error{Offset: off, Msg: "shared memory must have maximum"}
		}
		return nil
	}
	if !l.Is64 && (l.Min > 0xffffffff || (l.HasMax && l.Max > 0xffffffff)) {
		return &Error{Offset: off, Msg: "table size must be at most 2^32-1"}
	}
	return nil
}

func (v *validator) checkTableType(t TableType, off int) error {
	if err := v.checkVal(t.Elem, off); err != nil {
		return err
	}
	return v.checkLimits(t.Limits, off, false)
}

func (v *validator) checkTagType(idx uint32, off int) error {
	_, err := v.funcType(int64(idx), off)
	return err
}

func (v *validator) validate() error {
	m := v.m
	if len(m.Codes) != len(m.Funcs) {
		return &Error{Offset: m.SectionOffsets[SecCode], Msg: "function and code section have inconsistent lengths"}
	}
	if err := v.validateTypes(); err != nil {
		return err
	}
	m.CanonTypes = v.ti.canon
	// Imports.
	for _, im := range m.Imports {
		switch im.Kind {
		case ExternFunc:
			if _, err := v.funcType(int64(im.Type), im.Offset); err != nil {
				return err
			}
			v.funcs = append(v.funcs, im.Type)
		case ExternTable:
			if err := v.checkTableType(im.Table, im.Offset); err != nil {
				return err
			}
			v.tables = append(v.tables, im.Table)
		case ExternMemory:
			if err := v.checkLimits(im.Memory, im.Offset, true); err != nil {
				return err
			}
			v.mems = append(v.mems, im.Memory)
		case ExternGlobal:
			if err := v.checkVal(im.Global.Type, im.Offset); err != nil {
				return err
			}
			v.globals = append(v.globals, im.Global)
		case ExternTag:
			if err := v.checkTagType(im.Type, im.Offset); err != nil {
				return err
			}
			v.tags = append(v.tags, im.Type)
		}
	}
	secOff := &m.SectionOffsets
	numImportedGlobals := len(v.globals)
	for _, t := range m.Funcs {
		if _, err := v.funcType(int64(t), secOff[SecFunction]); err != nil {
			return err
		}
		v.funcs = append(v.funcs, t)
	}
	for _, t := range m.Tags {
		if err := v.checkTagType(t, secOff[SecTag]); err != nil {
			return err
		}
		v.tags = append(v.tags, t)
	}
	for _, mem := range m.Memories {
		if err := v.checkLimits(mem, secOff[SecMemory], true); err != nil {
			return err
		}
		v.mems = append(v.mems, mem)
	}
	// C.refs: functions referenced by ref.func outside function bodies.
	v.declared = make([]bool, len(v.funcs))
	declare := func(e *ConstExpr) {
		ir := NewInstrReader(e.Code, e.Offset)
		for !ir.EOF() {
			in, err := ir.Next()
			if err != nil {
				return
			}
			if in.Op == OpRefFunc && int64(in.Idx[0]) < int64(len(v.declared)) {
				v.declared[in.Idx[0]] = true
			}
		}
	}
	for i := range m.Tables {
		if m.Tables[i].Init != nil {
			declare(m.Tables[i].Init)
		}
	}
	for i := range m.Globals {
		declare(&m.Globals[i].Init)
	}
	for i := range m.Elems {
		for j := range m.Elems[i].Init {
			declare(&m.Elems[i].Init[j])
		}
	}
	for _, e := range m.Exports {
		if e.Kind == ExternFunc && int64(e.Index) < int64(len(v.declared)) {
			v.declared[e.Index] = true
		}
	}
	fv := &v.fv
	// Globals: each initialiser sees the globals before it.
	for i := range m.Globals {
		g := &m.Globals[i]
		if err := v.checkVal(g.Type.Type, g.Init.Offset); err != nil {
			return err
		}
		if err := fv.validateConst(&g.Init, g.Type.Type, len(v.globals)); err != nil {
			return err
		}
		v.globals = append(v.globals, g.Type)
	}
	// Tables: they precede the global section, so their initialisers see
	// imported globals only.
	for i := range m.Tables {
		t := &m.Tables[i]
		off := secOff[SecTable]
		if t.Init != nil {
			off = t.Init.Offset
		}
		if err := v.checkTableType(t.Type, off); err != nil {
			return err
		}
		if t.Init != nil {
			if err := fv.validateConst(t.Init, t.Type.Elem, numImportedGlobals); err != nil {
				return err
			}
		} else if !t.Type.Elem.Nullable() {
			return &Error{Offset: off, Msg: "type mismatch: non-nullable table requires an initialiser"}
		}
		v.tables = append(v.tables, t.Type)
	}
	// Element segments.
	for i := range m.Elems {
		e := &m.Elems[i]
		eoff := e.Offset.Offset
		if e.Mode != SegActive {
			eoff = secOff[SecElement]
		}
		if err := v.checkVal(e.Type, eoff); err != nil {
			return err
		}
		for j := range e.Init {
			if err := fv.validateConst(&e.Init[j], e.Type, len(v.globals)); err != nil {
				return err
			}
		}
		if e.Mode == SegActive {
			if int64(e.Table) >= int64(len(v.tables)) {
				return &Error{Offset: e.Offset.Offset, Msg: fmt.Sprintf("unknown table %d", e.Table)}
			}
			tt := v.tables[e.Table]
			if err := fv.validateConst(&e.Offset, addrType(tt.Limits.Is64), len(v.globals)); err != nil {
				return err
			}
			if !v.valSub(e.Type, tt.Elem) {
				return &Error{Offset: e.Offset.Offset, Msg: fmt.Sprintf("type mismatch: element segment type %s does not match table type %s", typeName(e.Type), typeName(tt.Elem))}
			}
		}
	}
	// Data segments.
	for i := range m.Datas {
		d := &m.Datas[i]
		if d.Mode != SegActive {
			continue
		}
		if int64(d.Memory) >= int64(len(v.mems)) {
			return &Error{Offset: d.Offset.Offset, Msg: fmt.Sprintf("unknown memory %d", d.Memory)}
		}
		if err := fv.validateConst(&d.Offset, addrType(v.mems[d.Memory].Is64), len(v.globals)); err != nil {
			return err
		}
	}
	// Start function.
	if m.Start >= 0 {
		if m.Start >= int64(len(v.funcs)) {
			return &Error{Offset: secOff[SecStart], Msg: fmt.Sprintf("unknown function %d", m.Start)}
		}
		ft := &m.Types[v.funcs[m.Start]].Comp
		if len(ft.Params) != 0 || len(ft.Results) != 0 {
			return &Error{Offset: secOff[SecStart], Msg: "start function must have type [] -> []"}
		}
	}
	// Exports.
	names := make(map[string]struct{}, len(m.Exports))
	for _, e := range m.Exports {
		var n int
		var what string
		switch e.Kind {
		case ExternFunc:
			n, what = len(v.funcs), "function"
		case ExternTable:
			n, what = len(v.tables), "table"
		case ExternMemory:
			n, what = len(v.mems), "memory"
		case ExternGlobal:
			n, what = len(v.globals), "global"
		case ExternTag:
			n, what = len(v.tags), "tag"
		}
		if int64(e.Index) >= int64(n) {
			return &Error{Offset: e.Offset, Msg: fmt.Sprintf("unknown %s %d", what, e.Index)}
		}
		if _, dup := names[e.Name]; dup {
			return &Error{Offset: e.Offset, Msg: "duplicate export name"}
		}
		names[e.Name] = struct{}{}
	}
	if err := v.validateBodies(); err != nil {
		return err
	}
	m.StackSwitching = v.fv.switching
	m.FuncTypeIdx, m.TagTypeIdx = v.funcs, v.tags
	m.TableTypes, m.MemoryTypes, m.GlobalTypes = v.tables, v.mems, v.globals
	return nil
}

// parallelBodyBytes is the total body size above which function bodies are
// validated by several goroutines.
const parallelBodyBytes = 1 << 20

// validateBodies validates every function body. Large modules are split
// across GOMAXPROCS workers, each with its own funcValidator (the module
// tables are read-only by now); the error reported is that of the first
// invalid function, as in a sequential run.
func (v *validator) validateBodies() error {
	m := v.m
	total := 0
	for i := range m.Codes {
		total += len(m.Codes[i].Body)
	}
	workers := runtime.GOMAXPROCS(0)
	if total < parallelBodyBytes || workers < 2 || len(m.Codes) < 2 {
		for i := range m.Codes {
			if err := v.fv.validateFunc(i); err != nil {
				return err
			}
		}
		return nil
	}
	const chunk = 64 // functions claimed at a time
	var next atomic.Int64
	var firstBad atomic.Int64 // lowest invalid function index seen
	firstBad.Store(int64(len(m.Codes)))
	errs := make([]error, len(m.Codes))
	var wg sync.WaitGroup
	fvs := make([]*funcValidator, workers)
	defer func() { // Module.StackSwitching reads v.fv.switching
		for _, fv := range fvs[1:] {
			v.fv.switching = v.fv.switching || fv.switching
		}
	}()
	for w := 0; w < workers; w++ {
		fv := &funcValidator{v: v}
		if w == 0 {
			fv = &v.fv
		}
		fvs[w] = fv
		wg.Go(func() {
			for {
				start := int(next.Add(chunk) - chunk)
				if start >= len(m.Codes) || int64(start) > firstBad.Load() {
					return
				}
				for i := start; i < min(start+chunk, len(m.Codes)); i++ {
					if err := fv.validateFunc(i); err != nil {
						errs[i] = err
						for {
							cur := firstBad.Load()
							if int64(i) >= cur || firstBad.CompareAndSwap(cur, int64(i)) {
								break
							}
						}
						break
					}
				}
			}
		})
	}
	wg.Wait()
	if i := firstBad.Load(); i < int64(len(m.Codes)) {
		return errs[i]
	}
	return nil
}

package rt

// Exception unwinding (DESIGN.md §7, rt/abi exn.go). A throw exits to rt
// (LibcallThrow, LibcallThrowRef, or a host function returning an
// *Exception). The exit routine saved the thrower's state on the native
// stack (exitSave, the host's abi.Contract row): the callee-saved registers
// and the return address into the thrower. rt walks the frame-pointer chain
// from there:
//
//	(ra, fp) = ([NativeSP+RetOff], [NativeSP+FPOff])   the throwing frame
//	loop: if ra has a Handler and a clause matches → land; else
//	      (ra, fp) = ([fp+8], [fp])               the caller
//
// and ends, uncaught, when fp leaves the stacks (the entry trampoline
// starts the chain with 0). Landing builds a fake exit save area just below
// the handler frame's SP — zero register slots but the FP, and the pad
// address — points ectx.NativeSP at it and lets the normal resume path pop
// it: the code continues at the pad with SP = FP - SPOff and the frame
// pointer FP.

import (
	"fmt"
	"sort"

	"wfxc/rt/abi"
)

// An Exception is a wasm exception: uncaught, it is the error of the call
// that let it escape; returned by a host function, it is thrown into the
// wasm code that called the host function.
type Exception struct {
	Tag     *Tag
	Payload []uint64 // the tag's parameters as raw slots

	// refs holds, by payload slot, the exceptions the exnref parameters
	// refer to (exnref.go): e keeps them alive, and each delivery of e
	// gives them valid handles. Bound at e's first throw.
	refs  []*Exception
	bound bool
	// thrown marks the exception of a wasm throw, made by rt (newThrown):
	// until it gets a handle, nothing outside rt refers to it.
	thrown bool
}

// newThrown returns an exception of tag t with n payload slots (zero) for
// a wasm throw: the store's spare one if it has one (exnref.go).
func (s *Store) newThrown(t *Tag, n int) *Exception {
	e := s.exns.spare
	if e == nil || cap(e.Payload) < n {
		return &Exception{Tag: t, Payload: make([]uint64, n), thrown: true}
	}
	s.exns.spare = nil
	*e = Exception{Tag: t, Payload: e.Payload[:n], thrown: true}
	clear(e.Payload)
	return e
}

// Ref returns the exception that exnref payload slot i refers to (nil for
// a null exnref or a slot of another type), once e has been thrown.
func (e *Exception) Ref(i int) *Exception {
	if i < 0 || i >= len(e.refs) {
		return nil
	}
	return e.refs[i]
}

// Error says that the exception was not caught.
func (e *Exception) Error() string { return "uncaught exception" }

// NewException returns an exception of tag t (for host functions to throw).
func NewException(t *Tag, payload ...uint64) *Exception {
	return &Exception{Tag: t, Payload: payload}
}

// TagName names tag t as instance inst knows it: the name inst exports it
// under, else "module.name" of inst's import of it, else "" (inst neither
// exports nor imports t).
func (inst *Instance) TagName(t *Tag) string {
	d := inst.mod.desc
	for _, e := range d.Exports {
		if e.Kind == abi.ExternTag && int(e.Index) < len(inst.tags) && inst.tagObj(int(e.Index)) == t {
			return e.Name
		}
	}
	for _, imp := range d.Imports {
		if imp.Kind == abi.ExternTag && int(imp.Index) < len(inst.tags) && inst.tags[imp.Index] == t {
			return imp.Module + "." + imp.Name
		}
	}
	return ""
}

// exitSave is the host architecture's exit save area (rt/abi contract.go);
// its Size is 0 on a host that has no Contract row, where rt loads no
// object (it refuses objects of other architectures), so nothing unwinds.
var exitSave = hostExitSave()

func hostExitSave() abi.ExitSave {
	if c := abi.ContractFor(abi.HostArch()); c != nil {
		return c.ExitSave
	}
	return abi.ExitSave{}
}

// handlerAt returns the try_table handler of text offset ret.
func (m *Module) handlerAt(ret uint32) *abi.Handler {
	hs := m.desc.Handlers
	i := sort.Search(len(hs), func(i int) bool { return hs[i].RetOff >= ret })
	if i < len(hs) && hs[i].RetOff == ret {
		return &hs[i]
	}
	return nil
}

// throw unwinds exception e from the exit the code is stopped in. It
// returns nil when a handler will receive e at the next resume, and e
// itself when nothing catches it.
func (s *Store) throw(e *Exception) error {
	err := s.unwind(e)
	if err != nil {
		e.thrown = false // it reaches the host, which may keep it
	}
	return err
}

// unwind is throw but for marking the exceptions that escape.
func (s *Store) unwind(e *Exception) error {
	if err := s.bindPayload(e); err != nil {
		return err
	}
	sp := uintptr(s.field(abi.EctxNativeSP))
	if exitSave.Size == 0 || !s.onStack(sp, exitSave.Size) {
		return e
	}
	fp, ra := uintptr(load64(sp+exitSave.FPOff)), uintptr(load64(sp+exitSave.RetOff))
	// The module of the previous frame: most callers are in the same one,
	// and the thrower most often in that of the instance rt saw last.
	var last *Module
	if s.lastInst != nil {
		last = s.lastInst.mod
	}
	for n := 0; n < 1<<20; n++ {
		m := last
		if m == nil || ra-1 < m.text || ra-1 >= m.text+m.textSize {
			m = moduleAt(ra - 1)
		}
		if m != nil {
			last = m
			if h := m.handlerAt(uint32(ra - m.text)); h != nil {
				done, err := s.tryLand(e, m, h, fp)
				if err != nil {
					return err
				}
				if done {
					s.leaveFibres(fp)
					return nil
				}
			}
		}
		if fp == 0 || fp%8 != 0 || !s.onStack(fp, 16) {
			return e
		}
		fp, ra = uintptr(load64(fp)), uintptr(load64(fp+8))
	}
	return e
}

// tryLand matches e against handler h of the frame at fp and, on a match,
// prepares the resume into the landing pad.
func (s *Store) tryLand(e *Exception, m *Module, h *abi.Handler, fp uintptr) (bool, error) {
	if fp < uintptr(h.VMCtxOff) || !s.onStack(fp-uintptr(h.VMCtxOff), 8) {
		return false, fmt.Errorf("rt: try_table frame %#x has no vmctx slot", fp)
	}
	inst := s.instanceAt(uintptr(load64(fp - uintptr(h.VMCtxOff))))
	if inst == nil || inst.mod != m {
		return false, fmt.Errorf("rt: try_table frame %#x: no instance of its module", fp)
	}
	for _, c := range h.Clauses {
		switch c.Kind {
		case abi.CatchTag, abi.CatchTagRef:
			if int(c.Tag) >= len(inst.tags) || inst.tagObj(int(c.Tag)) != e.Tag {
				continue
			}
		case abi.CatchAll, abi.CatchAllRef:
		default:
			return false, fmt.Errorf("rt: catch clause of unknown kind %d", c.Kind)
		}
		sp := fp - uintptr(h.SPOff)
		save := sp - exitSave.Size
		if !s.onStack(save, exitSave.Size) {
			return false, fmt.Errorf("rt: try_table frame %#x: bad SP offset %d", fp, h.SPOff)
		}
		vals := e.Payload
		if c.Kind == abi.CatchAll || c.Kind == abi.CatchAllRef {
			vals = nil
		}
		withRef := c.Kind == abi.CatchTagRef || c.Kind == abi.CatchAllRef
		n := len(vals)
		if withRef {
			n++
		}
		buf, err := s.deliveryBuf(n)
		if err != nil {
			return false, err
		}
		// The handles delivered are made after any collection (the frames
		// below sp are gone: it may ignore them), none during: buf is no
		// root.
		s.collectIfDue(sp)
		for i, v := range vals {
			if x := e.Ref(i); x != nil {
				v = s.handleOf(x)
			}
			store64(buf+8*uintptr(i), v)
		}
		if withRef {
			store64(buf+8*uintptr(len(vals)), s.handleOf(e))
		} else if _, held := s.exns.byExn[e]; e.thrown && !held {
			s.exns.spare = e // its values are in buf: nothing refers to it
		}
		for off := uintptr(0); off < exitSave.Size; off += 8 {
			store64(save+off, 0)
		}
		store64(save+exitSave.FPOff, uint64(fp))
		store64(save+exitSave.RetOff, uint64(m.text)+uint64(c.Pad)) // return address: the pad
		s.setField(abi.EctxNativeSP, uint64(save))
		s.setField(abi.EctxExitArgs, uint64(buf))
		return true, nil
	}
	return false, nil
}

// leaveFibres finishes the continuations an exception left on its way to
// the handler frame at fp (their frames are gone): those of the running
// chain from EctxContCurrent up to the one whose stack holds the handler
// frame, which runs again, or the whole chain when the handler is on the
// execution's base stack. The handler's stack gets its limit back for the
// prologue stack checks.
func (s *Store) leaveFibres(fp uintptr) {
	p := &s.mem.fibres
	here, onFibre := p.stackOf(fp)
	c := uintptr(s.field(abi.EctxContCurrent))
	for n := 0; c != 0 && !(onFibre && p.stack[c] == here) && n <= len(p.conts); n++ {
		next := uintptr(load64(c + abi.ContParent))
		p.contFree(c)
		c = next
	}
	s.setField(abi.EctxContCurrent, uint64(c))
	switch {
	case onFibre:
		if c, ok := p.owner[here]; ok {
			s.setField(abi.EctxStackLimit, load64(c+abi.ContStackLimit))
		}
	default: // the main stack (nested executions share its limit)
		s.setField(abi.EctxStackLimit, uint64(s.stack+pageSize+stackMargin))
	}
}

// deliveryBuf returns a buffer of n slots (non-Go memory) for the values a
// landing pad receives.
func (s *Store) deliveryBuf(n int) (uintptr, error) {
	need := uintptr(max(n, 1)) * 8
	if s.mem.exnBufSize < need {
		b, err := blocks.alloc(need)
		if err != nil {
			return 0, err
		}
		blocks.release(s.mem.exnBuf, s.mem.exnBufSize)
		s.mem.exnBuf, s.mem.exnBufSize = b, need
	}
	return s.mem.exnBuf, nil
}

// onStack reports whether [p, p+n) lies within the main stack or a fibre.
func (s *Store) onStack(p, n uintptr) bool {
	if p >= s.stack && p+n <= s.stack+stackSize {
		return true
	}
	return s.mem.fibres.isStack(p, n)
}

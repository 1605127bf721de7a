package interp

// Exceptions (ir/verify_exn.go). A throw is a Go error, *Exception, that
// propagates out of calls like any error; when the call or throw ending an
// invoke block raises one, the block's clauses (Block.Catches) are tried
// in order and the first that matches enters its landing block with the
// values it delivers. Tags are compared by index: the interpreter models
// one instance, so two imported tags that are one tag instance are not
// recognised as such. An exnref is a handle into the machine's exception
// list (index+1), so throw_ref rethrows the very exception.

import (
	"errors"
	"fmt"

	"wfxc/ir"
	"wfxc/rt/abi"
)

// Exception is a wasm exception in flight: the error of a call that let it
// escape. An Import may return one to throw into its caller.
type Exception struct {
	Tag     int64    // tag index (OpThrow's Aux)
	Payload []uint64 // the tag's parameters
}

// Error says that the exception was not caught.
func (e *Exception) Error() string { return fmt.Sprintf("uncaught exception of tag %d", e.Tag) }

// exnref returns the exnref handle of e, making one on first use.
func (m *Machine) exnref(e *Exception) uint64 {
	if h, ok := m.exnIDs[e]; ok {
		return h
	}
	if m.exnIDs == nil {
		m.exnIDs = map[*Exception]uint64{}
	}
	m.exns = append(m.exns, e)
	m.exnIDs[e] = uint64(len(m.exns))
	return uint64(len(m.exns))
}

func execThrow(fr *frame, v *ir.Value) error {
	e := &Exception{Tag: v.Aux}
	for _, a := range v.Args[1:] {
		e.Payload = append(e.Payload, fr.vals[a.ID])
	}
	return e
}

// execLibcall interprets throw_ref; other libcalls need a runtime.
func execLibcall(fr *frame, v *ir.Value) error {
	if v.Aux != abi.LibcallThrowRef || len(v.Args) != 2 {
		return unsupported(fr, v)
	}
	h := fr.vals[v.Args[1].ID]
	if h == 0 || h > uint64(len(fr.m.exns)) {
		return fmt.Errorf("interp: %s: %v: throw_ref of unknown exnref %#x", fr.f.Name, v, h)
	}
	return fr.m.exns[h-1]
}

func execLandingArg(fr *frame, v *ir.Value) error {
	if v.Aux < 0 || v.Aux >= int64(len(fr.landed)) {
		return fmt.Errorf("interp: %s: %v reads delivered value %d of %d", fr.f.Name, v, v.Aux, len(fr.landed))
	}
	fr.vals[v.ID] = fr.landed[v.Aux] & typeMask(v.Type)
	return nil
}

// unwind handles err, raised by value v of block b: if v ends invoke
// block b and err is an exception one of b's clauses catches, it records
// the delivered values and returns the index of that clause's landing
// block among b's successors.
func (fr *frame) unwind(b *ir.Block, v *ir.Value, err error) (int, bool) {
	var e *Exception
	if ir.InvokeCall(b) != v || !errors.As(err, &e) {
		return 0, false
	}
	for i, c := range b.Catches {
		tagged := c.Kind == abi.CatchTag || c.Kind == abi.CatchTagRef
		if tagged && int64(c.Tag) != e.Tag {
			continue
		}
		fr.landed = fr.landed[:0]
		if tagged {
			fr.landed = append(fr.landed, e.Payload...)
		}
		if c.Kind == abi.CatchTagRef || c.Kind == abi.CatchAllRef {
			fr.landed = append(fr.landed, fr.m.exnref(e))
		}
		return 1 + i, true
	}
	return 0, false
}

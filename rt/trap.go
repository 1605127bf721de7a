package rt

// Traps and backtraces (DESIGN.md §4). A trap exit leaves the trap code in
// ExitArg, the trapping PC in TrapPC and the trapping function's frame
// pointer in TrapFP. Every wasm function keeps a frame record, so the
// native stack is a linked list: [fp] is the caller's fp, [fp+8] the return
// address into the caller; the enter trampoline starts the chain with fp 0.
// Each PC is mapped to a module through the code registry, to a function
// through the module's code ranges, and to a wasm offset through its Sites.
// The walk only reads words inside the store's native stack mapping, so a
// corrupt chain ends the backtrace instead of crashing. After a trap the
// native stack is simply abandoned.

import (
	"fmt"
	"sort"
	"strings"
	"unsafe"

	"wfxc/rt/abi"
)

// A Trap is a wasm trap: an error whose message is the spec interpreter's
// wording, with the wasm frames active when it happened (innermost first).
type Trap struct {
	Code    int
	Message string
	// Frames are the innermost and the outermost frames; when there were
	// more than a backtrace keeps, Elided counts the ones left out
	// between Frames[:ElidedAt] and Frames[ElidedAt:].
	Frames   []Frame
	Elided   int
	ElidedAt int
}

// A Frame is one wasm function activation in a backtrace.
type Frame struct {
	Func    uint32 // function index in its module
	Name    string // name-section name, else an export's name, else wasm[<index>]
	WasmOff uint32 // byte offset in the wasm module (0 when unknown)
}

// Error returns the trap message.
func (t *Trap) Error() string { return t.Message }

// Backtrace formats the frames, one per line.
func (t *Trap) Backtrace() string { return t.BacktraceAt(nil) }

// BacktraceAt is Backtrace with each frame's source position: where(f),
// when where is not nil and returns one (e.g. file.wat:LINE:COL from the
// text's source map), follows the frame as " at POSITION".
func (t *Trap) BacktraceAt(where func(Frame) string) string {
	var b strings.Builder
	b.WriteString("wasm backtrace:\n")
	for i, f := range t.Frames {
		n := i
		if t.Elided > 0 && i >= t.ElidedAt {
			if i == t.ElidedAt {
				fmt.Fprintf(&b, "  ... %d frames elided ...\n", t.Elided)
			}
			n += t.Elided
		}
		fmt.Fprintf(&b, "  %d: %#x - %s", n, f.WasmOff, f.Name)
		if where != nil {
			if pos := where(f); pos != "" {
				fmt.Fprintf(&b, " at %s", pos)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// A LinkError is an instantiation failure before any code runs or state
// changes: an unknown import or an import of the wrong type.
type LinkError struct {
	Module, Name string // the import
	Message      string // "unknown import", "incompatible import type", …
}

// Error returns the message with the import's names.
func (e *LinkError) Error() string {
	return fmt.Sprintf("%s: %s::%s", e.Message, e.Module, e.Name)
}

func newTrap(code int) *Trap {
	msg := abi.TrapMessages[0]
	if code > 0 && code < abi.TrapCount {
		msg = abi.TrapMessages[code]
	}
	return &Trap{Code: code, Message: msg}
}

// trap builds the Trap for an ExitTrap.
func (s *Store) trap() error {
	t := newTrap(int(s.field(abi.EctxExitArg)))
	if t.Code == abi.TrapOutOfFuel && int64(s.field(abi.EctxFuel)) < 0 {
		// The code checks the counter in a register (frontend/fuel.go):
		// the ectx may hold an older value; the budget is used up.
		s.setField(abi.EctxFuel, 0)
	}
	t.Frames, t.Elided, t.ElidedAt = s.backtrace(uintptr(s.field(abi.EctxTrapPC)), uintptr(s.field(abi.EctxTrapFP)))
	return t
}

// backtrace walks the frame-pointer chain from (pc, fp). It keeps the
// innermost maxFrames-tailFrames frames and the outermost tailFrames, and
// counts the frames between them: elided are left out before index at.
func (s *Store) backtrace(pc, fp uintptr) (frames []Frame, elided, at int) {
	head := maxFrames - tailFrames
	var tail [tailFrames]Frame // a ring of the newest frames past head
	n := 0                     // frames past head
	add := func(f Frame) {
		if len(frames) < head {
			frames = append(frames, f)
			return
		}
		tail[n%tailFrames] = f
		n++
	}
	if f, ok := frameAt(pc, false); ok {
		add(f)
	}
	lo, hi := s.stack, s.stack+stackSize
	onStack := func(fp uintptr) bool {
		return fp >= lo && fp+16 <= hi || s.mem.fibres.isStack(fp, 16)
	}
	for fp != 0 {
		if fp%8 != 0 || !onStack(fp) {
			break
		}
		ra := uintptr(load64(fp + 8))
		next := uintptr(load64(fp))
		if f, ok := frameAt(ra, true); ok {
			add(f)
		}
		// Within a stack the chain grows towards higher addresses; a
		// fibre's root frame links to its resumer, on another stack.
		if next == fp || next < fp && sameStack(s, next, fp) {
			break
		}
		fp = next
	}
	at = len(frames)
	kept := min(n, tailFrames)
	for i := n - kept; i < n; i++ {
		frames = append(frames, tail[i%tailFrames])
	}
	return frames, n - kept, at
}

// sameStack reports whether a and b lie in the same stack of s.
func sameStack(s *Store, a, b uintptr) bool {
	if lo, hi := s.stack, s.stack+stackSize; a >= lo && a < hi {
		return b >= lo && b < hi
	}
	p := &s.mem.fibres
	i := sort.Search(len(p.stacks), func(i int) bool { return p.stacks[i] > a }) - 1
	return i >= 0 && b >= p.stacks[i] && b < p.stacks[i]+p.stackSize()
}

// frameAt maps a PC to a wasm frame; isRet says pc is a return address
// (whose call instruction ends just before it).
func frameAt(pc uintptr, isRet bool) (Frame, bool) {
	look := pc
	if isRet {
		look--
	}
	m := moduleAt(look)
	if m == nil {
		return Frame{}, false
	}
	fn, ok := m.funcAt(uint32(look - m.text))
	if !ok {
		return Frame{}, false
	}
	return Frame{Func: uint32(fn), Name: m.funcName(fn), WasmOff: m.wasmOff(fn, uint32(pc-m.text))}, true
}

// uintptrOf returns the address of a Go heap buffer's first slot.
func uintptrOf(b []uint64) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

package lower

// Frame layout. After register allocation a function's frame is laid out
// below its frame pointer (FP) from a few numbers the back end gives: the
// word size and the stack alignment of the ISA, its callee-saved registers,
// whether the function makes indirect calls and how large its outgoing
// argument area is. Every slot is one word; the frame record (saved FP and
// return address) and the incoming stack arguments above FP belong to the
// back end's calling convention.
//
//	[FP - W·(i+1)]           callee-saved register Saved[i]
//	[FP - SlotBase - W·s]    spill slot s (Allocation.NumSlots of them)
//	[FP - CallBase - W·k]    call word k (indirect calls: code, then vmctx)
//	[SP …]                   the outgoing area: stack arguments, stack
//	                         results, the libcall argument buffer
//
// Size, the bytes between FP and SP, is rounded up to the alignment, so
// SP is aligned at every call when FP is. For example W = 8, two saved
// registers, three slots, call words and 24 outgoing bytes:
//
//	Saved at FP-8, FP-16; slots at FP-24, -32, -40; call words at FP-48,
//	FP-56; Size = 8·(2+3+2) + 24 = 80, aligned to 16 → 80.

// FrameSpec is what the layout needs from the back end and the function.
type FrameSpec struct {
	Word        int64 // bytes per slot
	Align       int64 // stack alignment (a power of two)
	CalleeSaved []Reg // the ISA's allocatable callee-saved registers, in save order
	SaveAll     bool  // save all of CalleeSaved, used or not (a function that switches stacks)
	SaveNone    bool  // save none, used or not (a function that never returns: ir.Func.Root)
	CallWords   int   // words for indirect calls' code and vmctx; 0 without such calls
	OutBytes    int64 // size of the outgoing area at SP
}

// Frame is a function's frame below FP.
type Frame struct {
	Saved    []Reg // callee-saved registers the function saves, Saved[i] at SavedOff(i)
	Word     int64 // bytes per slot
	SlotBase int64 // spill slot s is at FP - SlotBase - Word·s
	CallBase int64 // call word k is at FP - CallBase - Word·k
	Size     int64 // bytes from FP down to SP, aligned
}

// LayoutFrame lays out the frame of a function allocated as ra.
func LayoutFrame(ra *Allocation, spec FrameSpec) Frame {
	f := Frame{Word: spec.Word}
	for _, r := range spec.CalleeSaved {
		if spec.SaveNone {
			break
		}
		if spec.SaveAll || ra.UsedRegs.Has(r) {
			f.Saved = append(f.Saved, r)
		}
	}
	f.SlotBase = spec.Word * int64(len(f.Saved)+1)
	f.CallBase = f.SlotBase + spec.Word*int64(ra.NumSlots)
	size := spec.Word*int64(len(f.Saved)+ra.NumSlots+spec.CallWords) + spec.OutBytes
	f.Size = (size + spec.Align - 1) &^ (spec.Align - 1)
	return f
}

// SavedOff is the FP-relative offset of the save slot of Saved[i].
func (f *Frame) SavedOff(i int) int64 { return -f.Word * int64(i+1) }

// SlotOff is the FP-relative offset of spill slot s.
func (f *Frame) SlotOff(s int32) int64 { return -f.SlotBase - f.Word*int64(s) }

// CallWordOff is the FP-relative offset of call word k.
func (f *Frame) CallWordOff(k int) int64 { return -f.CallBase - f.Word*int64(k) }

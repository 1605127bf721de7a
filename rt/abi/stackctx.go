package abi

// Stack-switch control context (DESIGN.md §6): 24 bytes near the top of
// every fibre stack, the operands of the IR op stack_switch. While a fibre
// runs, its context holds where to go back to (the resumer's SP, FP and the
// IP after its switch); while it is suspended, its own suspension point.
// The payload of a switch travels in the register Contract.SwitchPayload
// names (contract.go), both ways.
const (
	StackCtxSP   = 0  // saved stack pointer
	StackCtxFP   = 8  // saved frame pointer
	StackCtxIP   = 16 // address to continue at
	StackCtxSize = 24
)

package abi

import (
	"slices"
	"testing"
)

// TestContract_rows checks every architecture's register contract for
// consistency: the exit save area holds the frame pointer where FPOff says,
// ends with the frame record {FP, return address}, keeps the stack 16-byte
// aligned and saves neither ectx, the link register nor a reserved
// register; the switch payload is an ordinary register.
func TestContract_rows(t *testing.T) {
	for _, a := range Archs {
		c := ContractFor(a)
		if c == nil {
			t.Errorf("%v: no Contract row", a)
			continue
		}
		if c.Arch != a {
			t.Errorf("ContractFor(%v) returned the row of %v", a, c.Arch)
		}
		msg := []string{c.SwitchPayload, c.SwitchWho, c.SwitchKind}
		if c.ECtx == "" || c.FP == "" || slices.Contains(msg, "") {
			t.Errorf("%v: ECtx %q, FP %q, switch message %q, want all named", a, c.ECtx, c.FP, msg)
		}
		special := []string{c.ECtx, c.FP, c.LR}
		for _, r := range append(special, msg...) {
			if r != "" && slices.Contains(c.Reserved, r) {
				t.Errorf("%v: %s is reserved, and also a contract register", a, r)
			}
		}
		for i, r := range msg {
			if slices.Contains(special, r) {
				t.Errorf("%v: switch message register %s is the ectx, frame or link register", a, r)
			}
			if slices.Contains(msg[:i], r) {
				t.Errorf("%v: switch message register %s twice", a, r)
			}
		}
		es := c.ExitSave
		seen := map[string]bool{}
		for i, r := range es.Regs {
			switch {
			case seen[r]:
				t.Errorf("%v: exit saves %s twice", a, r)
			case r == c.ECtx || r == c.LR && r != "" || slices.Contains(c.Reserved, r):
				t.Errorf("%v: exit save slot %d holds %s, which resume does not restore", a, i, r)
			case r == c.FP && uintptr(8*i) != es.FPOff:
				t.Errorf("%v: frame pointer in slot at %d, FPOff says %d", a, 8*i, es.FPOff)
			}
			seen[r] = true
		}
		if !seen[c.FP] {
			t.Errorf("%v: exit does not save the frame pointer %s", a, c.FP)
		}
		if es.RetOff != uintptr(8*len(es.Regs)) || es.FPOff+8 != es.RetOff {
			t.Errorf("%v: FPOff %d, RetOff %d with %d registers, want the frame record {FP, return address} right after them",
				a, es.FPOff, es.RetOff, len(es.Regs))
		}
		if es.Size < es.RetOff+8 || es.Size%16 != 0 {
			t.Errorf("%v: exit save area of %d bytes, want at least %d and a multiple of 16", a, es.Size, es.RetOff+8)
		}
	}
	if ContractFor("") != nil {
		t.Error(`ContractFor("") returned a row`)
	}
}

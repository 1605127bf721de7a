package aarch64

import (
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj"

	"wfxc/rt/abi"
)

// TestContract_matchesRuntime checks that the runtime routines and the
// lowerings use the registers and the exit save area that aarch64's row of
// the compiler–runtime contract (rt/abi contract.go) names.
func TestContract_matchesRuntime(t *testing.T) {
	initArch()
	c := abi.ContractFor(abi.AArch64)
	if c == nil {
		t.Fatal("rt/abi has no aarch64 contract")
	}
	name := func(r int16) string { return obj.Rconv(int(r)) }
	for _, tt := range []struct {
		what     string
		reg      int16
		contract string
	}{
		{"ectx register", rEctx, c.ECtx},
		{"frame pointer", rFP, c.FP},
		{"link register", rLR, c.LR},
		{"stack_switch payload", asmReg(switchMsg[0]), c.SwitchPayload},
		{"stack_switch message record", asmReg(switchMsg[1]), c.SwitchWho},
		{"stack_switch message kind", asmReg(switchMsg[2]), c.SwitchKind},
	} {
		if got := name(tt.reg); got != tt.contract {
			t.Errorf("%s %s, contract says %s", tt.what, got, tt.contract)
		}
	}
	// No register the contract reserves is allocatable or a scratch register.
	for _, r := range c.Reserved {
		for _, rs := range allocatable {
			for _, a := range rs {
				if name(asmReg(a)) == r {
					t.Errorf("reserved register %s is allocatable", r)
				}
			}
		}
		for _, s := range []int16{sc0, sc1, sc2, sc3} {
			if name(s) == r {
				t.Errorf("reserved register %s is a scratch register", r)
			}
		}
	}
	// exit stores exitSave: from NativeSP upwards, 8 bytes per register.
	es := c.ExitSave
	var saved []string
	for _, s := range exitSave {
		if want := int64(8 * len(saved)); s.off != want {
			t.Errorf("exit save of %s at %d, want %d", name(s.r1), s.off, want)
		}
		saved = append(saved, name(s.r1))
		if s.as != 0 {
			saved = append(saved, name(s.r2))
		}
	}
	if n := len(saved); n != len(es.Regs)+1 || saved[n-1] != c.LR {
		t.Fatalf("exit saves %v, contract says %v and then the return address", saved, es.Regs)
	}
	for i, r := range es.Regs {
		if saved[i] != r {
			t.Errorf("exit save slot %d holds %s, contract says %s", i, saved[i], r)
		}
		if r == c.FP && uintptr(8*i) != es.FPOff {
			t.Errorf("exit saves the frame pointer at %d, contract says %d", 8*i, es.FPOff)
		}
	}
	if ret := uintptr(8 * len(es.Regs)); es.RetOff != ret || es.Size != exitSaveSize {
		t.Errorf("exit save area: return address at %d, size %d; contract says %d, %d", ret, exitSaveSize, es.RetOff, es.Size)
	}
	if exitSaveSize%16 != 0 {
		t.Errorf("exit save area of %d bytes leaves SP unaligned", exitSaveSize)
	}
}

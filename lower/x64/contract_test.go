package x64

import (
	"testing"

	"github.com/twitchyliquid64/golang-asm/obj"
	"github.com/twitchyliquid64/golang-asm/obj/x86"

	"wfxc/rt/abi"
)

// TestContract_matchesRuntime checks that the runtime routines and the
// lowerings use the registers and the exit save area that x86-64's row of
// the compiler–runtime contract (rt/abi contract.go) names.
func TestContract_matchesRuntime(t *testing.T) {
	initArch()
	c := abi.ContractFor(abi.X86_64)
	if c == nil {
		t.Fatal("rt/abi has no x86_64 contract")
	}
	name := func(r int16) string { return obj.Rconv(int(r)) }
	if got := name(x86.REG_R15); got != c.ECtx {
		t.Errorf("ectx register %s, contract says %s", got, c.ECtx)
	}
	if got := name(x86.REG_BP); got != c.FP {
		t.Errorf("frame pointer %s, contract says %s", got, c.FP)
	}
	for i, want := range []string{c.SwitchPayload, c.SwitchWho, c.SwitchKind} {
		if got := name(asmReg(switchMsg[i])); got != want {
			t.Errorf("stack_switch message register %d is %s, contract says %s", i, got, want)
		}
	}
	// exit pushes nativeSaved in order, then the area ends with the return
	// address of its caller: from NativeSP upwards the reverse.
	es := c.ExitSave
	if len(es.Regs) != len(nativeSaved) {
		t.Fatalf("exit saves %d registers, contract says %d", len(nativeSaved), len(es.Regs))
	}
	for i, r := range es.Regs {
		got := name(nativeSaved[len(nativeSaved)-1-i])
		if got != r {
			t.Errorf("exit save slot %d holds %s, contract says %s", i, got, r)
		}
		if r == c.FP && uintptr(8*i) != es.FPOff {
			t.Errorf("exit saves the frame pointer at %d, contract says %d", 8*i, es.FPOff)
		}
	}
	if want := uintptr(8 * len(nativeSaved)); es.RetOff != want || es.Size != want+8 {
		t.Errorf("exit save area: return address at %d, size %d; contract says %d, %d", want, want+8, es.RetOff, es.Size)
	}
}

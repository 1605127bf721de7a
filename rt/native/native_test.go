package native

import "testing"

// TestCall4_addsArgs runs a hand-assembled SysV function lea rax,[rdi+rsi]; ret.
func TestCall4_addsArgs(t *testing.T) {
	code := []byte{0x48, 0x8d, 0x04, 0x37, 0xc3} // lea rax, [rdi+rsi]; ret
	e, err := MapExec(code)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Free()
	if got := Call4(e.Addr(0), 40, 2, 0, 0); got != 42 {
		t.Fatalf("Call4 = %d, want 42", got)
	}
	if G() == 0 {
		t.Fatal("G() = 0")
	}
}

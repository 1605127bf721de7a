package rt

import (
	"testing"

	"wfxc/rt/abi"
)

// TestLibcalls_table checks the one libcall table against rt: every row has
// a name, a signature and a handler, and every handler has a row.
func TestLibcalls_table(t *testing.T) {
	names := map[string]int{}
	for i := range abi.NumLibcalls {
		row := abi.Libcalls[i]
		h := libcallHandlers[i]
		switch {
		case row.Name == "" && h != nil:
			t.Errorf("libcall %d: a handler but no row in abi.Libcalls", i)
		case row.Name != "" && h == nil:
			t.Errorf("libcall %d (%s): a row but no handler in rt", i, row.Name)
		}
		if row.Name == "" {
			if abi.Libcall(int64(i)) != nil {
				t.Errorf("abi.Libcall(%d) = a row, want nil for an unused index", i)
			}
			continue
		}
		if j, ok := names[row.Name]; ok {
			t.Errorf("libcall %d: name %q already used by libcall %d", i, row.Name, j)
		}
		names[row.Name] = i
		for k, a := range row.Args {
			if a != abi.SlotU64 && a != abi.SlotRef {
				t.Errorf("libcall %s: argument %d of kind %d, want SlotU64 or SlotRef", row.Name, k, a)
			}
		}
		if row.Result > abi.SlotNoReturn {
			t.Errorf("libcall %s: result of unknown kind %d", row.Name, row.Result)
		}
	}
}

package rt

import (
	"testing"

	"wfxc/rt/abi"
)

// TestLibcalls_table checks the one libcall table against rt: every row
// has a handler and every handler a row (rt/abi's TestLibcalls_rows checks
// the rows' names and signatures).
func TestLibcalls_table(t *testing.T) {
	for i := range abi.NumLibcalls {
		row := abi.Libcall(int64(i))
		h := libcallHandlers[i]
		switch {
		case row == nil && h != nil:
			t.Errorf("libcall %d: a handler but no row in abi.Libcalls", i)
		case row != nil && h == nil:
			t.Errorf("libcall %d (%s): a row but no handler in rt", i, row.Name)
		}
	}
}

// TestLibcall_dispatch checks that libcall decodes each row's signature:
// the handler sees exactly the row's argument slots, and its result lands
// in slot 0 exactly when the row's result is a value.
func TestLibcall_dispatch(t *testing.T) {
	inst := libcallInstance(t)
	saved := libcallHandlers
	t.Cleanup(func() { libcallHandlers = saved })
	const sentinel = 0x5eed
	for i := range abi.NumLibcalls {
		row := abi.Libcall(int64(i))
		if row == nil {
			continue
		}
		var got []uint64
		libcallHandlers[i] = func(c *libcallCall, arg []uint64) (uint64, error) {
			if c.row != row || c.inst != inst {
				t.Errorf("libcall %s: handler called with another row or instance", row.Name)
			}
			got = append([]uint64(nil), arg...)
			return sentinel, nil
		}
		buf := []uint64{100, 101, 102, 103, 104, 105, 106, 107}
		res, err := doLibcall(t, inst, uint64(i), buf...)
		if err != nil {
			t.Fatalf("libcall %s: %v", row.Name, err)
		}
		if len(got) != len(row.Args) {
			t.Errorf("libcall %s: handler got %d args, want %d", row.Name, len(got), len(row.Args))
		}
		for k, a := range got {
			if a != buf[k] {
				t.Errorf("libcall %s: arg %d = %d, want %d", row.Name, k, a, buf[k])
			}
		}
		want := buf[0]
		if row.Result.HasValue() {
			want = sentinel
		}
		if res != want {
			t.Errorf("libcall %s (result kind %d): slot 0 = %#x after the call, want %#x", row.Name, row.Result, res, want)
		}
	}
}

package e2e

import (
	"errors"
	"strings"
	"testing"

	"wfxc/rt"
)

// TestDebug_trapBacktraceAcrossFibres: a trap inside a continuation
// resumed by a continuation has a backtrace (what wfxc run prints) with
// every frame through all resumers, named by the text's $names, also
// when the inner chain was suspended to the outer handler and resumed
// from there by another function.
func TestDebug_trapBacktraceAcrossFibres(t *testing.T) {
	inst, err := rt.NewStore().Instantiate(loadWat(t, "nested", `(module
	  (type $f (func))
	  (type $k (cont $f))
	  (tag $y)
	  (func $boom (unreachable))
	  (func $hot (call $boom))
	  (func $inner (resume $k (cont.new $k (ref.func $hot))))
	  (func $outer (resume $k (cont.new $k (ref.func $inner))))
	  (func $run (export "run") (call $outer))

	  (func $leaf (suspend $y) (unreachable))
	  (func $body (call $leaf))
	  (func $mid (resume $k (cont.new $k (ref.func $body))))
	  (func $again (param $c (ref $k)) (resume $k (local.get $c)))
	  (func $top (export "suspended")
	    (call $again
	      (block $h (result (ref $k))
	        (resume $k (on $y $h) (cont.new $k (ref.func $mid)))
	        (return))))
	  (elem declare func $hot $inner $body $mid))`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ export, frames string }{
		{"run", "boom hot inner outer run"},
		// $leaf's chain ($leaf $body in the inner fibre, $mid in the
		// outer one) is resumed by $again, called by $top.
		{"suspended", "leaf body mid again top"},
	} {
		_, err := inst.Func(tc.export).Call()
		var tr *rt.Trap
		if !errors.As(err, &tr) {
			t.Fatalf("%s: err = %v, want a trap", tc.export, err)
		}
		var names []string
		for _, f := range tr.Frames {
			names = append(names, f.Name)
		}
		if got := strings.Join(names, " "); got != tc.frames || tr.Elided != 0 {
			t.Errorf("%s: frames %q (elided %d), want %q\n%s", tc.export, got, tr.Elided, tc.frames, tr.Backtrace())
		}
		if bt := tr.Backtrace(); !strings.Contains(bt, " - "+names[0]+"\n") {
			t.Errorf("%s: backtrace lacks its innermost frame:\n%s", tc.export, bt)
		}
	}
}

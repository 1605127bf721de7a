package ir

// The pass pipeline, as data (like Go's cmd/compile/internal/ssa/compile.go):
// Passes lists the passes in the order Run applies them, and PassOrder lists
// "must run before" constraints, each with its reason; TestPassOrder checks
// the list against them. Run can verify the function after every pass (the
// -d check debug option) and dump it after chosen passes (-d ir/<pass>/dump).

import (
	"fmt"
	"io"
	"os"
)

// Pass is one IR-to-IR transformation.
type Pass struct {
	Name string
	Fn   func(f *Func) error
}

// Passes is the pipeline, in order.
var Passes = []Pass{
	{"constfold", Constfold},
	{"copyprop", Copyprop},
	{"contsplit", Contsplit},
	{"reassoc", Reassoc},
	{"gvn", GVN},
	{"simddot", SIMDDot},
	{"licm", LICM},
	{"deadcode", Deadcode},
	{"leafpoll", Leafpoll},
	{"pollplace", Pollplace},
}

// PassOrder lists constraints on Passes: pass A must run before pass B.
var PassOrder = []struct {
	A, B   string
	Reason string
}{
	{"constfold", "copyprop", "constfold turns selects on constants into copies"},
	{"constfold", "deadcode", "constfold leaves unused operands and unreachable blocks behind"},
	{"copyprop", "deadcode", "removing copies can leave their sources unused"},
	{"copyprop", "licm", "a copy in a loop of a value from outside would hide that its users are invariant"},
	{"copyprop", "contsplit", "a copy of a cont_make flowing into a phi would keep its web from being split"},
	{"contsplit", "deadcode", "splitting leaves cont_make values unused"},
	{"copyprop", "gvn", "a copy would hide that two computations have the same args"},
	{"gvn", "licm", "gvn merges constants, so a computation in a loop on a constant made in the loop becomes invariant"},
	{"gvn", "deadcode", "gvn leaves the values it replaced unused"},
	{"deadcode", "leafpoll", "an unreachable block's call or loop would keep the polls"},
	{"copyprop", "reassoc", "a copy between two links of a chain would end it"},
	{"reassoc", "simddot", "a rebuilt chain pairs the products simddot rewrites"},
	{"simddot", "deadcode", "simddot leaves the products it replaced unused"},
	{"licm", "pollplace", "invariant values licm hoists out of a header no longer stand between its poll and a counter's update, after which the poll can then go"},
	{"reassoc", "licm", "a rebuilt chain can pair loop-invariant terms into a value licm hoists"},
}

// PassOptions control Run.
type PassOptions struct {
	Check  bool            // verify before the first pass and after every pass (-d check)
	Dump   map[string]bool // print the function after these passes (-d ir/<pass>/dump)
	DumpTo io.Writer       // where dumps go; os.Stderr if nil
	Skip   map[string]bool // passes not to run, by name (debugging)
}

// Run runs the pipeline on f.
func Run(f *Func, opts PassOptions) error {
	if opts.Check {
		if err := Verify(f); err != nil {
			return fmt.Errorf("func %s: before the passes: %w", f.Name, err)
		}
	}
	out := opts.DumpTo
	if out == nil {
		out = os.Stderr
	}
	for _, p := range Passes {
		if opts.Skip[p.Name] {
			continue
		}
		if err := p.Fn(f); err != nil {
			return fmt.Errorf("func %s: pass %s: %w", f.Name, p.Name, err)
		}
		if opts.Dump[p.Name] {
			fmt.Fprintf(out, "; after %s\n", p.Name)
			if err := Fprint(out, f); err != nil {
				return err
			}
		}
		if opts.Check {
			if err := Verify(f); err != nil {
				return fmt.Errorf("func %s: after pass %s: %w", f.Name, p.Name, err)
			}
		}
	}
	return nil
}

// checkPassOrder reports the first PassOrder constraint that passes breaks.
func checkPassOrder(passes []Pass) error {
	index := make(map[string]int)
	for i, p := range passes {
		if _, dup := index[p.Name]; dup {
			return fmt.Errorf("pass %s listed twice", p.Name)
		}
		index[p.Name] = i
	}
	for _, c := range PassOrder {
		a, okA := index[c.A]
		b, okB := index[c.B]
		if !okA || !okB {
			return fmt.Errorf("pass order %s before %s: unknown pass", c.A, c.B)
		}
		if a >= b {
			return fmt.Errorf("pass %s runs after %s, want before (%s)", c.A, c.B, c.Reason)
		}
	}
	return nil
}

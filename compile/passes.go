package compile

import "wfxc/ir"

// runPasses runs the IR pipeline on f, verifying after translation and after
// every pass when opts.CheckIR is set.
func runPasses(f *ir.Func, opts Options) error {
	return ir.Run(f, ir.PassOptions{Check: opts.CheckIR})
}

package compile

import (
	"bytes"
	"io"
	"sync"

	"wfxc/ir"
)

// runPasses runs the IR pipeline on f, verifying after translation and after
// every pass when opts.CheckIR is set, and dumping after the passes named in
// opts.DumpAfter. Each function's dumps are written in one piece, so the
// parallel compilation does not interleave them.
func runPasses(f *ir.Func, opts Options) error {
	po := ir.PassOptions{Check: opts.CheckIR}
	var buf bytes.Buffer
	if len(opts.DumpAfter) > 0 && opts.DumpTo != nil {
		po.Dump, po.DumpTo = opts.DumpAfter, &buf
		if opts.DumpAfter["translate"] {
			buf.WriteString("; after translate\n")
			ir.Fprint(&buf, f)
		}
		defer flushDump(opts.DumpTo, &buf)
	}
	return ir.Run(f, po)
}

var dumpMu sync.Mutex

func flushDump(w io.Writer, buf *bytes.Buffer) {
	dumpMu.Lock()
	defer dumpMu.Unlock()
	w.Write(buf.Bytes())
}

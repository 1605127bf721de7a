package compile

// Stack switching (DESIGN.md §6): what a module that switches stacks adds
// to its object — tag identities in the vmctx and one continuation entry
// per function type of its continuation types (frontend.ContEntry). A
// module without stack-switching instructions gets neither, so its object
// is what it was before.

import (
	"fmt"

	"wfxc/frontend"
	"wfxc/lower"
)

// switchingTags is the number of tags with an identity slot in the vmctx:
// every tag when the module switches stacks, else none.
func switchingTags(m *frontend.Module) int {
	if !m.StackSwitching {
		return 0
	}
	return m.NumImportedTags + len(m.Tags)
}

// placeContEntries compiles the module's continuation entries and places
// them after the other code, at the function indices cont.new refers to.
func placeContEntries(be lower.Backend, m *frontend.Module, l *linker, opts Options) error {
	for _, ft := range frontend.ContEntryTypes(m) {
		f, err := frontend.ContEntry(m, ft)
		if err != nil {
			return err
		}
		if err := runPasses(f, opts); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		if opts.DumpIR != nil {
			opts.DumpIR(f)
		}
		c, err := be.CompileFunc(f)
		if err != nil {
			return err
		}
		l.place(c, symKindStub, frontend.ContEntryIndex(m, ft))
	}
	return nil
}

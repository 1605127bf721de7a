package compile

import (
	"fmt"
	"sort"

	"wfxc/lower"
	"wfxc/rt/abi"
)

type symKind uint8

const (
	symKindRuntime symKind = iota
	symKindFunc
	symKindStub
	symKindWrapper
)

type placedCode struct {
	c     *lower.Compiled
	off   uint32
	kind  symKind
	index int
}

// linker lays out code in one .text section and resolves the fixups
// between the pieces, so the object needs no relocations. The back end pads
// and patches.
type linker struct {
	be         lower.Backend
	text       []byte
	placed     []placedCode
	funcOff    map[int]uint32 // function index → code offset (defined functions and import stubs)
	runtimeOff [lower.NumRuntime]uint32
}

func newLinker(be lower.Backend) *linker {
	return &linker{be: be, funcOff: map[int]uint32{}}
}

// place appends c at an offset aligned to the back end's CodeAlign and
// returns the offset.
func (l *linker) place(c *lower.Compiled, kind symKind, index int) uint32 {
	if gap := -len(l.text) & (l.be.CodeAlign() - 1); gap > 0 {
		l.text = l.be.Pad(l.text, gap)
	}
	off := uint32(len(l.text))
	l.text = append(l.text, c.Code...)
	l.placed = append(l.placed, placedCode{c: c, off: off, kind: kind, index: index})
	switch kind {
	case symKindRuntime:
		l.runtimeOff[index] = off
	case symKindFunc, symKindStub:
		l.funcOff[index] = off
	}
	return off
}

// patch resolves every fixup.
func (l *linker) patch() error {
	for _, p := range l.placed {
		for _, fx := range p.c.Fixups {
			var target uint32
			switch fx.Kind {
			case lower.TargetFunc:
				t, ok := l.funcOff[fx.Index]
				if !ok {
					return fmt.Errorf("%s: fixup to unknown function %d", p.c.Name, fx.Index)
				}
				target = t
			case lower.TargetRuntime:
				if fx.Index < 0 || fx.Index >= lower.NumRuntime {
					return fmt.Errorf("%s: fixup to unknown runtime routine %d", p.c.Name, fx.Index)
				}
				target = l.runtimeOff[fx.Index]
			default:
				return fmt.Errorf("%s: fixup of unknown kind %d", p.c.Name, fx.Kind)
			}
			if fx.Off >= uint32(len(p.c.Code)) {
				return fmt.Errorf("%s: fixup at %d outside the code", p.c.Name, fx.Off)
			}
			// The text ends with the piece, so a reference cannot spill
			// into the next one.
			end := p.off + uint32(len(p.c.Code))
			if err := l.be.PatchFixup(l.text[:end], p.off+fx.Off, target); err != nil {
				return fmt.Errorf("%s: fixup at %d: %w", p.c.Name, fx.Off, err)
			}
		}
	}
	return nil
}

func sortSites(s []abi.Site) {
	sort.Slice(s, func(i, j int) bool { return s[i].CodeOff < s[j].CodeOff })
}

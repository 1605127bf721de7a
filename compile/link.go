package compile

import (
	"encoding/binary"
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

// linker lays out code in one .text section and resolves the PC-relative
// fixups between the pieces, so the object needs no relocations.
type linker struct {
	text       []byte
	placed     []placedCode
	funcOff    map[int]uint32 // function index → code offset (defined functions and import stubs)
	runtimeOff [lower.NumRuntime]uint32
}

func newLinker() *linker {
	return &linker{funcOff: map[int]uint32{}}
}

// place appends c at a 16-byte aligned offset and returns the offset.
func (l *linker) place(c *lower.Compiled, kind symKind, index int) uint32 {
	for len(l.text)%16 != 0 {
		l.text = append(l.text, 0xCC) // int3 padding
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
			at := p.off + fx.Off
			if int(at)+4 > len(l.text) {
				return fmt.Errorf("%s: fixup at %d outside the code", p.c.Name, fx.Off)
			}
			rel := int64(target) - int64(at+4)
			binary.LittleEndian.PutUint32(l.text[at:], uint32(int32(rel)))
		}
	}
	return nil
}

func sortSites(s []abi.Site) {
	sort.Slice(s, func(i, j int) bool { return s[i].CodeOff < s[j].CodeOff })
}

package compile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"wfxc/lower"
)

// fakeBackend pads with 0xAB to 8-byte boundaries and patches a fixup by
// storing its target as a big-endian word, recording every call: the
// linker's layout and resolution, with no ISA. Only CodeAlign, Pad and
// PatchFixup are implemented.
type fakeBackend struct {
	lower.Backend
	patched []string // "at->target"
	fail    bool     // PatchFixup fails
}

func (*fakeBackend) CodeAlign() int { return 8 }

func (*fakeBackend) Pad(text []byte, n int) []byte {
	return append(text, bytes.Repeat([]byte{0xAB}, n)...)
}

func (b *fakeBackend) PatchFixup(text []byte, at, target uint32) error {
	if b.fail {
		return fmt.Errorf("cannot reach %d", target)
	}
	if int(at)+4 > len(text) {
		return fmt.Errorf("word at %d outside %d bytes", at, len(text))
	}
	binary.BigEndian.PutUint32(text[at:], target)
	b.patched = append(b.patched, fmt.Sprintf("%d->%d", at, target))
	return nil
}

func TestLinker_layout(t *testing.T) {
	be := &fakeBackend{}
	l := newLinker(be)
	code := func(name string, n int, fx ...lower.Fixup) *lower.Compiled {
		return &lower.Compiled{Name: name, Code: bytes.Repeat([]byte{0x11}, n), Fixups: fx}
	}
	var offs []uint32
	for i := 0; i < lower.NumRuntime; i++ {
		offs = append(offs, l.place(code(fmt.Sprint("rt", i), 3), symKindRuntime, i))
	}
	offs = append(offs,
		l.place(code("f1", 12, lower.Fixup{Off: 4, Kind: lower.TargetFunc, Index: 2}, lower.Fixup{Off: 8, Kind: lower.TargetRuntime, Index: lower.RuntimeTrap}), symKindFunc, 1),
		l.place(code("f2", 8, lower.Fixup{Off: 0, Kind: lower.TargetFunc, Index: 0}), symKindFunc, 2),
		l.place(code("stub0", 5), symKindStub, 0),
		l.place(code("f1.wrapper", 8, lower.Fixup{Off: 2, Kind: lower.TargetFunc, Index: 1}), symKindWrapper, 1))
	for i, off := range offs {
		if off%8 != 0 || i > 0 && off <= offs[i-1] {
			t.Fatalf("pieces placed at %v, want increasing multiples of 8", offs)
		}
	}
	if err := l.patch(); err != nil {
		t.Fatal(err)
	}
	f1, f2, stub, wrapper := offs[lower.NumRuntime], offs[lower.NumRuntime+1], offs[lower.NumRuntime+2], offs[lower.NumRuntime+3]
	want := []string{
		fmt.Sprintf("%d->%d", f1+4, f2),
		fmt.Sprintf("%d->%d", f1+8, offs[lower.RuntimeTrap]),
		fmt.Sprintf("%d->%d", f2, stub),
		fmt.Sprintf("%d->%d", wrapper+2, f1),
	}
	if strings.Join(be.patched, " ") != strings.Join(want, " ") {
		t.Errorf("patched %v, want %v", be.patched, want)
	}
	// Only the back end's filler between the pieces.
	if gap := l.text[offs[0]+3 : offs[1]]; !bytes.Equal(gap, bytes.Repeat([]byte{0xAB}, 5)) {
		t.Errorf("gap after the first piece: % x", gap)
	}
	if int(wrapper)+8 != len(l.text) {
		t.Errorf("text is %d bytes, want %d (no padding after the last piece)", len(l.text), wrapper+8)
	}
}

func TestLinker_errors(t *testing.T) {
	tests := []struct {
		name string
		fx   lower.Fixup
		fail bool
		want string
	}{
		{"unknownFunc", lower.Fixup{Off: 0, Kind: lower.TargetFunc, Index: 9}, false, "f: fixup to unknown function 9"},
		{"unknownRuntime", lower.Fixup{Off: 0, Kind: lower.TargetRuntime, Index: lower.NumRuntime}, false, "f: fixup to unknown runtime routine"},
		{"unknownKind", lower.Fixup{Off: 0, Kind: 7}, false, "f: fixup of unknown kind 7"},
		{"outsideCode", lower.Fixup{Off: 8, Kind: lower.TargetFunc, Index: 0}, false, "f: fixup at 8 outside the code"},
		// The field at 6 would spill into the next piece: the back end
		// sees the text only up to the end of this one.
		{"spills", lower.Fixup{Off: 6, Kind: lower.TargetFunc, Index: 0}, false, "f: fixup at 6: word at 6 outside 8 bytes"},
		{"backendFails", lower.Fixup{Off: 0, Kind: lower.TargetFunc, Index: 0}, true, "f: fixup at 0: cannot reach 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLinker(&fakeBackend{fail: tt.fail})
			l.place(&lower.Compiled{Name: "f", Code: make([]byte, 8), Fixups: []lower.Fixup{tt.fx}}, symKindFunc, 0)
			l.place(&lower.Compiled{Name: "g", Code: make([]byte, 8)}, symKindFunc, 1)
			if err := l.patch(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

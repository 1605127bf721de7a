package objfile

import (
	"bytes"
	"debug/elf"
	"math/rand"
	"testing"
)

// randomObject returns a pseudo-random object that is valid unless one of
// its fields drew a rare out-of-range value.
func randomObject(rng *rand.Rand) *Object {
	// pick returns a value below n, or (rarely) one that is probably too big.
	pick := func(n int) uint32 {
		if rng.Intn(40) == 0 {
			return uint32(n + rng.Intn(20))
		}
		if n <= 0 {
			return 0
		}
		return uint32(rng.Intn(n))
	}
	o := &Object{Machine: []Machine{machX86, machARM}[rng.Intn(2)], Text: make([]byte, 8+4*rng.Intn(60)), Rodata: make([]byte, rng.Intn(40))}
	if rng.Intn(20) == 0 {
		o.TextAlign = rng.Intn(40)
	}
	step := o.Machine.Frame.CodeAlign
	for j := rng.Intn(5); j > 0; j-- {
		s := Symbol{Name: string(rune('a' + rng.Intn(6))), Section: SecText, Global: rng.Intn(2) == 0, Func: rng.Intn(2) == 0}
		size := len(o.Text)
		if rng.Intn(3) == 0 {
			s.Section, s.Func, size = SecRodata, false, len(o.Rodata)
		}
		s.Off = uint64(pick(size + 1))
		s.Size = uint64(pick(size - int(s.Off) + 1))
		o.Symbols = append(o.Symbols, s)
	}
	// FDEs over consecutive slices of .text.
	next := uint32(0)
	for j := rng.Intn(4); j > 0 && int(next) < len(o.Text); j-- {
		size := step * (1 + pick((len(o.Text)-int(next))/int(step)))
		f := FDE{Off: next, Size: size}
		next += size
		off := uint32(0)
		for k := rng.Intn(5); k > 0 && off < size; k-- {
			reg := CFASP
			if rng.Intn(2) == 0 {
				reg = CFAFP
			}
			r := CFIRow{Off: off, CFAReg: reg, CFAOffset: int32(pick(200)), FPSaved: rng.Intn(2) == 0}
			if rng.Intn(4) == 0 {
				r.CFAExpr = o.Machine.Frame.CFAExprDeref(reg, int32(rng.Intn(64))-32, uint32(rng.Intn(3)*8))
			}
			f.Rows = append(f.Rows, r)
			off += step * (1 + uint32(rng.Intn(3)))
		}
		o.FDEs = append(o.FDEs, f)
	}
	for j := rng.Intn(6); j > 0; j-- {
		o.Lines = append(o.Lines, LineRow{Off: pick(len(o.Text)), File: []string{"x.wasm", "y.wasm"}[rng.Intn(2)], Line: rng.Uint32()})
	}
	for j := rng.Intn(3); j > 0; j-- {
		off := pick(len(o.Text))
		o.Funcs = append(o.Funcs, DebugFunc{Name: "f", Off: off, Size: pick(len(o.Text) - int(off) + 1)})
	}
	return o
}

// TestWrite_randomObjects writes pseudo-random objects (fixed seed): each is
// either rejected with an error or parses with debug/elf and debug/dwarf
// (and every tenth passes readelf cleanly), and writing never panics.
func TestWrite_randomObjects(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	written := 0
	for i := 0; i < 300; i++ {
		o := randomObject(rng)
		b, err := Write(o)
		if err != nil {
			continue
		}
		written++
		f, err := elf.NewFile(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("object %d: debug/elf: %v", i, err)
		}
		if _, err := f.Symbols(); err != nil && len(o.Symbols) > 0 {
			t.Fatalf("object %d: symbols: %v", i, err)
		}
		if len(o.Funcs) > 0 || len(o.Lines) > 0 {
			if _, err := f.DWARF(); err != nil {
				t.Fatalf("object %d: DWARF: %v", i, err)
			}
		}
		if written%10 == 0 {
			p := writeTemp(t, o, "obj.o")
			runClean(t, "readelf", "-a", "-W", "--debug-dump=frames-interp,line,info", p)
		}
	}
	if written < 30 || written > 270 {
		t.Fatalf("%d of 300 objects written: the generator should exercise both outcomes", written)
	}
	t.Logf("%d of 300 objects written", written)
}

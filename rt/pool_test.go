package rt_test

import (
	"errors"
	"testing"

	"wfxc/rt"
)

// imageMod has a data image on pages 0 and 2 and exports peek/poke/grow.
const imageMod = `(module (memory (export "memory") 4)
  (table 2 funcref)
  (data (i32.const 16) "image")
  (data (i32.const 0x20000) "far")
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "tgrow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`

const otherMod = `(module (memory (export "memory") 1)
  (data (i32.const 16) "OTHER")
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))`

func peek(t *testing.T, inst *rt.Instance, addr uint64) byte {
	t.Helper()
	res, err := inst.Func("peek").Call(addr)
	if err != nil {
		t.Fatal(err)
	}
	return byte(res[0])
}

// TestPool_reuse: a reused slot starts from the module's data image again
// (dirty pages reset), with zeros elsewhere; slots move between modules.
func TestPool_reuse(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 4, Memories: 4, Tables: 4, MemoryBytes: 8 << 16, TableElements: 8})
	if err != nil {
		t.Fatal(err)
	}
	m, other := loadWat(t, imageMod), loadWat(t, otherMod)
	s := rt.NewStore()
	s.SetPool(p)
	for round := 0; round < 6; round++ {
		mod := m
		if round%3 == 2 {
			mod = other
		}
		inst, err := s.Instantiate(mod, nil)
		if err != nil {
			t.Fatal(err)
		}
		if mod == other {
			if got := peek(t, inst, 16); got != 'O' {
				t.Fatalf("round %d: other module's data = %q", round, got)
			}
		} else {
			if got := string(inst.Memory("memory").Bytes()[16:21]) + string(inst.Memory("memory").Bytes()[0x20000:0x20003]); got != "imagefar" {
				t.Fatalf("round %d: data %q, want imagefar", round, got)
			}
			if got := peek(t, inst, 0x30000); got != 0 {
				t.Fatalf("round %d: untouched byte %d, want 0", round, got)
			}
			for _, a := range []uint64{16, 0x20000, 0x30000} {
				if _, err := inst.Func("poke").Call(a, 'X'); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := inst.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if i, mm, tb := p.InUse(); i+mm+tb != 0 {
		t.Fatalf("slots in use after Store.Close: %d instances, %d memories, %d tables", i, mm, tb)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestPool_limits: pooled memories and tables grow inside their slot
// only; an exhausted pool is an error until a slot comes back.
func TestPool_limits(t *testing.T) {
	p, err := rt.NewPool(rt.PoolConfig{Instances: 2, Memories: 2, Tables: 2, MemoryBytes: 6 << 16, TableElements: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	m := loadWat(t, imageMod)
	s := rt.NewStore()
	defer s.Close()
	s.SetPool(p)
	a, err := s.Instantiate(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		fn        string
		arg, want uint64
	}{{"grow", 2, 4}, {"grow", 1, 0xffffffff}, {"tgrow", 2, 2}, {"tgrow", 1, 0xffffffff}} {
		res, err := a.Func(c.fn).Call(c.arg)
		if err != nil || uint32(res[0]) != uint32(c.want) {
			t.Errorf("%s(%d) = %v, %v; want %d", c.fn, c.arg, res, err, int32(c.want))
		}
	}
	if got := peek(t, a, 6<<16-1); got != 0 {
		t.Errorf("last byte of the grown memory = %d", got)
	}
	if _, err := s.Instantiate(m, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate(m, nil); !errors.Is(err, rt.ErrPoolExhausted) {
		t.Fatalf("third instance in a pool of two: %v, want ErrPoolExhausted", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instantiate(m, nil); err != nil {
		t.Fatalf("after a slot came back: %v", err)
	}
	big := loadWat(t, `(module (memory 7))`)
	if _, err := s.Instantiate(big, nil); !errors.Is(err, rt.ErrPoolExhausted) {
		t.Fatalf("memory larger than a slot: %v, want ErrPoolExhausted", err)
	}
}

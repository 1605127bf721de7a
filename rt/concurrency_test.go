package rt_test

import (
	"errors"
	"sync"
	"testing"

	"wfxc/compile"
	"wfxc/frontend/wat"
	"wfxc/rt"
	"wfxc/rt/abi"
)

// loadWat compiles a module in text format and loads it.
func loadWat(t testing.TB, src string) *rt.Module {
	t.Helper()
	wasm, err := wat.ParseModule([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := compile.Compile(wasm, compile.Options{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := rt.LoadObject(res.Object)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// sumLoop exports sum(n) = 0+1+…+(n-1), a loop that polls, and calls the
// host import env.cb from callcb.
const sumLoop = `(module
  (import "env" "cb" (func $cb (param i64) (result i64)))
  (memory 1)
  (func (export "sum") (param $n i64) (result i64) (local $i i64) (local $s i64)
    (block $done (loop $l
      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $s (i64.add (local.get $s) (local.get $i)))
      (i64.store (i32.const 8) (local.get $s))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "callcb") (param i64) (result i64) (call $cb (local.get 0))))`

var i64to64 = abi.FuncType{Params: []abi.ValType{0x7E}, Results: []abi.ValType{0x7E}} // i64 → i64

func sumOf(n uint64) uint64 { return n * (n - 1) / 2 }

// TestStore_parallelStores: separate stores run in parallel (run with
// -race: they share no Go state unguarded).
func TestStore_parallelStores(t *testing.T) {
	m := loadWat(t, sumLoop)
	cb := rt.NewHostFunc(i64to64, func(a []uint64) ([]uint64, error) { return []uint64{a[0] + 1}, nil })
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := rt.NewStore()
			defer s.Close()
			for i := 0; i < 20; i++ {
				inst, err := s.Instantiate(m, rt.Imports{"env": {"cb": cb}})
				if err != nil {
					errs <- err
					return
				}
				n := uint64(1000 + g*100 + i)
				res, err := inst.Func("sum").Call(n)
				if err != nil || res[0] != sumOf(n) {
					errs <- errors.Join(err, errors.New("bad sum"))
					return
				}
				if res, err := inst.Func("callcb").Call(n); err != nil || res[0] != n+1 {
					errs <- errors.Join(err, errors.New("bad callcb"))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestStore_concurrentEntry: a second goroutine entering a store while
// code runs in it gets ErrConcurrentEntry; a host function calling back
// into the store on its own goroutine is fine.
func TestStore_concurrentEntry(t *testing.T) {
	m := loadWat(t, sumLoop)
	s := rt.NewStore()
	defer s.Close()
	var inst *rt.Instance
	var other, nestedErr error
	cb := rt.NewHostFunc(i64to64, func(a []uint64) ([]uint64, error) {
		// Same goroutine: a nested call is legal.
		res, err := inst.Func("sum").Call(a[0])
		nestedErr = err
		// Another goroutine, while this execution is suspended here.
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, other = inst.Func("sum").Call(10)
			if _, err := s.Instantiate(m, rt.Imports{"env": {"cb": rt.NewHostFunc(i64to64, nil)}}); !errors.Is(err, rt.ErrConcurrentEntry) {
				other = errors.Join(other, errors.New("Instantiate did not fail with ErrConcurrentEntry"))
			}
			if err := s.Close(); !errors.Is(err, rt.ErrConcurrentEntry) {
				other = errors.Join(other, errors.New("Close did not fail with ErrConcurrentEntry"))
			}
		}()
		<-done
		if err == nil {
			return []uint64{res[0]}, nil
		}
		return []uint64{0}, nil
	})
	var err error
	inst, err = s.Instantiate(m, rt.Imports{"env": {"cb": cb}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Func("callcb").Call(100)
	if err != nil {
		t.Fatal(err)
	}
	if nestedErr != nil || res[0] != sumOf(100) {
		t.Fatalf("nested call: %d, %v; want %d", res[0], nestedErr, sumOf(100))
	}
	if !errors.Is(other, rt.ErrConcurrentEntry) {
		t.Fatalf("concurrent call: %v, want ErrConcurrentEntry", other)
	}
	// The store is idle again: any goroutine may use it now.
	done := make(chan error)
	go func() {
		_, err := inst.Func("sum").Call(10)
		done <- err
	}()
	if err := <-done; err != nil {
		t.Fatalf("call from another goroutine after the first finished: %v", err)
	}
}

// TestStore_hammer: 8 goroutines calling into one store never crash; each
// call either succeeds with the right result or fails with
// ErrConcurrentEntry.
func TestStore_hammer(t *testing.T) {
	m := loadWat(t, sumLoop)
	s := rt.NewStore()
	defer s.Close()
	cb := rt.NewHostFunc(i64to64, func(a []uint64) ([]uint64, error) { return []uint64{a[0]}, nil })
	insts := make([]*rt.Instance, 2)
	for i := range insts {
		var err error
		if insts[i], err = s.Instantiate(m, rt.Imports{"env": {"cb": cb}}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				n := uint64(5000 + i)
				res, err := insts[(g+i)%2].Func("sum").Call(n)
				mu.Lock()
				switch {
				case errors.Is(err, rt.ErrConcurrentEntry):
					refused++
				case err != nil:
					t.Errorf("call: %v", err)
				case res[0] != sumOf(n):
					t.Errorf("sum(%d) = %d, want %d", n, res[0], sumOf(n))
				default:
					ok++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok == 0 {
		t.Errorf("no call succeeded (%d refused)", refused)
	}
	t.Logf("%d calls succeeded, %d refused", ok, refused)
}

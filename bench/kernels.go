package bench

import (
	"fmt"
	"os"
	"path/filepath"
)

// KernelDir is the directory of the kernels relative to the bench module.
const KernelDir = "../examples/kernels"

// A Kernel is one benchmark input: a module exporting run(size) that
// returns a checksum.
type Kernel struct {
	Name string
	Arg  uint64 // the size argument used for benchmarking
	Wasm []byte
}

// Kernels lists the kernels and their benchmark sizes, chosen so one run
// takes milliseconds, not microseconds, on an optimizing compiler.
var Kernels = []struct {
	Name string
	Arg  uint64
}{
	{"matmul", 128},     // 128×128 f64 matrices
	{"sieve", 4194304},  // primes below 4M
	{"hash", 1048576},   // FNV-1a and a multiply-rotate mix over 1 MiB
	{"fib", 30},         // doubly recursive fib(30): 2.7M calls
	{"crc32", 1048576},  // table-driven CRC-32 of 1 MiB
	{"nbody", 100000},   // 100k steps of the 5-body simulation
	{"interp", 1000000}, // 6M call_indirect dispatches
}

// LoadKernels reads every kernel's .wasm from dir.
func LoadKernels(dir string) ([]Kernel, error) {
	var ks []Kernel
	for _, k := range Kernels {
		wasm, err := os.ReadFile(filepath.Join(dir, k.Name+".wasm"))
		if err != nil {
			return nil, fmt.Errorf("kernel %s: %w", k.Name, err)
		}
		ks = append(ks, Kernel{Name: k.Name, Arg: k.Arg, Wasm: wasm})
	}
	return ks, nil
}

// Prepared is a kernel compiled and instantiated on one engine.
type Prepared struct {
	Module   Module
	Instance Instance
}

// Prepare compiles and instantiates wasm on e.
func Prepare(e Engine, wasm []byte) (*Prepared, error) {
	m, err := e.Compile(wasm)
	if err != nil {
		return nil, err
	}
	inst, err := m.Instantiate()
	if err != nil {
		m.Close()
		return nil, err
	}
	return &Prepared{Module: m, Instance: inst}, nil
}

// Run calls run(arg) and returns its single result.
func (p *Prepared) Run(arg uint64) (uint64, error) {
	res, err := p.Instance.Call("run", arg)
	if err != nil {
		return 0, err
	}
	if len(res) != 1 {
		return 0, fmt.Errorf("run returned %d results, want 1", len(res))
	}
	return res[0], nil
}

// Close releases the instance and the module.
func (p *Prepared) Close() {
	p.Instance.Close()
	p.Module.Close()
}

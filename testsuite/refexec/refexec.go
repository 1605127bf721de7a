// Package refexec is an independent reference interpreter for WebAssembly
// 3.0 (scalar, without SIMD and GC) plus exceptions and stack switching. It
// is the oracle of differential testing: it executes a decoded, validated
// frontend.Module directly and shares nothing with wfxc's translator, IR or
// back ends. Only frontend's decoder, validator and instruction reader are
// used, read-only.
//
// How it runs code. Each function body is decoded once into a flat slice of
// instructions whose block instructions know the index of their `else` and
// `end` (prepare.go). Execution (exec.go) keeps everything explicit, in Go
// data, never on the Go stack:
//
//   - a stack is one value stack, one label stack and one frame stack; the
//     host's entry runs on a root stack and every continuation has a stack
//     of its own;
//   - a label records where a branch to it goes, the value-stack height to
//     cut back to and how many values it carries; try_table labels also
//     name their catch clauses, so a throw searches the labels of each frame
//     innermost-first, then the frames, then the stack's resumer;
//   - a running continuation's stack points to its resumer (parent) and
//     holds the handler clauses of the resume that runs it; suspend and
//     switch search that chain, and a captured continuation is the segment
//     of the chain from the suspending stack to the handler's child.
//
// Nothing is concurrent and no goroutine is used, so every run is
// deterministic: call-stack exhaustion traps at a fixed number of frames
// (Config.MaxFrames), counted over every stack that is running.
//
// Outcomes of a call are its results or an error: *Trap (with the spec
// interpreter's message), *Exception (uncaught; tag and payload readable),
// *Suspension (a suspend or switch without a handler, "unhandled tag") or
// *LinkError at instantiation.
package refexec

import (
	"fmt"

	"wfxc/frontend"
)

// Value is a WebAssembly value. Numbers are in Bits (i32 and f32 in the low
// 32 bits, zero-extended; floats as their IEEE bit patterns); references
// are in Ref: nil is null, otherwise *Func (funcref), HostRef (externref),
// *Exception (exnref) or *ContRef (continuation reference).
type Value struct {
	Bits uint64
	Ref  any
}

// HostRef is a non-null external reference created by the host.
type HostRef uint64

// I32 returns an i32 value.
func I32(v int32) Value { return Value{Bits: uint64(uint32(v))} }

// I64 returns an i64 value.
func I64(v int64) Value { return Value{Bits: uint64(v)} }

// F32 returns an f32 value from its bit pattern.
func F32(bits uint32) Value { return Value{Bits: uint64(bits)} }

// F64 returns an f64 value from its bit pattern.
func F64(bits uint64) Value { return Value{Bits: bits} }

// Ref returns a reference value (nil for null).
func Ref(r any) Value { return Value{Ref: r} }

// Trap is a trap; Msg is the spec interpreter's wording ("unreachable",
// "integer divide by zero", "call stack exhausted", ...).
type Trap struct{ Msg string }

// Error returns "trap: " and the message.
func (t *Trap) Error() string { return "trap: " + t.Msg }

// Exception is a WebAssembly exception: the value of an exnref, and the
// error of a call that it left uncaught.
type Exception struct {
	Tag     *Tag
	Payload []Value
}

// Error says the exception was not caught.
func (e *Exception) Error() string { return "uncaught exception" }

// Suspension is the outcome of a suspend or switch for which no enclosing
// resume has a handler.
type Suspension struct{ Tag *Tag }

// Error returns "unhandled tag", the trap message engines use for it.
func (s *Suspension) Error() string { return "unhandled tag" }

// LinkError is an import that is missing or does not match its type.
type LinkError struct {
	Module, Name string
	Msg          string // "unknown import" or "incompatible import type"
}

// Error names the import and what is wrong with it.
func (e *LinkError) Error() string { return fmt.Sprintf("%s %q %q", e.Msg, e.Module, e.Name) }

// UnsupportedError is a valid module that uses a feature outside the
// oracle's scope (SIMD, GC objects).
type UnsupportedError struct{ Feature string }

// Error names the feature.
func (e *UnsupportedError) Error() string { return "unsupported feature: " + e.Feature }

// Config sets the oracle's implementation limits. Zero fields take the
// defaults.
type Config struct {
	MaxFrames      int    // frames over all running stacks before "call stack exhausted" (default 20000)
	MaxStackValues int    // value-stack slots per stack before "call stack exhausted" (default 1<<20)
	MaxMemoryPages uint64 // implementation limit on any memory's size in pages (default 65536)
	MaxTableSize   uint64 // implementation limit on any table's size (default 10_000_000)
	// Fuel, when positive, bounds the loop iterations and calls of the
	// store's whole life; running out traps "out of fuel".
	Fuel int64
}

func (c Config) withDefaults() Config {
	if c.MaxFrames <= 0 {
		c.MaxFrames = 20000
	}
	if c.MaxStackValues <= 0 {
		c.MaxStackValues = 1 << 20
	}
	if c.MaxMemoryPages == 0 {
		c.MaxMemoryPages = 65536
	}
	if c.MaxTableSize == 0 {
		c.MaxTableSize = 10_000_000
	}
	return c
}

// maxNesting bounds host→wasm re-entries, which do recurse on the Go stack.
const maxNesting = 200

// Store holds instances and everything they create. It is used by one
// goroutine at a time.
type Store struct {
	cfg      Config
	groups   map[string][]*rtype // canonical rec groups by key
	modTypes map[*frontend.Module][]*rtype
	frames   int   // frames of every running stack, for MaxFrames
	nesting  int   // host→wasm entries in progress
	fuel     int64 // left, when cfg.Fuel > 0
	nextID   int
}

// NewStore returns an empty store with the given limits.
func NewStore(cfg Config) *Store {
	return &Store{
		cfg:      cfg.withDefaults(),
		fuel:     cfg.Fuel,
		groups:   map[string][]*rtype{},
		modTypes: map[*frontend.Module][]*rtype{},
	}
}

// Extern is an importable or exported object: *Func, *Table, *Memory,
// *Global or *Tag.
type Extern any

// Resolver supplies the imports of an instantiation.
type Resolver interface {
	Resolve(module, name string) (Extern, bool)
}

// ResolverFunc adapts a function to Resolver.
type ResolverFunc func(module, name string) (Extern, bool)

// Resolve calls f.
func (f ResolverFunc) Resolve(module, name string) (Extern, bool) { return f(module, name) }

// Imports is a Resolver over a map of modules to their named externs.
type Imports map[string]map[string]Extern

// Resolve looks up module and name.
func (im Imports) Resolve(module, name string) (Extern, bool) {
	e, ok := im[module][name]
	return e, ok
}

// HostFunc implements a host function. Returning an *Exception throws it
// into the calling wasm code; any other error ends the whole call with that
// error.
type HostFunc func(args []Value) ([]Value, error)

// Func is a function instance: defined in an instance, or a host function.
type Func struct {
	typ  *rtype
	inst *Instance // nil for host functions
	code *fcode
	host HostFunc
}

// NumParams returns the number of parameters.
func (f *Func) NumParams() int { return len(f.typ.params) }

// NumResults returns the number of results.
func (f *Func) NumResults() int { return len(f.typ.results) }

// Tag is a tag instance; tag identity is the instance.
type Tag struct{ typ *rtype }

// NumParams returns the number of values the tag carries.
func (t *Tag) NumParams() int { return len(t.typ.params) }

// Global is a global instance.
type Global struct {
	typ vtype
	mut bool
	val Value
}

// Get returns the global's value.
func (g *Global) Get() Value { return g.val }

// Set stores v in the global (regardless of mutability: the host may).
func (g *Global) Set(v Value) { g.val = v }

// Mutable reports whether wasm code may set the global.
func (g *Global) Mutable() bool { return g.mut }

// Type returns the global's value type code (frontend.CodeI32, ...,
// CodeRef, CodeRefNull).
func (g *Global) Type() byte { return g.typ.code }

// NewHostFunc returns a host function of type params -> results; the types
// must not name type indices.
func (s *Store) NewHostFunc(params, results []frontend.ValType, fn HostFunc) (*Func, error) {
	t, err := s.hostType(frontend.CompFunc, params, results)
	if err != nil {
		return nil, err
	}
	return &Func{typ: t, host: fn}, nil
}

// NewTag returns a fresh tag whose payload has the given types.
func (s *Store) NewTag(params []frontend.ValType) (*Tag, error) {
	t, err := s.hostType(frontend.CompFunc, params, nil)
	if err != nil {
		return nil, err
	}
	return &Tag{typ: t}, nil
}

// NewGlobal returns a global of type t (which must not name a type index)
// holding v.
func (s *Store) NewGlobal(t frontend.ValType, mutable bool, v Value) (*Global, error) {
	vt, err := hostVal(t)
	if err != nil {
		return nil, err
	}
	return &Global{typ: vt, mut: mutable, val: v}, nil
}

// NewMemory returns a memory with limits l.
func (s *Store) NewMemory(l frontend.Limits) (*Memory, error) {
	return s.newMemory(l)
}

// NewTable returns a table of elem (which must not name a type index) with
// limits l, filled with init.
func (s *Store) NewTable(elem frontend.ValType, l frontend.Limits, init Value) (*Table, error) {
	vt, err := hostVal(elem)
	if err != nil {
		return nil, err
	}
	return s.newTable(vt, l, init)
}

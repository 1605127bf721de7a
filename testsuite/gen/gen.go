// Package gen generates random valid wasm modules for differential testing.
//
// Module(seed, cfg) always returns the same bytes for the same seed and
// config. A module has a few functions with random signatures, one memory
// with data, mutable and immutable globals, and (behind Config flags)
// a funcref table with call_indirect and the table instructions,
// memory.grow, bulk memory, tail calls, host imports, exceptions (exn.go)
// and stack switching (cont.go). The functions exported as run0, run1, …
// are the entry points and take and return numbers only; every global of
// a number type, the memory and every tag (tag0, tag1, …) are exported
// too, so a harness can compare the whole observable state after each
// call, and name the tag of an exception that escapes.
//
// Validity by construction: code is emitted by a recursive generator that
// tracks the type of every value it pushes and the label types of every
// enclosing block, so each instruction sees exactly the operands it needs.
// expr(t) pushes one value of type t; stmt() leaves the stack unchanged;
// body(params, results) turns a block's parameters into its results. A
// block that ends in br, br_table, return or unreachable ends right there,
// where the stack is polymorphic. Branches only ever target block, if and
// function labels (forward), never loops.
//
// Termination: direct calls only go from function i to functions j > i,
// so the call graph is acyclic (but see Config.StackOverflow). Every loop back edge, every recursive call
// and every call_indirect first checks and decrements one mutable global,
// the budget (exported as "budget"), and when it is zero falls through. So
// an instance executes at most Budget back edges and extra calls in total,
// whatever the nesting. Continuations follow the same rules (cont.go):
// resuming a fresh continuation of a later function is like a direct call,
// and every other resume and switch is budgeted.
//
// Adding a feature keeps the modules of configurations without it
// byte-identical: new random choices are made only when their flag is set.
//
// Determinism against a reference engine: the spec lets NaN results carry
// any payload and sign, so a float is canonicalised
// (select(nan, x, x != x)) wherever its NaN bits could become observable
// as an integer or memory byte: before float stores, reinterpretation to
// an integer, and the sign operand of copysign. Float results, locals and
// globals may still hold any NaN; harnesses compare those by NaN-ness.
package gen

import (
	"fmt"
	"math"
	"math/rand"

	"wfxc/internal/leb128"
)

// Config selects the size and the features of generated modules. The
// zero value is a usable default with only the first-slice features.
type Config struct {
	Funcs    int // defined functions; 0 means 5
	MaxStmts int // statements per block at the top level; 0 means 5
	MaxDepth int // nesting depth of blocks and expressions; 0 means 4
	Budget   int // loop back edges and guarded calls per instance; 0 means 200

	Tables     bool // a funcref table, call_indirect, table.get/set/size/grow/fill/copy/init, elem.drop
	MemoryGrow bool // a memory maximum and memory.grow
	BulkMemory bool // passive data, memory.fill/copy/init, data.drop
	// StackOverflow allows rare unbounded recursion (under a condition),
	// which traps with "call stack exhausted" when reached.
	StackOverflow bool
	// HostCalls imports functions env.h0, env.h1, … with random
	// signatures and calls them; a harness provides them (bench: a hash
	// of the arguments).
	HostCalls bool
	// TailCalls adds return_call and return_call_indirect (Wasm 3.0).
	TailCalls bool
	// Exceptions adds tags (exported as tag0, tag1, …) with payloads of
	// mixed types, throw, throw_ref, try_table with catch, catch_ref,
	// catch_all and catch_all_ref clauses at random depths, and exnref
	// values in locals, globals, a table, parameters, results, block
	// results and payloads (see exn.go).
	Exceptions bool
	// StackSwitching adds continuation types, cont.new, cont.bind,
	// suspend, resume with suspend and switch clauses, switch and (with
	// Exceptions) resume_throw and resume_throw_ref, with continuations
	// in locals, globals, tables, parameters, results and payloads (see
	// cont.go).
	StackSwitching bool
	// SIMD adds fixed-width SIMD: numbers computed through v128
	// expressions, v128 locals, loads and stores (see simd.go).
	SIMD bool
}

func (c Config) withDefaults() Config {
	if c.Funcs <= 0 {
		c.Funcs = 5
	}
	if c.MaxStmts <= 0 {
		c.MaxStmts = 5
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 4
	}
	if c.Budget <= 0 {
		c.Budget = 200
	}
	return c
}

// RunExports returns the names of the entry points of a module made with
// cfg, in the order a harness should call them.
func RunExports(cfg Config) []string {
	cfg = cfg.withDefaults()
	var names []string
	for i := 0; i < numRuns(cfg); i++ {
		names = append(names, fmt.Sprintf("run%d", i))
	}
	return names
}

func numRuns(cfg Config) int { return min(3, cfg.Funcs) }

// Module returns a random valid module for seed.
func Module(seed int64, cfg Config) []byte {
	cfg = cfg.withDefaults()
	m := &module{r: rand.New(rand.NewSource(seed)), cfg: cfg, typeIdx: map[string]int{}, recs: map[int]int{}, contTypes: map[int]int{}}
	m.build()
	return m.encode()
}

// funcType is an entry of the type section: a function type, or (contOf
// > 0) the continuation type of function type contOf-1.
type funcType struct {
	params, results []valType
	contOf          int
}

func (ft funcType) key() string {
	var b []byte
	for _, t := range ft.params {
		b = appendValType(b, t)
	}
	b = append(b, 0)
	for _, t := range ft.results {
		b = appendValType(b, t)
	}
	return string(b)
}

type global struct {
	t       valType
	mutable bool
	init    uint64 // raw bits (references start null)
}

type dataSeg struct {
	passive bool
	offset  uint32
	bytes   []byte
}

// label is an entry of the control stack: the types a branch to it
// carries, and whether it is a loop (never targeted by random branches).
type label struct {
	types []valType
	loop  bool
}

type module struct {
	r       *rand.Rand
	cfg     Config
	types   []funcType
	typeIdx map[string]int
	funcs   []int // type index of each function
	imports []int // type index of each imported function (env.h<i>)
	nimp    uint32
	globals []global
	budget  uint32 // index of the budget global

	memMin, memMax uint32
	hasMax         bool
	data           []dataSeg
	tableSize      uint32
	elems          []uint32 // function indices at table slots 0…
	passiveElems   []uint32 // function indices of the passive segment (1)
	code           [][]byte // function bodies (locals + instructions + end)

	// Exceptions and stack switching (exn.go, cont.go).
	tags      []tagDef
	contTags  int          // tags[contTags:] are the ones made for stack switching
	refTables []refTable   // tables after the funcref one, of reference types
	recs      map[int]int  // first type index of a rec group → its size
	contTypes map[int]int  // function type index → its continuation type
	conts     []int        // the continuation types, in order of creation
	sw        *switchTypes // the types switch uses, or nil
	// bare[j]: function j may run outside any continuation (an entry
	// point, or called directly by such a function), where a suspension
	// has no handler.
	bare []bool
	// coro[j]: function j is a coroutine, made to run as a continuation:
	// it suspends and switches freely, and bare functions do not call it.
	coro []bool
}

// callsFrom records a direct call from function i to function j.
func (m *module) callsFrom(i, j int) {
	if m.bare != nil && m.bare[i] {
		m.bare[j] = true
	}
}

func (m *module) typeOf(ft funcType) int {
	k := ft.key()
	if i, ok := m.typeIdx[k]; ok {
		return i
	}
	m.types = append(m.types, ft)
	m.typeIdx[k] = len(m.types) - 1
	return len(m.types) - 1
}

func (m *module) randType() valType { return numTypes[m.r.Intn(4)] }

// anyType is a random value type: a number type, and with the reference
// features enabled sometimes exnref or a continuation reference.
func (m *module) anyType() valType {
	r := m.r
	if m.cfg.Exceptions && r.Intn(10) == 0 {
		return exnref
	}
	if m.cfg.StackSwitching && len(m.conts) > 0 && r.Intn(10) == 0 {
		return contRef(m.conts[r.Intn(len(m.conts))])
	}
	return m.randType()
}

// randTypes returns lo to hi random value types (anyType).
func (m *module) randTypes(lo, hi int) []valType { return m.typesOf(lo, hi, m.anyType) }

// randNumTypes returns lo to hi random number types.
func (m *module) randNumTypes(lo, hi int) []valType { return m.typesOf(lo, hi, m.randType) }

func (m *module) typesOf(lo, hi int, pick func() valType) []valType {
	n := lo + m.r.Intn(hi-lo+1)
	ts := make([]valType, n)
	for i := range ts {
		ts[i] = pick()
	}
	return ts
}

func (m *module) build() {
	r := m.r
	if m.cfg.HostCalls {
		for i, n := 0, 1+r.Intn(3); i < n; i++ {
			m.imports = append(m.imports, m.typeOf(funcType{params: m.randNumTypes(0, 5), results: m.randNumTypes(0, 2)}))
		}
		m.nimp = uint32(len(m.imports))
	}
	if m.cfg.StackSwitching {
		m.buildSwitchTypes()
	}
	for i := 0; i < m.cfg.Funcs; i++ {
		// The entry points take and return numbers only.
		types := m.randTypes
		if i < numRuns(m.cfg) {
			types = m.randNumTypes
		}
		// Mostly few parameters and results; sometimes enough to pass
		// some on the stack.
		params, results := types(0, 4), types(0, 3)
		if r.Intn(5) == 0 {
			params = types(5, 12)
		}
		if r.Intn(7) == 0 {
			results = types(4, 7)
		}
		ti := m.typeOf(funcType{params: params, results: results})
		if m.cfg.StackSwitching && i >= numRuns(m.cfg) {
			ti = m.coroutineType(ti)
		}
		m.funcs = append(m.funcs, ti)
		if m.cfg.StackSwitching {
			m.coro = append(m.coro, i >= numRuns(m.cfg) && (ti == m.sw.fn || r.Intn(3) != 0))
		}
	}
	for i, n := 0, 2+r.Intn(5); i < n; i++ {
		t := m.randType()
		m.globals = append(m.globals, global{t: t, mutable: r.Intn(2) == 0, init: m.constBits(t)})
	}
	m.budget = uint32(len(m.globals))
	m.globals = append(m.globals, global{t: i32, mutable: true, init: uint64(m.cfg.Budget)})
	if m.cfg.Exceptions || m.cfg.StackSwitching {
		m.buildTags()
	}

	m.memMin = 1 + uint32(r.Intn(2))
	if m.cfg.MemoryGrow {
		m.hasMax = true
		m.memMax = m.memMin + uint32(r.Intn(4))
	}
	for i, n := 0, 1+r.Intn(3); i < n; i++ {
		b := make([]byte, 1+r.Intn(64))
		r.Read(b)
		off := uint32(r.Intn(int(m.memMin)*65536 - len(b)))
		if r.Intn(2) == 0 {
			off %= 1024 // keep some data where the accesses cluster
		}
		m.data = append(m.data, dataSeg{offset: off, bytes: b})
	}
	if m.cfg.BulkMemory {
		for i, n := 0, 1+r.Intn(2); i < n; i++ {
			b := make([]byte, 1+r.Intn(32))
			r.Read(b)
			m.data = append(m.data, dataSeg{passive: true, bytes: b})
		}
	}
	if m.cfg.Tables {
		m.tableSize = uint32(len(m.funcs) + 1 + r.Intn(3))
		perm := r.Perm(len(m.funcs))
		for _, p := range perm[:1+r.Intn(len(perm))] {
			m.elems = append(m.elems, uint32(p))
		}
		for i, n := 0, 1+r.Intn(4); i < n; i++ {
			m.passiveElems = append(m.passiveElems, uint32(r.Intn(len(m.funcs))))
		}
	}
	if m.cfg.StackSwitching {
		// Functions in the table may be called from anywhere: they are
		// bare, and coroutines stay out of it.
		m.elems = m.notCoroutines(m.elems)
		m.passiveElems = m.notCoroutines(m.passiveElems)
		m.bare = make([]bool, len(m.funcs))
		for i := 0; i < numRuns(m.cfg); i++ {
			m.bare[i] = true
		}
		for _, j := range append(m.elems, m.passiveElems...) {
			m.bare[j] = true
		}
	}
	for i := range m.funcs {
		f := &fn{m: m, idx: i, typ: m.types[m.funcs[i]]}
		m.code = append(m.code, f.build())
	}
}

// constBits returns the bits of an interesting constant of type t.
func (m *module) constBits(t valType) uint64 {
	r := m.r
	switch t {
	case i32:
		vals := []int32{0, 1, -1, 2, 3, 7, 8, 31, 32, 255, 256, 65535, 65536, math.MaxInt32, math.MinInt32, -2}
		switch r.Intn(4) {
		case 0:
			return uint64(uint32(vals[r.Intn(len(vals))]))
		case 1:
			return uint64(uint32(int32(r.Intn(201) - 100)))
		case 2:
			return uint64(uint32(r.Intn(4096)))
		}
		return uint64(r.Uint32())
	case i64:
		vals := []int64{0, 1, -1, 2, 63, 64, math.MaxInt32, math.MinInt32, 1 << 32, math.MaxUint32, math.MaxInt64, math.MinInt64}
		switch r.Intn(4) {
		case 0:
			return uint64(vals[r.Intn(len(vals))])
		case 1:
			return uint64(int64(r.Intn(201) - 100))
		case 2:
			return uint64(int64(int32(r.Uint32())))
		}
		return r.Uint64()
	case f32:
		vals := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, float32(math.Inf(1)),
			float32(math.Inf(-1)), 2147483648, -2147483648, 2147483520, 4294967296, 4294967040, 9.223372e18,
			-9.223372e18, 1.8446743e19, math.MaxFloat32, math.SmallestNonzeroFloat32, 1e-40}
		switch r.Intn(5) {
		case 0:
			return uint64(math.Float32bits(vals[r.Intn(len(vals))]))
		case 1:
			return uint64(math.Float32bits(float32(r.Intn(2001)-1000) / 8))
		case 2:
			return 0x7FC00000 | uint64(r.Intn(2))<<31 // a NaN
		case 3:
			return uint64(math.Float32bits(float32(r.NormFloat64() * 1e6)))
		}
		return uint64(r.Uint32())
	default:
		vals := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, math.Inf(1), math.Inf(-1),
			2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296, 9223372036854775807,
			9223372036854774784, -9223372036854775808, 18446744073709551615, 18446744073709549568,
			math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-310}
		switch r.Intn(5) {
		case 0:
			return math.Float64bits(vals[r.Intn(len(vals))])
		case 1:
			return math.Float64bits(float64(r.Intn(2001)-1000) / 8)
		case 2:
			return 0x7FF8000000000000 | uint64(r.Intn(2))<<63
		case 3:
			return math.Float64bits(r.NormFloat64() * 1e12)
		}
		return r.Uint64()
	}
}

// fn generates one function body.
type fn struct {
	m       *module
	idx     int
	typ     funcType
	locals  []valType // parameters, then declared locals
	scratch map[valType]uint32
	ctrl    []label
	code    []byte
	calls   int // direct and guarded call sites so far
	resumes int // resumes of fresh continuations so far (cont.go)
}

// maxCalls bounds the call sites per function, which bounds the fan-out
// of the acyclic call graph.
const maxCalls = 3

func (f *fn) build() []byte {
	f.locals = append(f.locals, f.typ.params...)
	declared := f.m.randTypes(0, 5)
	if f.chance(4) {
		declared = f.m.randTypes(10, 24) // register pressure
	}
	f.locals = append(f.locals, declared...)
	f.scratch = map[valType]uint32{}
	for _, t := range numTypes {
		f.scratch[t] = uint32(len(f.locals))
		f.locals = append(f.locals, t)
	}
	f.ctrl = []label{{types: f.typ.results}}
	if f.m.refFeatures() {
		f.prologue(max(1, f.m.cfg.MaxDepth-2))
	}
	f.body(nil, f.typ.results, f.m.cfg.MaxDepth)
	f.op(opEnd)

	// Locals declaration: one entry per local (runs of 1 are valid).
	// Locals of reference types may have been added while generating.
	var out []byte
	decl := f.locals[len(f.typ.params):]
	out = appendU32(out, uint32(len(decl)))
	for _, t := range decl {
		out = appendU32(out, 1)
		out = appendValType(out, t)
	}
	return append(out, f.code...)
}

func (f *fn) op(b ...byte)      { f.code = append(f.code, b...) }
func (f *fn) u32(v uint32)      { f.code = appendU32(f.code, v) }
func (f *fn) chance(n int) bool { return f.m.r.Intn(n) == 0 }

// localOf picks a local of type t (a scratch one if no other exists; for
// a reference type, a new one if none exists).
func (f *fn) localOf(t valType) uint32 {
	var c []uint32
	for i, lt := range f.locals {
		if lt == t {
			c = append(c, uint32(i))
		}
	}
	if len(c) == 0 {
		f.locals = append(f.locals, t)
		return uint32(len(f.locals) - 1)
	}
	return c[f.m.r.Intn(len(c))]
}

// blockType encodes a block type, adding a type for multi-value blocks.
func (f *fn) blockType(params, results []valType) {
	switch {
	case len(params) == 0 && len(results) == 0:
		f.op(blockEmpty)
	case len(params) == 0 && len(results) == 1:
		f.code = appendValType(f.code, results[0])
	default:
		f.code = leb128.AppendInt(f.code, int64(f.m.typeOf(funcType{params: params, results: results})))
	}
}

func (f *fn) push(l label) { f.ctrl = append(f.ctrl, l) }
func (f *fn) pop()         { f.ctrl = f.ctrl[:len(f.ctrl)-1] }

// depthOf is the relative label index of control stack entry i.
func (f *fn) depthOf(i int) uint32 { return uint32(len(f.ctrl) - 1 - i) }

// targets returns the control entries a random branch may target.
func (f *fn) targets() []int {
	var ts []int
	for i, l := range f.ctrl {
		if !l.loop {
			ts = append(ts, i)
		}
	}
	return ts
}

func sameTypes(a, b []valType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// values pushes one value of each type.
func (f *fn) values(ts []valType, d int) {
	for _, t := range ts {
		f.expr(t, d)
	}
}

// consume pops values of types ts (top last) into locals or drops them.
func (f *fn) consume(ts []valType) {
	for i := len(ts) - 1; i >= 0; i-- {
		if f.chance(3) {
			f.op(opDrop)
		} else {
			f.op(opLocalSet)
			f.u32(f.localOf(ts[i]))
		}
	}
}

// convert turns the value on top of the stack from type a into number
// type b without trapping (a reference into whether it is null).
func (f *fn) convert(a, b valType) {
	if a == b {
		return
	}
	if a.isRef() {
		f.op(opRefIsNull)
		a = i32
		if b == i32 {
			return
		}
	}
	s := f.m.r.Intn(2) // signed or unsigned variant
	switch {
	case a == i32 && b == i64:
		f.op(0xAC + byte(s))
	case a == i64 && b == i32:
		f.op(0xA7)
	case a == f32 && b == f64:
		f.op(0xBB)
	case a == f64 && b == f32:
		f.op(0xB6)
	case a == i32 && b == f32:
		f.op(0xB2 + byte(s))
	case a == i64 && b == f32:
		f.op(0xB4 + byte(s))
	case a == i32 && b == f64:
		f.op(0xB7 + byte(s))
	case a == i64 && b == f64:
		f.op(0xB9 + byte(s))
	case a == f32 && b == i32:
		f.op(opPrefixFC, 0+byte(s))
	case a == f64 && b == i32:
		f.op(opPrefixFC, 2+byte(s))
	case a == f32 && b == i64:
		f.op(opPrefixFC, 4+byte(s))
	case a == f64 && b == i64:
		f.op(opPrefixFC, 6+byte(s))
	}
}

// combine replaces the top two values of type t by one.
func (f *fn) combine(t valType) {
	r := f.m.r
	switch t {
	case i32:
		f.op([]byte{0x6A, 0x6B, 0x6C, 0x73}[r.Intn(4)]) // add sub mul xor
	case i64:
		f.op([]byte{0x7C, 0x7D, 0x7E, 0x85}[r.Intn(4)])
	case f32:
		f.op([]byte{0x92, 0x93, 0x94, 0x96, 0x97}[r.Intn(5)]) // add sub mul min max
	case f64:
		f.op([]byte{0xA0, 0xA1, 0xA2, 0xA4, 0xA5}[r.Intn(5)])
	}
}

// fold turns values of types ts on top of the stack into one value of
// type t (pushing a leaf when ts is empty).
func (f *fn) fold(ts []valType, t valType) {
	if len(ts) == 0 {
		f.leaf(t)
		return
	}
	ts = append([]valType(nil), ts...)
	for n := len(ts); n > 1; n-- {
		if below := ts[n-2]; below.isRef() {
			// Set the top aside while the reference below becomes a
			// number.
			a := ts[n-1]
			if a.isRef() {
				f.convert(a, i32)
				a = i32
			}
			f.op(opLocalSet)
			f.u32(f.scratch[a])
			f.op(opRefIsNull)
			f.op(opLocalGet)
			f.u32(f.scratch[a])
			ts[n-2], ts[n-1] = i32, a
		}
		f.convert(ts[n-1], ts[n-2])
		f.combine(ts[n-2])
	}
	f.convert(ts[0], t)
}

// canonicalize replaces a NaN on top of the stack by the canonical NaN.
func (f *fn) canonicalize(t valType) {
	s := f.scratch[t]
	f.op(opLocalSet)
	f.u32(s)
	if t == f32 {
		f.op(opF32Const)
		f.code = appendLE(f.code, 0x7FC00000, 4)
	} else {
		f.op(opF64Const)
		f.code = appendLE(f.code, 0x7FF8000000000000, 8)
	}
	f.op(opLocalGet)
	f.u32(s)
	f.op(opLocalGet)
	f.u32(s)
	f.op(opLocalGet)
	f.u32(s)
	if t == f32 {
		f.op(0x5C) // f32.ne
	} else {
		f.op(0x62) // f64.ne
	}
	f.op(opSelect)
}

func (f *fn) constant(t valType, bits uint64) {
	switch t {
	case i32:
		f.op(opI32Const)
		f.code = leb128.AppendInt(f.code, int64(int32(uint32(bits))))
	case i64:
		f.op(opI64Const)
		f.code = leb128.AppendInt(f.code, int64(bits))
	case f32:
		f.op(opF32Const)
		f.code = appendLE(f.code, bits, 4)
	case f64:
		f.op(opF64Const)
		f.code = appendLE(f.code, bits, 8)
	}
}

// leaf pushes a constant, a local or a global of type t.
func (f *fn) leaf(t valType) {
	if t.isRef() {
		f.refLeaf(t)
		return
	}
	r := f.m.r
	switch r.Intn(4) {
	case 0, 1:
		f.constant(t, f.m.constBits(t))
	case 2:
		f.op(opLocalGet)
		f.u32(f.localOf(t))
	default:
		var gs []uint32
		for i, g := range f.m.globals {
			if g.t == t {
				gs = append(gs, uint32(i))
			}
		}
		if len(gs) == 0 {
			f.constant(t, f.m.constBits(t))
			return
		}
		f.op(opGlobalGet)
		f.u32(gs[r.Intn(len(gs))])
	}
}

// expr pushes one value of type t, nesting at most d deep.
func (f *fn) expr(t valType, d int) {
	if t.isRef() {
		f.refExpr(t, d)
		return
	}
	if d <= 0 {
		f.leaf(t)
		return
	}
	if f.m.refFeatures() && f.chance(10) {
		f.featureExpr(t, d)
		return
	}
	if f.m.cfg.SIMD && f.chance(5) {
		f.simdExpr(t, d) // simd.go
		return
	}
	switch k := f.m.r.Intn(24); {
	case k < 4:
		f.leaf(t)
	case k < 12:
		f.numeric(t, d)
	case k < 14:
		f.load(t, d)
	case k == 14:
		f.selectExpr(t, d)
	case k == 15:
		f.expr(t, d-1)
		f.op(opLocalTee)
		f.u32(f.localOf(t))
	case k == 16:
		f.callExpr(t, d)
	case k == 17:
		f.blockExpr(opBlock, t, d)
	case k == 18:
		f.blockExpr(opIf, t, d)
	case k == 19:
		f.blockExpr(opLoop, t, d)
	case k == 20:
		f.brIfExpr(t, d)
	case k == 21:
		f.guardedCall(t, d)
	default:
		f.special(t, d)
	}
}

func (f *fn) numeric(t valType, d int) {
	ops := opsByResult[t]
	o := ops[f.m.r.Intn(len(ops))]
	for i, a := range o.args {
		f.expr(a, d-1)
		if i == o.canon {
			f.canonicalize(a)
		}
	}
	if o.divides && f.chance(2) {
		// Make the divisor odd half of the time, so not every division
		// risks a trap.
		f.constant(t, 1)
		if t == i32 {
			f.op(0x72) // i32.or
		} else {
			f.op(0x84) // i64.or
		}
	}
	f.op(o.enc...)
}

// addr pushes a memory address: mostly masked into a small hot region so
// loads meet earlier stores, sometimes anywhere.
func (f *fn) addr(d int) {
	r := f.m.r
	switch k := r.Intn(25); {
	case k < 18:
		f.expr(i32, d-1)
		f.constant(i32, []uint64{0xFF, 0x3FF, 0xFFFF}[r.Intn(3)])
		f.op(0x71) // i32.and
	case k < 24:
		pages := f.m.memMin
		if f.m.hasMax && r.Intn(3) == 0 {
			pages = f.m.memMax // in bounds once the memory has grown
		}
		f.constant(i32, uint64(r.Intn(int(pages)*65536+64)))
	default:
		f.expr(i32, d-1)
	}
}

func (f *fn) memarg(natural uint32) {
	r := f.m.r
	f.u32(uint32(r.Intn(int(natural) + 1)))
	switch r.Intn(80) {
	case 0, 1:
		f.u32(uint32(r.Intn(65536 * 2)))
	case 2:
		f.u32(r.Uint32())
	default:
		f.u32(uint32(r.Intn(33)))
	}
}

func (f *fn) load(t valType, d int) {
	var c []memOp
	for _, l := range loads {
		if l.t == t {
			c = append(c, l)
		}
	}
	l := c[f.m.r.Intn(len(c))]
	f.addr(d)
	f.op(l.code)
	f.memarg(l.align)
}

func (f *fn) store(d int) {
	s := stores[f.m.r.Intn(len(stores))]
	f.addr(d)
	f.expr(s.t, d-1)
	if s.t.isFloat() {
		f.canonicalize(s.t)
	}
	f.op(s.code)
	f.memarg(s.align)
}

func (f *fn) selectExpr(t valType, d int) {
	f.expr(t, d-1)
	f.expr(t, d-1)
	f.expr(i32, d-1)
	if f.chance(3) {
		f.op(0x1C, 1, byte(t)) // typed select
	} else {
		f.op(opSelect)
	}
}

// callees returns the functions f may call directly (acyclic: j > idx).
func (f *fn) callees() []int {
	var cs []int
	for j := f.idx + 1; j < len(f.m.funcs); j++ {
		if f.mayCall(j) {
			cs = append(cs, j)
		}
	}
	return cs
}

// mayCall reports whether f may call function j directly: with stack
// switching, functions that may run outside a continuation do not call
// coroutines (cont.go).
func (f *fn) mayCall(j int) bool { return f.m.coro == nil || !f.m.bare[f.idx] || !f.m.coro[j] }

// call emits a direct call to a later function and returns its result
// types, or false if f has no callee or no call sites left.
func (f *fn) call(d int) ([]valType, bool) {
	cs := f.callees()
	if len(cs) == 0 || f.calls >= maxCalls {
		return nil, false
	}
	f.calls++
	j := cs[f.m.r.Intn(len(cs))]
	f.m.callsFrom(f.idx, j)
	ft := f.m.types[f.m.funcs[j]]
	f.values(ft.params, d-1)
	f.op(opCall)
	f.u32(f.m.nimp + uint32(j))
	return ft.results, true
}

// hostCall emits a call to an imported function and returns its result
// types, or false if there are none.
func (f *fn) hostCall(d int) ([]valType, bool) {
	if len(f.m.imports) == 0 {
		return nil, false
	}
	i := f.m.r.Intn(len(f.m.imports))
	ft := f.m.types[f.m.imports[i]]
	f.values(ft.params, d-1)
	f.op(opCall)
	f.u32(uint32(i))
	return ft.results, true
}

func (f *fn) callExpr(t valType, d int) {
	if f.chance(3) {
		if rs, ok := f.hostCall(d); ok {
			f.fold(rs, t)
			return
		}
	}
	rs, ok := f.call(d)
	if !ok {
		f.numeric(t, d)
		return
	}
	f.fold(rs, t)
}

// guard opens `if (budget != 0) { budget-- …` producing results, and
// returns the function closing it with an else arm of constants.
func (f *fn) guard(results []valType) func() {
	f.op(opGlobalGet)
	f.u32(f.m.budget)
	f.op(opIf)
	f.blockType(nil, results)
	f.push(label{types: results})
	f.op(opGlobalGet)
	f.u32(f.m.budget)
	f.constant(i32, 1)
	f.op(0x6B) // i32.sub
	f.op(opGlobalSet)
	f.u32(f.m.budget)
	return func() {
		f.op(opElse)
		f.defaults(results)
		f.op(opEnd)
		f.pop()
	}
}

// defaults pushes a constant (a null reference) of each type.
func (f *fn) defaults(ts []valType) {
	for _, t := range ts {
		if t.isRef() {
			f.op(opRefNull)
			f.code = appendHeapType(f.code, t)
			continue
		}
		f.constant(t, f.m.constBits(t))
	}
}

// guardedCall emits a budget-guarded recursive call or call_indirect and
// returns its result types.
func (f *fn) guarded(d int) ([]valType, bool) {
	if f.calls >= maxCalls {
		return nil, false
	}
	r := f.m.r
	if f.m.cfg.Tables && r.Intn(3) != 0 {
		f.calls++
		ti := f.m.funcs[r.Intn(len(f.m.funcs))]
		ft := f.m.types[ti]
		end := f.guard(ft.results)
		f.values(ft.params, d-1)
		if r.Intn(2) == 0 {
			f.constant(i32, uint64(r.Intn(int(f.m.tableSize)+2)))
		} else {
			f.expr(i32, d-1)
			f.constant(i32, 7)
			f.op(0x71)
		}
		f.op(opCallIndirect)
		f.u32(uint32(ti))
		f.u32(0)
		end()
		return ft.results, true
	}
	f.calls++
	if f.m.cfg.StackOverflow && r.Intn(40) == 0 {
		// Unbounded recursion under a mostly-false condition: when
		// reached, it must exhaust the call stack on every engine.
		f.expr(i32, d-1)
		f.constant(i32, 3)
		f.op(0x71, 0x45) // i32.and, i32.eqz
		f.op(opIf)
		f.blockType(nil, f.typ.results)
		f.push(label{types: f.typ.results})
		f.values(f.typ.params, d-1)
		f.op(opCall)
		f.u32(f.m.nimp + uint32(f.idx))
		f.op(opElse)
		f.defaults(f.typ.results)
		f.op(opEnd)
		f.pop()
		return f.typ.results, true
	}
	end := f.guard(f.typ.results)
	f.values(f.typ.params, d-1)
	f.op(opCall)
	f.u32(f.m.nimp + uint32(f.idx))
	end()
	return f.typ.results, true
}

func (f *fn) guardedCall(t valType, d int) {
	rs, ok := f.guarded(d)
	if !ok {
		f.numeric(t, d)
		return
	}
	f.fold(rs, t)
}

// blockExpr emits a block, if or loop with random parameters and results
// and folds its results into one value of type t.
func (f *fn) blockExpr(kind byte, t valType, d int) {
	params := f.m.randTypes(0, 2)
	results := f.m.randTypes(1, 3)
	f.structured(kind, params, results, d)
	f.fold(results, t)
}

// structured emits block/if/loop params→results; the parameters are
// computed here.
func (f *fn) structured(kind byte, params, results []valType, d int) {
	f.values(params, d-1)
	switch kind {
	case opBlock:
		f.op(opBlock)
		f.blockType(params, results)
		f.push(label{types: results})
		f.body(params, results, d-1)
	case opIf:
		f.expr(i32, d-1)
		f.op(opIf)
		f.blockType(params, results)
		f.push(label{types: results})
		f.body(params, results, d-1)
		if len(params) > 0 || len(results) > 0 || !f.chance(3) {
			f.op(opElse)
			f.body(params, results, d-1)
		}
	case opLoop:
		f.op(opLoop)
		f.blockType(params, results)
		f.push(label{types: params, loop: true})
		loop := len(f.ctrl) - 1
		f.consume(params)
		f.stmts(d - 1)
		// The back edge, guarded by the budget.
		f.op(opGlobalGet)
		f.u32(f.m.budget)
		f.op(opIf, blockEmpty)
		f.push(label{})
		f.op(opGlobalGet)
		f.u32(f.m.budget)
		f.constant(i32, 1)
		f.op(0x6B)
		f.op(opGlobalSet)
		f.u32(f.m.budget)
		f.values(params, d-1)
		f.expr(i32, d-1)
		f.op(opBrIf)
		f.u32(f.depthOf(loop))
		f.consume(params)
		f.op(opEnd)
		f.pop()
		f.tail(results, d-1)
	}
	f.op(opEnd)
	f.pop()
}

// brIfExpr: block (result t) value; cond; br_if 0; op; end.
func (f *fn) brIfExpr(t valType, d int) {
	f.op(opBlock, byte(t))
	f.push(label{types: []valType{t}})
	f.expr(t, d-1)
	f.expr(i32, d-1)
	f.op(opBrIf, 0)
	var c []numOp
	for _, o := range opsByResult[t] {
		if len(o.args) == 1 && o.args[0] == t {
			c = append(c, o)
		}
	}
	if len(c) > 0 && f.chance(2) {
		f.op(c[f.m.r.Intn(len(c))].enc...)
	}
	f.op(opEnd)
	f.pop()
}

// special emits memory.size/grow and table instructions.
func (f *fn) special(t valType, d int) {
	r := f.m.r
	if t != i32 {
		f.numeric(t, d)
		return
	}
	switch r.Intn(4) {
	case 0:
		f.op(opMemorySize, 0)
		return
	case 1:
		if f.m.cfg.MemoryGrow {
			f.expr(i32, d-1)
			f.constant(i32, 3)
			f.op(0x71)
			f.op(opMemoryGrow, 0)
			return
		}
	case 2, 3:
		if f.m.cfg.Tables {
			switch r.Intn(3) {
			case 0:
				f.op(opPrefixFC, fcTableSize, 0)
			case 1:
				f.op(opRefNull, funcref)
				f.expr(i32, d-1)
				f.constant(i32, 3)
				f.op(0x71)
				f.op(opPrefixFC, fcTableGrow, 0)
			default:
				f.tableIndex(d)
				f.op(opTableGet, 0)
				f.op(opRefIsNull)
			}
			return
		}
	}
	f.numeric(t, d)
}

func (f *fn) tableIndex(d int) {
	r := f.m.r
	if r.Intn(2) == 0 {
		f.constant(i32, uint64(r.Intn(int(f.m.tableSize)+2)))
		return
	}
	f.expr(i32, d-1)
	f.constant(i32, 7)
	f.op(0x71)
}

// body turns params on the stack into results: statements, then a tail.
func (f *fn) body(params, results []valType, d int) {
	f.consume(params)
	f.stmts(d)
	f.tail(results, d)
}

func (f *fn) stmts(d int) {
	if d <= 0 {
		return
	}
	n := f.m.r.Intn(max(1, f.m.cfg.MaxStmts-(f.m.cfg.MaxDepth-d)) + 1)
	for i := 0; i < n; i++ {
		f.stmt(d)
	}
}

// tail pushes results, or ends the block with a branch, return, throw or
// trap.
func (f *fn) tail(results []valType, d int) {
	r := f.m.r
	if f.m.cfg.Exceptions && f.chance(16) {
		f.throwTail(d)
		return
	}
	switch k := r.Intn(12); {
	case k < 8:
		f.values(results, d)
	case k < 10:
		ts := f.targets()
		i := ts[r.Intn(len(ts))]
		f.values(f.ctrl[i].types, d)
		f.op(opBr)
		f.u32(f.depthOf(i))
	case k == 10:
		ts := f.targets()
		i := ts[r.Intn(len(ts))]
		var same []int
		for _, j := range ts {
			if sameTypes(f.ctrl[j].types, f.ctrl[i].types) {
				same = append(same, j)
			}
		}
		f.values(f.ctrl[i].types, d)
		f.expr(i32, d-1)
		n := r.Intn(5)
		f.op(opBrTable)
		f.u32(uint32(n))
		for c := 0; c <= n; c++ { // n targets and the default
			f.u32(f.depthOf(same[r.Intn(len(same))]))
		}
	default:
		if f.chance(6) {
			f.op(opUnreachable)
			return
		}
		f.values(f.typ.results, d)
		f.op(opReturn)
	}
}

// stmt emits an instruction sequence that leaves the stack unchanged.
func (f *fn) stmt(d int) {
	r := f.m.r
	if f.m.refFeatures() && (f.chance(6) || f.m.coro != nil && f.m.coro[f.idx] && f.chance(6)) {
		f.featureStmt(d)
		return
	}
	if f.m.cfg.SIMD && f.chance(10) {
		f.vstore(d) // simd.go
		return
	}
	switch k := r.Intn(20); {
	case k < 3:
		t := f.m.randType()
		f.expr(t, d)
		f.op(opLocalSet)
		f.u32(f.localOf(t))
	case k < 5:
		var gs []int
		for i, g := range f.m.globals {
			if g.mutable && uint32(i) != f.m.budget {
				gs = append(gs, i)
			}
		}
		if len(gs) == 0 {
			f.store(d)
			return
		}
		g := gs[r.Intn(len(gs))]
		f.expr(f.m.globals[g].t, d)
		f.op(opGlobalSet)
		f.u32(uint32(g))
	case k < 8:
		f.store(d)
	case k == 8:
		if f.chance(3) {
			if rs, ok := f.hostCall(d); ok {
				f.consume(rs)
				return
			}
		}
		if rs, ok := f.call(d); ok {
			f.consume(rs)
		}
	case k == 9:
		if rs, ok := f.guarded(d); ok {
			f.consume(rs)
		}
	case k == 10, k == 11, k == 12:
		kind := []byte{opBlock, opIf, opLoop}[k-10]
		var params, results []valType
		if f.chance(2) {
			params, results = f.m.randTypes(0, 2), f.m.randTypes(0, 2)
		}
		f.structured(kind, params, results, d)
		f.consume(results)
	case k == 13:
		ts := f.targets()
		i := ts[r.Intn(len(ts))]
		f.values(f.ctrl[i].types, d-1)
		f.expr(i32, d-1)
		f.op(opBrIf)
		f.u32(f.depthOf(i))
		f.consume(f.ctrl[i].types)
	case k == 14:
		f.switchStmt(d)
	case k == 15:
		t := f.m.randType()
		f.expr(t, d)
		f.op(opDrop)
	case k == 16:
		// A conditional trap or return, under a condition that is
		// mostly false.
		f.expr(i32, d-1)
		f.constant(i32, 7)
		f.op(0x71, 0x45) // i32.and, i32.eqz
		f.op(opIf, blockEmpty)
		f.push(label{})
		if f.chance(3) {
			f.op(opUnreachable)
		} else {
			f.values(f.typ.results, d-1)
			f.op(opReturn)
		}
		f.op(opEnd)
		f.pop()
	default:
		f.extraStmt(d)
	}
}

// tailCall emits, under a condition, a return_call to a later function
// with the same results, or a budget-guarded return_call to itself or
// return_call_indirect (which may form cycles; the budget ends them).
func (f *fn) tailCall(d int) {
	r := f.m.r
	m := f.m
	var later []int
	for j := f.idx + 1; j < len(m.funcs); j++ {
		if sameTypes(m.types[m.funcs[j]].results, f.typ.results) && f.mayCall(j) {
			later = append(later, j)
		}
	}
	var itypes []int
	if m.cfg.Tables {
		for _, ti := range m.funcs {
			if sameTypes(m.types[ti].results, f.typ.results) {
				itypes = append(itypes, ti)
			}
		}
	}
	k := r.Intn(3)
	switch {
	case k == 0 && len(later) > 0:
		j := later[r.Intn(len(later))]
		f.expr(i32, d-1)
		f.constant(i32, 1)
		f.op(0x71)             // i32.and
		f.op(opIf, blockEmpty) // a label for the arguments' branches
		f.push(label{})
		m.callsFrom(f.idx, j)
		f.values(m.types[m.funcs[j]].params, d-1)
		f.op(opReturnCall)
		f.u32(m.nimp + uint32(j))
	case k == 1 && len(itypes) > 0:
		ti := itypes[r.Intn(len(itypes))]
		f.guardStmt()
		f.values(m.types[ti].params, d-1)
		f.tableIndex(d)
		f.op(opReturnCallIndirect)
		f.u32(uint32(ti))
		f.u32(0)
	default:
		f.guardStmt()
		f.values(f.typ.params, d-1)
		f.op(opReturnCall)
		f.u32(m.nimp + uint32(f.idx))
	}
	f.op(opEnd)
	f.pop()
}

// guardStmt opens `if (budget != 0) { budget--` with no results; the
// caller emits the body, `end` and pops the label.
func (f *fn) guardStmt() {
	f.op(opGlobalGet)
	f.u32(f.m.budget)
	f.op(opIf, blockEmpty)
	f.push(label{})
	f.op(opGlobalGet)
	f.u32(f.m.budget)
	f.constant(i32, 1)
	f.op(0x6B) // i32.sub
	f.op(opGlobalSet)
	f.u32(f.m.budget)
}

// switchStmt: n nested blocks and a br_table choosing how many to leave;
// a statement after each block's end.
func (f *fn) switchStmt(d int) {
	r := f.m.r
	n := 1 + r.Intn(4)
	for i := 0; i < n; i++ {
		f.op(opBlock, blockEmpty)
		f.push(label{})
	}
	f.expr(i32, d-1)
	m := r.Intn(n + 2)
	f.op(opBrTable)
	f.u32(uint32(m))
	for i := 0; i <= m; i++ {
		f.u32(uint32(r.Intn(n)))
	}
	for i := 0; i < n; i++ {
		f.op(opEnd)
		f.pop()
		f.stmt(d - 1)
	}
}

// extraStmt emits the feature-flagged statements (bulk memory, tables,
// memory.grow), or a store when none is enabled.
func (f *fn) extraStmt(d int) {
	r := f.m.r
	m := f.m
	var choices []func()
	if m.cfg.BulkMemory {
		choices = append(choices, func() {
			f.addr(d)
			f.expr(i32, d-1)
			f.constant(i32, uint64(r.Intn(300)))
			f.op(opPrefixFC, fcMemoryFill, 0)
		}, func() {
			f.addr(d)
			f.addr(d)
			f.constant(i32, uint64(r.Intn(300)))
			f.op(opPrefixFC, fcMemoryCopy, 0, 0)
		}, func() {
			var passive []int
			for i, s := range m.data {
				if s.passive {
					passive = append(passive, i)
				}
			}
			seg := passive[r.Intn(len(passive))]
			if r.Intn(8) == 0 {
				f.op(opPrefixFC, fcDataDrop)
				f.u32(uint32(seg))
				return
			}
			f.addr(d)
			f.constant(i32, uint64(r.Intn(len(m.data[seg].bytes)+2)))
			f.constant(i32, uint64(r.Intn(len(m.data[seg].bytes)+2)))
			f.op(opPrefixFC, fcMemoryInit)
			f.u32(uint32(seg))
			f.op(0)
		})
	}
	if m.cfg.Tables {
		n := func() { f.constant(i32, uint64(r.Intn(4))) } // a short length
		// at is a start index, mostly leaving room for a short range.
		at := func() {
			if r.Intn(4) == 0 {
				f.tableIndex(d)
			} else {
				f.constant(i32, uint64(r.Intn(int(m.tableSize)-2)))
			}
		}
		choices = append(choices, func() {
			at()
			at()
			n()
			f.op(opPrefixFC, fcTableCopy, 0, 0)
		}, func() {
			at()
			f.op(opRefNull, funcref)
			n()
			f.op(opPrefixFC, fcTableFill, 0)
		}, func() {
			if r.Intn(8) == 0 {
				f.op(opPrefixFC, fcElemDrop, 1) // the passive segment
				return
			}
			at()
			f.constant(i32, uint64(r.Intn(len(m.passiveElems)+1)))
			n()
			f.op(opPrefixFC, fcTableInit, 1, 0)
		}, func() {
			f.tableIndex(d)
			if r.Intn(3) == 0 || len(m.elems) == 0 {
				f.op(opRefNull, funcref)
			} else {
				// ref.func needs a declared function: one in the segment.
				f.op(opRefFunc)
				f.u32(m.nimp + m.elems[r.Intn(len(m.elems))])
			}
			f.op(opTableSet, 0)
		})
	}
	if m.cfg.MemoryGrow {
		choices = append(choices, func() {
			f.constant(i32, uint64(r.Intn(3)))
			f.op(opMemoryGrow, 0)
			f.op(opDrop)
		})
	}
	if m.cfg.TailCalls {
		choices = append(choices, func() { f.tailCall(d) }, func() { f.tailCall(d) })
	}
	if len(choices) == 0 {
		f.store(d)
		return
	}
	choices[r.Intn(len(choices))]()
}

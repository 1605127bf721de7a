package gen

// Exceptions (Config.Exceptions): tags, throw, throw_ref, try_table and
// exnref values, and the dispatch of the statements and expressions of
// both reference features.
//
// A try_table whose clauses have handlers of their own is laid out as the
// usual nest of blocks, one per such clause, each handler turning its
// label's values into the try_table's results:
//
//	block $done (result R)
//	  block $h1 (result L1)
//	    block $h0 (result L0)
//	      params; try_table (param P) (result R) (catch $t $h0) (catch_all_ref $h1)
//	        body: P → R
//	      end
//	      br $done
//	    end
//	    handler: L0 → R
//	    br $done
//	  end
//	  handler: L1 → R
//	end
//
// A clause's label type Lk is the tag's payload, plus exnref for the _ref
// kinds; a clause may instead target an enclosing block of that type. A
// handler that receives an exnref may rethrow it at once (throw_ref), keep
// it in a local for a later throw_ref (a rethrow from elsewhere), or drop
// it. Throws sit under conditions, at the end of blocks and inside callees,
// so exceptions cross calls, call_indirect, tail calls, host functions and
// continuations before something catches them, or nothing does.
//
// Termination: nothing here branches backwards; handlers only target
// forward labels.

// tagDef is a tag the module defines, exported as tag<index>.
type tagDef struct {
	ti              int // its function type
	params, results []valType
}

// refTable is a table of a reference type, after the funcref table.
type refTable struct {
	t    valType
	size uint32
}

// refFeatures reports whether exceptions or stack switching are enabled.
func (m *module) refFeatures() bool { return m.cfg.Exceptions || m.cfg.StackSwitching }

func (m *module) addTag(params, results []valType) int {
	m.tags = append(m.tags, tagDef{ti: m.typeOf(funcType{params: params, results: results}), params: params, results: results})
	return len(m.tags) - 1
}

// buildTags makes the exception tags (no results) and the tags for
// suspend and switch (cont.go).
func (m *module) buildTags() {
	r := m.r
	if m.cfg.Exceptions {
		for i, n := 0, 1+r.Intn(3); i < n; i++ {
			ps := m.randTypes(0, 3)
			if r.Intn(6) == 0 {
				ps = append(ps, exnref) // an exception carrying an exception
			}
			m.addTag(ps, nil)
		}
		m.globals = append(m.globals, global{t: exnref, mutable: true})
	}
	if m.cfg.StackSwitching {
		m.buildContTags()
	}
}

// exnTags returns the tags a throw may use: those without results.
func (m *module) exnTags() []int {
	var ts []int
	for i, t := range m.tags {
		if len(t.results) == 0 {
			ts = append(ts, i)
		}
	}
	return ts
}

// refGlobalOf returns a mutable global of reference type t, adding one
// (not exported, initially null) if there is none.
func (m *module) refGlobalOf(t valType) uint32 {
	for i, g := range m.globals {
		if g.t == t {
			return uint32(i)
		}
	}
	m.globals = append(m.globals, global{t: t, mutable: true})
	return uint32(len(m.globals) - 1)
}

// refTableOf returns the index of a table of reference type t, adding one
// if there is none.
func (m *module) refTableOf(t valType) (idx, size uint32) {
	base := uint32(0)
	if m.cfg.Tables {
		base = 1
	}
	for i, rt := range m.refTables {
		if rt.t == t {
			return base + uint32(i), rt.size
		}
	}
	m.refTables = append(m.refTables, refTable{t: t, size: uint32(2 + m.r.Intn(5))})
	return base + uint32(len(m.refTables)-1), m.refTables[len(m.refTables)-1].size
}

// prologue starts a function with a statement of the reference features
// that usually runs, before anything random has had a chance to return or
// trap: a try_table, and with stack switching, in a coroutine a suspend or
// a switch, elsewhere a resume.
func (f *fn) prologue(d int) {
	m := f.m
	if m.cfg.StackSwitching {
		switch {
		case f.mayUseSwitch() && !f.chance(3):
			f.consume(f.contSwitch(d))
		case m.coro[f.idx] && !m.bare[f.idx]:
			f.consume(f.suspend(d))
		default:
			f.consume(f.resumeSomething(d))
		}
	}
	if m.cfg.Exceptions && f.chance(2) {
		f.tryStmt(d)
	}
}

// featureStmt emits one of the statements of the enabled reference
// features.
func (f *fn) featureStmt(d int) {
	var choices []func()
	if f.m.cfg.Exceptions {
		choices = append(choices,
			func() { f.throwStmt(d) },
			func() { f.throwRefStmt(d) },
			func() { f.tryStmt(d) },
			func() { f.tryStmt(d) },
			func() { f.refStore(exnref, d) },
		)
	}
	if f.m.cfg.StackSwitching {
		choices = append(choices, f.contStmts(d)...)
	}
	choices[f.m.r.Intn(len(choices))]()
}

// featureExpr pushes a number of type t computed by one of the reference
// features' constructs.
func (f *fn) featureExpr(t valType, d int) {
	var choices []func()
	if f.m.cfg.Exceptions {
		choices = append(choices,
			func() {
				results := f.m.randTypes(1, 3)
				f.tryTable(f.m.randTypes(0, 2), results, d)
				f.fold(results, t)
			},
			func() {
				f.refExpr(exnref, d)
				f.fold([]valType{exnref}, t)
			},
		)
	}
	if f.m.cfg.StackSwitching {
		choices = append(choices, f.contExprs(t, d)...)
	}
	choices[f.m.r.Intn(len(choices))]()
}

// refLeaf pushes a null reference or a local, global or table element of
// reference type t.
func (f *fn) refLeaf(t valType) {
	r := f.m.r
	switch r.Intn(6) {
	case 0:
		f.op(opRefNull)
		f.code = appendHeapType(f.code, t)
	case 1, 2, 3:
		f.op(opLocalGet)
		f.u32(f.localOf(t))
	case 4:
		f.op(opGlobalGet)
		f.u32(f.m.refGlobalOf(t))
	default:
		tab, size := f.m.refTableOf(t)
		f.constant(i32, uint64(r.Intn(int(size))))
		f.op(opTableGet)
		f.u32(tab)
	}
}

// refExpr pushes a value of reference type t.
func (f *fn) refExpr(t valType, d int) {
	if t.contType() >= 0 {
		f.contExpr(t.contType(), d)
		return
	}
	r := f.m.r
	switch k := r.Intn(8); {
	case d <= 0 || k < 3:
		f.refLeaf(t)
	case k < 6:
		f.catchExn(d, false)
	case k == 6:
		f.typedSelect(t, d)
	default:
		kind := []byte{opBlock, opIf}[r.Intn(2)]
		f.structured(kind, f.m.randTypes(0, 1), []valType{t}, d)
	}
}

// typedSelect chooses between two values of type t.
func (f *fn) typedSelect(t valType, d int) {
	f.expr(t, d-1)
	f.expr(t, d-1)
	f.expr(i32, d-1)
	f.op(opSelectT, 1)
	f.code = appendValType(f.code, t)
}

// refStore stores a value of reference type t in a local, the global or
// the table of that type.
func (f *fn) refStore(t valType, d int) {
	r := f.m.r
	switch r.Intn(3) {
	case 0:
		f.expr(t, d)
		f.op(opLocalSet)
		f.u32(f.localOf(t))
	case 1:
		f.expr(t, d)
		f.op(opGlobalSet)
		f.u32(f.m.refGlobalOf(t))
	default:
		tab, size := f.m.refTableOf(t)
		i := r.Intn(int(size))
		if f.chance(10) {
			i = int(size) // out of bounds
		}
		f.constant(i32, uint64(i))
		f.expr(t, d)
		f.op(opTableSet)
		f.u32(tab)
	}
}

// rarely pushes an i32 condition that holds about one time in 2, 4 or 8.
func (f *fn) rarely(d int) {
	f.expr(i32, d-1)
	f.constant(i32, []uint64{1, 3, 7}[f.m.r.Intn(3)])
	f.op(0x71, 0x45) // i32.and, i32.eqz
}

// seldom pushes an i32 condition that holds about one time in 2^bits,
// even when its input is a constant: a hash of the input with a constant
// of this site, (x ^ k) * m >> (32 - bits) == 0.
func (f *fn) seldom(d, bits int) {
	r := f.m.r
	f.expr(i32, d-1)
	f.constant(i32, uint64(r.Uint32()))
	f.op(0x73) // i32.xor
	f.constant(i32, uint64(r.Uint32()|1))
	f.op(0x6C) // i32.mul
	f.constant(i32, uint64(32-bits))
	f.op(0x76, 0x45) // i32.shr_u, i32.eqz
}

// throw throws a random tag with a computed payload.
func (f *fn) throw(d int) {
	ts := f.m.exnTags()
	t := ts[f.m.r.Intn(len(ts))]
	f.values(f.m.tags[t].params, d-1)
	f.op(opThrow)
	f.u32(uint32(t))
}

// throwTail ends a block with a throw, or rethrows an exnref.
func (f *fn) throwTail(d int) {
	if f.chance(4) {
		f.exnOperand(d)
		f.op(opThrowRef)
		return
	}
	f.throw(d)
}

// exnOperand pushes an exnref for throw_ref or resume_throw_ref: mostly
// one that cannot be null, sometimes any (null traps).
func (f *fn) exnOperand(d int) {
	if f.chance(5) {
		f.refExpr(exnref, d)
		return
	}
	f.catchExn(d, true)
}

// throwStmt throws under a condition.
func (f *fn) throwStmt(d int) {
	f.rarely(d)
	f.op(opIf, blockEmpty)
	f.push(label{})
	f.throw(d)
	f.op(opEnd)
	f.pop()
}

// throwRefStmt rethrows an exnref if it is not null (or, now and then,
// regardless).
func (f *fn) throwRefStmt(d int) {
	e := f.localOf(exnref)
	f.refExpr(exnref, d)
	f.op(opLocalTee)
	f.u32(e)
	if f.chance(5) {
		f.op(opDrop)
		f.rarely(d)
	} else {
		f.op(opRefIsNull, 0x45) // i32.eqz
	}
	f.op(opIf, blockEmpty)
	f.push(label{})
	f.op(opLocalGet)
	f.u32(e)
	f.op(opThrowRef)
	f.op(opEnd)
	f.pop()
}

// tryStmt is a try_table whose results are consumed.
func (f *fn) tryStmt(d int) {
	params, results := f.m.randTypes(0, 2), f.m.randTypes(0, 2)
	f.tryTable(params, results, d)
	f.consume(results)
}

// catchClause is a clause of a try_table being generated.
type catchClause struct {
	kind  byte
	tag   int       // for catch and catch_ref
	types []valType // what its label receives
	ctrl  int       // the target's control stack index, or -1-k for own handler k
}

// labelsOfType returns the forward labels whose types are ts.
func (f *fn) labelsOfType(ts []valType) []int {
	var ls []int
	for _, i := range f.targets() {
		if sameTypes(f.ctrl[i].types, ts) {
			ls = append(ls, i)
		}
	}
	return ls
}

// tryTable emits a try_table from params (computed here) to results with
// 0 to 3 random catch clauses, in the layout of the file comment.
func (f *fn) tryTable(params, results []valType, d int) {
	r := f.m.r
	tags := f.m.exnTags()
	var cs []catchClause
	var own [][]valType
	for i, n := 0, r.Intn(4); i < n; i++ {
		c := catchClause{kind: byte(r.Intn(4)), tag: -1}
		if c.kind == catchTag || c.kind == catchTagRef {
			c.tag = tags[r.Intn(len(tags))]
			c.types = append(c.types, f.m.tags[c.tag].params...)
		}
		if c.kind == catchTagRef || c.kind == catchAllRef {
			c.types = append(c.types, exnref)
		}
		if ls := f.labelsOfType(c.types); len(ls) > 0 && f.chance(4) {
			c.ctrl = ls[r.Intn(len(ls))]
		} else {
			c.ctrl = -1 - len(own)
			own = append(own, c.types)
		}
		cs = append(cs, c)
	}
	done := -1
	if len(own) > 0 {
		f.op(opBlock)
		f.blockType(nil, results)
		f.push(label{types: results})
		done = len(f.ctrl) - 1
		for k := len(own) - 1; k >= 0; k-- {
			f.op(opBlock)
			f.blockType(nil, own[k])
			f.push(label{types: own[k]})
		}
	}
	f.values(params, d-1)
	f.op(opTryTable)
	f.blockType(params, results)
	f.u32(uint32(len(cs)))
	for _, c := range cs {
		f.op(c.kind)
		if c.tag >= 0 {
			f.u32(uint32(c.tag))
		}
		i := c.ctrl
		if i < 0 {
			i = done + len(own) - (-1 - i) // own handler k is k blocks inside $done's innermost
		}
		f.u32(f.depthOf(i))
	}
	f.push(label{types: results})
	f.consume(params)
	f.stmts(d - 1)
	if f.chance(2) {
		f.throwStmt(d - 1)
	}
	f.tail(results, d-1)
	f.op(opEnd)
	f.pop()
	if len(own) == 0 {
		return
	}
	f.op(opBr)
	f.u32(f.depthOf(done))
	for k := range own {
		f.op(opEnd)
		f.pop()
		f.catchHandler(own[k], results, d-1)
		if k < len(own)-1 {
			f.op(opBr)
			f.u32(f.depthOf(done))
		}
	}
	f.op(opEnd)
	f.pop()
}

// catchHandler turns a catch clause's values lt into results.
func (f *fn) catchHandler(lt, results []valType, d int) {
	n := len(lt)
	if n == 0 || lt[n-1] != exnref {
		f.body(lt, results, d)
		return
	}
	e := f.localOf(exnref)
	f.op(opLocalSet)
	f.u32(e)
	f.consume(lt[:n-1])
	f.stmts(d)
	if f.chance(3) {
		f.op(opLocalGet)
		f.u32(e)
		f.op(opThrowRef) // rethrow
		return
	}
	f.tail(results, d)
}

// catchExn pushes an exnref: the exception a try_table's body threw, or
// null if it threw none; if throws, the body always ends with a throw.
//
//	block $b (result exnref)
//	  try_table (catch_all_ref $b)     or   (catch_ref $t $b') …
//	    stmts; throw …?
//	  end
//	  ref.null exn
//	end
func (f *fn) catchExn(d int, throws bool) {
	r := f.m.r
	tags := f.m.exnTags()
	f.op(opBlock, byte(exnref))
	f.push(label{types: []valType{exnref}})
	b := len(f.ctrl) - 1
	tag := -1
	if f.chance(2) {
		// catch_ref into a block that also receives the payload.
		tag = tags[r.Intn(len(tags))]
		lt := append(append([]valType(nil), f.m.tags[tag].params...), exnref)
		f.op(opBlock)
		f.blockType(nil, lt)
		f.push(label{types: lt})
	}
	f.op(opTryTable, blockEmpty)
	if tag >= 0 {
		f.u32(2)
		f.op(catchTagRef)
		f.u32(uint32(tag))
		f.u32(0)
		f.op(catchAllRef)
		f.u32(f.depthOf(b))
	} else {
		f.u32(1)
		f.op(catchAllRef)
		f.u32(0)
	}
	f.push(label{})
	f.stmts(d - 1)
	if throws || f.chance(2) {
		f.throw(d - 1)
	}
	f.op(opEnd)
	f.pop()
	f.op(opRefNull, heapExn)
	if tag >= 0 {
		f.op(opBr)
		f.u32(f.depthOf(b))
		f.op(opEnd) // the catch_ref block: payload and exnref
		f.pop()
		e := f.localOf(exnref)
		f.op(opLocalSet)
		f.u32(e)
		f.consume(f.m.tags[tag].params)
		f.op(opLocalGet)
		f.u32(e)
	}
	f.op(opEnd)
	f.pop()
}

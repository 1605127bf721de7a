package gen

// Stack switching (Config.StackSwitching): continuation types, cont.new,
// cont.bind, suspend, resume with handler clauses, resume_throw,
// resume_throw_ref and switch.
//
// Types. Every function other than an entry point may run as a
// continuation (cont.new of a ref.func; a declarative element segment
// declares every function). Continuation types are made as needed, one per
// function type (contOf). switch needs a recursive pair, made first:
//
//	(rec (type $sf (func (param args… (ref null $sc)) (result R)))
//	     (type $sc (cont $sf)))
//
// Some functions get the type $sf (switch peers: they receive the
// continuation of whoever switched to them, and may switch back to it), and
// some return R, so that their resumers may have (on $e switch) clauses:
// a switch clause only appears on a resume whose results are its tag's
// results, R, which is what keeps the switch typing sound.
//
// Resumes are laid out like try_tables (exn.go): one block per suspend
// clause, receiving the tag's payload and the continuation, and a handler
// that turns them into the resume's results:
//
//	block $done (result R)
//	  block $h0 (result P0 (ref null $k0))     ;; $k0 = cont [tag results] -> [R]
//	    args; cont; resume $ct (on $e0 $h0) (on $sw switch)
//	    br $done
//	  end
//	  handler: resume $k0 again (nested: its own clauses), resume_throw it,
//	           keep it in a local, global or table, or abandon it; → R
//	end
//
// A driver loop resumes one continuation until it returns or the budget
// runs out, the suspend clause branching back to the loop:
//
//	block $done (result R)
//	  block $first (result P (ref null $k))
//	    args; cont; resume $ct (on $e $first)
//	    br $done
//	  end
//	  loop $l (param P (ref null $k)) (result R)
//	    local.set $kl; payload…
//	    if budget == 0: R…; br $done
//	    budget--
//	    tag results…; local.get $kl; resume $k (on $e $l)
//	  end
//	end
//
// Termination: a fresh continuation is only made of a later function
// (j > i) when it is resumed at once, like a direct call, and there are at
// most maxCalls such resumes per function. Every other resume, switch and
// resume_throw (of a continuation from a local, parameter, global or table,
// or one a handler received) first checks and decrements the budget, like a
// guarded call, and so does every iteration of a driver loop.
//
// Suspensions: functions other than entry points suspend unconditionally
// now and then; entry points only under a rare condition, since a
// suspension there has no handler ("unhandled tag", which is an outcome
// worth testing, not the common case).

// switchTypes are the types switch uses.
type switchTypes struct {
	fn, ct        int // the rec group: $sf and $sc
	args, results []valType
}

// buildSwitchTypes makes the recursive pair of switch types.
func (m *module) buildSwitchTypes() {
	sw := &switchTypes{args: m.randNumTypes(0, 1), results: m.randNumTypes(0, 2)}
	sw.fn = len(m.types)
	sw.ct = sw.fn + 1
	params := append(append([]valType(nil), sw.args...), contRef(sw.ct))
	m.types = append(m.types, funcType{params: params, results: sw.results}, funcType{contOf: sw.fn + 1})
	m.recs[sw.fn] = 2
	m.contTypes[sw.fn] = sw.ct
	m.conts = append(m.conts, sw.ct)
	m.sw = sw
}

// coroutineType picks the type of a function other than an entry point,
// given a random one: sometimes a switch peer's, sometimes one returning
// the switch results, and often with a continuation type of its own (so
// that later signatures may take and return continuations).
func (m *module) coroutineType(ti int) int {
	switch m.r.Intn(3) {
	case 0:
		ti = m.sw.fn
	case 1:
		ti = m.typeOf(funcType{params: m.types[ti].params, results: m.sw.results})
	}
	if m.r.Intn(2) == 0 {
		m.contOf(ti)
	}
	return ti
}

// notCoroutines returns the functions of fs that are not coroutines.
func (m *module) notCoroutines(fs []uint32) []uint32 {
	var out []uint32
	for _, j := range fs {
		if !m.coro[j] {
			out = append(out, j)
		}
	}
	return out
}

// contOf returns the continuation type of function type ft, adding it.
func (m *module) contOf(ft int) int {
	if ct, ok := m.contTypes[ft]; ok {
		return ct
	}
	m.types = append(m.types, funcType{contOf: ft + 1})
	ct := len(m.types) - 1
	m.contTypes[ft] = ct
	m.conts = append(m.conts, ct)
	return ct
}

// contFor returns the continuation type cont [params] -> [results].
func (m *module) contFor(params, results []valType) int {
	return m.contOf(m.typeOf(funcType{params: params, results: results}))
}

// contFunc returns the function type of continuation type ct.
func (m *module) contFunc(ct int) funcType { return m.types[m.types[ct].contOf-1] }

// buildContTags makes the tags for suspend (random payloads both ways)
// and one for switch (no parameters, the switch results).
func (m *module) buildContTags() {
	r := m.r
	m.contTags = len(m.tags)
	for i, n := 0, 1+r.Intn(3); i < n; i++ {
		if i > 0 && r.Intn(2) == 0 {
			// The same signature as an earlier tag: resumes handle both
			// in one block.
			t := m.tags[m.contTags+r.Intn(i)]
			m.addTag(t.params, t.results)
			continue
		}
		m.addTag(m.randTypes(0, 2), m.randTypes(0, 2))
	}
	m.addTag(nil, m.sw.results)
}

// suspendTag picks the tag of a suspend or suspend clause: mostly one made
// for stack switching, sometimes any (an exception tag too).
func (m *module) suspendTag() int {
	r := m.r
	if r.Intn(20) == 0 {
		return r.Intn(len(m.tags))
	}
	return m.contTags + r.Intn(len(m.tags)-m.contTags)
}

// switchTags returns the tags a switch clause on a resume with results R
// may name.
func (m *module) switchTags(R []valType) []int {
	var ts []int
	for i, t := range m.tags {
		if len(t.params) == 0 && sameTypes(t.results, R) {
			ts = append(ts, i)
		}
	}
	return ts
}

// contStmts lists the stack-switching statements. Functions that may run
// outside a continuation (bare) do not switch: that has no handler there.
func (f *fn) contStmts(d int) []func() {
	cs := []func(){
		func() { f.consume(f.resumeSomething(d)) },
		func() { f.consume(f.resumeSomething(d)) },
		func() { f.consume(f.suspend(d)) },
		func() { f.refStore(contRef(f.m.conts[f.m.r.Intn(len(f.m.conts))]), d) },
	}
	if !f.m.bare[f.idx] {
		cs = append(cs, func() { f.consume(f.suspend(d)) })
	}
	if f.mayUseSwitch() {
		cs = append(cs, func() { f.consume(f.contSwitch(d)) }, func() { f.consume(f.contSwitch(d)) })
	}
	if f.m.coro[f.idx] {
		cs = append(cs, func() { f.consume(f.suspend(d)) }, func() { f.consume(f.suspend(d)) })
	}
	return cs
}

// mayUseSwitch reports whether f switches: only functions that run as
// continuations and return what the switch tags return, since only
// resumes with those results have switch clauses.
func (f *fn) mayUseSwitch() bool {
	return !f.m.bare[f.idx] && sameTypes(f.typ.results, f.m.sw.results)
}

// contExprs lists the stack-switching expressions of number type t.
func (f *fn) contExprs(t valType, d int) []func() {
	cs := []func(){
		func() { f.fold(f.resumeSomething(d), t) },
		func() { f.fold(f.resumeSomething(d), t) },
		func() { f.fold(f.suspend(d), t) },
	}
	if f.mayUseSwitch() {
		cs = append(cs, func() { f.fold(f.contSwitch(d), t) })
	}
	if f.m.coro[f.idx] {
		cs = append(cs, func() { f.fold(f.suspend(d), t) })
	}
	return cs
}

// contExpr pushes a reference of continuation type ct: mostly a fresh
// continuation of a later function (bound to some arguments, if its type
// takes more), else a local, global, table element or null.
func (f *fn) contExpr(ct, d int) {
	if d > 0 && !f.chance(3) && f.freshCont(ct, d) {
		return
	}
	if d > 0 && f.chance(6) {
		f.typedSelect(contRef(ct), d)
		return
	}
	f.refLeaf(contRef(ct))
}

// freshCont pushes cont.new $ct of a later function of ct's function type,
// or cont.bind of one of a type with more parameters; false if there is no
// such function.
func (f *fn) freshCont(ct, d int) bool {
	m := f.m
	want := m.types[ct].contOf - 1
	ft := m.types[want]
	var cands []int
	for j := f.idx + 1; j < len(m.funcs); j++ {
		jt := m.types[m.funcs[j]]
		n, k := len(jt.params), len(ft.params)
		if m.funcs[j] == want || n > k && sameTypes(jt.results, ft.results) && sameTypes(jt.params[n-k:], ft.params) {
			cands = append(cands, j)
		}
	}
	if len(cands) == 0 {
		return false
	}
	j := cands[m.r.Intn(len(cands))]
	if m.funcs[j] == want {
		f.contNew(j)
		return true
	}
	jt := m.types[m.funcs[j]]
	f.values(jt.params[:len(jt.params)-len(ft.params)], d-1)
	f.contNew(j)
	f.op(opContBind)
	f.u32(uint32(m.contOf(m.funcs[j])))
	f.u32(uint32(ct))
	return true
}

// contNew pushes a fresh continuation of function j.
func (f *fn) contNew(j int) {
	f.op(opRefFunc)
	f.u32(f.m.nimp + uint32(j))
	f.op(opContNew)
	f.u32(uint32(f.m.contOf(f.m.funcs[j])))
}

// resumeSomething resumes a continuation and returns its result types: a
// fresh one of a later function (at most maxCalls per function), or one
// kept in a local, global or table, under the budget and a null check.
func (f *fn) resumeSomething(d int) []valType {
	m := f.m
	r := m.r
	if f.resumes < maxCalls && f.idx+1 < len(m.funcs) && !f.chance(3) {
		f.resumes++
		j := f.idx + 1 + r.Intn(len(m.funcs)-f.idx-1)
		if k := f.idx + 1 + r.Intn(len(m.funcs)-f.idx-1); m.coro[k] {
			j = k // a second chance for a coroutine
		}
		ti := m.funcs[j]
		ct := m.contOf(ti)
		ft := m.types[ti]
		switch {
		case f.chance(4):
			f.driveLoop(ct, func() {
				f.values(ft.params, d-1)
				f.contNew(j)
			}, d)
		case len(ft.params) > 0 && f.chance(4):
			// Bind some arguments first.
			p := 1 + r.Intn(len(ft.params))
			ct2 := m.contFor(ft.params[p:], ft.results)
			b := f.localOf(contRef(ct2))
			f.values(ft.params[:p], d-1)
			f.contNew(j)
			f.op(opContBind)
			f.u32(uint32(ct))
			f.u32(uint32(ct2))
			f.op(opLocalSet)
			f.u32(b)
			f.resumeOp(opResume, ct2, -1, func() {
				f.values(ft.params[p:], d-1)
				f.op(opLocalGet)
				f.u32(b)
			}, d)
		default:
			f.resumeOp(opResume, ct, -1, func() {
				f.values(ft.params, d-1)
				f.contNew(j)
			}, d)
		}
		return ft.results
	}
	ct := m.conts[r.Intn(len(m.conts))]
	ft := m.contFunc(ct)
	k := f.takeCont(ct, d)
	end := f.guard(ft.results)
	f.ifNonNull(k, ft.results, func() { f.resumeKept(ct, k, d) })
	end()
	return ft.results
}

// takeCont reads a continuation of type ct into a local from a local,
// the global or the table of its type; mostly it also clears the place it
// came from (a scheduler's dequeue). It returns the local.
func (f *fn) takeCont(ct, d int) uint32 {
	m := f.m
	r := m.r
	t := contRef(ct)
	k := f.localOf(t)
	switch r.Intn(3) {
	case 0:
		g := m.refGlobalOf(t)
		f.op(opGlobalGet)
		f.u32(g)
		f.op(opLocalSet)
		f.u32(k)
		if !f.chance(4) {
			f.op(opRefNull)
			f.code = appendHeapType(f.code, t)
			f.op(opGlobalSet)
			f.u32(g)
		}
	case 1:
		tab, size := m.refTableOf(t)
		i := uint64(r.Intn(int(size)))
		f.constant(i32, i)
		f.op(opTableGet)
		f.u32(tab)
		f.op(opLocalSet)
		f.u32(k)
		if !f.chance(4) {
			f.constant(i32, i)
			f.op(opRefNull)
			f.code = appendHeapType(f.code, t)
			f.op(opTableSet)
			f.u32(tab)
		}
	}
	return k
}

// ifNonNull emits `if (ref.is_null k) defaults(R) else body end` (or, now
// and then, just body: null then traps).
func (f *fn) ifNonNull(k uint32, R []valType, body func()) {
	if f.chance(16) {
		body()
		return
	}
	f.op(opLocalGet)
	f.u32(k)
	f.op(opRefIsNull)
	f.op(opIf)
	f.blockType(nil, R)
	f.push(label{types: R})
	f.defaults(R)
	f.op(opElse)
	body()
	f.op(opEnd)
	f.pop()
}

// resumeKept resumes (or, with Exceptions, sometimes unwinds) the
// continuation of type ct in local k, binding some arguments first now and
// then; it leaves ct's results.
func (f *fn) resumeKept(ct int, k uint32, d int) {
	m := f.m
	r := m.r
	ft := m.contFunc(ct)
	getK := func() {
		f.op(opLocalGet)
		f.u32(k)
	}
	switch {
	case m.cfg.Exceptions && f.chance(5):
		if f.chance(3) {
			f.resumeOp(opResumeThrowRef, ct, -1, func() {
				f.exnOperand(d - 1)
				getK()
			}, d)
			return
		}
		tags := m.exnTags()
		tag := tags[r.Intn(len(tags))]
		f.resumeOp(opResumeThrow, ct, tag, func() {
			f.values(m.tags[tag].params, d-1)
			getK()
		}, d)
	case len(ft.params) > 0 && f.chance(4):
		p := 1 + r.Intn(len(ft.params))
		ct2 := m.contFor(ft.params[p:], ft.results)
		b := f.localOf(contRef(ct2))
		f.values(ft.params[:p], d-1)
		getK()
		f.op(opContBind)
		f.u32(uint32(ct))
		f.u32(uint32(ct2))
		f.op(opLocalSet)
		f.u32(b)
		f.resumeOp(opResume, ct2, -1, func() {
			f.values(ft.params[p:], d-1)
			f.op(opLocalGet)
			f.u32(b)
		}, d)
	default:
		f.resumeOp(opResume, ct, -1, func() {
			f.values(ft.params, d-1)
			getK()
		}, d)
	}
}

// handlerClause is a clause of a resume being generated.
type handlerClause struct {
	tag  int
	sw   bool // (on $tag switch)
	ctrl int  // suspend clause: the target's control stack index, or -1-k for own handler k
}

// ownHandler is a suspend clause with a handler block of its own.
type ownHandler struct {
	tag   int
	kct   int       // the type of the continuation it receives
	types []valType // its label's types: the payload and the continuation
}

// resumeOp emits op (resume, resume_throw with tag, or resume_throw_ref)
// of continuation type ct with random handler clauses, as resumeWith.
func (f *fn) resumeOp(op byte, ct, tag int, operands func(), d int) {
	f.resumeWith(op, ct, tag, operands, d, nil)
}

// resumeWith emits op of continuation type ct with the clauses fixed
// (targets on the control stack) and random others, in the layout of the
// file comment: mostly a suspend clause for every tag made for stack
// switching, some random ones, and the switch clauses its results allow.
// Clauses whose labels have the same types share a handler block.
// operands pushes the operands. It leaves ct's results.
func (f *fn) resumeWith(op byte, ct, tag int, operands func(), d int, fixed []handlerClause) {
	m := f.m
	r := m.r
	R := m.contFunc(ct).results
	cs := append([]handlerClause(nil), fixed...)
	var own []ownHandler
	var tags []int
	// Mostly a clause for every tag made for stack switching, which is
	// what suspends mostly use, or for every tag; else some of them, so
	// that suspensions also reach outer resumes: often in a coroutine,
	// which most likely runs under a resume of its own.
	some := f.chance(8) || m.coro[f.idx] && f.chance(2)
	first := m.contTags
	if f.chance(6) {
		first = 0
	}
	for t := first; t < len(m.tags); t++ {
		if (len(fixed) == 0 || t != fixed[0].tag) && (!some || f.chance(2)) {
			tags = append(tags, t)
		}
	}
	for i, n := 0, r.Intn(3); i < n; i++ {
		tags = append(tags, m.suspendTag())
	}
tagLoop:
	for _, t := range tags {
		kct := m.contFor(m.tags[t].results, R)
		lt := append(append([]valType(nil), m.tags[t].params...), contRef(kct))
		c := handlerClause{tag: t}
		if ls := f.labelsOfType(lt); len(ls) > 0 && f.chance(6) {
			c.ctrl = ls[r.Intn(len(ls))]
			cs = append(cs, c)
			continue
		}
		for k, h := range own {
			if sameTypes(h.types, lt) {
				cs = append(cs, handlerClause{tag: t, ctrl: -1 - k})
				continue tagLoop
			}
		}
		c.ctrl = -1 - len(own)
		own = append(own, ownHandler{tag: t, kct: kct, types: lt})
		cs = append(cs, c)
	}
	for _, t := range m.switchTags(R) {
		if !f.chance(6) {
			cs = append(cs, handlerClause{tag: t, sw: true})
		}
	}
	r.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
	done := -1
	if len(own) > 0 {
		f.op(opBlock)
		f.blockType(nil, R)
		f.push(label{types: R})
		done = len(f.ctrl) - 1
		for k := len(own) - 1; k >= 0; k-- {
			f.op(opBlock)
			f.blockType(nil, own[k].types)
			f.push(label{types: own[k].types})
		}
	}
	operands()
	f.op(op)
	f.u32(uint32(ct))
	if op == opResumeThrow {
		f.u32(uint32(tag))
	}
	f.u32(uint32(len(cs)))
	for _, c := range cs {
		if c.sw {
			f.op(onSwitch)
			f.u32(uint32(c.tag))
			continue
		}
		f.op(onLabel)
		f.u32(uint32(c.tag))
		i := c.ctrl
		if i < 0 {
			i = done + len(own) - (-1 - i)
		}
		f.u32(f.depthOf(i))
	}
	if len(own) == 0 {
		return
	}
	f.op(opBr)
	f.u32(f.depthOf(done))
	for k := range own {
		f.op(opEnd)
		f.pop()
		f.contHandler(own[k], R, d-1, k == 0)
		if k < len(own)-1 {
			f.op(opBr)
			f.u32(f.depthOf(done))
		}
	}
	f.op(opEnd)
	f.pop()
}

// contHandler turns a suspend clause's payload and continuation into the
// resume's results R: it resumes the continuation again, unwinds it, keeps
// it in a global or table, or abandons it (in a local).
func (f *fn) contHandler(h ownHandler, R []valType, d int, first bool) {
	m := f.m
	r := m.r
	t := contRef(h.kct)
	k := f.localOf(t)
	f.op(opLocalSet)
	f.u32(k)
	f.consume(m.tags[h.tag].params)
	if f.chance(3) {
		f.stmts(d - 1)
	}
	again := 5 // in 8: resume it again
	if !first {
		again = 2 // keep the tree of nested resumes small
	}
	switch x := r.Intn(8); {
	case x < again && d > 0:
		end := f.guard(R)
		f.resumeKept(h.kct, k, d)
		end()
	case x == again:
		if f.chance(2) {
			f.op(opLocalGet)
			f.u32(k)
			f.op(opGlobalSet)
			f.u32(m.refGlobalOf(t))
		} else {
			tab, size := m.refTableOf(t)
			f.constant(i32, uint64(r.Intn(int(size))))
			f.op(opLocalGet)
			f.u32(k)
			f.op(opTableSet)
			f.u32(tab)
		}
		f.tail(R, d)
	default:
		f.tail(R, d)
	}
}

// driveLoop resumes a continuation of type ct (operands pushes the
// arguments and the continuation) in a driver loop, as in the file
// comment, and leaves ct's results. Suspensions with other tags go to
// handlers of their own, as in resumeWith.
func (f *fn) driveLoop(ct int, operands func(), d int) {
	m := f.m
	R := m.contFunc(ct).results
	tag := m.contTags + m.r.Intn(len(m.tags)-m.contTags)
	tg := m.tags[tag]
	kct := m.contFor(tg.results, R)
	lt := append(append([]valType(nil), tg.params...), contRef(kct))

	f.op(opBlock)
	f.blockType(nil, R)
	f.push(label{types: R})
	done := len(f.ctrl) - 1
	f.op(opBlock)
	f.blockType(nil, lt)
	f.push(label{types: lt})
	f.resumeWith(opResume, ct, -1, operands, d, []handlerClause{{tag: tag, ctrl: len(f.ctrl) - 1}})
	f.op(opBr)
	f.u32(f.depthOf(done))
	f.op(opEnd)
	f.pop()

	f.op(opLoop)
	f.blockType(lt, R)
	f.push(label{types: lt, loop: true})
	loop := len(f.ctrl) - 1
	k := f.localOf(contRef(kct))
	f.op(opLocalSet)
	f.u32(k)
	f.consume(tg.params)
	if f.chance(2) {
		f.stmts(d - 1)
	}
	// Out of budget: abandon the continuation.
	f.op(opGlobalGet)
	f.u32(m.budget)
	f.op(0x45, opIf, blockEmpty) // i32.eqz
	f.push(label{})
	f.values(R, d-1)
	f.op(opBr)
	f.u32(f.depthOf(done))
	f.op(opEnd)
	f.pop()
	f.op(opGlobalGet)
	f.u32(m.budget)
	f.constant(i32, 1)
	f.op(0x6B) // i32.sub
	f.op(opGlobalSet)
	f.u32(m.budget)
	f.resumeWith(opResume, kct, -1, func() {
		f.values(tg.results, d-1)
		f.op(opLocalGet)
		f.u32(k)
	}, d-1, []handlerClause{{tag: tag, ctrl: loop}})
	f.op(opEnd)
	f.pop()
	f.op(opEnd)
	f.pop()
}

// suspend suspends with a random tag and payload and returns the tag's
// result types (what the resumer sends back). Entry points suspend only
// under a rare condition, the else arm yielding constants.
func (f *fn) suspend(d int) []valType {
	m := f.m
	tag := m.suspendTag()
	tg := m.tags[tag]
	if m.bare[f.idx] || !m.coro[f.idx] && !f.chance(4) {
		f.seldom(d, 5)
		f.op(opIf)
		f.blockType(nil, tg.results)
		f.push(label{types: tg.results})
		f.values(tg.params, d-1)
		f.op(opSuspend)
		f.u32(uint32(tag))
		f.op(opElse)
		f.defaults(tg.results)
		f.op(opEnd)
		f.pop()
		return tg.results
	}
	f.values(tg.params, d-1)
	f.op(opSuspend)
	f.u32(uint32(tag))
	return tg.results
}

// contSwitch switches to a continuation of the switch type, under the
// budget and (mostly) a null check, and returns what the switch leaves:
// the switch arguments and the continuation of whoever switches back.
func (f *fn) contSwitch(d int) []valType {
	m := f.m
	sw := m.sw
	tags := m.switchTags(sw.results)
	tag := tags[m.r.Intn(len(tags))]
	params := m.types[sw.fn].params
	// A peer mostly switches back to whoever switched to it (its last
	// parameter); others mostly to a fresh peer.
	peer := m.funcs[f.idx] == sw.fn
	target := f.localOf(contRef(sw.ct))
	if peer && f.chance(2) {
		target = uint32(len(sw.args))
	} else if !f.chance(4) {
		f.contExpr(sw.ct, d-1)
		f.op(opLocalSet)
		f.u32(target)
	}
	end := f.guard(params)
	f.ifNonNull(target, params, func() {
		f.values(sw.args, d-1)
		f.op(opLocalGet)
		f.u32(target)
		f.op(opSwitch)
		f.u32(uint32(sw.ct))
		f.u32(uint32(tag))
	})
	end()
	return params
}

package refexec

// Stack switching (https://github.com/WebAssembly/stack-switching,
// Explainer.md; ../shared/STACK-SWITCHING.md §5). A continuation is a
// chain of stacks: `resume` makes the continuation's outermost stack a
// child of the running stack (its parent) and gives it the resume's handler
// clauses; nested resumes inside it extend the chain. `suspend $t` walks the
// chain from the running stack outward, looking at suspend clauses for the
// tag instance $t; the stacks from the running one up to the one whose
// handlers matched become the new continuation, cut off from the handler's
// stack, which continues at the clause's label with the payload and the
// continuation. `switch` finds a switch clause the same way and runs the
// target continuation under the same handlers in place of the suspended
// one. Stack completion returns the results to the parent (loop, finish);
// exceptions pass from a stack to its parent (throw).
//
// One-shot: a ContRef is a cell; every consuming instruction (resume,
// resume_throw, resume_throw_ref, switch, cont.bind) takes the cont out of
// it, so a second use traps "continuation already consumed". cont.bind
// moves the cont into a new cell with the bound values appended.
//
// Suspended frames do not count towards Config.MaxFrames: capture
// subtracts the chain's frames, resume adds them back.

import "wfxc/frontend"

// ContRef is a continuation reference (the value of a (ref $ct)).
type ContRef struct{ c *cont }

// cont is a continuation: fresh (a function to call) or suspended (a
// chain of stacks).
type cont struct {
	fn          *Func  // fresh: the function the continuation calls
	top, bottom *stack // suspended: the innermost and outermost stacks of the chain
	frames      int    // frames of the chain
	bound       []Value
}

// live returns the cont of reference r, trapping when r is null or
// consumed.
func live(r any) *cont {
	if r == nil {
		trap(trapNullCont)
	}
	c := r.(*ContRef).c
	if c == nil {
		trap(trapConsumed)
	}
	return c
}

// take consumes reference r.
func take(r any) *cont {
	c := live(r)
	r.(*ContRef).c = nil
	return c
}

// contInstr runs a stack-switching instruction of the top frame of s.
func (m *machine) contInstr(s *stack, in *Instance, ins *instr) {
	code := s.frames[len(s.frames)-1].fn.code
	switch ins.op {
	case frontend.OpContNew:
		r := s.pop().Ref
		if r == nil {
			trap(trapNullFunc)
		}
		s.push(Value{Ref: &ContRef{c: &cont{fn: r.(*Func)}}})
	case frontend.OpContBind:
		c := take(s.pop().Ref)
		c.bound = append(c.bound, s.popN(int(ins.a))...)
		s.push(Value{Ref: &ContRef{c: c}})
	case frontend.OpResume:
		c := take(s.pop().Ref)
		m.resume(s, c, s.popN(int(ins.a)), in, code.handlers[ins.b], nil)
	case frontend.OpResumeThrow:
		r := s.pop().Ref
		exn := &Exception{Tag: in.tags[ins.a], Payload: s.popN(int(ins.c))}
		m.resume(s, take(r), nil, in, code.handlers[ins.b], exn)
	case frontend.OpResumeThrowRef:
		r := s.pop().Ref
		e := s.pop().Ref
		if e == nil {
			trap(trapNullExn)
		}
		m.resume(s, take(r), nil, in, code.handlers[ins.b], e.(*Exception))
	case frontend.OpSuspend:
		tag := in.tags[ins.a]
		h, clause := m.handler(tag, false)
		payload := s.popN(int(ins.b))
		k, p := m.capture(h)
		p.vals = append(p.vals, payload...)
		p.push(Value{Ref: &ContRef{c: k}})
		f := &p.frames[len(p.frames)-1]
		if pc := p.br(clause.Label); pc >= 0 {
			f.pc = pc
		} else {
			m.ret(p)
		}
	case frontend.OpSwitch:
		tag := in.tags[ins.a]
		r := s.pop().Ref
		live(r)
		h, _ := m.handler(tag, true)
		target := take(r)
		args := s.popN(int(ins.b))
		hinst, handlers := h.hinst, h.handlers
		k, p := m.capture(h)
		m.resume(p, target, append(args, Value{Ref: &ContRef{c: k}}), hinst, handlers, nil)
	default:
		panic("refexec: opcode not implemented")
	}
}

// resume runs continuation c as a child of stack p under handlers (of
// instance hinst), delivering args after the bound values, or raising exn
// at its suspension point.
func (m *machine) resume(p *stack, c *cont, args []Value, hinst *Instance, handlers []frontend.Handler, exn *Exception) {
	top, bottom := c.top, c.bottom
	if top == nil {
		top = &stack{}
		bottom = top
	}
	bottom.parent, bottom.hinst, bottom.handlers = p, hinst, handlers
	m.s.frames += c.frames
	m.cur = top
	if exn != nil {
		m.throw(exn)
		return
	}
	vals := append(c.bound, args...)
	if c.top != nil {
		top.vals = append(top.vals, vals...)
		return
	}
	top.vals = vals
	m.call(top, c.fn)
}

// handler returns the innermost stack of the running chain whose handlers
// have a clause of the given kind for tag, and the clause; none is an
// unhandled suspension.
func (m *machine) handler(tag *Tag, isSwitch bool) (*stack, frontend.Handler) {
	for st := m.cur; st != nil; st = st.parent {
		for _, h := range st.handlers {
			if h.Switch == isSwitch && st.hinst.tags[h.Tag] == tag {
				return st, h
			}
		}
	}
	panic(&Suspension{Tag: tag})
}

// capture makes the chain from the running stack to h a continuation,
// detaches it from h's parent and makes that parent the running stack.
func (m *machine) capture(h *stack) (*cont, *stack) {
	n := 0
	for st := m.cur; ; st = st.parent {
		n += len(st.frames)
		if st == h {
			break
		}
	}
	k := &cont{top: m.cur, bottom: h, frames: n}
	p := h.parent
	h.parent, h.hinst, h.handlers = nil, nil, nil
	m.s.frames -= n
	m.cur = p
	return k, p
}

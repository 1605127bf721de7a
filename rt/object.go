package rt

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"strings"

	"wfxc/rt/abi"
)

// LoadObject loads an ELF relocatable object written by wfxc in-process: it
// finds the module's symbols (wfx_<m>_text, wfx_<m>_descriptor,
// wfx_<m>_descriptor_size), decodes the descriptor and maps the code from
// the text symbol to the end of its section.
func LoadObject(obj []byte) (*Module, error) {
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		return nil, fmt.Errorf("load object: %w", err)
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("load object: symbols: %w", err)
	}
	byName := map[string]elf.Symbol{}
	name := ""
	for _, s := range syms {
		byName[s.Name] = s
		if strings.HasPrefix(s.Name, "wfx_") && strings.HasSuffix(s.Name, "_descriptor_size") {
			name = strings.TrimSuffix(strings.TrimPrefix(s.Name, "wfx_"), "_descriptor_size")
		}
	}
	if name == "" {
		return nil, fmt.Errorf("load object: no wfx_<module>_descriptor_size symbol")
	}
	get := func(sym string) (elf.Symbol, *elf.Section, []byte, error) {
		s, ok := byName[sym]
		if !ok {
			return s, nil, nil, fmt.Errorf("load object: missing symbol %s", sym)
		}
		if int(s.Section) <= 0 || int(s.Section) >= len(f.Sections) {
			return s, nil, nil, fmt.Errorf("load object: symbol %s is not defined in a section", sym)
		}
		sec := f.Sections[s.Section]
		data, err := sec.Data()
		if err != nil {
			return s, nil, nil, fmt.Errorf("load object: section %s: %w", sec.Name, err)
		}
		if s.Value > uint64(len(data)) {
			return s, nil, nil, fmt.Errorf("load object: symbol %s at %#x outside section %s (%#x bytes)", sym, s.Value, sec.Name, len(data))
		}
		return s, sec, data, nil
	}
	sz, _, szData, err := get(abi.SymDescriptorSize(name))
	if err != nil {
		return nil, err
	}
	if sz.Value+8 > uint64(len(szData)) {
		return nil, fmt.Errorf("load object: %s truncated", abi.SymDescriptorSize(name))
	}
	n := binary.LittleEndian.Uint64(szData[sz.Value:])
	ds, _, dData, err := get(abi.SymDescriptor(name))
	if err != nil {
		return nil, err
	}
	if n > uint64(len(dData))-ds.Value {
		return nil, fmt.Errorf("load object: descriptor of %d bytes at %#x overruns its section (%#x bytes)", n, ds.Value, len(dData))
	}
	desc, err := abi.DecodeDescriptor(dData[ds.Value : ds.Value+n])
	if err != nil {
		return nil, fmt.Errorf("load object: %w", err)
	}
	ts, tsec, tData, err := get(abi.SymText(name))
	if err != nil {
		return nil, err
	}
	for _, s := range f.Sections {
		if (s.Type == elf.SHT_RELA || s.Type == elf.SHT_REL) && int(s.Info) < len(f.Sections) {
			if target := f.Sections[s.Info]; target == tsec && s.Size > 0 {
				return nil, fmt.Errorf("load object: %s has relocations (%s); wfxc code must be relocation-free", tsec.Name, s.Name)
			}
		}
	}
	m, err := LoadModule(tData[ts.Value:], desc)
	if err == nil {
		gdbRegister(m, obj, int(ts.Section), m.text-uintptr(ts.Value))
		if os.Getenv(PerfMapEnv) == "1" {
			writePerfMap(syms, ts.Section, m.text-uintptr(ts.Value))
		}
	}
	return m, err
}

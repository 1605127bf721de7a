package rt

import (
	"testing"

	"wfxc/rt/abi"
)

// FuzzLoadObject: LoadObject never panics on a corrupted object, and
// whatever it accepts can be instantiated without panicking.
func FuzzLoadObject(f *testing.F) {
	o := buildTestObj(f)
	f.Add(o.Obj)
	f.Add([]byte("\x7fELF\x02\x01\x01"))
	f.Fuzz(func(t *testing.T, obj []byte) {
		m, err := LoadObject(obj)
		if err != nil {
			return
		}
		// Only instantiate (never run code: mutated code may do anything).
		d := *m.Descriptor()
		d.Start = -1
		m2, err := LoadModule(o.Text, &d)
		if err != nil {
			return
		}
		NewStore().Instantiate(m2, Imports{"env": {"host": hostTimes10()}})
	})
}

func TestCheckDescriptor_rejects(t *testing.T) {
	o := buildTestObj(t)
	tests := []struct {
		name   string
		modify func(d *abi.Descriptor)
	}{
		{"version", func(d *abi.Descriptor) { d.Version = 99 }},
		{"enterOutside", func(d *abi.Descriptor) { d.EnterOff = 1 << 30 }},
		{"funcType", func(d *abi.Descriptor) { d.Funcs[1].Type = 50 }},
		{"importNotFirst", func(d *abi.Descriptor) { d.Funcs[1].Imported = true }},
		{"importIndex", func(d *abi.Descriptor) { d.Imports[0].Index = 3 }},
		{"importKind", func(d *abi.Descriptor) { d.Imports[0].Kind = 9 }},
		{"importedWithoutImport", func(d *abi.Descriptor) { d.Imports = nil }},
		{"exportIndex", func(d *abi.Descriptor) { d.Exports[0].Index = 100 }},
		{"start", func(d *abi.Descriptor) { d.Start = 100 }},
		{"dataMemory", func(d *abi.Descriptor) { d.Data[0].Memory = 1 }},
		{"layout", func(d *abi.Descriptor) { d.Layout.Size += 16 }},
		{"noCode", func(d *abi.Descriptor) { d.Funcs[2].Code = abi.NoCode }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := *o.Desc
			d.Funcs = append([]abi.Func(nil), d.Funcs...)
			d.Imports = append([]abi.Import(nil), d.Imports...)
			d.Exports = append([]abi.Export(nil), d.Exports...)
			d.Data = append([]abi.Data(nil), d.Data...)
			tt.modify(&d)
			if _, err := LoadModule(o.Text, &d); err == nil {
				t.Fatal("descriptor accepted")
			}
		})
	}
	if _, err := LoadModule(o.Text, nil); err == nil {
		t.Fatal("nil descriptor accepted")
	}
}

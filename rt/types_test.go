package rt

import (
	"errors"
	"testing"

	"wfxc/rt/abi"
)

func TestCanonicalTypes_recGroups(t *testing.T) {
	fn := abi.FuncType{}
	st := abi.FuncType{Kind: 1}
	rec := func(ts ...abi.FuncType) []abi.FuncType {
		for i := range ts {
			ts[i].RecStart, ts[i].RecSize = 0, uint32(len(ts))
		}
		return ts
	}
	a := canonicalTypes(rec(fn, st))        // (rec (func) (struct))
	b := canonicalTypes(rec(fn, st))        // the same group in another module
	c := canonicalTypes(rec(st, fn))        // swapped
	d := canonicalTypes([]abi.FuncType{fn}) // (func) alone
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("identical rec groups differ: %v %v", a, b)
	}
	if a[0] == c[1] || a[0] == d[0] {
		t.Errorf("func in different rec groups is the same type: %v %v %v", a, c, d)
	}
	if d[0] != canonicalTypeID(abi.FuncType{}) {
		t.Errorf("singleton func != host func type")
	}
	// Struct types differ by their fields (and their mutability).
	i32 := abi.ValType(0x7F)
	s1 := canonicalTypes([]abi.FuncType{{Kind: 1, Fields: []abi.Field{{Type: i32}}}})
	s2 := canonicalTypes([]abi.FuncType{{Kind: 1, Fields: []abi.Field{{Type: i32, Mutable: true}}}})
	s3 := canonicalTypes([]abi.FuncType{{Kind: 1, Fields: []abi.Field{{Type: i32}}}})
	if s1[0] == s2[0] || s1[0] != s3[0] || s1[0] == canonicalTypes([]abi.FuncType{st})[0] {
		t.Errorf("struct ids %v %v %v", s1, s2, s3)
	}
	// Self-reference inside a group: (rec (type $r (func (param (ref $r))))).
	self := abi.FuncType{Params: []abi.ValType{abi.MakeRefType(false, 0)}, RecSize: 1}
	x := canonicalTypes([]abi.FuncType{self})
	y := canonicalTypes([]abi.FuncType{fn, {Params: []abi.ValType{abi.MakeRefType(false, 1)}, RecStart: 1, RecSize: 1}})
	if x[0] != y[1] {
		t.Errorf("the same recursive type at different indices differs: %v %v", x, y)
	}
}

func TestSubtyping_cases(t *testing.T) {
	// Module types: 0 (sub (func)), 1 (sub final 0 (func)), 2 (sub final (func)), 3 struct.
	ids := canonicalTypes([]abi.FuncType{
		{NonFinal: true},
		{Supers: []uint32{0}},
		{},
		{Kind: 1},
	})
	ref := func(null bool, h int64) abi.ValType { return abi.MakeRefType(null, h) }
	i32 := abi.ValType(0x7F)
	tests := []struct {
		name string
		a, b abi.ValType
		want bool
	}{
		{"numericSame", i32, i32, true},
		{"numericDiffer", i32, abi.ValType(0x7E), false},
		{"numericVsRef", i32, ref(true, heapFunc), false},
		{"nonNullToNull", ref(false, heapFunc), ref(true, heapFunc), true},
		{"nullToNonNull", ref(true, heapFunc), ref(false, heapFunc), false},
		{"nofuncToFunc", ref(true, heapNoFunc), ref(true, heapFunc), true},
		{"funcToExtern", ref(true, heapFunc), ref(true, heapExtern), false},
		{"i31ToAny", ref(true, heapI31), ref(true, heapAny), true},
		{"anyToEq", ref(true, heapAny), ref(true, heapEq), false},
		{"concreteFuncToFunc", ref(true, 0), ref(true, heapFunc), true},
		{"concreteStructToEq", ref(true, 3), ref(true, heapEq), true},
		{"concreteStructToFunc", ref(true, 3), ref(true, heapFunc), false},
		{"nofuncToConcrete", ref(true, heapNoFunc), ref(true, 2), true},
		{"noneToConcreteFunc", ref(true, heapNone), ref(true, 2), false},
		{"declaredSub", ref(true, 1), ref(true, 0), true},
		{"declaredSuper", ref(true, 0), ref(true, 1), false},
		{"finalVsNonFinal", ref(true, 2), ref(true, 0), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := valSub(tt.a, ids, tt.b, ids); got != tt.want {
				t.Fatalf("valSub = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTags_linking(t *testing.T) {
	o := buildTestObj(t)
	i32 := abi.ValType(0x7F)
	withTags := func(imported bool) *Module {
		d := *o.Desc
		d.Types = append(append([]abi.FuncType(nil), d.Types...), abi.FuncType{Params: []abi.ValType{i32}})
		d.Layout = abi.Layout(layoutCounts(&d))
		d.Tags = []abi.Tag{{Type: uint32(len(d.Types) - 1), Imported: imported}}
		d.Exports = append(append([]abi.Export(nil), d.Exports...), abi.Export{Name: "tag", Kind: abi.ExternTag, Index: 0})
		if imported {
			d.Imports = append(append([]abi.Import(nil), d.Imports...), abi.Import{Module: "env", Name: "tag", Kind: abi.ExternTag, Index: 0})
		}
		m, err := LoadModule(o.Text, &d)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	s := NewStore()
	a := instantiate(t, s, withTags(false), hostTimes10())
	ta, _ := a.Export("tag")
	b, err := s.Instantiate(withTags(true), Imports{"env": {"host": hostTimes10(), "tag": ta}})
	if err != nil {
		t.Fatal(err)
	}
	if tb, _ := b.Export("tag"); tb != ta {
		t.Fatal("re-exported tag is not the imported one")
	}
	_, err = s.Instantiate(withTags(true), Imports{"env": {"host": hostTimes10(), "tag": NewTag(abi.FuncType{})}})
	var le *LinkError
	if !errors.As(err, &le) || le.Message != "incompatible import type" {
		t.Fatalf("tag of another type: err = %v, want incompatible import type", err)
	}
	if _, err := s.Instantiate(withTags(true), Imports{"env": {"host": hostTimes10(), "tag": NewTag(abi.FuncType{Params: []abi.ValType{i32}})}}); err != nil {
		t.Fatalf("host tag of the right type: %v", err)
	}
}

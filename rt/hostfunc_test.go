package rt

import (
	"context"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"
)

// TestHostFunc_fastMatchesReflect: for signatures fastHost knows, its
// adapter takes the arguments from and puts the results into the slots
// exactly as the reflect adapter does (negative i32s, f32 bits, errors);
// other signatures fall back to reflect.
func TestHostFunc_fastMatchesReflect(t *testing.T) {
	errBoom := errors.New("boom")
	type fd int32 // a defined type: reflect only
	args := []uint64{uint64(math.MaxUint32), 7, uint64(math.Float32bits(-1.5)), math.Float64bits(2.25)}
	tests := []struct {
		name string
		fn   any
		fast bool
	}{
		{"void", func() {}, true},
		{"i32->i32", func(x int32) int32 { return x - 1 }, true},
		{"u32x2->u32", func(x, y uint32) uint32 { return x + y }, true},
		{"i64x3->i64", func(x, y, z int64) int64 { return x*3 + y - z }, true},
		{"i32x4->i32", func(a, b, c, d int32) int32 { return a ^ b ^ c ^ d }, true},
		{"f32->f32", func(x float32) float32 { return x * 2 }, true},
		{"f64->i32", func(x float64) int32 { return int32(x) - 3 }, true},
		{"i32->f64", func(x int32) float64 { return float64(x) / 4 }, true},
		{"u64->", func(uint64) {}, true},
		{"()->f32", func() float32 { return -0.5 }, true},
		{"i32->(i64,err)", func(x int32) (int64, error) { return int64(x), nil }, true},
		{"i32->err", func(x int32) (int64, error) { return 0, errBoom }, true},
		{"ctx,i32->i32", func(ctx context.Context, x int32) int32 {
			if ctx == nil {
				return 0
			}
			return x + 2
		}, true},
		{"ctx->(i32,err)", func(context.Context) (int32, error) { return -9, nil }, true},
		{"mixed", func(x int64, f float64) int64 { return x + int64(f) }, false},
		{"defined", func(x fd) fd { return x + 1 }, false},
		{"two results", func(x int32) (int32, int32) { return x, -x }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := HostFunc(tt.fn)
			if got := fastHost(tt.fn) != nil; got != tt.fast {
				t.Fatalf("fastHost(%T) != nil is %v, want %v", tt.fn, got, tt.fast)
			}
			ref := HostFunc(tt.fn) // the same, through reflect
			v := reflect.ValueOf(tt.fn)
			first := 0
			if v.Type().NumIn() > 0 && v.Type().In(0) == contextType {
				first = 1
			}
			var decode []func(uint64) reflect.Value
			for i := first; i < v.Type().NumIn(); i++ {
				decode = append(decode, decoder(v.Type().In(i)))
			}
			nout := v.Type().NumOut()
			withErr := nout > 0 && v.Type().Out(nout-1) == errorType
			if withErr {
				nout--
			}
			ref.host = reflectHost(v, first == 1, false, first, decode, nout, withErr)
			in := args[:len(f.typ.Params)]
			got, gotErr := f.host(&Caller{}, slices.Clone(in))
			want, wantErr := ref.host(&Caller{}, slices.Clone(in))
			if !slices.Equal(got, want) || !errors.Is(gotErr, wantErr) {
				t.Fatalf("%T(%#x) = %#x, %v; reflect gives %#x, %v", tt.fn, in, got, gotErr, want, wantErr)
			}
		})
	}
}

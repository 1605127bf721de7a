package bench

import (
	"hash/crc32"
	"math"
	"math/bits"
	"testing"
)

// Reference implementations of the kernels in Go, performing the same
// operations in the same order, so float results must match bit for bit.

func refMatmul(n int) uint64 {
	if n > 128 {
		n = 128
	}
	a := make([]float64, n*n)
	b := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			a[i*n+j] = float64(int32(uint32(i*7+j*3)%11) - 5)
			b[i*n+j] = float64(uint32(i+2*j)%13) * 0.25
		}
	}
	var sum float64
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var acc float64
			for k := 0; k < n; k++ {
				acc += a[i*n+k] * b[k*n+j]
			}
			sum += acc * float64(1+(i*n+j)%17)
		}
	}
	return math.Float64bits(sum)
}

func refSieve(n int) uint64 {
	composite := make([]bool, n)
	var count uint64
	var sum uint64
	for i := 2; i < n; i++ {
		if composite[i] {
			continue
		}
		count++
		sum = sum*31 + uint64(i)
		for j := i * i; j < n; j += i {
			composite[j] = true
		}
	}
	return count<<40 + sum
}

func refHash(n int) uint64 {
	n &^= 7
	data := make([]byte, n)
	x := uint64(0x9E3779B97F4A7C15) + uint64(n)
	for i := 0; i < n; i += 8 {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		for k := 0; k < 8; k++ {
			data[i+k] = byte(x >> (8 * k))
		}
	}
	h := uint64(0xcbf29ce484222325)
	for _, c := range data {
		h = (h ^ uint64(c)) * 0x100000001b3
	}
	m := uint64(n)
	for i := 0; i < n; i += 8 {
		w := uint64(0)
		for k := 0; k < 8; k++ {
			w |= uint64(data[i+k]) << (8 * k)
		}
		m = bits.RotateLeft64(m^(w*0xC2B2AE3D27D4EB4F), 31) * 0x9E3779B185EBCA87
	}
	return h ^ bits.RotateLeft64(m, 17)
}

func refFib(n int) uint64 {
	a, b := uint64(0), uint64(1)
	for i := 0; i < n; i++ {
		a, b = b, a+b
	}
	return a
}

func refCRC32(n int) uint64 {
	data := make([]byte, n)
	x := uint32(n)
	for i := range data {
		x = x*1103515245 + 12345
		data[i] = byte(x >> 16)
	}
	return uint64(crc32.ChecksumIEEE(data))
}

func refInterp(n int) uint64 {
	if n == 0 {
		return 0
	}
	acc, x := uint64(1), uint64(0)
	for cnt := uint32(n); cnt != 0; cnt-- {
		acc = acc*6364136223846793005 + x
		acc ^= acc >> 29
		x += uint64(cnt)
		acc = bits.RotateLeft64(acc, int(x&63))
	}
	return acc
}

func refNbody(n int) uint64 {
	type body struct{ x, y, z, vx, vy, vz, m float64 }
	const yr, sm = 365.24, 39.47841760435743
	// Velocities and masses are scaled at run time (Go would fold constant
	// products exactly, the kernel rounds each multiplication).
	bs := []body{
		{},
		{x: 4.84143144246472090e+00, y: -1.16032004402742839e+00, z: -1.03622044471123109e-01},
		{x: 8.34336671824457987e+00, y: 4.12479856412430479e+00, z: -4.03523417114321381e-01},
		{x: 1.28943695621391310e+01, y: -1.51111514016986312e+01, z: -2.23307578892655734e-01},
		{x: 1.53796971148509165e+01, y: -2.59193146099879641e+01, z: 1.79258772950371181e-01},
	}
	raw := [][4]float64{{},
		{1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04},
		{-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04},
		{2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05},
		{2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05},
	}
	y, s := yr, sm
	bs[0].m = s
	for i := 1; i < len(bs); i++ {
		bs[i].vx, bs[i].vy, bs[i].vz, bs[i].m = raw[i][0]*y, raw[i][1]*y, raw[i][2]*y, raw[i][3]*s
	}
	for step := 0; step < n; step++ {
		for i := range bs {
			for j := i + 1; j < len(bs); j++ {
				dx, dy, dz := bs[i].x-bs[j].x, bs[i].y-bs[j].y, bs[i].z-bs[j].z
				d2 := dx*dx + dy*dy + dz*dz
				mag := 0.01 / (d2 * math.Sqrt(d2))
				bs[i].vx -= dx * (bs[j].m * mag)
				bs[i].vy -= dy * (bs[j].m * mag)
				bs[i].vz -= dz * (bs[j].m * mag)
				bs[j].vx += dx * (bs[i].m * mag)
				bs[j].vy += dy * (bs[i].m * mag)
				bs[j].vz += dz * (bs[i].m * mag)
			}
		}
		for i := range bs {
			bs[i].x += 0.01 * bs[i].vx
			bs[i].y += 0.01 * bs[i].vy
			bs[i].z += 0.01 * bs[i].vz
		}
	}
	var e float64
	for i := range bs {
		e += 0.5 * bs[i].m * (bs[i].vx*bs[i].vx + bs[i].vy*bs[i].vy + bs[i].vz*bs[i].vz)
		for j := i + 1; j < len(bs); j++ {
			dx, dy, dz := bs[i].x-bs[j].x, bs[i].y-bs[j].y, bs[i].z-bs[j].z
			e -= bs[i].m * bs[j].m / math.Sqrt(dx*dx+dy*dy+dz*dz)
		}
	}
	return math.Float64bits(e)
}

var kernelRefs = map[string]func(int) uint64{
	"matmul": refMatmul,
	"sieve":  refSieve,
	"hash":   refHash,
	"fib":    refFib,
	"crc32":  refCRC32,
	"interp": refInterp,
	"nbody":  refNbody,
}

// testSizes are small sizes for the correctness tests.
var testSizes = []uint64{0, 1, 2, 7, 13, 64, 1000}

func TestKernels_reference(t *testing.T) {
	ks, err := LoadKernels(KernelDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range ks {
		ref := kernelRefs[k.Name]
		if ref == nil {
			t.Fatalf("kernel %s has no reference implementation", k.Name)
		}
		for _, e := range []Engine{WazeroCompiler, WazeroInterpreter, Wfxc} {
			t.Run(k.Name+"/"+e.Name, func(t *testing.T) {
				p, err := Prepare(e, k.Wasm)
				if e.Name == "wfxc" && IsUnsupported(err) {
					t.Logf("wfxc: unsupported: %v", err)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer p.Close()
				for _, n := range testSizes {
					if k.Name == "matmul" && n > 64 || k.Name == "fib" && n > 25 {
						continue // too slow on the interpreter
					}
					got, err := p.Run(n)
					if err != nil {
						t.Fatalf("run(%d): %v", n, err)
					}
					if want := ref(int(n)); got != want {
						t.Errorf("run(%d) = %#x, want %#x", n, got, want)
					}
				}
			})
		}
	}
}

func TestKernels_fibValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
		want uint64
	}{
		{"zero", 0, 0}, {"one", 1, 1}, {"ten", 10, 55}, {"twenty", 20, 6765},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := refFib(tc.n); got != tc.want {
				t.Errorf("refFib(%d) = %d, want %d", tc.n, got, tc.want)
			}
		})
	}
}

// TestKernels_sieveReference checks refSieve against trial division.
func TestKernels_sieveReference(t *testing.T) {
	for _, tc := range []struct {
		name string
		n    int
	}{
		{"below2", 2}, {"below10", 10}, {"below100", 100}, {"below1000", 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var count, sum uint64
			for i := 2; i < tc.n; i++ {
				prime := true
				for d := 2; d*d <= i; d++ {
					if i%d == 0 {
						prime = false
						break
					}
				}
				if prime {
					count++
					sum = sum*31 + uint64(i)
				}
			}
			if got, want := refSieve(tc.n), count<<40+sum; got != want {
				t.Errorf("refSieve(%d) = %#x, want %#x", tc.n, got, want)
			}
		})
	}
}

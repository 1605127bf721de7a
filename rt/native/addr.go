package native

import "unsafe"

func uintptrOf(b []byte, off int) uintptr {
	return uintptr(unsafe.Pointer(unsafe.SliceData(b))) + uintptr(off)
}

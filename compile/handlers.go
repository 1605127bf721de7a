package compile

import (
	"wfxc/lower"
	"wfxc/rt/abi"
)

// appendHandlers adds the try_table call sites of a function placed at text
// offset off to the descriptor's handler table (rt/abi exn.go). Functions
// are placed in increasing offsets and each function's handlers are in
// code order, so the table stays sorted by RetOff.
func appendHandlers(dst []abi.Handler, hs []lower.Handler, off uint32) []abi.Handler {
	for _, h := range hs {
		ah := abi.Handler{RetOff: off + h.RetOff, SPOff: h.SPOff, VMCtxOff: h.VMCtxOff}
		for _, c := range h.Clauses {
			ah.Clauses = append(ah.Clauses, abi.Catch{Kind: c.Kind, Tag: c.Tag, Pad: off + c.Pad})
		}
		dst = append(dst, ah)
	}
	return dst
}

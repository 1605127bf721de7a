package testsuite

// Reversed lists the 42 commands of the Wasm 2.0-era suites that expect a
// module to be rejected which Wasm 3.0 accepts (testdata README §5). wfxc
// implements Wasm 3.0, so the runner skips exactly these, and nothing else
// for this reason. Keys are script keys ("core/binary"), values the lines.
var Reversed = map[string][]int{
	// memarg alignment field may carry a memory-index flag (multi-memory).
	"core/binary-leb128": {218, 226},
	// memory index byte of memory.size/grow etc. is a real index now.
	"core/binary": {146, 166, 185, 204, 243, 262, 280, 298},
	// extended constant expressions allow global.get of any immutable global.
	"core/data":   {89, 93},
	"core/elem":   {171, 175},
	"core/global": {352, 356},
	// multi-memory allows several memories.
	"core/imports": {488, 492, 496},
	"core/memory":  {10, 11},
	// memarg flag (multi-memory).
	"proposals/multi-memory/binary0": {48},
	// extended constant expressions.
	"proposals/multi-memory/data": {86, 90},
	// memory index byte (was "zero flag expected").
	"proposals/memory64/binary": {184, 204, 223, 242, 281, 300, 318, 336},
	// multi-memory.
	"proposals/memory64/memory":   {10, 11},
	"proposals/memory64/memory64": {8, 9},
	// extended constant expressions.
	"proposals/extended-const/data":   {85, 89},
	"proposals/extended-const/elem":   {171, 175},
	"proposals/extended-const/global": {364, 368},
}

// reversedReason is the skip reason of the reversed commands.
const reversedReason = "Wasm 2.0 expectation reversed by Wasm 3.0"

// isReversed reports whether the command at line of script key is reversed.
func isReversed(key string, line int) bool {
	for _, l := range Reversed[key] {
		if l == line {
			return true
		}
	}
	return false
}

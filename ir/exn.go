package ir

// InvokeCall returns the call (or throw) that ends invoke block b: its
// last value, or the value its trailing OpResults extract from (the
// results of a tuple-typed call stay in the call's block). It returns nil
// when b is not an invoke block or ends otherwise.
func InvokeCall(b *Block) *Value {
	if b.Kind != BlockInvoke {
		return nil
	}
	n := len(b.Values)
	for n > 0 && b.Values[n-1].Op == OpResult {
		n--
	}
	if n == 0 {
		return nil
	}
	v := b.Values[n-1]
	for _, r := range b.Values[n:] {
		if r.Args[0] != v {
			return nil
		}
	}
	if !invokeCall(v) {
		return nil
	}
	return v
}

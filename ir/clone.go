package ir

import "slices"

// Clone returns a deep copy of f: its blocks and values with the same IDs,
// in the same order, so that compiling the copy gives what compiling f
// would. A back end that rewrites the IR for its own lowering (lower/x64's
// shrink-wrapping and memory-base hoisting) works on a copy: f is shared,
// and other compilations may be reading it at the same time.
func Clone(f *Func) *Func {
	g := *f
	g.values, g.args, g.valueChunks, g.argChunks = nil, nil, nil, nil // chunks of its own
	g.Params = slices.Clone(f.Params)
	g.Results = slices.Clone(f.Results)
	blocks := make([]*Block, f.NumBlocks())
	values := make([]*Value, f.NumValues())
	nb := func(b *Block) *Block {
		if blocks[b.ID] == nil {
			c := *b
			c.Func = &g
			blocks[b.ID] = &c
		}
		return blocks[b.ID]
	}
	// Copies first, args after (a phi's may come later in the blocks); a
	// value outside every block gets its copy when first referred to.
	var pending []*Value
	nv := func(v *Value) *Value {
		if values[v.ID] == nil {
			c := *v
			if v.Block != nil {
				c.Block = nb(v.Block)
			}
			c.Results = slices.Clone(v.Results)
			values[v.ID] = &c
			pending = append(pending, v)
		}
		return values[v.ID]
	}
	mapValues := func(vs []*Value) []*Value {
		if vs == nil {
			return nil
		}
		out := make([]*Value, len(vs))
		for i, v := range vs {
			out[i] = nv(v)
		}
		return out
	}
	mapBlocks := func(bs []*Block) []*Block {
		if bs == nil {
			return nil
		}
		out := make([]*Block, len(bs))
		for i, b := range bs {
			out[i] = nb(b)
		}
		return out
	}
	g.Blocks = make([]*Block, len(f.Blocks))
	for i, b := range f.Blocks {
		c := nb(b)
		c.Values = mapValues(b.Values)
		c.Controls = mapValues(b.Controls)
		c.Succs = mapBlocks(b.Succs)
		c.Preds = mapBlocks(b.Preds)
		c.Catches = slices.Clone(b.Catches)
		g.Blocks[i] = c
	}
	for len(pending) > 0 {
		v := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if v.Args != nil {
			c := values[v.ID]
			c.Args = make([]*Value, len(v.Args))
			for i, a := range v.Args {
				c.Args[i] = nv(a)
			}
		}
	}
	return &g
}

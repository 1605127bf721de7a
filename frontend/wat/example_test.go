package wat_test

import (
	"fmt"

	"wfxc/frontend"
	"wfxc/frontend/wat"
)

func ExampleParseModule() {
	bin, err := wat.ParseModule([]byte(`
(module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))`))
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := frontend.Decode(bin)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d function, export %q, body % x\n", len(m.Funcs), m.Exports[0].Name, m.Codes[0].Body)
	// Output: 1 function, export "add", body 20 00 20 01 6a 0b
}

func ExampleParseModule_error() {
	_, err := wat.ParseModule([]byte("(module\n  (func (i32.const 0x)))"))
	fmt.Println(err)
	// Output: 2:20: unknown operator (malformed number): 0x
}

func ExampleParseScript() {
	s, err := wat.ParseScript([]byte(`
(module (func (export "id") (param f32) (result f32) (local.get 0)))
(assert_return (invoke "id" (f32.const -0x1p-1)) (f32.const -0.5))
(assert_malformed (module quote "(func (nop") "unclosed")
`), "example.wast")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range s.Commands {
		switch c.Type {
		case "module":
			fmt.Println(c.Line, c.Type, len(c.Binary), "bytes")
		case "assert_return":
			fmt.Println(c.Line, c.Type, c.Action.Field, c.Action.Args[0].JSON(), c.Expected[0])
		case "assert_malformed":
			fmt.Println(c.Line, c.Type, c.ModuleType, c.Err != nil)
		}
	}
	// Output:
	// 2 module 36 bytes
	// 3 assert_return id map[type:f32 value:3204448256] (f32.const bits:0xbf000000)
	// 4 assert_malformed quote true
}

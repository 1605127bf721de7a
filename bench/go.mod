module wfxc/bench

go 1.26.0

require (
	github.com/bytecodealliance/wasmtime-go/v39 v39.0.1
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/sys v0.49.0
	wfxc v0.0.0
)

require github.com/twitchyliquid64/golang-asm v0.15.1 // indirect

replace wfxc => ../

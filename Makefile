# wfxc — see README.md. Targets:
#   make            build bin/wfxc
#   make example    build wfxc, compile examples/fib and examples/embed, link them into Go and C programs, run them
#   make test       vet, format check, all tests (including the spec suites), the examples, then the arm64 checks
#   make test-arm64 the tests that run generated code, built for arm64, under qemu-user, and wast-arm64
#   make wast-arm64 the spec suites by an arm64 wfxc under qemu-user: the same report as x86-64's
#   make example-arm64  the fib example for aarch64 (in-process, Go host, C host, wfxc build), under qemu-user
#   make bench      benchmarks (wfxc against baselines, side by side)
#   make bench-corpus  the C corpus alone (bench/corpus: native, wasm2c, Wasmtime, wazero, wfxc)
#   make switch-insns  instructions of the stack-switch path on x86-64 and aarch64 (under qemu-user)

GO ?= go
OUT := out

.PHONY: bench-call bench-corpus all build example example-run example-go example-c example-embed-go example-embed-c example-arm64 test test-arm64 wast-arm64 arm64-tools switch-insns vet fmt bench clean

all: build

build:
	$(GO) build -o bin/wfxc ./cmd/wfxc

example: build example-run example-go example-c example-embed-go example-embed-c

# Compile and run in-process.
example-run:
	bin/wfxc run examples/fib/fib.wasm --invoke fib 30
	bin/wfxc run examples/fib/fib.wasm --invoke fac 20
	bin/wfxc run examples/fib/fib.wasm --invoke sieve 1000
	bin/wfxc run examples/fib/fib.wasm --invoke divide 7 0 || echo "(exit status $$?: the trap is expected)"

# Compile to a Go package (object as .syso) and link a static, cgo-free Go program.
example-go:
	rm -rf $(OUT)/gohost && mkdir -p $(OUT)/gohost
	bin/wfxc examples/fib/fib.wasm --go-package $(OUT)/gohost/fib
	cp examples/fib/gohost/main.go $(OUT)/gohost/main.go
	printf 'module gohost\n\ngo 1.26\n\nrequire wfxc v0.0.0\n\nreplace wfxc => %s\n' "$(CURDIR)" > $(OUT)/gohost/go.mod
	cp go.sum $(OUT)/gohost/go.sum
	cd $(OUT)/gohost && CGO_ENABLED=0 $(GO) build -mod=mod -o fibhost . && ./fibhost

# Compile to an object + header and link a C program against the runtime archive.
example-c:
	mkdir -p $(OUT)/chost
	bin/wfxc examples/fib/fib.wasm -o $(OUT)/chost/fib.o --header $(OUT)/chost/fib.h
	$(GO) build -buildmode=c-archive -o $(OUT)/chost/librt.a ./rt/capi
	gcc -O2 -Wall -Wextra -Werror -I$(OUT)/chost -o $(OUT)/chost/fibhost examples/fib/main.c $(OUT)/chost/fib.o $(OUT)/chost/librt.a -lpthread
	$(OUT)/chost/fibhost

# The embedding example on the generated Go package: typed imports, a
# context, cancellation, the cost of an export call.
example-embed-go:
	rm -rf $(OUT)/embedgo && mkdir -p $(OUT)/embedgo
	bin/wfxc examples/embed/embed.wat --go-package $(OUT)/embedgo/embed
	cp examples/embed/gohost/main.go $(OUT)/embedgo/main.go
	printf 'module gohost\n\ngo 1.26\n\nrequire wfxc v0.0.0\n\nreplace wfxc => %s\n' "$(CURDIR)" > $(OUT)/embedgo/go.mod
	cp go.sum $(OUT)/embedgo/go.sum
	cd $(OUT)/embedgo && CGO_ENABLED=0 $(GO) build -mod=mod -o embedhost . && ./embedhost

# The embedding example on the generated C header (instance API), warnings
# as errors, linked statically.
example-embed-c:
	mkdir -p $(OUT)/embedc
	bin/wfxc examples/embed/embed.wat -o $(OUT)/embedc/embed.o --header $(OUT)/embedc/embed.h
	CGO_ENABLED=1 $(GO) build -buildmode=c-archive -o $(OUT)/embedc/librt.a ./rt/capi
	gcc -O2 -Wall -Wextra -Werror -static -I$(OUT)/embedc -o $(OUT)/embedc/embedhost examples/embed/main.c $(OUT)/embedc/embed.o $(OUT)/embedc/librt.a -lpthread
	$(OUT)/embedc/embedhost

vet:
	$(GO) vet ./...
	cd bench && $(GO) vet ./...

fmt:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

# The main module's tests, then the bench module's (kernels against wazero,
# the differential regressions): a separate module, so ./... skips it.
# Then the same for aarch64 under qemu-user (compile's TestCross_identical
# already ran in ./...): the arm64 tools are required, not optional.
test: vet fmt arm64-tools
	$(GO) test -timeout 20m ./...
	cd bench && $(GO) test -timeout 10m ./...
	$(MAKE) example
	$(MAKE) test-arm64 example-arm64

# The cost of a trivial export call from Go (wfxc beside wazero) and from C,
# in one run.
bench-call: build example-embed-c
	cd bench && $(GO) test -run '^$$' -bench 'Call$$' -count 3 .
	$(OUT)/embedc/embedhost | grep costs

# arm64 under qemu-user (Debian: qemu-user gcc-aarch64-linux-gnu; .ci/run
# installs them). A missing tool fails, it does not skip.
QEMU_A64 := qemu-aarch64 -L /usr/aarch64-linux-gnu
ARM64_ENV := GOARCH=arm64 CC=aarch64-linux-gnu-gcc WFXC_TEST_EXEC="$(QEMU_A64)"
arm64-tools:
	@for t in qemu-aarch64 aarch64-linux-gnu-gcc aarch64-linux-gnu-objdump; do command -v $$t >/dev/null || \
		{ echo "$$t not found: the arm64 checks need Debian's qemu-user and gcc-aarch64-linux-gnu (.ci/run installs them)" >&2; exit 1; }; done

# The back end's own tests and the e2e tests (C hosts cross-compiled,
# programs run under qemu) built for arm64 and run under qemu, the v128
# calling-convention script (testsuite TestSIMD_abi) likewise, the bench
# module's differential regressions and a few generated modules per
# feature set likewise, then the spec suites (wast-arm64).
test-arm64: arm64-tools
	$(ARM64_ENV) $(GO) test -exec "$(QEMU_A64)" -timeout 20m ./lower/aarch64 ./rt/e2e
	$(ARM64_ENV) $(GO) test -exec "$(QEMU_A64)" -timeout 10m -run 'TestSIMD_abi$$' ./testsuite
	cd bench && $(ARM64_ENV) CGO_ENABLED=0 $(GO) test -exec "$(QEMU_A64)" -timeout 10m -run 'TestDiff_(wfxc|regressions|openBugs)$$' .
	$(MAKE) wast-arm64

# The spec suites, JSON and text scripts, by an arm64 wfxc under qemu:
# every script must pass, fail and skip exactly the commands it does on
# x86-64 (the reports must be the same, line for line), SIMD included.
WAST := $(OUT)/wast
wast-arm64: build arm64-tools
	mkdir -p $(WAST)
	GOARCH=arm64 $(GO) build -o $(WAST)/wfxc-arm64 ./cmd/wfxc
	for mode in json text; do \
		flag=$$([ $$mode = text ] && echo --text); \
		bin/wfxc wast $$flag ../shared/testdata > $(WAST)/x86_64-$$mode.txt; \
		$(QEMU_A64) $(WAST)/wfxc-arm64 wast $$flag ../shared/testdata > $(WAST)/aarch64-$$mode.txt; \
		diff -u $(WAST)/x86_64-$$mode.txt $(WAST)/aarch64-$$mode.txt || exit 1; \
		echo "spec suites ($$mode), the same on x86-64 and aarch64: $$(tail -1 $(WAST)/aarch64-$$mode.txt)"; \
	done

# The fib example compiled for aarch64 on this host: wfxc run by an arm64
# wfxc, a static arm64 Go host, a C host with the arm64 librt.a, and a
# wfxc build program (hello) — each run under qemu-user.
example-arm64: build arm64-tools
	rm -rf $(OUT)/arm64 && mkdir -p $(OUT)/arm64/gohost $(OUT)/arm64/chost
	GOARCH=arm64 $(GO) build -o $(OUT)/arm64/wfxc ./cmd/wfxc
	$(QEMU_A64) $(OUT)/arm64/wfxc run examples/fib/fib.wasm --invoke fib 30
	bin/wfxc examples/fib/fib.wasm --target aarch64 --go-package $(OUT)/arm64/gohost/fib
	cp examples/fib/gohost/main.go $(OUT)/arm64/gohost/main.go
	printf 'module gohost\n\ngo 1.26\n\nrequire wfxc v0.0.0\n\nreplace wfxc => %s\n' "$(CURDIR)" > $(OUT)/arm64/gohost/go.mod
	cp go.sum $(OUT)/arm64/gohost/go.sum
	cd $(OUT)/arm64/gohost && GOARCH=arm64 CGO_ENABLED=0 $(GO) build -mod=mod -o fibhost . && $(QEMU_A64) ./fibhost
	bin/wfxc examples/fib/fib.wasm --target aarch64 -o $(OUT)/arm64/chost/fib.o --header $(OUT)/arm64/chost/fib.h
	GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc $(GO) build -buildmode=c-archive -o $(OUT)/arm64/chost/librt.a ./rt/capi
	aarch64-linux-gnu-gcc -O2 -I$(OUT)/arm64/chost -o $(OUT)/arm64/chost/fibhost examples/fib/main.c $(OUT)/arm64/chost/fib.o $(OUT)/arm64/chost/librt.a -lpthread
	$(QEMU_A64) $(OUT)/arm64/chost/fibhost
	bin/wfxc build --target aarch64 --runtime $(OUT)/arm64/wfxc examples/hello/hello.wat -o $(OUT)/arm64/hello
	$(QEMU_A64) $(OUT)/arm64/hello

# Instructions per resume/suspend round trip, per cont.new+resume+return
# and per empty call, on both ISAs, counted from qemu's instruction trace
# (lower/aarch64/switchinsns.sh).
switch-insns: arm64-tools
	lower/aarch64/switchinsns.sh

# The C corpus (bench/corpus, issue 13) last: its SQLite row needs the
# sources sqlite.sh fetches with apt-get source (a failure there is
# reported and the table says SQLite has no native baseline).
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...
	cd bench && $(GO) run ./cmd/compare
	$(MAKE) bench-corpus

bench-corpus:
	-bench/corpus/sqlite/sqlite.sh
	cd bench && $(GO) run ./cmd/compare -suite corpus

clean:
	rm -rf bin $(OUT)

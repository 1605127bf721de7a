package main

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"wfxc/rt"
)

// limitFlags are the options of `wfxc run` that bound a run (as
// wasmtime's): --fuel N, --timeout DURATION, --max-memory BYTES, and
// --fibre-stack-size BYTES (the stack of each continuation).
type limitFlags struct {
	fuel       uint64
	hasFuel    bool          // --fuel given: the module is compiled with fuel metering
	timeout    time.Duration // 0: none
	maxMemory  uint64        // 0: none
	fibreStack uint64        // 0: rt's default
}

// Parse consumes one limit option at the start of args (--name VALUE or
// --name=VALUE) and returns how many arguments it used (0: not one).
func (l *limitFlags) Parse(args []string) (int, error) {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		return 0, nil
	}
	name, val, hasVal := strings.Cut(strings.TrimLeft(args[0], "-"), "=")
	switch name {
	case "fuel", "timeout", "max-memory", "fibre-stack-size":
	default:
		return 0, nil
	}
	used := 1
	if !hasVal {
		if len(args) < 2 {
			return 0, fmt.Errorf("--%s needs a value", name)
		}
		val, used = args[1], 2
	}
	var err error
	switch name {
	case "fuel":
		l.fuel, err = strconv.ParseUint(val, 10, 64)
		l.hasFuel = true
	case "timeout":
		l.timeout, err = time.ParseDuration(val)
		if err == nil && l.timeout <= 0 {
			err = fmt.Errorf("not positive")
		}
	case "max-memory":
		l.maxMemory, err = strconv.ParseUint(val, 10, 64)
		if err == nil && l.maxMemory == 0 {
			err = fmt.Errorf("not positive")
		}
	case "fibre-stack-size":
		l.fibreStack, err = strconv.ParseUint(val, 10, 64)
		if err == nil && (l.fibreStack > math.MaxInt32 || rt.CheckFibreStackSize(int(l.fibreStack)) != nil) {
			err = fmt.Errorf("want a multiple of %d between %d and %d", os.Getpagesize(), rt.MinFibreStackSize, rt.MaxFibreStackSize)
		}
	}
	if err != nil {
		return 0, fmt.Errorf("--%s %q: %v", name, val, err)
	}
	return used, nil
}

// apply sets the limits on a new store.
func (l *limitFlags) apply(s *rt.Store) error {
	if l.hasFuel {
		s.SetFuel(l.fuel)
	}
	s.SetTimeout(l.timeout)
	s.SetLimits(rt.Limits{MemoryBytes: l.maxMemory})
	if l.fibreStack != 0 {
		return s.SetFibreStackSize(int(l.fibreStack))
	}
	return nil
}

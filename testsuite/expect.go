package testsuite

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Expectation is what the expectation file says about one script.
type Expectation struct {
	Passed   int    // commands that must pass
	Excluded string // non-empty: why the script is outside its issue's 100% scope
}

// Expectations map a script key to its expectation. The file lists one
// script per line, "core/i32 458", optionally followed by
// "excluded: REASON"; '#' starts a comment line. A script passing fewer
// commands than expected is a regression.
type Expectations map[string]Expectation

// ReadExpectations reads an expectation file.
func ReadExpectations(path string) (Expectations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e := Expectations{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var reason string
		if i := strings.Index(line, " excluded: "); i >= 0 {
			line, reason = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+len(" excluded: "):])
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want \"SCRIPT PASSED [excluded: REASON]\", got %q", path, n, line)
		}
		v, err := strconv.Atoi(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		e[fields[0]] = Expectation{Passed: v, Excluded: reason}
	}
	return e, sc.Err()
}

// WriteExpectations writes the pass counts of results as an expectation
// file, keeping the exclusions of old.
func WriteExpectations(path string, results []*Result, old Expectations) error {
	sorted := append([]*Result(nil), results...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	var b strings.Builder
	b.WriteString("# Spec scripts: how many commands of each must pass (testsuite.TestSpec).\n")
	b.WriteString("# \"excluded: REASON\" marks a script outside the 100% scope of its issue.\n")
	b.WriteString("# Regenerate with WFXC_BLESS=1 go test ./testsuite -run TestSpec; review the diff.\n")
	for _, r := range sorted {
		fmt.Fprintf(&b, "%s %d", r.Key, r.Passed)
		if why := old[r.Key].Excluded; why != "" {
			fmt.Fprintf(&b, " excluded: %s", why)
		}
		b.WriteString("\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

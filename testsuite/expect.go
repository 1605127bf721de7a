package testsuite

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Expectations map a script key to the number of its commands that must
// pass. The file lists one script per line: "core/i32 374"; '#' starts a
// comment. A script passing fewer commands than expected is a regression.
type Expectations map[string]int

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
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s:%d: want \"SCRIPT PASSED\", got %q", path, n, line)
		}
		v, err := strconv.Atoi(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		e[fields[0]] = v
	}
	return e, sc.Err()
}

// WriteExpectations writes the pass counts of results as an expectation file.
func WriteExpectations(path string, results []*Result) error {
	sorted := append([]*Result(nil), results...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Key < sorted[j].Key })
	var b strings.Builder
	b.WriteString("# Spec scripts: how many commands of each must pass (testsuite.TestSpec).\n")
	b.WriteString("# Regenerate with WFXC_BLESS=1 go test ./testsuite -run TestSpec; review the diff.\n")
	for _, r := range sorted {
		fmt.Fprintf(&b, "%s %d\n", r.Key, r.Passed)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

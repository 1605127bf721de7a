package ir

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse and Verify never panic on any text, and that
// whatever parses prints back to text that parses to the same print.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.ir"))
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	f.Add(facSrc)
	f.Fuzz(func(t *testing.T, src string) {
		fs, err := ParseFuncs(src)
		if err != nil {
			return
		}
		for _, fn := range fs {
			_ = Verify(fn)
			text := fn.String()
			g, err := Parse(text)
			if err != nil {
				t.Fatalf("printed text does not parse: %v\n%s", err, text)
			}
			if got := g.String(); got != text {
				t.Fatalf("round trip changed the text:\n%s\nwant:\n%s", got, text)
			}
		}
	})
}

package main

import (
	"os"
	"path/filepath"

	"wfxc/compile"
	"wfxc/hostgen"
)

// writeHeader writes the C header for a compiled module.
func writeHeader(path string, res *compile.Result) error {
	return os.WriteFile(path, hostgen.CHeader(res.Descriptor, res.Descriptor.Name), 0o644)
}

// writeGoPackage writes a Go package for a compiled module into dir.
func writeGoPackage(dir string, res *compile.Result) error {
	pkg := compile.SanitizeName(filepath.Base(dir))
	return hostgen.GoPackage(dir, pkg, res.Descriptor.Name, res.Object, res.Descriptor)
}

package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"wfxc/compile"
	"wfxc/hostgen"
)

// headerOutput is the C header for a compiled module.
func headerOutput(path string, res *compile.Result) output {
	return bytesOutput(path, hostgen.CHeader(res.Descriptor, res.Descriptor.Name))
}

// writeGoPackage writes a Go package for a compiled module into dir,
// together with the other outputs outs (all or none), and removes the
// files of an earlier generation that these do not replace.
func writeGoPackage(dir string, res *compile.Result, outs []output) error {
	pkg := compile.SanitizeName(filepath.Base(dir))
	files, err := hostgen.GoPackageFiles(pkg, res.Descriptor.Name, res.Object, res.Descriptor)
	if err != nil {
		return err
	}
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	stale, err := hostgen.StaleFiles(dir, files)
	if err != nil {
		return err
	}
	for _, f := range files {
		outs = append(outs, bytesOutput(filepath.Join(dir, f.Name), f.Data))
	}
	if err := writeOutputs(outs); err != nil {
		if created {
			os.Remove(dir)
		}
		return err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	return nil
}

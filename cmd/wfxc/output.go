package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// An output is a file a command writes.
type output struct {
	path  string
	mode  os.FileMode
	write func(io.Writer) error
}

// writeOutputs writes every output or none: each is first written to a
// temporary file beside it, and only when all of them are complete are
// they renamed into place. A missing directory or a full disk leaves no
// output half-written, and no earlier output written (--header
// /nonexistent/x.h does not write x.o).
func writeOutputs(outs []output) (err error) {
	var temps []string
	defer func() {
		if err != nil {
			for _, t := range temps {
				os.Remove(t)
			}
		}
	}()
	for _, o := range outs {
		f, err := os.CreateTemp(filepath.Dir(o.path), "."+filepath.Base(o.path)+".tmp*")
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fmt.Errorf("cannot write %s: %w", o.path, err)
		}
		temps = append(temps, f.Name())
		err = o.write(f)
		if err == nil {
			err = f.Chmod(o.mode)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %w", o.path, err)
		}
	}
	for i, o := range outs {
		if err := os.Rename(temps[i], o.path); err != nil {
			return err
		}
	}
	return nil
}

// bytesOutput is an output of fixed contents.
func bytesOutput(path string, data []byte) output {
	return output{path: path, mode: 0o644, write: func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}}
}

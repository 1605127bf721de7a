package testsuite

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"wfxc/frontend/wat"
)

// ReadTextScript parses a .wast script into the runner's command form:
// modules travel as bytes, under synthetic file names "text:N".
func ReadTextScript(path string) (*Script, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ws, err := wat.ParseScript(src, path)
	if err != nil {
		return nil, err
	}
	s := &Script{SourceFilename: path}
	for i, wc := range ws.Commands {
		c := Command{
			Type: wc.Type, Line: wc.Line, Name: wc.Name, As: wc.As,
			Instance: wc.Instance, Text: wc.Text, ModuleType: wc.ModuleType,
			Binary: wc.Binary, ParseErr: wc.Err,
		}
		if wc.Type == "module_instance" {
			c.Module = wc.Module
		}
		if wc.Binary != nil || wc.Err != nil {
			c.Filename = fmt.Sprintf("text:%d", i)
		}
		if wc.Action != nil {
			c.Action = &Action{Type: wc.Action.Type, Module: wc.Action.Module, Field: wc.Action.Field}
			if c.Action.Args, err = jsonValues(wc.Action.Args); err != nil {
				return nil, err
			}
		}
		if c.Expected, err = jsonValues(wc.Expected); err != nil {
			return nil, err
		}
		if c.Either, err = jsonValues(wc.Either); err != nil {
			return nil, err
		}
		s.Commands = append(s.Commands, c)
	}
	return s, nil
}

// jsonValues converts text-script values to the JSON form the runner reads.
func jsonValues(vs []wat.Value) ([]Value, error) {
	if vs == nil {
		return nil, nil
	}
	out := make([]Value, len(vs))
	for i, v := range vs {
		b, err := json.Marshal(v.JSON())
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// isText reports whether a script path is a text script.
func isText(path string) bool {
	return strings.HasSuffix(path, ".wast") || strings.HasSuffix(path, ".wat")
}

// Package aarch64 is the arm64 back end: instruction selection, machine op
// table, ABI and emission, mirroring package x64 file by file.
// Code generation for aarch64 is not implemented yet; see the issues.
package aarch64

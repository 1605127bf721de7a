// Package lower is the machine-independent back end: the machine-IR
// interface, register allocation, frame layout, PC maps and CFI rows.
package lower

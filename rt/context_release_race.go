//go:build race || !(amd64 || arm64)

package rt

import "sync/atomic"

// releaseOwner ends callTop's hold of the store (see
// context_release.go).
func releaseOwner(o *atomic.Uintptr) { o.Store(0) }

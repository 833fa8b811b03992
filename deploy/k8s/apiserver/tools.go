//go:build tools

// Pins the commands this module builds (kube-apiserver, and kubectl where none is installed) so
// `go mod tidy` keeps their dependencies.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)

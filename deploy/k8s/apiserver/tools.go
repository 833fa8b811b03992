//go:build tools

// Pins the kube-apiserver command in this module so `go mod tidy` keeps its dependencies.
package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"

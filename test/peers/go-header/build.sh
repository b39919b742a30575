#!/usr/bin/env bash
# Rebuilds go-header.wasm with Go's own wasip1 target (Go >= 1.24; the committed file was built
# with go1.26.8) and the proxy-wasm Go SDK pinned in go.mod/go.sum (from the Go module proxy).
set -euo pipefail
cd "$(dirname "$0")"
GOOS=wasip1 GOARCH=wasm go build -mod=readonly -trimpath -buildvcs=false -buildmode=c-shared \
  -ldflags="-s -w" -o go-header.wasm .
ls -l go-header.wasm

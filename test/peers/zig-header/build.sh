#!/usr/bin/env bash
# Rebuilds zig-header.wasm with Zig 0.17.1 from PyPI (the `ziglang` package, which runs as
# `python3 -m ziglang`), installed into a temporary directory so nothing is left behind.
# -mexec-model=reactor with a `main` gives `_initialize`; -rdynamic exports the `export fn`s.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$work/zig" ziglang==0.17.1
PYTHONPATH="$work/zig" python3 -m ziglang build-exe main.zig \
  -target wasm32-wasi -mexec-model=reactor -rdynamic -O ReleaseSmall \
  --cache-dir "$work/cache" --global-cache-dir "$work/global-cache" -femit-bin=zig-header.wasm
chmod 644 zig-header.wasm
ls -l zig-header.wasm

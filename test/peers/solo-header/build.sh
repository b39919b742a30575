#!/usr/bin/env bash
# Rebuilds solo-header.wasm with solo.io's AssemblyScript SDK, @solo-io/proxy-runtime 0.1.8, and
# the compiler its package.json names (assemblyscript ^0.14.9, here 0.14.13 with its pinned
# binaryen 97.0.0-nightly.20200929), both installed from npm into a temporary directory.
# The asc flags are the SDK's documented `asbuild:optimized` ones (README and package.json),
# without the text-format and source-map outputs.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --prefix "$work" --no-audit --no-fund --silent \
  assemblyscript@0.14.13 @solo-io/proxy-runtime@0.1.8
mkdir "$work/assembly"
cp index.ts "$work/assembly/index.ts"
(cd "$work" && ./node_modules/.bin/asc assembly/index.ts -b build/optimized.wasm --use abort=abort_proc_exit --optimize)
cp "$work/build/optimized.wasm" solo-header.wasm
chmod 644 solo-header.wasm
ls -l solo-header.wasm

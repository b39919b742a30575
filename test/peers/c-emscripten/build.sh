#!/usr/bin/env bash
# Rebuilds c-emscripten.wasm with Debian 12's emscripten package (3.1.6~dfsg-5):
#   apt-get install emscripten
# STANDALONE_WASM + --no-entry gives a WASI reactor (`_initialize`); malloc/free come from
# Emscripten's libc; printf and fprintf become WASI fd_write.
set -euo pipefail
cd "$(dirname "$0")"
emcc -O2 -sSTANDALONE_WASM --no-entry -sALLOW_MEMORY_GROWTH \
  -sEXPORTED_FUNCTIONS=_malloc,_free --js-library imports.js \
  header.c -o c-emscripten.wasm
chmod 644 c-emscripten.wasm
ls -l c-emscripten.wasm

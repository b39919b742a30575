#!/usr/bin/env bash
# Rebuilds rust-header.wasm with Debian 12's Rust 1.63 and its wasm32-wasi standard library:
#   apt-get install rustc cargo libstd-rust-dev-wasm32
# Debian's cargo 1.65 cannot read crates.io's sparse index, so a newer cargo (FETCH_CARGO,
# default `cargo` from PATH, e.g. rustup's) vendors the crates pinned in Cargo.lock first, and
# Debian's cargo then builds offline from that copy.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${FETCH_CARGO:-cargo}" vendor --locked --versioned-dirs "$work/vendor" >/dev/null
mkdir "$work/home"
cat >"$work/home/config.toml" <<TOML
[source.crates-io]
replace-with = "vendored-sources"
[source.vendored-sources]
directory = "$work/vendor"
TOML
env -u RUSTUP_TOOLCHAIN CARGO_HOME="$work/home" RUSTC=/usr/bin/rustc \
  RUSTFLAGS="--remap-path-prefix=$work/vendor=/vendor --remap-path-prefix=$PWD=/src" \
  /usr/bin/cargo build --offline --locked --release --target wasm32-wasi --target-dir "$work/target"
cp "$work/target/wasm32-wasi/release/rust_header.wasm" rust-header.wasm
chmod 644 rust-header.wasm
ls -l rust-header.wasm

#!/bin/sh
# The pre-commit hook's entry (.pre-commit-hooks.yaml, `language: script`).
#
# pre-commit's `language: rust` installs with `cargo install --path .` and no way to add
# `--locked`, so cargo would re-resolve every dependency to versions this repository never
# tested. This script builds from the committed Cargo.lock instead, once per hook checkout
# (pre-commit keeps one clone per repository and rev), then runs the binary on the staged files.
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
target="$repo/target/pre-commit"
bin="$target/release/stackstate-lint"

if [ ! -x "$bin" ]; then
  command -v cargo >/dev/null 2>&1 || {
    echo "stackstate-lint: the hook builds the tool with cargo, which is not on PATH (https://rustup.rs)" >&2
    exit 2
  }
  echo "stackstate-lint: building with cargo --locked (first run of this hook version only; a few minutes)" >&2
  cargo build --locked --release --quiet --manifest-path "$repo/Cargo.toml" --target-dir "$target" >&2
fi
exec "$bin" "$@"

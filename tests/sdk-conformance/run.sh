#!/usr/bin/env bash
# Installs the pinned official SDKs (idempotent) and drives the emulator binary with them.
# Run from anywhere; `cargo xtask ci` runs it after the Rust tests.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

cd "$repo"
cargo build -p managed-agents-emulator --bin managed-agents-emulator
target="${CARGO_TARGET_DIR:-$repo/target}"
export MANAGED_AGENTS_EMULATOR_BIN="$target/debug/managed-agents-emulator"

cd "$here"
echo "==> npm ci (@anthropic-ai/sdk, pinned in package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

echo "==> python venv (anthropic, pinned in requirements.txt)"
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv; then
    rm -rf .venv
    apt-get update -qq && apt-get install -y -qq python3-venv
    python3 -m venv .venv
  fi
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt

echo "==> node --test (TypeScript SDK)"
node --test node/conformance.test.mjs

echo "==> python -m unittest (Python SDK)"
.venv/bin/python -m unittest discover -s python -v

#!/usr/bin/env bash
# Runs every vigil test: installs the Debian packages the tests need (apt-get, as root),
# checks formatting and lints, builds the binary that the lab tests drive, and runs all
# tests with cargo-nextest (each test in its own process, lab tests in their own network
# namespaces). Lab tests need root; under CI=true a lab test that cannot run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
vigil_install_deps
command -v cargo-nextest >/dev/null || cargo install --locked cargo-nextest
echo "vigil: cargo fmt --check"
cargo fmt --all -- --check
echo "vigil: cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "vigil: building"
cargo build --workspace --bins --quiet
echo "vigil: running tests"
cargo nextest run --workspace --no-fail-fast --profile ci "$@"

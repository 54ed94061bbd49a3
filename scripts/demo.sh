#!/usr/bin/env bash
# vigil's main job on one machine: a three-host lab in network namespaces, `vigil keepalived`
# on two hosts with one virtual IP, the master's link cut, and the failover timeline as the
# third host saw it. Installs what it needs (Debian packages via apt-get, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
vigil_install_deps
cargo build --release -p vigil --quiet
exec target/release/vigil lab demo "$@"

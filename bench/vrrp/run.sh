#!/usr/bin/env bash
# Runs every VRRP benchmark, vigil and keepalived side by side: bench/vrrp/run.sh [--quick] [--rt]
#
# --quick shortens the scale hold to 20 s (default 60 s); every benchmark still takes the
# median of 5 runs per row and implementation. --rt runs both daemons at SCHED_RR 10
# (chrt), so that unrelated load on the machine does not starve them.
# The vigil binary is $VIGIL, else ${CARGO_TARGET_DIR:-<repo>/target}/release/vigil,
# built with `cargo build --release -p vigil` if missing. Needs root (network namespaces).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
opts=()
for a in "$@"; do
    case "$a" in
        --quick|--rt) opts+=("$a") ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $a (usage: $0 [--quick] [--rt])" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "run as root (network namespaces)" >&2; exit 1; }

# Namespaces are named vglbench<pid>-<n>-<host> after the python process that made them;
# each script removes its own at exit, and this sweep catches any left by a killed one.
sweep() {
    ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^vglbench[0-9]+-' | while read -r ns; do
        pid="${ns#vglbench}"; pid="${pid%%-*}"
        if ! kill -0 "$pid" 2>/dev/null; then
            for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
            ip netns del "$ns" 2>/dev/null || true
        fi
    done || true   # no stale namespace: grep finds nothing, which is not an error
}
cleanup() {
    local children
    children="$(jobs -p)"
    [ -z "$children" ] || kill $children 2>/dev/null || true
    wait 2>/dev/null || true
    sweep
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ -z "${VIGIL:-}" ]; then
    VIGIL="${CARGO_TARGET_DIR:-$repo/target}/release/vigil"
    if [ ! -x "$VIGIL" ]; then
        echo "building $VIGIL" >&2
        (cd "$repo" && cargo build --release -p vigil)
    fi
fi
export VIGIL

echo "# VRRP benchmarks: vigil vs keepalived"
echo
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(uname -r);" \
    "$(/usr/sbin/keepalived --version 2>&1 | head -1); vigil: $VIGIL"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for b in failover graceful scale memory; do
    python3 "$here/$b.py" ${opts[@]+"${opts[@]}"} &
    wait $!
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

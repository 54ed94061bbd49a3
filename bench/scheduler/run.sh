#!/bin/sh
# Time `vigil simulate` against `crm_simulate` on generated CIBs:
# 10/100/1000/10000 resources x 3/16/64 nodes, median of 5 runs, peak RSS from
# /usr/bin/time -v, ratio, and whether the Transition Summary sections agree.
# crm_simulate is skipped above SKIP_CRM_ABOVE resources (default 1000): it takes
# minutes there. SIZES="10 100" limits the resource counts.
# Usage: bench/scheduler/run.sh [path-to-vigil]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
vigil=${1:-$here/../../target/release/vigil}
skip=${SKIP_CRM_ABOVE:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # cmd... -> prints "seconds maxrss_kb" of one run
    /usr/bin/time -v "$@" >"$work/out" 2>"$work/time" || true
    s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); t=0; for(i=1;i<=n;i++) t=t*60+p[i]; print t}' "$work/time")
    r=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time")
    echo "$s $r"
}
summary() { sed -n '/^Transition Summary:/,/^$/p' "$1" | tr -s ' \t' ' '; }
printf "%-7s %-5s %10s %10s %10s %10s %7s %s\n" rscs nodes vigil_s vigil_kb crm_s crm_kb ratio summary
for n in ${SIZES:-10 100 1000 10000}; do
  for m in 3 16 64; do
    python3 "$here/gen_cib.py" "$n" "$m" >"$work/cib.xml"
    vt=""; vr=""
    for i in 1 2 3 4 5; do set -- $(measure "$vigil" simulate -x "$work/cib.xml" -G "$work/vgraph.xml"); vt="$vt $1"; vr="$vr $2"; done
    "$vigil" simulate -x "$work/cib.xml" -S >"$work/vigil.out" 2>/dev/null || true
    vts=$(echo $vt | tr ' ' '\n' | median); vrs=$(echo $vr | tr ' ' '\n' | median)
    if [ "$n" -le "$skip" ]; then
      ct=""; cr=""
      for i in 1 2 3 4 5; do set -- $(measure crm_simulate -x "$work/cib.xml" -G "$work/graph.xml"); ct="$ct $1"; cr="$cr $2"; done
      cts=$(echo $ct | tr ' ' '\n' | median); crs=$(echo $cr | tr ' ' '\n' | median)
      crm_simulate -x "$work/cib.xml" -S >"$work/crm.out" 2>/dev/null || true
      if [ "$(summary "$work/vigil.out")" = "$(summary "$work/crm.out")" ]; then agree=same; else agree=DIFFERS; fi
      ratio=$(awk -v a="$cts" -v b="$vts" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }')
    else
      cts="skipped"; crs="-"; ratio="-"; agree="-"
    fi
    printf "%-7s %-5s %10s %10s %10s %10s %7s %s\n" "$n" "$m" "$vts" "$vrs" "$cts" "$crs" "$ratio" "$agree"
  done
done

#!/usr/bin/env python3
"""Benchmark 4, memory: resident set size of each daemon with 1 and with 255 instances.

The same two-host pair as scale.py (VRRPv3, advert_int 0.01, h1 master at 120, h2 backup
at 110); 3 s after h1 owns every instance, VmRSS is read from /proc/PID/status for every
process of each daemon and summed (keepalived: parent + VRRP child; vigil: one process).
"""

import time

import scale
import vrrplab as vl


def one_run(impl, n, vigil):
    lab = vl.Lab()
    try:
        d1, d2 = scale.start_pair(lab, impl, n, vigil)
        time.sleep(3)
        r1, r2 = d1.rss_kib(), d2.rss_kib()
        d1.stop()
        d2.stop()
        # Largest process first: keepalived's parent, then its VRRP child.
        return {"master": sum(r1.values()), "backup": sum(r2.values()),
                "master_parts": sorted(r1.values(), reverse=True),
                "backup_parts": sorted(r2.values(), reverse=True)}
    finally:
        lab.close()


def main():
    ap = vl.common_args(__doc__)
    args = ap.parse_args()
    vl.require_root()
    vigil = vl.vigil_binary(args.vigil)
    res = {}
    for n in (1, 255):
        for _ in range(args.runs):
            for impl in vl.impls(args):
                for attempt in range(3):
                    try:
                        res.setdefault((n, impl), []).append(one_run(impl, n, vigil))
                        break
                    except scale.NoElection as e:
                        print(f"  {impl}, {n} instances: did not settle, retrying: "
                              f"{str(e).splitlines()[0]}", flush=True)
    header = ["instances", "role"]
    for impl in vl.impls(args):
        header += [f"{impl} MB (processes)"]
    if len(vl.impls(args)) == 2:
        header.append("ratio v/k")
    rows = []
    for n in (1, 255):
        for role in ("master", "backup"):
            row = [str(n), role]
            meds = {}
            for impl in vl.impls(args):
                rs = res[(n, impl)]
                meds[impl] = vl.median(r[role] for r in rs) / 1024
                nparts = max(len(r[f"{role}_parts"]) for r in rs)
                parts = " + ".join(
                    f"{vl.median(r[f'{role}_parts'][i] for r in rs if len(r[f'{role}_parts']) > i) / 1024:.1f}"
                    for i in range(nparts))
                row.append(f"{meds[impl]:.1f} ({parts})")
            if len(vl.impls(args)) == 2:
                row.append(vl.ratio(meds["vigil"], meds["keepalived"]))
            rows.append(row)
    print(f"\n## memory: RSS summed over the daemon's processes, medians of {args.runs} runs "
          f"(MB = 2^20 bytes); {vl.sched_note(args)}\n")
    print(vl.table(header, rows))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark 3, scale: all 255 VRIDs on one interface at advert_int 0.01 (VRRPv3).

Two hosts: h1 at priority 120 on every instance (master), h2 at 110 (backup). After the
initial election and 2 s of settling, the pair is held for 60 s (20 s with --quick):

* spurious takeovers: transitions into MASTER in the backup's log during the hold (plus
  transitions out of MASTER in the master's log), cross-checked by counting, with
  tcpdump on h2 (kernel-filtered), the adverts that h2 itself sends;
* CPU% of each daemon (every process of it), from /proc/PID/stat utime+stime deltas over
  the hold, in percent of one core;
* adverts/s sent by the master (h1 eth0 tx packet counter delta over the hold) and CPU%
  per 1000 adverts/s, for the master (sending) and the backup (receiving).

Each instance has one virtual IPv4 address, 198.51.100.<3 + (vrid - 1) % 252>/32: the
/24 has room for 252 besides the hosts and network/broadcast, so VRIDs 253-255 share the
addresses of VRIDs 1-3 (keepalived accepts that; both daemons add the address once).
keepalived refuses an instance without a virtual_ipaddress, and an IPv6 one would make
the instance IPv6.
"""

import time

import vrrplab as vl

H2 = "198.51.100.2"
VIP_PREFIX = "198.51.100."
DISTINCT = 252


def vip(vrid):
    return f"{VIP_PREFIX}{3 + (vrid - 1) % DISTINCT}/32"


def pair_conf(host, prio, n):
    insts = [vl.instance_conf(f"VI_{v}", v, prio, 3, "0.01", vips=[vip(v)])
             for v in range(1, n + 1)]
    return vl.config(host, insts)


def vips_on(lab, host):
    """How many of the instances' /32 addresses the host holds."""
    out = vl.sh(["ip", "-n", lab.ns(host), "-4", "-o", "addr", "show", "dev", "eth0"],
                check=False)
    return sum(1 for w in out.split() if w.startswith(VIP_PREFIX) and w.endswith("/32"))


def start_pair(lab, impl, n, vigil):
    """h1 (master) and h2 (backup) with ``n`` instances; returns once h1 owns all."""
    lab.add_host("h1", ["198.51.100.1/24"])
    lab.add_host("h2", [f"{H2}/24"])
    d1 = vl.Daemon(lab, "h1", impl, pair_conf("h1", 120, n), vigil)
    d2 = vl.Daemon(lab, "h2", impl, pair_conf("h2", 110, n), vigil)
    want = min(n, DISTINCT)
    ok = vl.wait_until(30, lambda: vips_on(lab, "h1") == want and vips_on(lab, "h2") == 0
                       and d1.master_entries() >= n, step=0.1)
    if not ok:
        raise RuntimeError(f"{impl}: h1 does not own all {n} instances "
                           f"(addresses: h1 {vips_on(lab, 'h1')}, h2 {vips_on(lab, 'h2')}; "
                           f"h1 master entries {d1.master_entries()})\n--- h1 log tail:\n"
                           f"{d1.log_text()[-3000:]}\n--- h2 log tail:\n{d2.log_text()[-3000:]}")
    return d1, d2


def left_master(d, text):
    if d.impl == "keepalived":
        return text.count("Entering BACKUP STATE") + text.count("Entering FAULT STATE")
    return text.count("Master -> ")


def one_run(impl, hold, vigil, verbose):
    lab = vl.Lab()
    try:
        d1, d2 = start_pair(lab, impl, 255, vigil)
        time.sleep(2)
        off1, off2 = len(d1.log_text()), len(d2.log_text())
        watch = vl.AdvertWatch(lab, "h2", f"ip proto 112 and src host {H2}")
        load0 = open("/proc/loadavg").read().split()[0]
        c1, c2 = d1.cpu_ticks(), d2.cpu_ticks()
        (_, tx0), (rx0, _) = lab.link_counters("h1"), lab.link_counters("h2")
        t0 = time.monotonic()
        time.sleep(hold)
        e1, e2 = d1.cpu_ticks(), d2.cpu_ticks()
        (_, tx1), (rx1, _) = lab.link_counters("h1"), lab.link_counters("h2")
        dt = time.monotonic() - t0
        load1 = open("/proc/loadavg").read().split()[0]
        backup_adverts = len(watch.stop())
        alive = d1.proc.poll() is None and d2.proc.poll() is None

        def cpu(a, b):
            return sum(b[p] - a.get(p, 0) for p in b) / vl.CLK_TCK / dt * 100

        t1, t2 = d1.log_text()[off1:], d2.log_text()[off2:]
        r = {
            "spurious": d2.master_entries(t2) + left_master(d1, t1),
            "backup_adverts": backup_adverts,
            "cpu_master": cpu(c1, e1),
            "cpu_backup": cpu(c2, e2),
            "tx_rate": (tx1 - tx0) / dt,
            "rx_rate": (rx1 - rx0) / dt,
            "alive": alive,
            "load": f"{load0}->{load1}",
        }
        r["per1k_master"] = r["cpu_master"] / (r["tx_rate"] / 1000) if r["tx_rate"] else None
        r["per1k_backup"] = r["cpu_backup"] / (r["rx_rate"] / 1000) if r["rx_rate"] else None
        if verbose:
            print(f"  {impl:10} spurious {r['spurious']} (backup adverts {backup_adverts}) "
                  f"cpu master {r['cpu_master']:.1f}% backup {r['cpu_backup']:.1f}% "
                  f"tx {r['tx_rate']:.0f}/s rx {r['rx_rate']:.0f}/s load {r['load']}",
                  flush=True)
        d1.stop()
        d2.stop()
        return r
    finally:
        lab.close()


def main():
    ap = vl.common_args(__doc__)
    ap.add_argument("--hold", type=float, help="hold seconds (default 60, 20 with --quick)")
    args = ap.parse_args()
    vl.require_root()
    vigil = vl.vigil_binary(args.vigil)
    hold = args.hold or (20 if args.quick else 60)
    res = {}
    for _ in range(args.runs):
        for impl in vl.impls(args):
            res.setdefault(impl, []).append(one_run(impl, hold, vigil, args.verbose))
    keys = [("spurious takeovers per run (median / total)", "spurious"),
            ("backup's own adverts during the hold (median)", "backup_adverts"),
            ("adverts/s sent by the master", "tx_rate"),
            ("master CPU % of a core", "cpu_master"),
            ("backup CPU % of a core", "cpu_backup"),
            ("master CPU % per 1000 adverts/s sent", "per1k_master"),
            ("backup CPU % per 1000 adverts/s received", "per1k_backup")]
    header = ["metric"] + vl.impls(args)
    if len(vl.impls(args)) == 2:
        header.append("ratio v/k")
    rows = []
    for label, k in keys:
        row = [label]
        meds = {}
        for impl in vl.impls(args):
            xs = [r[k] for r in res[impl]]
            meds[impl] = vl.median(xs)
            if k == "spurious":
                row.append(f"{vl.fmt(meds[impl], '', 0)} / {sum(xs)}")
            elif k in ("tx_rate", "backup_adverts"):
                row.append(vl.fmt(meds[impl], "", 0))
            else:
                row.append(vl.fmt(meds[impl], "", 2))
        if len(vl.impls(args)) == 2:
            row.append("" if k in ("spurious", "backup_adverts")
                       else vl.ratio(meds["vigil"], meds["keepalived"]))
        rows.append(row)
    print(f"\n## scale: 255 VRIDs, advert_int 0.01 (v3), hold {hold:g} s: medians of "
          f"{args.runs} runs\n")
    print(vl.table(header, rows))
    print("\nper run:")
    for impl, rs in res.items():
        for r in rs:
            print(f"  {impl:10} spurious {r['spurious']:3} backup-adverts {r['backup_adverts']:6}"
                  f" cpu M {r['cpu_master']:5.1f}% B {r['cpu_backup']:5.1f}% tx "
                  f"{r['tx_rate']:7.0f}/s rx {r['rx_rate']:7.0f}/s loadavg {r['load']}"
                  f"{'' if r['alive'] else '  DAEMON DIED'}")


if __name__ == "__main__":
    main()

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
    """h1 (master) and h2 (backup) with ``n`` instances, started together; returns once
    h1 owns all and h2 none, or raises ``NoElection`` after 60 s."""
    lab.add_host("h1", ["198.51.100.1/24"])
    lab.add_host("h2", [f"{H2}/24"])
    d1 = vl.Daemon(lab, "h1", impl, pair_conf("h1", 120, n), vigil)
    d2 = vl.Daemon(lab, "h2", impl, pair_conf("h2", 110, n), vigil)
    want = min(n, DISTINCT)
    ok = vl.wait_until(60, lambda: vips_on(lab, "h1") == want and vips_on(lab, "h2") == 0
                       and d1.master_entries() >= n, step=0.1)
    if not ok:
        raise NoElection(f"{impl}: h1 does not own all {n} instances after 60 s "
                         f"(addresses: h1 {vips_on(lab, 'h1')}, h2 {vips_on(lab, 'h2')}; "
                         f"h1 master entries {d1.master_entries()})\n--- h1 log tail:\n"
                         f"{d1.log_text()[-1500:]}\n--- h2 log tail:\n{d2.log_text()[-1500:]}")
    return d1, d2


class NoElection(RuntimeError):
    """The pair did not settle (h1 master on all, h2 on none) within 60 s."""


def raw_drops(lab, host):
    """Packets the kernel dropped on the host's raw sockets (receive buffer full)."""
    out = vl.sh(["ip", "netns", "exec", lab.ns(host), "cat", "/proc/net/raw"], check=False)
    return sum(int(line.split()[-1]) for line in out.splitlines()[1:] if line.split())


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
        # The backup's own adverts, and every advert of two sample VRIDs (the first and
        # the last of each burst): VRRP's VRID is byte 1 of its header (RFC 5798 §5.2.3).
        watch = vl.AdvertWatch(lab, "h2", f"ip proto 112 and (src host {H2} or ip[21] == 1 "
                                          "or ip[21] == 255)")
        load0 = open("/proc/loadavg").read().split()[0]
        drops0 = raw_drops(lab, "h2")
        c1, c2 = d1.cpu_ticks(), d2.cpu_ticks()
        (_, tx0), (rx0, _) = lab.link_counters("h1"), lab.link_counters("h2")
        t0 = time.monotonic()
        time.sleep(hold)
        e1, e2 = d1.cpu_ticks(), d2.cpu_ticks()
        (_, tx1), (rx1, _) = lab.link_counters("h1"), lab.link_counters("h2")
        dt = time.monotonic() - t0
        load1 = open("/proc/loadavg").read().split()[0]
        drops = raw_drops(lab, "h2") - drops0
        events = watch.stop()
        backup_adverts = sum(1 for e in events if e[1] == H2)
        gaps = []
        for vrid in (1, 255):
            ts = [e[0] for e in events if e[1] != H2 and e[3] == vrid]
            gaps += [b - a for a, b in zip(ts, ts[1:])]
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
            "drops": drops,
            "max_gap": max(gaps) * 1000 if gaps else None,
            "load": f"{load0}->{load1}",
        }
        r["per1k_master"] = r["cpu_master"] / (r["tx_rate"] / 1000) if r["tx_rate"] else None
        r["per1k_backup"] = r["cpu_backup"] / (r["rx_rate"] / 1000) if r["rx_rate"] else None
        if verbose:
            print(f"  {impl:10} spurious {r['spurious']} (backup adverts {backup_adverts}) "
                  f"cpu master {r['cpu_master']:.1f}% backup {r['cpu_backup']:.1f}% "
                  f"tx {r['tx_rate']:.0f}/s rx {r['rx_rate']:.0f}/s rx drops {drops} "
                  f"master's longest advert gap {vl.fmt(r['max_gap'])} ms load {r['load']}",
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
    unsettled = {}
    for _ in range(args.runs):
        for impl in vl.impls(args):
            try:
                res.setdefault(impl, []).append(one_run(impl, hold, vigil, args.verbose))
            except NoElection as e:
                unsettled[impl] = unsettled.get(impl, 0) + 1
                res.setdefault(impl, [])
                print(f"  {impl}: did not settle, run skipped: {str(e).splitlines()[0]}",
                      flush=True)
    keys = [("spurious takeovers per run (median / total)", "spurious"),
            ("backup's own adverts during the hold (median)", "backup_adverts"),
            ("adverts/s sent by the master", "tx_rate"),
            ("adverts the backup's kernel dropped (socket buffer full)", "drops"),
            ("master's longest advert gap, VRIDs 1 and 255 (ms)", "max_gap"),
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
            elif k in ("tx_rate", "backup_adverts", "drops"):
                row.append(vl.fmt(meds[impl], "", 0))
            else:
                row.append(vl.fmt(meds[impl], "", 2))
        if len(vl.impls(args)) == 2:
            row.append("" if k in ("spurious", "backup_adverts", "drops")
                       else vl.ratio(meds["vigil"], meds["keepalived"]))
        rows.append(row)
    print(f"\n## scale: 255 VRIDs, advert_int 0.01 (v3), hold {hold:g} s: medians of "
          f"{args.runs} runs; {vl.sched_note(args)}\n")
    print(vl.table(header, rows))
    for impl in vl.impls(args):
        print(f"\n{impl}: {unsettled.get(impl, 0)} of {args.runs} starts did not settle "
              "(h1 master on all 255, h2 backup on all) within 60 s")
    print("\nper run:")
    for impl, rs in res.items():
        for r in rs:
            print(f"  {impl:10} spurious {r['spurious']:3} backup-adverts {r['backup_adverts']:6}"
                  f" cpu M {r['cpu_master']:5.1f}% B {r['cpu_backup']:5.1f}% tx "
                  f"{r['tx_rate']:7.0f}/s rx {r['rx_rate']:7.0f}/s drops {r['drops']:5} max gap "
                  f"{vl.fmt(r['max_gap'])} ms loadavg {r['load']}"
                  f"{'' if r['alive'] else '  DAEMON DIED'}")


if __name__ == "__main__":
    main()

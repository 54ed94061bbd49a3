"""One master-to-backup handover, measured three ways; used by failover.py and graceful.py.

Lab: h1 (priority 120, the master) and h2 (priority 110) run the same daemon with one
virtual IP; client h3 pings the VIP every 10 ms (``ping -i 0.01 -D``); tcpdump on h2's
eth0 timestamps every VRRP advert h2 receives and sends.

* hard: at the first advert from h1 that h2 sees once the probe runs, h1's switch port is
  taken down (one line to a running ``ip -batch -``, so the cut follows the advert by well
  under a millisecond). h2 then waits one whole Master_Down_Interval: the expected
  outage is 3 x interval + skew (RFC 5798 §6.1), independent of the advert phase.
* graceful: h1's daemon gets SIGTERM; it sends priority 0 and h2 takes over after
  Skew_Time (RFC 5798 §6.4.2).

Per run: ``silence`` = longest gap between two echo replies at h3 (the brief's outage);
``wire`` = first advert sent by h2 minus the last advert from h1 it received (the
protocol's handover measured on one clock, with no 10 ms ping granularity); ``lag`` =
cut minus the triggering advert.
"""

import signal
import time

import vrrplab as vl

VIP = "198.51.100.100"
H1, H2 = "198.51.100.1", "198.51.100.2"
PRIO_MASTER, PRIO_BACKUP = 120, 110


def rows():
    """(label, version, advert_int seconds, auth) of the two rows of the brief."""
    return [("advert_int 1 (v2, PASS)", 2, 1.0, "vigil"), ("advert_int 0.01 (v3)", 3, 0.01, None)]


def one_run(impl, version, interval, auth, mode, vigil, verbose=False, ping="0.01"):
    lab = vl.Lab()
    try:
        lab.add_host("h1", [f"{H1}/24"])
        lab.add_host("h2", [f"{H2}/24"])
        lab.add_host("h3", ["198.51.100.3/24"])
        ai = f"{interval:g}"
        daemons = {}
        for host, prio in (("h1", PRIO_MASTER), ("h2", PRIO_BACKUP)):
            inst = vl.instance_conf("VI_1", 51, prio, version, ai, vips=[f"{VIP}/24"], auth=auth)
            daemons[host] = vl.Daemon(lab, host, impl, vl.config(host, [inst]), vigil)
        mdi = vl.master_down(PRIO_MASTER, interval)
        up = vl.wait_until(2 * mdi + 10, lambda: lab.has_addr("h1", VIP)
                           and not lab.has_addr("h2", VIP) and lab.ping_ok("h3", VIP))
        if not up:
            raise RuntimeError(f"{impl}: h1 did not become master\n--- h1:\n"
                               f"{daemons['h1'].log_text()}\n--- h2:\n{daemons['h2'].log_text()}")
        time.sleep(max(3 * interval, 0.5))  # h2 settled in BACKUP
        watch = vl.AdvertWatch(lab, "h2")
        pinger = vl.Pinger(lab, "h3", VIP, ping)
        time.sleep(0.3)
        armed_at = time.time()
        trigger = {}
        if mode == "hard":
            def hook(ev):
                t, src, _prio, _vrid = ev
                if src == H1 and t >= armed_at:
                    lab.cut("h1")
                    trigger["cut"] = time.time()
                    trigger["advert"] = t
                    return True
                return False
            watch.hook = hook
            if not vl.wait_until(interval + 3, lambda: "cut" in trigger, step=0.005):
                raise RuntimeError(f"{impl}: no advert from h1 seen")
        else:
            daemons["h1"].signal(signal.SIGTERM)
            trigger["cut"] = time.time()
        moved = vl.wait_until(mdi + 5, lambda: lab.has_addr("h2", VIP), step=0.005)
        time.sleep(0.3)
        pinger.stop()
        events = watch.stop()
        if not moved:
            raise RuntimeError(f"{impl}: h2 did not take over\n--- h2:\n"
                               f"{daemons['h2'].log_text()}")
        silence, _ = pinger.longest_silence()
        first_h2 = next((t for t, s, _, _ in events if s == H2 and t >= armed_at), None)
        last_h1 = None
        last_h1_prio = None
        for t, s, p, _ in events:
            if s == H1 and (first_h2 is None or t <= first_h2):
                last_h1, last_h1_prio = t, p
        wire = first_h2 - last_h1 if first_h2 is not None and last_h1 is not None else None
        lag = trigger["cut"] - trigger["advert"] if "advert" in trigger else None
        if mode == "graceful" and last_h1_prio != 0:
            print(f"  warning: {impl}: h1's last advert had priority {last_h1_prio}, not 0")
        r = {"silence": silence * 1000, "wire": wire * 1000 if wire is not None else None,
             "lag": lag * 1000 if lag is not None else None,
             "spacing": pinger.spacing() * 1000 if pinger.spacing() else None}
        if verbose:
            print(f"  {impl:10} v{version} {ai:>4}: silence {r['silence']:8.1f} ms  wire "
                  f"{vl.fmt(r['wire'])} ms  lag {vl.fmt(r['lag'], digits=2)} ms", flush=True)
        for d in daemons.values():
            d.stop(timeout=3)
        return r
    finally:
        lab.close()


def main(mode, description):
    ap = vl.common_args(description)
    ap.add_argument("--ping-interval", default="0.01",
                    help="the client's ping -i (default 0.01, as in the brief)")
    args = ap.parse_args()
    vl.require_root()
    vigil = vl.vigil_binary(args.vigil)
    results = {}
    for label, version, interval, auth in rows():
        for _ in range(args.runs):
            for impl in vl.impls(args):
                r = one_run(impl, version, interval, auth, mode, vigil, args.verbose,
                            args.ping_interval)
                results.setdefault((label, impl), []).append(r)
    header = ["row", "theory ms"]
    for impl in vl.impls(args):
        header += [f"{impl} outage", f"{impl} wire"]
    if len(vl.impls(args)) == 2:
        header += ["ratio outage v/k", "ratio wire v/k"]
    out_rows = []
    for label, version, interval, auth in rows():
        theory = (vl.master_down(PRIO_BACKUP, interval) if mode == "hard"
                  else vl.skew(PRIO_BACKUP, interval)) * 1000
        row = [label, f"{theory:.1f}"]
        med = {}
        for impl in vl.impls(args):
            rs = results[(label, impl)]
            med[impl] = (vl.median(r["silence"] for r in rs), vl.median(r["wire"] for r in rs))
            row += [vl.fmt(med[impl][0], " ms"), vl.fmt(med[impl][1], " ms")]
        if len(vl.impls(args)) == 2:
            row += [vl.ratio(med["vigil"][0], med["keepalived"][0]),
                    vl.ratio(med["vigil"][1], med["keepalived"][1])]
        out_rows.append(row)
    what = ("hard failover (master's switch port down)" if mode == "hard"
            else "graceful stop (SIGTERM, priority 0)")
    theory = "3 x interval + skew" if mode == "hard" else "skew"
    spacing = vl.median(r["spacing"] for rs in results.values() for r in rs)
    print(f"\n## {what}: medians of {args.runs} runs; {vl.sched_note(args)}\n")
    print(f"theory = {theory} for the backup (priority {PRIO_BACKUP}); outage = longest "
          f"silence between echo replies at the client (ping -i {args.ping_interval}; "
          f"replies came every {vl.fmt(spacing, ' ms')}, the outage's resolution); wire = "
          "last advert of the old master to first advert of the new one, seen at the "
          "backup\n")
    print(vl.table(header, out_rows))
    if mode == "hard":
        lags = [r["lag"] for rs in results.values() for r in rs if r["lag"] is not None]
        print(f"\ncut lag after the triggering advert: median {vl.fmt(vl.median(lags), ' ms', 2)}"
              f", max {vl.fmt(max(lags) if lags else None, ' ms', 2)}")
    print("\nper-run outage (ms):")
    for (label, impl), rs in sorted(results.items()):
        print(f"  {label:26} {impl:10} " + " ".join(f"{r['silence']:.1f}" for r in rs))
    print("per-run wire (ms):")
    for (label, impl), rs in sorted(results.items()):
        print(f"  {label:26} {impl:10} " + " ".join(vl.fmt(r["wire"]) for r in rs))

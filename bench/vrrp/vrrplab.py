"""Shared plumbing of the VRRP benchmarks: a namespace lab, the two daemons, stats.

Everything here stays inside network namespaces that this process creates, named
``vglbench<pid>-<n>-<host>``, on 198.51.100.0/24 and 2001:db8::/32 only. Namespaces
and processes are removed at exit (atexit plus SIGINT/SIGTERM/SIGHUP handlers), and
namespaces left behind by dead benchmark processes are swept at start.

Topology (like crates/lab): a switch namespace with bridge ``br0`` (STP off, forward
delay 0, multicast snooping off, no IPv6 of its own) and one namespace per host whose
``eth0`` is a veth to port ``<host>`` on the bridge.
"""

import argparse
import atexit
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEEPALIVED = "/usr/sbin/keepalived"
PREFIX = "vglbench"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

_labs = []  # live labs, torn down at exit
_counter = [0]


# ---------------------------------------------------------------- small helpers


def sh(args, check=True, input=None):
    """Runs a command; returns stdout. Raises with stderr on failure if ``check``."""
    r = subprocess.run(args, input=input, capture_output=True, text=True)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
    return r.stdout


def wait_until(timeout, f, step=0.02):
    """Polls ``f`` until it returns true or ``timeout`` seconds pass."""
    end = time.time() + timeout
    while True:
        if f():
            return True
        if time.time() >= end:
            return False
        time.sleep(step)


def pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def sweep_stale():
    """Deletes ``vglbench<pid>-*`` namespaces whose creating process is gone."""
    for line in sh(["ip", "netns", "list"], check=False).splitlines():
        name = line.split()[0] if line.split() else ""
        m = re.match(rf"{PREFIX}(\d+)-", name)
        if m and not pid_alive(int(m.group(1))):
            _kill_netns(name)
            sh(["ip", "netns", "del", name], check=False)


def _kill_netns(ns):
    pids = sh(["ip", "netns", "pids", ns], check=False).split()
    for p in pids:
        try:
            os.kill(int(p), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def _cleanup():
    for lab in list(_labs):
        lab.close()


def _on_signal(signum, _frame):
    sys.exit(128 + signum)


atexit.register(_cleanup)
for _s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(_s, _on_signal)


# ---------------------------------------------------------------- the lab


class Lab:
    """A bridge in a switch namespace and hosts on it."""

    def __init__(self):
        sweep_stale()
        _counter[0] += 1
        self.prefix = f"{PREFIX}{os.getpid()}-{_counter[0]}"
        self.switch = f"{self.prefix}-sw"
        self.namespaces = []
        self.procs = []
        self.dir = tempfile.mkdtemp(prefix=f"{self.prefix}-")
        self._batch = None
        _labs.append(self)
        self._netns_add(self.switch)
        self.sysctl(self.switch, "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1")
        sh(["ip", "-n", self.switch, "link", "set", "lo", "up"])
        sh(["ip", "-n", self.switch, "link", "add", "br0", "type", "bridge", "stp_state", "0",
            "forward_delay", "0", "mcast_snooping", "0"])
        sh(["ip", "-n", self.switch, "link", "set", "br0", "up"])

    def _netns_add(self, ns):
        sh(["ip", "netns", "add", ns])
        self.namespaces.append(ns)

    @staticmethod
    def sysctl(ns, *settings):
        sh(["ip", "netns", "exec", ns, "sysctl", "-q", "-w", *settings])

    def ns(self, host):
        return f"{self.prefix}-{host}"

    def add_host(self, name, addrs):
        for a in addrs:
            if not (a.startswith("198.51.100.") or a.lower().startswith("2001:db8:")):
                raise ValueError(f"{a}: not a documentation address")
        ns = self.ns(name)
        self._netns_add(ns)
        sh(["ip", "-n", ns, "link", "set", "lo", "up"])
        sh(["ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", name,
            "netns", self.switch])
        self.sysctl(ns, "net.ipv6.conf.eth0.accept_dad=0", "net.ipv6.conf.eth0.dad_transmits=0",
                    "net.ipv6.conf.default.accept_dad=0")
        for a in addrs:
            sh(["ip", "-n", ns, "addr", "add", a, "dev", "eth0"])
        sh(["ip", "-n", ns, "link", "set", "eth0", "up"])
        sh(["ip", "-n", self.switch, "link", "set", name, "master", "br0", "up"])

    def spawn(self, host, argv, log_name, **kw):
        """Starts ``argv`` in ``host``'s namespace, stdout+stderr to a log file."""
        log = os.path.join(self.dir, log_name)
        f = open(log, "ab")
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(host), *argv], stdout=f,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kw)
        f.close()
        p.log = log
        self.procs.append(p)
        return p

    def popen(self, host, argv, **kw):
        """Starts ``argv`` in ``host``'s namespace with pipes of the caller's choice."""
        p = subprocess.Popen(["ip", "netns", "exec", self.ns(host), *argv], **kw)
        self.procs.append(p)
        return p

    def batch(self):
        """A long-running ``ip -batch -`` in the switch namespace: a link cut is one line
        written to it, without a process start in between."""
        if self._batch is None:
            self._batch = subprocess.Popen(["ip", "-n", self.switch, "-force", "-batch", "-"],
                                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, text=True, bufsize=1)
            self.procs.append(self._batch)
        return self._batch

    def cut(self, host):
        b = self.batch()
        b.stdin.write(f"link set {host} down\n")
        b.stdin.flush()

    def has_addr(self, host, addr):
        out = sh(["ip", "-n", self.ns(host), "-o", "addr", "show", "dev", "eth0"], check=False)
        return f" {addr}/" in out

    def count_addrs(self, host, prefix):
        out = sh(["ip", "-n", self.ns(host), "-o", "addr", "show", "dev", "eth0"], check=False)
        return sum(1 for w in out.split() if w.startswith(prefix))

    def link_counters(self, host):
        """(rx_packets, tx_packets) of the host's eth0."""
        base = f"/sys/class/net/eth0/statistics"
        out = sh(["ip", "netns", "exec", self.ns(host), "cat", f"{base}/rx_packets",
                  f"{base}/tx_packets"])
        rx, tx = out.split()
        return int(rx), int(tx)

    def ping_ok(self, host, ip):
        r = subprocess.run(["ip", "netns", "exec", self.ns(host), "ping", "-n", "-q", "-c", "1",
                            "-W", "1", ip], capture_output=True)
        return r.returncode == 0

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    p.kill()
                except ProcessLookupError:
                    pass
        for ns in reversed(self.namespaces):
            _kill_netns(ns)
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        for ns in reversed(self.namespaces):
            sh(["ip", "netns", "del", ns], check=False)
        self.namespaces = []
        self.procs = []
        shutil.rmtree(self.dir, ignore_errors=True)
        if self in _labs:
            _labs.remove(self)


# ---------------------------------------------------------------- configuration


def instance_conf(name, vrid, priority, version, advert_int, vips=(), excluded=(), auth=None):
    lines = [f"vrrp_instance {name} {{", "    state BACKUP", "    interface eth0",
             f"    virtual_router_id {vrid}", f"    version {version}",
             f"    priority {priority}", f"    advert_int {advert_int}"]
    if auth:
        lines += ["    authentication {", "        auth_type PASS", f"        auth_pass {auth}",
                  "    }"]
    if vips:
        lines += ["    virtual_ipaddress {"] + [f"        {v}" for v in vips] + ["    }"]
    if excluded:
        lines += ["    virtual_ipaddress_excluded {"] + [f"        {v}" for v in excluded]
        lines += ["    }"]
    lines.append("}")
    return "\n".join(lines) + "\n"


def config(router_id, instances):
    return f"global_defs {{\n    router_id {router_id}\n}}\n\n" + "\n".join(instances)


def skew(priority, interval):
    """RFC 5798 §6.1 (and RFC 3768 §6.1 at 1 s): Skew_Time, seconds."""
    return (256 - priority) * interval / 256.0


def master_down(priority, interval):
    """RFC 5798 §6.1: Master_Down_Interval = 3 × Master_Adver_Interval + Skew_Time."""
    return 3 * interval + skew(priority, interval)


# ---------------------------------------------------------------- daemons


def vigil_binary(arg=None):
    """``--vigil``, else $VIGIL, else <target dir>/release/vigil, built if missing."""
    path = arg or os.environ.get("VIGIL")
    if path:
        return path
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    path = os.path.join(target, "release", "vigil")
    if not os.path.exists(path):
        print(f"building {path} (cargo build --release -p vigil)", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "-p", "vigil"], cwd=REPO, check=True)
    return path


class Daemon:
    """One daemon (vigil or keepalived) on one host of a lab."""

    #: argv prefix for every daemon (``--rt``: ``chrt --rr 10``), set by ``impls``.
    wrapper = []

    def __init__(self, lab, host, impl, conf_text, vigil):
        self.lab, self.host, self.impl = lab, host, impl
        d = lab.dir
        self.conf = os.path.join(d, f"{host}.conf")
        with open(self.conf, "w") as f:
            f.write(conf_text)
        self.pidfile = os.path.join(d, f"{host}.pid")
        vrrp_pid = os.path.join(d, f"{host}-vrrp.pid")
        if impl == "keepalived":
            argv = [KEEPALIVED, "--dont-fork", "--log-console", "--vrrp", "-f", self.conf,
                    "-p", self.pidfile, "-r", vrrp_pid, "-c", os.path.join(d, f"{host}-chk.pid")]
        else:
            argv = [vigil, "keepalived", "--dont-fork", "--log-console", "-f", self.conf, "-p",
                    self.pidfile, "-r", vrrp_pid]
        self.proc = lab.spawn(host, Daemon.wrapper + argv, f"{host}-{impl}.log")
        self.log = self.proc.log

    def pids(self):
        """Every process of the daemon: the one started (``ip netns exec`` execs it) and
        its descendants (keepalived: the VRRP child)."""
        parent = {}
        for p in sh(["ip", "netns", "pids", self.lab.ns(self.host)], check=False).split():
            try:
                with open(f"/proc/{p}/stat") as f:
                    parent[int(p)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
        out = [self.proc.pid] if self.proc.pid in parent else []
        grew = True
        while grew:
            grew = False
            for p, pp in parent.items():
                if pp in out and p not in out:
                    out.append(p)
                    grew = True
        return out

    def cpu_ticks(self):
        """{pid: utime+stime} in clock ticks."""
        t = {}
        for p in self.pids():
            try:
                with open(f"/proc/{p}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                t[p] = int(fields[11]) + int(fields[12])
            except (OSError, IndexError):
                pass
        return t

    def rss_kib(self):
        """{pid: VmRSS in KiB}."""
        r = {}
        for p in self.pids():
            try:
                with open(f"/proc/{p}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            r[p] = int(line.split()[1])
            except OSError:
                pass
        return r

    def signal(self, sig):
        with open(self.pidfile) as f:
            os.kill(int(f.read().split()[0]), sig)

    def log_text(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def master_entries(self, text=None):
        """How many times the log says an instance entered MASTER."""
        text = self.log_text() if text is None else text
        if self.impl == "keepalived":
            return len(re.findall(r"Entering MASTER STATE", text))
        return len(re.findall(r"-> Master", text))

    def stop(self, timeout=5):
        if self.proc.poll() is None:
            try:
                self.signal(signal.SIGTERM)
            except (OSError, ValueError):
                self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# ---------------------------------------------------------------- probes


class Pinger:
    """``ping -i 0.01 -D`` at a target; the longest silence between two replies."""

    def __init__(self, lab, host, target, interval="0.01"):
        self.proc = lab.popen(host, ["ping", "-i", interval, "-D", "-n", "-W", "1", target],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=5)
        times = [float(m.group(1)) for m in re.finditer(r"^\[(\d+\.\d+)\] \d+ bytes from", out,
                                                         re.M)]
        self.times = sorted(times)
        return self.times

    def spacing(self):
        """Median gap between replies: the probe's real period (iputils' ``-i 0.01``
        gives 16 ms on this machine's kernel)."""
        gaps = [b - a for a, b in zip(self.times, self.times[1:])]
        return statistics.median(gaps) if gaps else None

    def longest_silence(self):
        """(gap seconds, time of the reply before it)."""
        best = (0.0, None)
        for a, b in zip(self.times, self.times[1:]):
            if b - a > best[0]:
                best = (b - a, a)
        return best


class AdvertWatch:
    """tcpdump of VRRP (IP protocol 112) on a host's eth0, one line per packet, read by a
    thread: (time, source, priority, vrid)."""

    LINE = re.compile(r"^(\d+\.\d+) IP (\S+) > \S+: VRRPv\d, Advertisement, vrid (\d+), prio (\d+)")

    def __init__(self, lab, host, filt="ip proto 112"):
        import threading
        self.proc = lab.popen(host, ["tcpdump", "-n", "-tt", "-l", "--immediate-mode", "-i",
                                     "eth0", filt], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, bufsize=1)
        self.events = []
        self.cond = threading.Condition()
        self.hook = None
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        # tcpdump says "listening on" on stderr once the capture is open.
        seen = []
        while True:
            line = self.proc.stderr.readline()
            seen.append(line)
            if "listening on" in line:
                break
            if not line:
                raise RuntimeError(f"tcpdump: {''.join(seen).strip()}")

    def _read(self):
        for line in self.proc.stdout:
            m = self.LINE.match(line)
            if not m:
                continue
            ev = (float(m.group(1)), m.group(2), int(m.group(4)), int(m.group(3)))
            hook = self.hook
            if hook is not None and hook(ev):
                self.hook = None
            with self.cond:
                self.events.append(ev)
                self.cond.notify_all()

    def stop(self):
        time.sleep(0.05)
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.thread.join(timeout=5)
        return self.events


# ---------------------------------------------------------------- reporting


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, unit="", digits=1):
    if x is None:
        return "n/a"
    return f"{x:.{digits}f}{unit}"


def ratio(v, k):
    if v is None or k is None or k == 0:
        return "n/a"
    return f"{v / k:.2f}"


def table(header, rows):
    """A Markdown table, columns padded."""
    cols = [header] + rows
    w = [max(len(str(r[i])) for r in cols) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w[i]) for i, c in enumerate(r)) + " |"
    out = [line(header), "| " + " | ".join("-" * x for x in w) + " |"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def common_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--quick", action="store_true", help="shorter holds (development)")
    ap.add_argument("--runs", type=int, default=5, help="runs per row and implementation")
    ap.add_argument("--vigil", help="vigil binary (default $VIGIL or target/release/vigil)")
    ap.add_argument("--only", choices=["vigil", "keepalived"], help="run one implementation")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every run")
    ap.add_argument("--rt", action="store_true",
                    help="run both daemons at real-time priority (chrt --rr 10), so load "
                         "from unrelated processes does not starve them")
    return ap


def impls(args):
    Daemon.wrapper = ["chrt", "--rr", "10"] if args.rt else []
    return [args.only] if args.only else ["keepalived", "vigil"]


def sched_note(args):
    return ("daemons at SCHED_RR 10 (--rt)" if args.rt
            else "daemons at the default scheduling policy")


def require_root():
    if os.geteuid() != 0:
        sys.exit("the VRRP benchmarks need root (network namespaces)")
    if not os.path.exists(KEEPALIVED):
        sys.exit(f"{KEEPALIVED} not found (apt-get install keepalived)")

//! Shared helpers of the VRRP lab tests: a three-host lab (h1, h2 run daemons, h3 is the
//! client), keepalived.conf generation, starting `vigil keepalived` and Debian's
//! keepalived with the same flags, and checks made from the client h3.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use vigil_lab::{wait_until, Host, Lab, Proc};

/// The IPv4 virtual address.
pub const VIP4: &str = "198.51.100.100";
/// advert_int of the VRRPv3 tests, in seconds: short, but with Master_Down_Interval
/// (3 × 0.3 s + skew) above the scheduling stalls of a loaded 2-core machine.
pub const V3_INT: f64 = 0.3;
/// The IPv6 virtual address.
pub const VIP6: &str = "2001:db8::100";
/// SIGHUP.
pub const SIGHUP: i32 = 1;
/// SIGTERM.
pub const SIGTERM: i32 = 15;
/// SIGINT.
pub const SIGINT: i32 = 2;
/// Debian's keepalived.
pub const KEEPALIVED: &str = "/usr/sbin/keepalived";

/// A lab of three hosts on one bridge: h1 (198.51.100.1, 2001:db8::1), h2 (.2, ::2) and
/// the client h3 (.3, ::3), plus a scratch directory for configs, pid files and scripts.
pub struct TestLab {
    /// The lab (dropped last: kills whatever still runs in it).
    pub lab: Lab,
    /// Scratch directory, removed on drop.
    pub dir: PathBuf,
}

impl TestLab {
    /// Builds the lab; panics with the lab's error if it cannot.
    pub fn new() -> TestLab {
        let mut lab = Lab::new().expect("creating the lab");
        for n in 1..=3 {
            let v4 = format!("198.51.100.{n}/24");
            let v6 = format!("2001:db8::{n}/64");
            lab.add_host(&format!("h{n}"), &[&v4, &v6])
                .expect("adding a lab host");
        }
        let dir = std::env::temp_dir().join(format!("{}-vrrp", lab.prefix()));
        std::fs::create_dir_all(&dir).expect("creating the scratch directory");
        TestLab { lab, dir }
    }

    /// Host `name`.
    pub fn h(&self, name: &str) -> &Host {
        self.lab.host(name)
    }

    /// The MAC address of `host`'s eth0.
    pub fn mac(&self, host: &str) -> String {
        self.h(host).mac().expect("reading a MAC address")
    }

    /// A path in the scratch directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Writes `text` to `name` in the scratch directory; returns the path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("writing a scratch file");
        p
    }

    /// Whether `host` holds `ip`.
    pub fn has(&self, host: &str, ip: &str) -> bool {
        self.h(host).has_addr(ip).expect("listing addresses")
    }

    /// The client's neighbour table entry for `ip` (ARP or ND).
    pub fn client_neigh(&self, ip: &str) -> Option<String> {
        self.h("h3")
            .neigh_mac(ip)
            .expect("reading the neighbour table")
    }

    /// Writes an executable `#!/bin/sh` script `name` with `body` to the scratch
    /// directory; returns its path.
    pub fn script(&self, name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let p = self.write(name, &format!("#!/bin/sh\n{body}\n"));
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
            .expect("chmod a script");
        p.to_string_lossy().into_owned()
    }

    /// Whether the client h3 gets an echo reply from `ip` within `timeout`.
    pub fn client_ping(&self, ip: &str, timeout: Duration) -> bool {
        self.h("h3").ping(ip, 1, timeout).expect("running ping")
    }
}

impl Drop for TestLab {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Which daemon runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Impl {
    /// `vigil keepalived`.
    Vigil,
    /// Debian's keepalived 2.2.7.
    Keepalived,
}

/// A running VRRP daemon in a lab host. Prints its log if the test panics (or always,
/// with `VIGIL_TEST_LOGS` set).
pub struct Daemon {
    /// The host it runs in.
    pub host: String,
    /// vigil or keepalived.
    pub kind: Impl,
    /// Its configuration file (rewrite it and send SIGHUP to reload).
    pub conf: PathBuf,
    /// The process (`--dont-fork`: keepalived's parent, vigil's only process).
    pub proc: Proc,
}

impl Daemon {
    /// Everything the daemon logged so far (stderr, then stdout).
    pub fn log(&self) -> String {
        let mut s = self.proc.stderr().unwrap_or_default();
        s.push_str(&self.proc.stdout().unwrap_or_default());
        s
    }

    /// How many times it entered MASTER state, from its log.
    pub fn master_entries(&self) -> usize {
        let needle = match self.kind {
            Impl::Vigil => "-> Master (",
            Impl::Keepalived => "Entering MASTER STATE",
        };
        self.log().matches(needle).count()
    }

    /// How many times instance `inst` entered `state` (`Master`, `Backup`, `Fault`), from
    /// its log.
    pub fn entries(&self, inst: &str, state: &str) -> usize {
        let log = self.log();
        match self.kind {
            Impl::Vigil => {
                let to = format!("-> {state} (");
                let who = format!("({inst}) ");
                log.lines()
                    .filter(|l| l.contains(&who) && l.contains(&to))
                    .count()
            }
            Impl::Keepalived => log
                .matches(&format!("({inst}) Entering {} STATE", state.to_uppercase()))
                .count(),
        }
    }

    /// How many state transitions it logged (any state).
    pub fn transitions(&self) -> usize {
        let log = self.log();
        match self.kind {
            Impl::Vigil => log
                .lines()
                .filter(|l| l.contains(") ") && l.contains(" -> ") && l.ends_with(')'))
                .count(),
            Impl::Keepalived => log.matches("Entering ").count(),
        }
    }

    /// Sends `sig` to the daemon.
    pub fn signal(&self, sig: i32) {
        self.proc.signal(sig).expect("signalling the daemon");
    }

    /// Replaces its configuration file with `conf` (not reloaded yet).
    pub fn rewrite(&self, conf: &str) {
        std::fs::write(&self.conf, conf).expect("rewriting a config");
    }

    /// Waits until its log contains `needle`.
    pub fn wait_log(&self, needle: &str, timeout: Duration) -> bool {
        wait_until(timeout, || self.log().contains(needle))
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if std::thread::panicking() || std::env::var_os("VIGIL_TEST_LOGS").is_some() {
            eprintln!(
                "----- {} ({:?}) log -----\n{}",
                self.host,
                self.kind,
                self.log()
            );
        }
    }
}

fn start(t: &TestLab, kind: Impl, host: &str, conf: &str) -> Daemon {
    start_with(t, kind, host, conf, &[])
}

/// Starts `vigil keepalived` as [`start_vigil`] does, with `extra` flags appended (e.g.
/// `--status-socket PATH`).
pub fn start_vigil_with(t: &TestLab, host: &str, conf: &str, extra: &[&str]) -> Daemon {
    start_with(t, Impl::Vigil, host, conf, extra)
}

fn start_with(t: &TestLab, kind: Impl, host: &str, conf: &str, extra: &[&str]) -> Daemon {
    let tag = match kind {
        Impl::Vigil => "vigil",
        Impl::Keepalived => "keepalived",
    };
    let conf_path = t.write(&format!("{host}-{tag}.conf"), conf);
    let pid = t.path(&format!("{host}-{tag}.pid"));
    let vpid = t.path(&format!("{host}-{tag}-vrrp.pid"));
    let (c, p, v) = (
        conf_path.to_string_lossy().into_owned(),
        pid.to_string_lossy().into_owned(),
        vpid.to_string_lossy().into_owned(),
    );
    let mut argv: Vec<&str> = match kind {
        Impl::Vigil => vec![env!("CARGO_BIN_EXE_vigil"), "keepalived"],
        Impl::Keepalived => vec![KEEPALIVED, "--vrrp"],
    };
    argv.extend([
        "--dont-fork",
        "--log-console",
        "--log-detail",
        "-f",
        &c,
        "-p",
        &p,
        "-r",
        &v,
    ]);
    argv.extend_from_slice(extra);
    let proc = t.h(host).spawn(&argv).expect("starting a daemon");
    Daemon {
        host: host.to_string(),
        kind,
        conf: conf_path,
        proc,
    }
}

/// Starts `vigil keepalived --dont-fork --log-console --log-detail -f CONF -p PID -r PID2`
/// in `host`.
pub fn start_vigil(t: &TestLab, host: &str, conf: &str) -> Daemon {
    start(t, Impl::Vigil, host, conf)
}

/// Starts Debian's keepalived with the same flags plus `--vrrp` in `host`.
pub fn start_keepalived(t: &TestLab, host: &str, conf: &str) -> Daemon {
    start(t, Impl::Keepalived, host, conf)
}

/// Starts `kind` in `host`.
pub fn start_impl(t: &TestLab, kind: Impl, host: &str, conf: &str) -> Daemon {
    match kind {
        Impl::Vigil => start_vigil(t, host, conf),
        Impl::Keepalived => start_keepalived(t, host, conf),
    }
}

/// Starts `k1` on h1 and waits until it is master of `vip` as seen from h3, then starts
/// `k2` on h2 and waits until it is backup. (Started together, whichever daemon happens
/// to start first may be master for a moment, which would blur the counts of
/// transitions that the tests check.)
pub fn start_pair(
    t: &TestLab,
    k1: Impl,
    c1: &str,
    k2: Impl,
    c2: &str,
    vip: &str,
) -> (Daemon, Daemon) {
    let d1 = start_impl(t, k1, "h1", c1);
    expect_master(t, "h1", &["h2"], vip, Duration::from_secs(10));
    let d2 = start_impl(t, k2, "h2", c2);
    let backup = match k2 {
        Impl::Vigil => "-> Backup (Startup)",
        Impl::Keepalived => "Entering BACKUP STATE",
    };
    assert!(
        d2.wait_log(backup, Duration::from_secs(5)),
        "{k2:?} on h2 did not start as backup"
    );
    (d1, d2)
}

/// One `vrrp_instance VI_1` (VRID 51 on eth0) and its `global_defs`.
#[derive(Debug, Clone)]
pub struct Conf {
    /// `router_id`.
    pub router_id: String,
    /// VRRP version (2 or 3).
    pub version: u8,
    /// `priority`.
    pub priority: u8,
    /// `advert_int` as written.
    pub advert_int: String,
    /// `virtual_ipaddress` entries (`IP/prefix`).
    pub vips: Vec<String>,
    /// `authentication { auth_type T auth_pass P }`.
    pub auth: Option<(String, String)>,
    /// `nopreempt`.
    pub nopreempt: bool,
    /// `preempt_delay`.
    pub preempt_delay: Option<u32>,
    /// `unicast_src_ip` and `unicast_peer`.
    pub unicast: Option<(String, Vec<String>)>,
    /// `notify` script.
    pub notify: Option<String>,
    /// `notify_master` script.
    pub notify_master: Option<String>,
    /// Instance name (`VI_1`).
    pub name: String,
    /// `virtual_router_id` (51).
    pub vrid: u8,
    /// Extra lines in `global_defs`.
    pub global_extra: Vec<String>,
    /// Extra top-level blocks (vrrp_script, track_file, vrrp_sync_group, ...), rendered
    /// between `global_defs` and the instance.
    pub blocks: Vec<String>,
    /// Extra lines in the instance (track_script { .. }, track_interface { .. }, ...).
    pub instance_extra: Vec<String>,
}

impl Conf {
    /// VRRPv3 over IPv4 at [`V3_INT`] with VIP4/24.
    pub fn v3(router_id: &str, priority: u8) -> Conf {
        Conf {
            router_id: router_id.to_string(),
            version: 3,
            priority,
            advert_int: V3_INT.to_string(),
            vips: vec![format!("{VIP4}/24")],
            auth: None,
            nopreempt: false,
            preempt_delay: None,
            unicast: None,
            notify: None,
            notify_master: None,
            name: "VI_1".to_string(),
            vrid: 51,
            global_extra: Vec::new(),
            blocks: Vec::new(),
            instance_extra: Vec::new(),
        }
    }

    /// VRRPv2 at 1 s with VIP4/24.
    pub fn v2(router_id: &str, priority: u8) -> Conf {
        Conf {
            version: 2,
            advert_int: "1".to_string(),
            ..Conf::v3(router_id, priority)
        }
    }

    /// The same with `vips` as the virtual addresses.
    pub fn with_vips(mut self, vips: &[&str]) -> Conf {
        self.vips = vips.iter().map(|v| v.to_string()).collect();
        self
    }

    /// Adds a line to `global_defs`.
    pub fn global(mut self, line: &str) -> Conf {
        self.global_extra.push(line.to_string());
        self
    }

    /// Adds a top-level block (rendered before the instance).
    pub fn block(mut self, text: &str) -> Conf {
        self.blocks.push(text.to_string());
        self
    }

    /// Adds a line (or a `{ }` block) to the instance.
    pub fn line(mut self, text: &str) -> Conf {
        self.instance_extra.push(text.to_string());
        self
    }

    /// The keepalived.conf text: `global_defs`, the extra blocks, the instance.
    pub fn render(&self) -> String {
        let mut s = format!("global_defs {{\n    router_id {}\n", self.router_id);
        for l in &self.global_extra {
            s.push_str(&format!("    {l}\n"));
        }
        s.push_str("}\n\n");
        for b in &self.blocks {
            s.push_str(b);
            s.push_str("\n\n");
        }
        s.push_str(&self.instance_block());
        s
    }

    /// The `vrrp_instance` block alone.
    pub fn instance_block(&self) -> String {
        let mut s = format!(
            "vrrp_instance {} {{\n    state BACKUP\n    interface eth0\n    virtual_router_id {}\n    \
             version {}\n    priority {}\n    advert_int {}\n",
            self.name, self.vrid, self.version, self.priority, self.advert_int
        );
        if self.nopreempt {
            s.push_str("    nopreempt\n");
        }
        if let Some(d) = self.preempt_delay {
            s.push_str(&format!("    preempt_delay {d}\n"));
        }
        if let Some((kind, pass)) = &self.auth {
            s.push_str(&format!(
                "    authentication {{\n        auth_type {kind}\n        auth_pass {pass}\n    }}\n"
            ));
        }
        if let Some((src, peers)) = &self.unicast {
            s.push_str(&format!("    unicast_src_ip {src}\n    unicast_peer {{\n"));
            for p in peers {
                s.push_str(&format!("        {p}\n"));
            }
            s.push_str("    }\n");
        }
        if let Some(n) = &self.notify {
            s.push_str(&format!("    notify \"{n}\"\n"));
        }
        if let Some(n) = &self.notify_master {
            s.push_str(&format!("    notify_master \"{n}\"\n"));
        }
        for l in &self.instance_extra {
            s.push_str(&format!("    {l}\n"));
        }
        s.push_str("    virtual_ipaddress {\n");
        for v in &self.vips {
            s.push_str(&format!("        {v}\n"));
        }
        s.push_str("    }\n}\n");
        s
    }
}

/// Waits until `master` holds `vip`, none of `others` does, and the client h3 reaches
/// `vip` with `master`'s MAC in its neighbour table; panics (with the daemons' logs)
/// otherwise.
pub fn expect_master(t: &TestLab, master: &str, others: &[&str], vip: &str, timeout: Duration) {
    let mac = t.mac(master);
    let ok = wait_until(timeout, || {
        t.has(master, vip)
            && others.iter().all(|o| !t.has(o, vip))
            && t.client_ping(vip, Duration::from_millis(300))
            && t.client_neigh(vip).as_deref() == Some(mac.as_str())
    });
    assert!(
        ok,
        "{master} ({mac}) is not the only holder of {vip} as seen from h3 within {timeout:?}: \
         {master} has it: {}, others {:?}: {:?}, h3's neighbour entry: {:?}",
        t.has(master, vip),
        others,
        others.iter().map(|o| t.has(o, vip)).collect::<Vec<_>>(),
        t.client_neigh(vip)
    );
}

/// Waits until `host` holds `vip`; returns how long that took.
pub fn time_until_holds(t: &TestLab, host: &str, vip: &str, timeout: Duration) -> Duration {
    let start = Instant::now();
    assert!(
        wait_until(timeout, || t.has(host, vip)),
        "{host} did not take {vip} within {timeout:?}"
    );
    start.elapsed()
}

/// Lets the client's neighbour entries age past the kernel's ARP `locktime` (1 s), so a
/// gratuitous ARP may override them, and checks they still point at `mac`.
pub fn settle_client(t: &TestLab, vip: &str, mac: &str) {
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        t.client_neigh(vip).as_deref(),
        Some(mac),
        "h3's entry for {vip}"
    );
}

/// After a takeover by `new_master`: the client's neighbour entry for `vip` moves to its
/// MAC without the client sending anything (gratuitous ARP / unsolicited NA), then
/// pings answer from it.
pub fn expect_moved(t: &TestLab, new_master: &str, others: &[&str], vip: &str) {
    let mac = t.mac(new_master);
    let moved = wait_until(Duration::from_secs(3), || {
        t.client_neigh(vip).as_deref() == Some(mac.as_str())
    });
    assert!(
        moved,
        "h3's neighbour entry for {vip} did not move to {new_master} ({mac}) by gratuitous \
         ARP/NA: {:?}",
        t.client_neigh(vip)
    );
    expect_master(t, new_master, others, vip, Duration::from_secs(5));
}

/// Upper bound of a VRRP takeover: 3 × interval + skew (at most one interval) plus a
/// margin of 1.5 s for a loaded machine (link event, scheduling, polling `ip addr`).
pub fn takeover_bound(advert_int: f64) -> Duration {
    Duration::from_secs_f64(4.0 * advert_int + 1.5)
}

/// A running `tcpdump -n -l -i eth0 FILTER…` in a host.
pub struct Capture {
    proc: Proc,
}

impl Capture {
    /// Starts the capture and waits until it listens.
    pub fn start(t: &TestLab, host: &str, filter: &[&str]) -> Capture {
        let mut argv = vec!["tcpdump", "-n", "-l", "-i", "eth0"];
        argv.extend_from_slice(filter);
        let proc = t.h(host).spawn(&argv).expect("starting tcpdump");
        assert!(
            wait_until(Duration::from_secs(5), || proc
                .stderr()
                .is_ok_and(|e| e.contains("listening on"))),
            "tcpdump did not start: {}",
            proc.stderr().unwrap_or_default()
        );
        Capture { proc }
    }

    /// Stops the capture; returns one line per packet.
    pub fn stop(self) -> Vec<String> {
        let _ = self.proc.signal(SIGINT);
        self.proc.wait_timeout(Duration::from_secs(3));
        self.proc
            .stdout()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    }
}

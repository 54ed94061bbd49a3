//! The VRRP daemon's event loop: one thread, one `ppoll(2)`.
//!
//! Inputs are the raw VRRP sockets (one per interface, family, group and AH use, shared
//! by the instances on it and demultiplexed by VRID), the link monitor and the signal
//! pipe. Each `vrrp::Instance` is fed packets and timeouts with the current time, and the
//! loop carries out the actions it returns: adverts, addresses, gratuitous ARPs/NAs,
//! state changes (logs and notify scripts).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::io;
use std::net::IpAddr;
use std::os::fd::AsFd;
use std::time::Instant;

use anyhow::Context;
use nix::poll::{PollFd, PollFlags};
use tracing::{debug, error, info, warn};
use vigil_net::{Announcer, LinkMonitor, Netlink, SocketOptions, VrrpSocket};
use vigil_vrrp::{
    decode_ipv4, decode_ipv6, Action, AdvertEncoder, Family, Instance, Reason, Received, State,
    Stats,
};

use super::gratuitous::Pacer;
use super::groups::{self, Group};
use super::notify::{Notifier, NotifyState};
use super::signals::{Request, Signals};
use super::spec::{AddrSpec, InstanceSpec, RouteSpec};
use super::status::{
    render_data, render_json, render_stats, JsonVersion, MetricsHttpServer, StatusServer,
    Transition, VrrpState,
};
use super::tracking::{self, Tracking};
use super::Plan;

mod report;

/// Packets read from one socket per wake-up of the event loop.
const MAX_PACKETS_PER_WAKEUP: usize = 4096;

/// Options that come from the command line rather than the config.
#[derive(Debug, Clone, Default)]
pub struct DaemonOptions {
    /// `-V`: leave addresses and routes in place at exit.
    pub dont_release_vrrp: bool,
    /// `--ignore-sigint`.
    pub ignore_sigint: bool,
    /// The configuration file (for reports).
    pub config_file: std::path::PathBuf,
    /// Status socket to serve, if any.
    pub status_socket: Option<std::path::PathBuf>,
    /// Address of the HTTP `/metrics` endpoint, if any.
    pub metrics_listen: Option<std::net::SocketAddr>,
}

/// Loads the configuration again for a reload; `None` when it has errors.
pub type Reloader = Box<dyn FnMut() -> Option<Plan>>;

/// Key of a shared socket: interface, family, multicast group (None: unicast), AH.
type SockKey = (String, Family, Option<IpAddr>, bool);

struct Sock {
    key: SockKey,
    sock: VrrpSocket,
    /// VRID -> instance slot.
    demux: Vec<Option<usize>>,
    users: usize,
    /// Packets that no instance could take (decode errors, unknown VRID).
    drops: Stats,
    unknown_vrid: u64,
}

struct Inst {
    spec: InstanceSpec,
    core: Instance,
    sock: usize,
    ifindex: u32,
    /// One encoder per destination (the group, or each unicast peer).
    encoders: Vec<(IpAddr, AdvertEncoder)>,
    /// IPv6 source of adverts (link-local or configured).
    src6: Option<IpAddr>,
    addrs: Vec<vigil_net::VirtualAddress>,
    routes: Vec<vigil_net::VirtualRoute>,
    /// Earliest deadline of this slot in the heap.
    queued: Option<Instant>,
    /// The instance's own interface is down (and `dont_track_primary` is not set).
    link_down: bool,
    /// Waiting for tracking's first verdict before starting (keepalived holds an
    /// instance in INIT while a weight-0 script has not reported).
    pending_start: bool,
    /// Our address on the interface (source of adverts).
    src: Option<IpAddr>,
    /// The last state change.
    last: Option<Transition>,
    /// State changes since start.
    transitions: u64,
    /// The instance signs and checks adverts with `auth_hmac`.
    hmac: bool,
}

/// One gratuitous ARP (IPv4) or unsolicited NA (IPv6) for `addr`.
fn announce(ann: &Announcer, addr: IpAddr) -> io::Result<()> {
    match addr {
        IpAddr::V4(v4) => ann.send_garp(v4),
        IpAddr::V6(v6) => ann.send_unsolicited_na(v6),
    }
}

/// The wall clock as the `auth_hmac` sequence numbers and freshness checks use it.
fn unix_now() -> std::time::Duration {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

/// The daemon.
pub struct Daemon {
    nl: Netlink,
    links: LinkMonitor,
    signals: Signals,
    notifier: Notifier,
    sockets: Vec<Option<Sock>>,
    announcers: HashMap<u32, Announcer>,
    slots: Vec<Option<Inst>>,
    heap: BinaryHeap<Reverse<(Instant, usize)>>,
    buf: Vec<u8>,
    opts: DaemonOptions,
    reload: Reloader,
    tracking: Tracking,
    /// What the tracking was built from, to keep it over a reload that does not change it.
    tracking_key: String,
    groups: Vec<Group>,
    /// The configuration running now.
    plan: Plan,
    status: Option<StatusServer>,
    metrics: Option<MetricsHttpServer>,
    /// Spaces gratuitous ARPs / NAs per interface (`vrrp_garp_interval`, `vrrp_gna_interval`).
    pacer: Pacer,
    started: Instant,
    reloads: u64,
}

/// keepalived's dump files.
#[derive(Clone, Copy)]
enum Dump {
    /// SIGUSR1: keepalived.data.
    Data,
    /// SIGUSR2: keepalived.stats.
    Stats,
    /// JSON signal: keepalived.json.
    Json,
}

/// Which descriptor of the poll set is which.
#[derive(Clone, Copy)]
enum Source {
    Signals,
    Links,
    Vrrp(usize),
    Ah(usize),
    Tracking,
    Status,
}

impl Daemon {
    /// Opens the kernel interfaces and starts every instance of `plan`.
    pub fn start(mut plan: Plan, opts: DaemonOptions, reload: Reloader) -> anyhow::Result<Daemon> {
        let specs = std::mem::take(&mut plan.specs);
        let signals = Signals::install(opts.ignore_sigint).context("installing signal handlers")?;
        let now = Instant::now();
        let fifo = plan.fifo();
        let mut d = Daemon {
            nl: Netlink::new().context("opening rtnetlink")?,
            links: LinkMonitor::new().context("opening the link monitor")?,
            signals,
            notifier: Notifier::with_fifo(fifo.as_deref()),
            sockets: Vec::new(),
            announcers: HashMap::new(),
            slots: Vec::new(),
            heap: BinaryHeap::new(),
            buf: vec![0u8; 65536],
            opts,
            reload,
            tracking: Tracking::build(&plan.config, now),
            tracking_key: tracking::fingerprint(&plan.config),
            groups: Vec::new(),
            plan,
            status: None,
            metrics: None,
            pacer: Pacer::new(std::time::Duration::ZERO, std::time::Duration::ZERO),
            started: now,
            reloads: 0,
        };
        if let Some(path) = d.opts.status_socket.clone() {
            match StatusServer::bind(&path) {
                Ok(s) => d.status = Some(s),
                Err(e) => warn!(
                    "status socket {}: {e}; the status API is off",
                    path.display()
                ),
            }
        }
        if let Some(addr) = d.opts.metrics_listen {
            match MetricsHttpServer::bind(addr) {
                Ok(m) => d.metrics = Some(m),
                Err(e) => warn!("metrics endpoint {addr}: {e}; metrics are off"),
            }
        }
        d.set_garp_intervals();
        d.seed_tracked_links();
        for spec in &specs {
            if let Err(e) = d.add_instance(now, spec.clone(), false) {
                error!("({}) cannot start: {e:#}", spec.name);
            }
        }
        d.plan.specs = specs;
        d.rebuild_groups(now);
        d.apply_tracking(now);
        Ok(d)
    }

    /// Runs until a stop signal; then releases everything.
    pub fn run(&mut self) -> anyhow::Result<()> {
        loop {
            let next = self.heap.peek().map(|Reverse((t, _))| *t);
            let track_at = self.tracking.poll_timeout();
            let status_at = self
                .status
                .as_ref()
                .and_then(|s| s.poll_timeout())
                .into_iter()
                .chain(self.metrics.as_ref().and_then(|m| m.poll_timeout()))
                .min();
            let garp_at = self.pacer.poll_timeout();
            let timeout = next
                .into_iter()
                .chain(track_at)
                .chain(status_at)
                .chain(garp_at)
                .min()
                .map(|t| t.saturating_duration_since(Instant::now()));
            let mut ready: Vec<Source> = Vec::new();
            {
                let mut sources = vec![Source::Signals, Source::Links];
                let mut fds = vec![
                    PollFd::new(self.signals.fd(), PollFlags::POLLIN),
                    PollFd::new(self.links.as_fd(), PollFlags::POLLIN),
                ];
                for (i, s) in self.sockets.iter().enumerate() {
                    let Some(s) = s else { continue };
                    fds.push(PollFd::new(s.sock.as_fd(), PollFlags::POLLIN));
                    sources.push(Source::Vrrp(i));
                    if let Some(ah) = s.sock.ah_fd() {
                        fds.push(PollFd::new(ah, PollFlags::POLLIN));
                        sources.push(Source::Ah(i));
                    }
                }
                for fd in self.tracking.fds() {
                    fds.push(PollFd::new(fd, PollFlags::POLLIN));
                    sources.push(Source::Tracking);
                }
                let servers = [
                    self.status.as_ref().map(|s| (s.fd(), s.wants())),
                    self.metrics.as_ref().map(|m| (m.fd(), m.wants())),
                ];
                for (listener, clients) in servers.into_iter().flatten() {
                    fds.push(PollFd::new(listener, PollFlags::POLLIN));
                    sources.push(Source::Status);
                    for (fd, write) in clients {
                        let ev = if write {
                            PollFlags::POLLOUT
                        } else {
                            PollFlags::POLLIN
                        };
                        fds.push(PollFd::new(fd, ev));
                        sources.push(Source::Status);
                    }
                }
                let ts = timeout.map(nix::sys::time::TimeSpec::from_duration);
                match nix::poll::ppoll(&mut fds, ts, None) {
                    Ok(_) => {}
                    Err(nix::errno::Errno::EINTR) => {}
                    Err(e) => return Err(e).context("ppoll"),
                }
                for (fd, src) in fds.iter().zip(&sources) {
                    if fd.revents().is_some_and(|r| !r.is_empty()) {
                        ready.push(*src);
                    }
                }
            }
            let now = Instant::now();
            let mut track_due = track_at.is_some_and(|t| t <= now);
            let mut status_due = status_at.is_some_and(|t| t <= now);
            for src in ready {
                match src {
                    Source::Signals => {
                        for req in self.signals.take() {
                            if self.on_signal(now, req) {
                                return Ok(());
                            }
                        }
                    }
                    Source::Links => self.on_links(now),
                    Source::Vrrp(i) => self.on_socket(now, i, false),
                    Source::Ah(i) => self.on_socket(now, i, true),
                    Source::Tracking => track_due = true,
                    Source::Status => status_due = true,
                }
            }
            if track_due && self.tracking.service(now) {
                self.apply_tracking(now);
            }
            if status_due {
                self.serve_status(now);
            }
            if garp_at.is_some_and(|t| t <= now) {
                for (ifindex, addr) in self.pacer.due(now) {
                    self.send_gratuitous(ifindex, addr);
                }
            }
            self.run_timers(Instant::now());
        }
    }

    fn on_signal(&mut self, now: Instant, req: Request) -> bool {
        match req {
            Request::Stop => {
                info!("stopping");
                self.shutdown(now);
                return true;
            }
            Request::Reload => self.reload(now),
            Request::DumpData => self.write_dump(Dump::Data),
            Request::DumpStats => self.write_dump(Dump::Stats),
            Request::DumpStatsClear => {
                self.write_dump(Dump::Stats);
                for inst in self.slots.iter_mut().flatten() {
                    inst.core.clear_stats();
                }
            }
            Request::DumpJson => self.write_dump(Dump::Json),
            Request::Child => self.notifier.reap(),
        }
        false
    }

    fn on_links(&mut self, now: Instant) {
        let events = match self.links.poll_events() {
            Ok(e) => e,
            Err(e) => {
                warn!("link monitor: {e}");
                return;
            }
        };
        let mut tracked = false;
        for ev in events {
            tracked |= self.tracking.set_link(&ev.name, ev.up);
            for slot in 0..self.slots.len() {
                let Some(inst) = self.slots[slot].as_mut() else {
                    continue;
                };
                if inst.ifindex != ev.ifindex || !inst.spec.track_primary {
                    continue;
                }
                info!(
                    "({}) interface {} is {}",
                    inst.spec.name,
                    ev.name,
                    if ev.up { "up" } else { "down" }
                );
                inst.link_down = !ev.up;
                self.refresh(now, slot);
            }
        }
        if tracked {
            self.apply_tracking(now);
        }
    }

    /// keepalived's `vrrp_garp_interval` / `vrrp_gna_interval` from the configuration.
    fn set_garp_intervals(&mut self) {
        let g = &self.plan.config.global;
        let secs = |v: Option<f64>| std::time::Duration::from_secs_f64(v.unwrap_or(0.0).max(0.0));
        self.pacer
            .set_intervals(secs(g.vrrp_garp_interval), secs(g.vrrp_gna_interval));
    }

    /// Sends one paced gratuitous message that came due.
    fn send_gratuitous(&mut self, ifindex: u32, addr: IpAddr) {
        // Only for an address some master still holds.
        let held = self.slots.iter().flatten().any(|i| {
            i.core.state() == State::Master
                && i.addrs
                    .iter()
                    .any(|a| a.ifindex == ifindex && a.addr == addr)
        });
        if let (true, Some(ann)) = (held, self.announcers.get(&ifindex)) {
            if let Err(e) = announce(ann, addr) {
                debug!("gratuitous for {addr}: {e}");
            }
        }
    }

    /// Tells every tracked interface's current state to the tracking.
    fn seed_tracked_links(&mut self) {
        for name in self.tracking.interfaces() {
            match self.nl.link_by_name(&name) {
                Ok(l) => {
                    self.tracking.set_link(&name, l.up);
                }
                Err(e) => warn!("track_interface {name}: {e}"),
            }
        }
    }

    /// Applies tracking's verdicts to every instance.
    fn apply_tracking(&mut self, now: Instant) {
        for slot in 0..self.slots.len() {
            self.refresh(now, slot);
        }
        let faults: Vec<bool> = self
            .groups
            .iter()
            .map(|g| {
                self.tracking
                    .effect(&g.tracking_name(), 0)
                    .is_some_and(|e| e.fault)
            })
            .collect();
        for (g, fault) in faults.into_iter().enumerate() {
            let cmds = self.groups[g].core.set_tracking_fault(fault);
            self.run_group_commands(now, g, cmds);
        }
    }

    /// Brings instance `slot` in line with its link and tracking: FAULT, priority, and a
    /// start that waited for tracking.
    fn refresh(&mut self, now: Instant, slot: usize) {
        let Some(inst) = self.slots[slot].as_mut() else {
            return;
        };
        let effect = self
            .tracking
            .effect(&inst.spec.name, inst.spec.core.priority);
        let init = effect.as_ref().is_some_and(|e| e.init && !e.fault);
        let fault = inst.link_down || effect.as_ref().is_some_and(|e| e.fault);
        // Before a start, so that an instance that is faulty from the outset enters FAULT
        // directly instead of passing through BACKUP (and running its notify scripts).
        inst.core.set_fault(now, fault);
        if inst.pending_start {
            if init {
                return;
            }
            inst.pending_start = false;
            inst.core.start(now);
        }
        if let Some(e) = effect {
            if e.priority != inst.core.priority() {
                info!(
                    "({}) effective priority {} -> {}",
                    inst.spec.name,
                    inst.core.priority(),
                    e.priority
                );
                inst.core.set_priority(now, e.priority);
            }
        }
        self.drain(now, slot);
    }

    fn on_socket(&mut self, now: Instant, si: usize, ah: bool) {
        // Bounded, so timers and signals keep their turn under a flood; but large enough
        // to empty a full receive buffer (2 MiB: a few thousand adverts) in one go. Timers run
        // after the sockets: a backup that was not scheduled for a while must see the
        // adverts queued meanwhile before its Master_Down timer is judged, or it takes
        // over although the master is alive.
        for _ in 0..MAX_PACKETS_PER_WAKEUP {
            let Some(sock) = self.sockets[si].as_mut() else {
                return;
            };
            let r = if ah {
                sock.sock.recv_ah(&mut self.buf)
            } else {
                sock.sock.recv(&mut self.buf)
            };
            let rx = match r {
                Ok(rx) => rx,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) => {
                    debug!("{}: receive: {e}", sock.key.0);
                    sock.drops.packet_len_err += 1;
                    continue;
                }
            };
            let pkt = &self.buf[..rx.len];
            let decoded = match (rx.src, rx.dst) {
                (IpAddr::V4(_), _) => decode_ipv4(pkt).map(Received::V4),
                (IpAddr::V6(s), IpAddr::V6(d)) => {
                    decode_ipv6(&pkt[rx.payload_offset..], s, d, rx.hop_limit.unwrap_or(0))
                        .map(Received::V6)
                }
                _ => continue,
            };
            let received = match decoded {
                Ok(r) => r,
                Err(e) => {
                    sock.drops.count(e.reason());
                    continue;
                }
            };
            let vrid = received.advert().vrid;
            let Some(slot) = sock.demux[vrid as usize] else {
                sock.unknown_vrid += 1;
                continue;
            };
            if let Some(inst) = self.slots[slot].as_mut() {
                if inst.hmac {
                    // auth_hmac judges freshness against the wall clock.
                    inst.core.set_wall_clock(now, unix_now());
                }
                inst.core.handle_advert(now, &received);
            }
            self.drain(now, slot);
        }
    }

    fn run_timers(&mut self, now: Instant) {
        while let Some(Reverse((t, slot))) = self.heap.peek().copied() {
            if t > now {
                break;
            }
            self.heap.pop();
            let Some(inst) = self.slots[slot].as_mut() else {
                continue;
            };
            if inst.queued != Some(t) {
                continue;
            }
            inst.queued = None;
            if inst.core.poll_timeout().is_some_and(|d| d <= now) {
                inst.core.handle_timeout(now);
            }
            self.drain(now, slot);
        }
    }

    /// Carries out the actions of instance `slot`, then re-arms its timer.
    fn drain(&mut self, now: Instant, slot: usize) {
        let Some(inst) = self.slots[slot].as_mut() else {
            return;
        };
        let mut changes: Vec<(State, State)> = Vec::new();
        while let Some(action) = inst.core.poll_action() {
            match action {
                Action::SendAdvert { priority } => {
                    let Some(sock) = self.sockets[inst.sock].as_ref() else {
                        continue;
                    };
                    let ah = sock.key.3;
                    let unix = inst.hmac.then(unix_now);
                    for (dst, enc) in inst.encoders.iter_mut() {
                        let pkt = match unix {
                            Some(t) => enc.encode_at(priority, t),
                            None => enc.encode(priority),
                        };
                        let r = match (ah, *dst) {
                            (true, IpAddr::V4(d)) => sock.sock.send_ah(pkt, d),
                            _ => sock.sock.send(pkt, *dst, inst.src6),
                        };
                        if let Err(e) = r {
                            debug!("({}) advert to {dst}: {e}", inst.spec.name);
                        }
                    }
                }
                Action::AddAddresses => {
                    for a in &inst.addrs {
                        if let Err(e) = self.nl.add_address(a) {
                            warn!(
                                "({}) adding {}/{}: {e}",
                                inst.spec.name, a.addr, a.prefix_len
                            );
                        }
                    }
                    for r in &inst.routes {
                        if let Err(e) = self.nl.add_route(r) {
                            warn!(
                                "({}) adding route {}/{}: {e}",
                                inst.spec.name, r.dst, r.prefix_len
                            );
                        }
                    }
                }
                Action::RemoveAddresses => {
                    if self.opts.dont_release_vrrp && inst.core.state() == State::Stop {
                        continue;
                    }
                    let gone: Vec<IpAddr> = inst.addrs.iter().map(|a| a.addr).collect();
                    self.pacer.cancel(&gone);
                    for r in &inst.routes {
                        if let Err(e) = self.nl.del_route(r) {
                            debug!(
                                "({}) removing route {}/{}: {e}",
                                inst.spec.name, r.dst, r.prefix_len
                            );
                        }
                    }
                    for a in &inst.addrs {
                        if let Err(e) = self.nl.del_address(a) {
                            debug!(
                                "({}) removing {}/{}: {e}",
                                inst.spec.name, a.addr, a.prefix_len
                            );
                        }
                    }
                }
                Action::SendGratuitous { repeat } => {
                    for a in &inst.addrs {
                        let now_count = self.pacer.schedule(now, a.ifindex, a.addr, repeat.max(1));
                        let Some(ann) = self.announcers.get(&a.ifindex) else {
                            continue;
                        };
                        for _ in 0..now_count {
                            if let Err(e) = announce(ann, a.addr) {
                                debug!("({}) gratuitous for {}: {e}", inst.spec.name, a.addr);
                            }
                        }
                    }
                }
                Action::StateChange { from, to, reason } => {
                    info!("({}) {from:?} -> {to:?} ({reason:?})", inst.spec.name);
                    changes.push((from, to));
                    inst.transitions += 1;
                    inst.last = Some(Transition {
                        at: std::time::SystemTime::now(),
                        from: VrrpState::from(from),
                        to: VrrpState::from(to),
                        reason: format!("{reason:?}"),
                    });
                    let state = match to {
                        State::Master => Some(NotifyState::Master),
                        State::Backup => Some(NotifyState::Backup),
                        State::Fault => Some(NotifyState::Fault),
                        State::Stop => Some(NotifyState::Stop),
                        State::Initialize => None,
                    };
                    // A master carried over a reload did not change state: no notify.
                    let state = state.filter(|_| reason != Reason::Reload);
                    if let Some(s) = state {
                        let prio = inst.core.priority();
                        self.notifier
                            .instance_state(&inst.spec.name, &inst.spec.scripts, s, prio);
                    }
                }
            }
        }
        // Re-arm: only an earlier deadline needs a new heap entry; a later one is
        // found when the queued entry fires.
        if let Some(d) = inst.core.poll_timeout() {
            if inst.queued.is_none_or(|q| d < q) {
                inst.queued = Some(d);
                self.heap.push(Reverse((d, slot)));
            }
        }
        let mut events = Vec::new();
        while let Some(ev) = inst.core.poll_sync_event() {
            events.push(ev);
        }
        if let Some(g) = self.groups.iter().position(|g| g.core.contains(slot)) {
            let mut cmds = Vec::new();
            for (from, to) in changes {
                cmds.extend(self.groups[g].core.on_state_change(slot, from, to));
            }
            for ev in events {
                cmds.extend(self.groups[g].core.on_member_event(slot, ev));
            }
            self.run_group_commands(now, g, cmds);
        }
    }

    /// Applies a sync group's commands to its members, then tells the world about the
    /// group's own transitions. Commanded changes produce no further commands
    /// (`vigil_vrrp::sync_group`), so this does not recurse beyond one round.
    fn run_group_commands(&mut self, now: Instant, g: usize, cmds: Vec<vigil_vrrp::GroupCommand>) {
        for c in cmds {
            if let Some(inst) = self.slots[c.member].as_mut() {
                inst.core.sync_to(now, c.to);
            }
            self.drain(now, c.member);
        }
        while let Some(ev) = self.groups[g].core.poll_event() {
            let group = &self.groups[g];
            info!("(group {}) {:?} -> {:?}", group.name, ev.from, ev.to);
            self.notifier
                .group_state(&group.name, &group.scripts, ev.state_word());
        }
    }

    /// Builds the sync groups over the instances running now (slots change on reload).
    fn rebuild_groups(&mut self, now: Instant) {
        let slot_of = |name: &str| {
            self.slots
                .iter()
                .position(|s| s.as_ref().is_some_and(|i| i.spec.name == name))
        };
        self.groups = groups::build(&self.plan.config, slot_of);
        for g in 0..self.groups.len() {
            let members: Vec<usize> = self.groups[g].core.members().collect();
            for m in members {
                let state = self.slots[m].as_ref().map(|i| i.core.state());
                if let Some(state) = state {
                    let cmds = self.groups[g]
                        .core
                        .on_state_change(m, State::Initialize, state);
                    self.run_group_commands(now, g, cmds);
                }
            }
        }
    }

    fn socket_for(&mut self, key: SockKey) -> anyhow::Result<usize> {
        if let Some(i) = self
            .sockets
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.key == key))
        {
            return Ok(i);
        }
        let opts = SocketOptions {
            multicast_group: key.2,
            ah: key.3,
        };
        let family = match key.1 {
            Family::V4 => vigil_net::Family::V4,
            Family::V6 => vigil_net::Family::V6,
        };
        let sock = VrrpSocket::open(&key.0, family, &opts)
            .with_context(|| format!("opening VRRP socket on {}", key.0))?;
        let entry = Sock {
            key,
            sock,
            demux: vec![None; 256],
            users: 0,
            drops: Stats::default(),
            unknown_vrid: 0,
        };
        if let Some(i) = self.sockets.iter().position(Option::is_none) {
            self.sockets[i] = Some(entry);
            Ok(i)
        } else {
            self.sockets.push(Some(entry));
            Ok(self.sockets.len() - 1)
        }
    }

    fn resolve_addr(&mut self, a: &AddrSpec) -> anyhow::Result<vigil_net::VirtualAddress> {
        let ifindex = self
            .nl
            .link_index(&a.dev)
            .with_context(|| format!("interface {}", a.dev))?;
        let mut v = vigil_net::VirtualAddress::new(ifindex, a.addr, a.prefix_len);
        v.broadcast = match a.brd {
            Some(IpAddr::V4(b)) => Some(b),
            _ => None,
        };
        v.scope = a.scope;
        v.label = a.label.clone();
        v.peer = a.peer;
        v.nodad = a.nodad;
        v.noprefixroute = a.noprefixroute;
        if let std::collections::hash_map::Entry::Vacant(slot) = self.announcers.entry(ifindex) {
            match Announcer::open(&a.dev) {
                Ok(ann) => {
                    slot.insert(ann);
                }
                Err(e) => warn!("gratuitous ARP/NA on {}: {e}", a.dev),
            }
        }
        Ok(v)
    }

    fn resolve_route(&mut self, r: &RouteSpec) -> anyhow::Result<vigil_net::VirtualRoute> {
        let mut v = vigil_net::VirtualRoute::new(r.dst, r.prefix_len);
        v.via = r.via;
        v.src = r.src;
        v.ifindex = match &r.dev {
            Some(dev) => Some(
                self.nl
                    .link_index(dev)
                    .with_context(|| format!("interface {dev}"))?,
            ),
            None => None,
        };
        v.table = r.table;
        v.metric = r.metric;
        v.scope = r.scope;
        v.kind = match r.kind {
            vigil_kaconf::config::RouteType::Unicast => vigil_net::RouteKind::Unicast,
            vigil_kaconf::config::RouteType::Blackhole => vigil_net::RouteKind::Blackhole,
            vigil_kaconf::config::RouteType::Unreachable => vigil_net::RouteKind::Unreachable,
            vigil_kaconf::config::RouteType::Prohibit => vigil_net::RouteKind::Prohibit,
        };
        Ok(v)
    }

    /// Resolves `spec` against the kernel and starts its core; `resume_master`: it
    /// replaces a master in a reload and enters MASTER at once.
    fn add_instance(
        &mut self,
        now: Instant,
        spec: InstanceSpec,
        resume_master: bool,
    ) -> anyhow::Result<()> {
        let ifindex = self
            .nl
            .link_index(&spec.interface)
            .with_context(|| format!("interface {}", spec.interface))?;
        let link = self.nl.link_by_index(ifindex)?;
        let family = spec.core.family;
        let primary: IpAddr = match (spec.src, family) {
            (Some(a), _) => a,
            (None, Family::V4) => self
                .nl
                .primary_ipv4(ifindex)?
                .map(IpAddr::V4)
                .with_context(|| format!("no IPv4 address on {}", spec.interface))?,
            (None, Family::V6) => self
                .nl
                .link_local_ipv6(ifindex)?
                .map(IpAddr::V6)
                .with_context(|| format!("no IPv6 link-local address on {}", spec.interface))?,
        };
        let mut cfg = spec.core.clone();
        cfg.primary_addr = primary;
        let ah = matches!(cfg.auth, vigil_vrrp::Auth::Ah(_));
        let hmac = matches!(cfg.auth, vigil_vrrp::Auth::Hmac(_));
        let unicast = !spec.peers.is_empty();
        let key: SockKey = (
            spec.interface.clone(),
            family,
            if unicast { None } else { Some(spec.group) },
            ah,
        );
        let dsts: Vec<IpAddr> = if unicast {
            spec.peers.clone()
        } else {
            vec![spec.group]
        };
        let mut encoders = Vec::with_capacity(dsts.len());
        for dst in dsts {
            encoders.push((
                dst,
                cfg.encoder(primary, dst)
                    .with_context(|| format!("advert to {dst}"))?,
            ));
        }
        let core = Instance::new(cfg)?;
        let addrs = spec
            .addrs
            .iter()
            .map(|a| self.resolve_addr(a))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let routes = spec
            .routes
            .iter()
            .map(|r| self.resolve_route(r))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let si = self.socket_for(key)?;
        let vrid = spec.core.vrid as usize;
        let slot = self
            .slots
            .iter()
            .position(Option::is_none)
            .unwrap_or(self.slots.len());
        {
            let sock = self.sockets[si].as_mut().expect("socket just opened");
            if let Some(other) = sock.demux[vrid] {
                anyhow::bail!(
                    "VRID {vrid} on {} is already used by slot {other}",
                    spec.interface
                );
            }
            sock.demux[vrid] = Some(slot);
            sock.users += 1;
        }
        let src6 = if family == Family::V6 {
            Some(primary)
        } else {
            None
        };
        let name = spec.name.clone();
        let inst = Inst {
            spec,
            core,
            sock: si,
            ifindex,
            encoders,
            src6,
            addrs,
            routes,
            queued: None,
            link_down: false,
            pending_start: !resume_master,
            src: Some(primary),
            last: None,
            transitions: 0,
            hmac,
        };
        if slot == self.slots.len() {
            self.slots.push(Some(inst));
        } else {
            self.slots[slot] = Some(inst);
        }
        info!(
            "({name}) starting on {} (VRID {vrid}, {family:?}, source {primary})",
            link.name
        );
        let in_group = self.plan.config.sync_group_of(&name).is_some();
        let inst = self.slots[slot].as_mut().expect("slot just filled");
        if in_group {
            inst.core.join_sync_group();
        }
        inst.link_down = !link.up && inst.spec.track_primary;
        if resume_master {
            inst.core.start_resumed_master(now);
        }
        // Starts the core unless tracking holds it in INIT, and applies faults/priority.
        self.refresh(now, slot);
        Ok(())
    }

    /// Stops instance `slot` (priority 0 if master, addresses removed) and frees it.
    fn remove_instance(&mut self, now: Instant, slot: usize) {
        if let Some(inst) = self.slots[slot].as_mut() {
            inst.core.shutdown(now);
        }
        self.drain(now, slot);
        if let Some(inst) = self.slots[slot].take() {
            self.release_socket(&inst);
        }
    }

    /// Frees the VRID of `inst` on its socket, and the socket with its last user.
    fn release_socket(&mut self, inst: &Inst) {
        if let Some(sock) = self.sockets[inst.sock].as_mut() {
            sock.demux[inst.spec.core.vrid as usize] = None;
            sock.users -= 1;
            if sock.users == 0 {
                self.sockets[inst.sock] = None;
            }
        }
    }

    /// Takes out master `slot`, which `next` replaces in a reload, quietly: no priority 0
    /// advert, and only the addresses and routes that `next` no longer has are removed.
    /// Returns the addresses left in place (the successor owns them from now on).
    fn retire_master(
        &mut self,
        slot: usize,
        next: &InstanceSpec,
    ) -> Vec<vigil_net::VirtualAddress> {
        let Some(inst) = self.slots[slot].take() else {
            return Vec::new();
        };
        let name = &inst.spec.name;
        for (r, spec) in inst.routes.iter().zip(&inst.spec.routes) {
            if !next.routes.contains(spec) {
                if let Err(e) = self.nl.del_route(r) {
                    debug!("({name}) removing route {}/{}: {e}", r.dst, r.prefix_len);
                }
            }
        }
        let mut kept = Vec::new();
        for (a, spec) in inst.addrs.iter().zip(&inst.spec.addrs) {
            if next.addrs.contains(spec) {
                kept.push(a.clone());
            } else if let Err(e) = self.nl.del_address(a) {
                debug!("({name}) removing {}/{}: {e}", a.addr, a.prefix_len);
            }
        }
        self.release_socket(&inst);
        kept
    }

    fn shutdown(&mut self, now: Instant) {
        for slot in 0..self.slots.len() {
            if self.slots[slot].is_some() {
                self.remove_instance(now, slot);
            }
        }
    }

    /// SIGHUP: a transaction. The new configuration is loaded and checked first; on error
    /// the running one stays. Instances whose spec did not change are not touched at all.
    fn reload(&mut self, now: Instant) {
        info!("reloading configuration");
        let Some(mut plan) = (self.reload)() else {
            warn!("reload: configuration has errors; keeping the running one");
            return;
        };
        let specs = std::mem::take(&mut plan.specs);
        let key = tracking::fingerprint(&plan.config);
        if key != self.tracking_key {
            info!("reload: tracking changed; restarting trackers");
            self.tracking = Tracking::build(&plan.config, now);
            self.tracking_key = key;
            self.seed_tracked_links();
        }
        if plan.fifo() != self.plan.fifo() {
            self.notifier = Notifier::with_fifo(plan.fifo().as_deref());
        }
        self.plan = Plan {
            specs: specs.clone(),
            ..plan
        };
        self.set_garp_intervals();
        let mut kept = 0;
        let mut wanted: Vec<Option<InstanceSpec>> = specs.into_iter().map(Some).collect();
        // Masters whose instance changed, with the addresses they keep.
        let mut resumed: Vec<(String, Vec<vigil_net::VirtualAddress>)> = Vec::new();
        for slot in 0..self.slots.len() {
            let Some(inst) = &self.slots[slot] else {
                continue;
            };
            let same = wanted
                .iter()
                .position(|w| w.as_ref().is_some_and(|w| w.same_as(&inst.spec)));
            if let Some(i) = same {
                wanted[i] = None;
                kept += 1;
                continue;
            }
            // keepalived keeps an instance's state over a reload: a master whose
            // instance changed (same name, interface, VRID, family) stays master, with
            // no priority 0 advert and no gap for the addresses it keeps.
            let successor = wanted.iter().flatten().find(|w| w.same_router(&inst.spec));
            let name = inst.spec.name.clone();
            if let (State::Master, Some(next)) = (inst.core.state(), successor) {
                info!("({name}) changed by the reload; stays master");
                let next = next.clone();
                let addrs = self.retire_master(slot, &next);
                resumed.push((name, addrs));
                continue;
            }
            info!("({name}) removed or changed by the reload");
            self.remove_instance(now, slot);
        }
        let mut added = 0;
        for spec in wanted.into_iter().flatten() {
            let name = spec.name.clone();
            let resume = resumed.iter().position(|(n, _)| *n == name);
            match self.add_instance(now, spec, resume.is_some()) {
                Ok(()) => added += 1,
                Err(e) => {
                    error!("({name}) cannot start: {e:#}");
                    // Nobody owns the addresses the old master kept any more.
                    for a in resume.map(|i| &resumed[i].1).into_iter().flatten() {
                        let _ = self.nl.del_address(a);
                    }
                }
            }
        }
        self.rebuild_groups(now);
        self.apply_tracking(now);
        self.reloads += 1;
        info!("reload done: {kept} unchanged, {added} started");
    }

    /// Writes one of keepalived's dump files where the configuration says
    /// (`state_file_location`, `stats_file_location`, `json_file_location`), else where
    /// keepalived writes it by default.
    fn write_dump(&self, what: Dump) {
        let d = &self.plan.config.global.daemon;
        let snap = self.snapshot();
        let (path, text) = match what {
            Dump::Data => (
                d.state_file_location
                    .clone()
                    .unwrap_or_else(|| "/tmp/keepalived.data".into()),
                render_data(&snap),
            ),
            Dump::Stats => (
                d.stats_file_location
                    .clone()
                    .unwrap_or_else(|| "/tmp/keepalived.stats".into()),
                render_stats(&snap),
            ),
            Dump::Json => {
                let version = JsonVersion::try_from(u32::from(d.json_version.unwrap_or(1)))
                    .unwrap_or(JsonVersion::V1);
                (
                    d.json_file_location
                        .clone()
                        .unwrap_or_else(|| "/tmp/keepalived.json".into()),
                    render_json(&snap, version),
                )
            }
        };
        match std::fs::write(&path, text) {
            Ok(()) => info!("wrote {}", path.display()),
            Err(e) => warn!("writing {}: {e}", path.display()),
        }
    }

    /// Serves the status socket and the metrics endpoint.
    fn serve_status(&mut self, now: Instant) {
        if let Some(mut s) = self.status.take() {
            s.poll(now, || self.snapshot());
            self.status = Some(s);
        }
        if let Some(mut m) = self.metrics.take() {
            m.poll(now, || self.snapshot());
            self.metrics = Some(m);
        }
    }
}

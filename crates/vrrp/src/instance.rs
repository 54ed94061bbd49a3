//! The per-instance VRRP state machine (RFC 3768 §6, RFC 5798 §6,
//! RFC 9568 §6), with keepalived's extensions. Sans-IO: inputs carry `now`,
//! outputs are pulled with [`Instance::poll_action`] and
//! [`Instance::poll_timeout`].

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv6Addr};
use std::time::{Duration, Instant};

use crate::auth::{self, Auth};
use crate::auth_hmac::replay::{HmacReceiver, RxContext};
use crate::config::{ConfigError, InstanceConfig};
use crate::packet::{decode_ipv4, decode_ipv6, AuthField, Family, Received, Version};
use crate::stats::{DropReason, Stats};
use crate::sync_group::MemberEvent;
use crate::timer::{Timer, TimerTable};

mod sync;

/// Priority of the address owner (RFC 5798 §5.2.4).
pub const PRIO_OWNER: u8 = 255;
/// Priority announcing that the master stops (RFC 5798 §5.2.4).
pub const PRIO_STOP: u8 = 0;

/// Instance state (RFC 5798 §6.4 plus keepalived's FAULT and STOP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Not started yet.
    Initialize,
    /// Watching the master.
    Backup,
    /// Owning the virtual addresses and advertising.
    Master,
    /// Unable to run (link down, failed tracking); silent.
    Fault,
    /// Shut down; ignores every input.
    Stop,
}

/// Why a state changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    /// Start-up (to BACKUP, or to MASTER for an address owner).
    Startup,
    /// Master_Down_Timer fired: no advert from the master.
    MasterDown,
    /// Master_Down_Timer fired while discarding a lower priority master.
    Preempt,
    /// Master_Down_Timer (Skew_Time) fired after a priority 0 advert.
    PriorityZero,
    /// A higher priority (or equal priority, higher address) advert.
    HigherPriority,
    /// A fault was raised (link down, tracking).
    Fault,
    /// The fault cleared.
    FaultCleared,
    /// Orderly shutdown.
    Shutdown,
    /// A configuration reload replaced a running master, which stays master.
    Reload,
    /// Its `vrrp_sync_group` moved it ([`Instance::sync_to`]).
    SyncGroup,
}

/// What the driver must do, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Send one advert at `priority` (to the group or every unicast peer).
    SendAdvert {
        /// Priority to advertise (0 when stopping).
        priority: u8,
    },
    /// Add the virtual addresses (and routes/rules) to the interface.
    AddAddresses,
    /// Remove the virtual addresses.
    RemoveAddresses,
    /// Send gratuitous ARPs / unsolicited NAs for the virtual addresses.
    SendGratuitous {
        /// How many of each to send back to back.
        repeat: u32,
    },
    /// The state changed; notify scripts, FIFOs, logs.
    StateChange {
        /// Old state.
        from: State,
        /// New state.
        to: State,
        /// Why.
        reason: Reason,
    },
}

/// One VRRP instance.
#[derive(Debug, Clone)]
pub struct Instance {
    cfg: InstanceConfig,
    state: State,
    priority: u8,
    master_adver_interval: Duration,
    master_addr: Option<IpAddr>,
    timers: TimerTable,
    actions: VecDeque<Action>,
    stats: Stats,
    fault: bool,
    preempt_deadline: Option<Instant>,
    down_cause: Reason,
    ah_seq: Option<(IpAddr, u32)>,
    hmac_rx: HmacReceiver,
    /// A wall-clock reading and the `Instant` it was taken at (`auth_hmac`
    /// time mode).
    wall: Option<(Instant, Duration)>,
    /// Member of a `vrrp_sync_group`: the group decides MASTER and leaving FAULT.
    sync: bool,
    /// Sync member: Master_Down_Timer fired, waiting for the group
    /// (keepalived `wantstate == MASTER` while BACKUP).
    want_master: bool,
    /// Reports to the sync group, pulled with [`Instance::poll_sync_event`].
    sync_events: VecDeque<MemberEvent>,
}

impl Instance {
    /// Builds an instance in [`State::Initialize`].
    pub fn new(cfg: InstanceConfig) -> Result<Self, ConfigError> {
        cfg.validate()?;
        Ok(Instance {
            state: State::Initialize,
            priority: cfg.priority,
            master_adver_interval: cfg.advert_interval,
            master_addr: None,
            timers: TimerTable::default(),
            actions: VecDeque::with_capacity(8),
            stats: Stats::default(),
            fault: false,
            preempt_deadline: None,
            down_cause: Reason::MasterDown,
            ah_seq: None,
            hmac_rx: HmacReceiver::default(),
            wall: None,
            sync: false,
            want_master: false,
            sync_events: VecDeque::new(),
            cfg,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &InstanceConfig {
        &self.cfg
    }

    /// Current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Effective priority.
    pub fn priority(&self) -> u8 {
        self.priority
    }

    /// Counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Source of the last accepted advert (the master as last seen), or our
    /// own primary address while master.
    pub fn master_addr(&self) -> Option<IpAddr> {
        match self.state {
            State::Master => Some(self.cfg.primary_addr),
            _ => self.master_addr,
        }
    }

    /// Master_Adver_Interval: ours, or the one learnt from the master (v3).
    pub fn master_adver_interval(&self) -> Duration {
        self.master_adver_interval
    }

    /// Tells the instance the wall clock: at `now` it is `unix` since the
    /// Unix epoch. `auth_hmac` in time mode judges freshness by it,
    /// extrapolating from the last reading; call it again after the
    /// system clock steps. Without a reading, time mode drops every signed
    /// advert as stale.
    pub fn set_wall_clock(&mut self, now: Instant, unix: Duration) {
        self.wall = Some((now, unix));
    }

    /// The wall clock at `now`, from the last [`set_wall_clock`](Self::set_wall_clock).
    pub fn wall_clock(&self, now: Instant) -> Option<Duration> {
        let (at, unix) = self.wall?;
        Some(match now.checked_duration_since(at) {
            Some(d) => unix + d,
            None => unix.saturating_sub(at - now),
        })
    }

    /// The `auth_hmac` replay state (senders seen and their last sequence).
    pub fn hmac_receiver(&self) -> &HmacReceiver {
        &self.hmac_rx
    }

    /// Deadline of one timer (for tests and status output).
    pub fn timer(&self, t: Timer) -> Option<Instant> {
        self.timers.get(t)
    }

    /// The earliest instant at which [`handle_timeout`](Self::handle_timeout)
    /// must be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// The next action to carry out.
    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    /// Skew_Time: v2 (256-Priority)/256 s (RFC 3768 §6.1); v3
    /// ((256-Priority) × Master_Adver_Interval)/256 (RFC 5798 §6.1).
    pub fn skew_time(&self) -> Duration {
        let k = 256 - u128::from(self.priority);
        match self.cfg.version {
            Version::V2 => Duration::from_nanos((k * 1_000_000_000 / 256) as u64),
            Version::V3 => {
                Duration::from_nanos((k * self.master_adver_interval.as_nanos() / 256) as u64)
            }
        }
    }

    /// Master_Down_Interval: 3 × Master_Adver_Interval + Skew_Time
    /// (RFC 3768 §6.1, RFC 5798 §6.1).
    pub fn master_down_interval(&self) -> Duration {
        3 * self.master_adver_interval + self.skew_time()
    }

    /// Starts the instance (RFC 5798 §6.4.1). An address owner configured
    /// `state MASTER` becomes master at once; everything else waits
    /// Master_Down_Interval (+ preempt_delay) as backup, as keepalived does.
    /// A fault raised before start makes it enter FAULT.
    pub fn start(&mut self, now: Instant) {
        if self.state != State::Initialize {
            return;
        }
        if self.fault {
            self.change_state(now, State::Fault, Reason::Fault);
        } else if self.is_owner_master() && !self.sync {
            // A sync member waits for its group, wanting MASTER at once.
            self.change_state(now, State::Master, Reason::Startup);
        } else {
            self.change_state(now, State::Backup, Reason::Startup);
        }
    }

    /// Starts an instance that replaces a running master after a configuration
    /// reload: keepalived keeps an instance's state across a reload, so it enters
    /// MASTER at once (advert, addresses, gratuitous ARPs) instead of waiting as
    /// backup, and no priority 0 advert hands the VIPs to a peer in between. If its
    /// priority is now too low, the peers' adverts make it yield as usual. A fault
    /// raised before start makes it enter FAULT.
    pub fn start_resumed_master(&mut self, now: Instant) {
        if self.state != State::Initialize {
            return;
        }
        if self.fault {
            self.change_state(now, State::Fault, Reason::Fault);
        } else {
            self.change_state(now, State::Master, Reason::Reload);
        }
    }

    /// keepalived clears `state MASTER` with AH authentication ("Initial
    /// state master is incompatible with AH authentication").
    fn wants_master(&self) -> bool {
        self.cfg.start_as_master && !matches!(self.cfg.auth, Auth::Ah(_))
    }

    fn is_owner_master(&self) -> bool {
        self.cfg.priority == PRIO_OWNER && self.wants_master()
    }

    fn preempt(&self) -> bool {
        // keepalived ignores nopreempt with an initial state of MASTER.
        self.cfg.preempt || self.wants_master()
    }

    /// Counts a packet dropped before it reached [`handle_advert`]
    /// (a decode error on this instance's socket).
    ///
    /// [`handle_advert`]: Self::handle_advert
    pub fn count_drop(&mut self, reason: DropReason) {
        self.stats.count(reason);
    }

    /// Decodes an IPv4 packet (IP header included) and handles it; decode
    /// errors are counted.
    pub fn handle_ipv4(&mut self, now: Instant, buf: &[u8]) {
        match decode_ipv4(buf) {
            Ok(p) => self.handle_advert(now, &Received::V4(p)),
            Err(e) => self.stats.count(e.reason()),
        }
    }

    /// Decodes an IPv6 VRRP payload and handles it; decode errors are counted.
    pub fn handle_ipv6(
        &mut self,
        now: Instant,
        payload: &[u8],
        src: Ipv6Addr,
        dst: Ipv6Addr,
        hop_limit: u8,
    ) {
        match decode_ipv6(payload, src, dst, hop_limit) {
            Ok(p) => self.handle_advert(now, &Received::V6(p)),
            Err(e) => self.stats.count(e.reason()),
        }
    }

    /// Handles a decoded advert: per-instance checks (version, VRID,
    /// checksum variant, authentication, interval, address list), then the
    /// state machine. Drops are counted in [`stats`](Self::stats).
    pub fn handle_advert(&mut self, now: Instant, rx: &Received<'_>) {
        if !matches!(self.state, State::Backup | State::Master) {
            return;
        }
        if let Err(reason) = self.check(now, rx) {
            self.stats.count(reason);
            return;
        }
        let adv = rx.advert();
        let src = rx.src();
        self.stats.advert_rcvd += 1;
        if adv.priority == PRIO_STOP {
            self.stats.pri_zero_rcvd += 1;
        }
        match self.state {
            State::Backup => self.backup_rx(now, src, adv.priority, adv.interval_cs),
            State::Master => self.master_rx(now, src, adv.priority, adv.interval_cs),
            _ => {}
        }
    }

    /// Per-instance validation (RFC 3768 §7.1, RFC 5798 §7.1, keepalived).
    fn check(&mut self, now: Instant, rx: &Received<'_>) -> Result<(), DropReason> {
        let adv = rx.advert();
        if adv.version != self.cfg.version {
            return Err(DropReason::InvalidVersion);
        }
        if Family::of(rx.src()) != self.cfg.family {
            return Err(DropReason::IpHeader);
        }
        if adv.vrid != self.cfg.vrid {
            return Err(DropReason::VridMismatch);
        }
        match (&self.cfg.auth, adv.auth, rx) {
            // A trailer at an instance without auth_hmac: the peer signs
            // and we do not verify (keepalived's rollout goes through
            // receive-only first, so this is a configuration mismatch).
            (Auth::None, _, _) if rx.trailer().is_some() => {
                return Err(DropReason::AuthTypeMismatch);
            }
            (Auth::None, AuthField::None, _) => {}
            (Auth::Hmac(h), AuthField::None, _) => {
                let ctx = RxContext {
                    version: self.cfg.version,
                    vrid: self.cfg.vrid,
                    src: rx.src(),
                    multicast: rx.dst().is_multicast(),
                    msg: rx.message(),
                    trailer: rx.trailer(),
                    unix: self.wall_clock(now),
                };
                let window = h.time_window_for(self.cfg.advert_interval);
                self.hmac_rx
                    .verify(h, window, ctx)
                    .map_err(|e| e.reason())?;
            }
            (Auth::Pass(p), AuthField::Pass(d), _) => {
                if !auth::ct_eq(&auth::pad_password(p), &d) {
                    return Err(DropReason::AuthFailure);
                }
            }
            (Auth::Ah(k), AuthField::Ah, Received::V4(p)) => {
                if !p.ah_ok(&auth::pad_password(k)) {
                    return Err(DropReason::AuthFailure);
                }
                let seq = p.ah.map(|h| h.seq).unwrap_or(0);
                // Replay protection (keepalived vrrp_in_chk_ipsecah): the
                // sequence number must grow per sender. A new sender resets.
                if let Some((from, last)) = self.ah_seq {
                    if from == rx.src() && seq <= last {
                        return Err(DropReason::AuthFailure);
                    }
                }
                self.ah_seq = Some((rx.src(), seq));
            }
            _ => return Err(DropReason::AuthTypeMismatch),
        }
        if !rx.checksum_ok(self.cfg.v3_checksum_as_v2) {
            return Err(DropReason::Checksum);
        }
        // RFC 3768 §7.1: v2 adverts with another interval are discarded.
        if self.cfg.version == Version::V2
            && self.cfg.check_interval_mismatch
            && adv.interval_cs != self.cfg.interval_cs()
        {
            return Err(DropReason::AdvertInterval);
        }
        let from_master = self.master_addr == Some(rx.src());
        if !(self.cfg.skip_check_adv_addr && from_master) {
            let same = adv.addrs.len() == self.cfg.vips.len()
                && adv.addrs.iter().all(|a| self.cfg.vips.contains(a));
            if !same {
                return Err(DropReason::AddressList);
            }
        }
        Ok(())
    }

    /// RFC 5798 §6.4.2 (Backup, advert received).
    fn backup_rx(&mut self, now: Instant, src: IpAddr, prio: u8, interval_cs: u16) {
        if prio == PRIO_STOP {
            // Set Master_Down_Timer to Skew_Time.
            self.timers.set(Timer::MasterDown, now + self.skew_time());
            self.down_cause = Reason::PriorityZero;
            return;
        }
        if !self.preempt() || prio >= self.priority {
            self.accept_master(now, src, interval_cs);
            return;
        }
        // Lower priority master and we preempt: discard, unless the
        // preempt delay is still running (keepalived preempt_delay).
        if !self.cfg.preempt_delay.is_zero() {
            let deadline = *self
                .preempt_deadline
                .get_or_insert(now + self.cfg.preempt_delay);
            if now < deadline {
                self.accept_master(now, src, interval_cs);
                return;
            }
        }
        self.down_cause = Reason::Preempt;
    }

    fn accept_master(&mut self, now: Instant, src: IpAddr, interval_cs: u16) {
        self.sync_accepted_master();
        self.master_addr = Some(src);
        if self.cfg.version == Version::V3 {
            // RFC 5798 §6.4.2: Master_Adver_Interval from the advert.
            self.master_adver_interval = Duration::from_millis(u64::from(interval_cs) * 10);
        }
        self.timers
            .set(Timer::MasterDown, now + self.master_down_interval());
        self.down_cause = Reason::MasterDown;
    }

    /// RFC 5798 §6.4.3 / RFC 9568 §6.4.3 (Master, advert received).
    fn master_rx(&mut self, now: Instant, src: IpAddr, prio: u8, interval_cs: u16) {
        if prio == PRIO_STOP {
            // Send an advert and reset the Adver_Timer.
            self.send_advert(self.priority);
            self.timers
                .set(Timer::Advert, now + self.cfg.advert_interval);
            return;
        }
        let higher =
            prio > self.priority || (prio == self.priority && ip_gt(src, self.cfg.primary_addr));
        if !higher {
            // RFC 9568 §6.4.3: answer so the other router backs off;
            // keepalived then refreshes the ARP caches.
            if !self.cfg.lower_prio_no_advert {
                self.send_advert(self.priority);
            }
            let g = &self.cfg.garp;
            if g.lower_prio_repeat > 0 {
                let (repeat, delay) = (g.lower_prio_repeat, g.lower_prio_delay);
                self.actions.push_back(Action::SendGratuitous { repeat });
                if !delay.is_zero() {
                    self.timers.set(Timer::GarpLowerPrio, now + delay);
                }
            }
            return;
        }
        if self.cfg.higher_prio_send_advert {
            self.send_advert(self.priority);
        }
        self.master_addr = Some(src);
        if self.cfg.version == Version::V3 {
            self.master_adver_interval = Duration::from_millis(u64::from(interval_cs) * 10);
        }
        self.change_state(now, State::Backup, Reason::HigherPriority);
    }

    /// Fires every timer due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(t) = self.timers.pop_expired(now) {
            match (t, self.state) {
                (Timer::MasterDown, State::Backup) if self.sync => self.sync_master_down(now),
                (Timer::MasterDown, State::Backup) => {
                    let reason = self.down_cause;
                    self.change_state(now, State::Master, reason);
                }
                (Timer::Advert, State::Master) => {
                    self.send_advert(self.priority);
                    self.timers
                        .set(Timer::Advert, now + self.cfg.advert_interval);
                }
                (Timer::GarpDelay, State::Master) => {
                    let repeat = self.cfg.garp.master_repeat;
                    self.actions.push_back(Action::SendGratuitous { repeat });
                }
                (Timer::GarpLowerPrio, State::Master) => {
                    let repeat = self.cfg.garp.lower_prio_repeat;
                    self.actions.push_back(Action::SendGratuitous { repeat });
                }
                (Timer::GarpRefresh, State::Master) => {
                    let repeat = self.cfg.garp.master_refresh_repeat;
                    self.actions.push_back(Action::SendGratuitous { repeat });
                    if let Some(p) = self.cfg.garp.master_refresh {
                        self.timers.set(Timer::GarpRefresh, now + p);
                    }
                }
                _ => {}
            }
        }
    }

    /// Zeroes the counters (keepalived's STATS_CLEAR signal).
    pub fn clear_stats(&mut self) {
        self.stats = Stats::default();
    }

    /// Raises or clears a fault (link down, failed tracking). Entering
    /// FAULT releases the addresses (after a priority 0 advert if master);
    /// leaving it goes to BACKUP, or MASTER for an address owner. A sync
    /// group member reports the change instead of leaving FAULT by itself
    /// (see [`sync_to`](Self::sync_to)).
    pub fn set_fault(&mut self, now: Instant, fault: bool) {
        if self.fault == fault {
            return;
        }
        self.fault = fault;
        if self.sync {
            self.sync_fault_changed(now, fault);
            return;
        }
        match (fault, self.state) {
            (true, State::Backup | State::Master) => {
                self.change_state(now, State::Fault, Reason::Fault)
            }
            (false, State::Fault) => {
                let to = if self.is_owner_master() {
                    State::Master
                } else {
                    State::Backup
                };
                self.change_state(now, to, Reason::FaultCleared);
            }
            _ => {}
        }
    }

    /// Sets the effective priority (from tracking). An owner (255) keeps
    /// 255; others are held to 1..=254 (keepalived). It shows in the next
    /// advert, and in Skew_Time from now on.
    pub fn set_priority(&mut self, _now: Instant, priority: u8) {
        self.priority = if self.cfg.priority == PRIO_OWNER {
            PRIO_OWNER
        } else {
            priority.clamp(1, PRIO_OWNER - 1)
        };
    }

    /// Stops the instance: a master sends a priority 0 advert and removes
    /// its addresses (RFC 5798 §6.4.3 Shutdown). Then every input is ignored.
    pub fn shutdown(&mut self, now: Instant) {
        if !matches!(self.state, State::Stop) {
            self.change_state(now, State::Stop, Reason::Shutdown);
        }
    }

    fn send_advert(&mut self, priority: u8) {
        self.stats.advert_sent += 1;
        if priority == PRIO_STOP {
            self.stats.pri_zero_sent += 1;
        }
        self.actions.push_back(Action::SendAdvert { priority });
    }

    /// The one place states change. Emits `StateChange`, then the side
    /// effects in a fixed order: leaving MASTER sends a priority 0 advert
    /// (unless yielding to a higher priority) and removes the addresses;
    /// entering MASTER sends an advert, adds the addresses, sends
    /// gratuitous ARPs; timers are set for the new state.
    fn change_state(&mut self, now: Instant, to: State, reason: Reason) {
        let from = self.state;
        self.actions
            .push_back(Action::StateChange { from, to, reason });
        self.state = to;
        self.timers.stop_all();
        self.want_master = false;
        if from == State::Master {
            self.stats.release_master += 1;
            // A sync group pulls a master to BACKUP without a priority 0
            // advert (keepalived vrrp_sync_backup → leave_master(advF=false)).
            let quiet = reason == Reason::HigherPriority
                || (reason == Reason::SyncGroup && to == State::Backup);
            if !quiet {
                self.send_advert(PRIO_STOP);
            }
            self.actions.push_back(Action::RemoveAddresses);
        }
        match to {
            State::Master => {
                self.stats.became_master += 1;
                self.master_addr = None;
                self.ah_seq = None;
                self.send_advert(self.priority);
                self.actions.push_back(Action::AddAddresses);
                let g = &self.cfg.garp;
                let (repeat, delay, refresh) = (g.master_repeat, g.master_delay, g.master_refresh);
                if repeat > 0 {
                    self.actions.push_back(Action::SendGratuitous { repeat });
                    if !delay.is_zero() {
                        self.timers.set(Timer::GarpDelay, now + delay);
                    }
                }
                if let Some(p) = refresh {
                    self.timers.set(Timer::GarpRefresh, now + p);
                }
                self.timers
                    .set(Timer::Advert, now + self.cfg.advert_interval);
            }
            State::Backup => {
                if from != State::Master {
                    // Start-up or leaving FAULT: our own interval, and the
                    // preempt delay lengthens the first wait (keepalived).
                    self.master_adver_interval = self.cfg.advert_interval;
                    self.master_addr = None;
                    self.preempt_deadline = None;
                    let wait = self.master_down_interval() + self.preempt_delay_wait();
                    if !self.cfg.preempt_delay.is_zero() && self.preempt() {
                        self.preempt_deadline = Some(now + wait);
                    }
                    self.timers.set(Timer::MasterDown, now + wait);
                    self.sync_owner_wants_master();
                } else {
                    self.timers
                        .set(Timer::MasterDown, now + self.master_down_interval());
                }
                self.down_cause = Reason::MasterDown;
            }
            State::Initialize | State::Fault | State::Stop => {}
        }
    }

    fn preempt_delay_wait(&self) -> Duration {
        if self.preempt() {
            self.cfg.preempt_delay
        } else {
            Duration::ZERO
        }
    }
}

/// Numeric comparison of two addresses of one family (RFC 5798 §6.4.3:
/// "primary IPvX Address of the sender is greater").
fn ip_gt(a: IpAddr, b: IpAddr) -> bool {
    match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => a > b,
        (IpAddr::V6(a), IpAddr::V6(b)) => a > b,
        _ => false,
    }
}

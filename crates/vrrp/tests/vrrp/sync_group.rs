//! `vrrp_sync_group`: member inputs, the coordinator, and whole groups driven
//! by a small in-test harness with simulated time; exact action lists.

use std::collections::VecDeque;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use vigil_vrrp::Action::{AddAddresses, RemoveAddresses, SendAdvert, SendGratuitous, StateChange};
use vigil_vrrp::{
    Action, GroupCommand, GroupEvent, Instance, InstanceConfig, MemberEvent, Reason, State,
    SyncGroup, SyncGroupError, Timer,
};

use super::common::{drain, ms, rx, v4};

/// v2 Master_Down_Interval at priority 100: 3 s + 156/256 s.
const DOWN_100: Duration = Duration::from_nanos(3_609_375_000);

fn sc(from: State, to: State, reason: Reason) -> Action {
    StateChange { from, to, reason }
}

fn to_master(from: State, reason: Reason, prio: u8) -> Vec<Action> {
    vec![
        sc(from, State::Master, reason),
        SendAdvert { priority: prio },
        AddAddresses,
        SendGratuitous { repeat: 5 },
    ]
}

fn cmd(member: usize, to: State) -> GroupCommand {
    GroupCommand { member, to }
}

fn ev(from: State, to: State) -> GroupEvent {
    GroupEvent { from, to }
}

/// Member `k`: vrid 51 + k, primary .5, VIP .(100 + k), priority `prio`.
fn member_cfg(k: u8, prio: u8) -> InstanceConfig {
    let mut c = InstanceConfig::new(&format!("VI_{}", k + 1), 51 + k, v4(5), vec![v4(100 + k)]);
    c.priority = prio;
    c
}

/// One host: its member instances and their group, and what the daemon saw.
struct Host {
    insts: Vec<Instance>,
    group: SyncGroup,
    /// Every action drained, per member, since the last `take`.
    actions: Vec<Vec<Action>>,
    commands: Vec<GroupCommand>,
    events: Vec<GroupEvent>,
    /// Largest number of members handled by one `pump` (ping-pong bound).
    max_rounds: usize,
    /// Adverts sent: (member, priority), for the in-test network.
    outbox: Vec<(usize, u8)>,
}

impl Host {
    fn new(cfgs: Vec<InstanceConfig>) -> Host {
        let n = cfgs.len();
        let insts = cfgs
            .into_iter()
            .map(|c| {
                let mut i = Instance::new(c).unwrap();
                i.join_sync_group();
                i
            })
            .collect();
        Host {
            insts,
            group: SyncGroup::new("VG_1", (0..n).collect()).unwrap(),
            actions: vec![Vec::new(); n],
            commands: Vec::new(),
            events: Vec::new(),
            max_rounds: 0,
            outbox: Vec::new(),
        }
    }

    /// The daemon's loop for member `m`: drain its actions (StateChange →
    /// group), its sync reports (→ group), apply the commands, repeat for
    /// the commanded members. Panics if it does not settle.
    fn pump(&mut self, now: Instant, m: usize) {
        let mut work = VecDeque::from([m]);
        let mut rounds = 0;
        while let Some(m) = work.pop_front() {
            rounds += 1;
            assert!(rounds <= 4 * self.insts.len(), "sync group ping-pong");
            let mut cmds = Vec::new();
            while let Some(a) = self.insts[m].poll_action() {
                self.actions[m].push(a);
                if let SendAdvert { priority } = a {
                    self.outbox.push((m, priority));
                }
                if let StateChange { from, to, .. } = a {
                    cmds.extend(self.group.on_state_change(m, from, to));
                }
            }
            while let Some(e) = self.insts[m].poll_sync_event() {
                cmds.extend(self.group.on_member_event(m, e));
            }
            for c in cmds {
                self.commands.push(c);
                self.insts[c.member].sync_to(now, c.to);
                work.push_back(c.member);
            }
        }
        self.max_rounds = self.max_rounds.max(rounds);
        while let Some(e) = self.group.poll_event() {
            self.events.push(e);
        }
    }

    fn start(&mut self, now: Instant) {
        for m in 0..self.insts.len() {
            self.insts[m].start(now);
            self.pump(now, m);
        }
    }

    fn timeout(&mut self, now: Instant) {
        for m in 0..self.insts.len() {
            self.insts[m].handle_timeout(now);
            self.pump(now, m);
        }
    }

    /// A peer's advert at `prio` to member `m`.
    fn advert(&mut self, now: Instant, m: usize, prio: u8) {
        self.advert_from(now, m, v4(6), prio);
    }

    fn advert_from(&mut self, now: Instant, m: usize, src: IpAddr, prio: u8) {
        rx(&mut self.insts[m], now, src, prio);
        self.pump(now, m);
    }

    fn fault(&mut self, now: Instant, m: usize, f: bool) {
        self.insts[m].set_fault(now, f);
        self.pump(now, m);
    }

    fn tracking_fault(&mut self, now: Instant, f: bool) {
        for c in self.group.set_tracking_fault(f) {
            self.commands.push(c);
            self.insts[c.member].sync_to(now, c.to);
            self.pump(now, c.member);
        }
        while let Some(e) = self.group.poll_event() {
            self.events.push(e);
        }
    }

    fn take(&mut self, m: usize) -> Vec<Action> {
        std::mem::take(&mut self.actions[m])
    }

    fn clear(&mut self) {
        for a in &mut self.actions {
            a.clear();
        }
        self.commands.clear();
        self.events.clear();
    }

    fn states(&self) -> Vec<State> {
        self.insts.iter().map(|i| i.state()).collect()
    }

    /// Runs every timer up to `until`, in order.
    fn run_until(&mut self, until: Instant) {
        while let Some(t) = self
            .insts
            .iter()
            .filter_map(|i| i.poll_timeout())
            .min()
            .filter(|t| *t <= until)
        {
            self.timeout(t);
        }
    }
}

/// Two members started, then both masters' adverts stop: group MASTER at
/// the Master_Down_Interval.
fn master_host(t0: Instant) -> (Host, Instant) {
    let mut h = Host::new(vec![member_cfg(0, 100), member_cfg(1, 100)]);
    h.start(t0);
    let t = t0 + DOWN_100;
    h.timeout(t);
    assert_eq!(h.states(), vec![State::Master, State::Master]);
    h.clear();
    (h, t)
}

// ---- Instance inputs -------------------------------------------------------

#[test]
fn member_master_down_waits_as_backup_and_rearms() {
    let t0 = Instant::now();
    let mut i = Instance::new(member_cfg(0, 100)).unwrap();
    i.join_sync_group();
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Backup, Reason::Startup)]
    );
    assert_eq!(i.poll_sync_event(), None);
    i.handle_timeout(t0 + DOWN_100);
    assert!(drain(&mut i).is_empty(), "no state change by itself");
    assert_eq!(i.state(), State::Backup);
    assert!(i.sync_wants_master());
    assert_eq!(i.poll_sync_event(), Some(MemberEvent::WantMaster));
    assert_eq!(i.timer(Timer::MasterDown), Some(t0 + 2 * DOWN_100));
    // Firing again does not repeat the report.
    i.handle_timeout(t0 + 2 * DOWN_100);
    assert_eq!(i.poll_sync_event(), None);
    // An advert from a master withdraws the wish.
    rx(&mut i, t0 + 2 * DOWN_100, v4(6), 100);
    assert_eq!(i.poll_sync_event(), Some(MemberEvent::WantBackup));
    assert!(!i.sync_wants_master());
    assert_eq!(i.state(), State::Backup);
}

#[test]
fn sync_to_rules() {
    let t0 = Instant::now();
    let mut i = Instance::new(member_cfg(0, 100)).unwrap();
    i.join_sync_group();
    i.start(t0);
    drain(&mut i);
    // Backup told MASTER: at once.
    assert!(i.sync_to(t0, State::Master));
    assert_eq!(
        drain(&mut i),
        to_master(State::Backup, Reason::SyncGroup, 100)
    );
    assert!(!i.sync_to(t0, State::Master), "already master");
    assert!(drain(&mut i).is_empty());
    // Master told BACKUP: no priority 0 advert.
    assert!(i.sync_to(ms(t0, 10), State::Backup));
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Backup, Reason::SyncGroup),
            RemoveAddresses
        ]
    );
    assert_eq!(i.timer(Timer::MasterDown), Some(ms(t0, 10) + DOWN_100));
    // Master told FAULT: priority 0 advert, addresses released.
    i.sync_to(ms(t0, 20), State::Master);
    drain(&mut i);
    assert!(i.sync_to(ms(t0, 30), State::Fault));
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Fault, Reason::SyncGroup),
            SendAdvert { priority: 0 },
            RemoveAddresses
        ]
    );
    assert_eq!(i.poll_timeout(), None, "FAULT is silent");
    // FAULT cannot become master.
    assert!(!i.sync_to(ms(t0, 40), State::Master));
    assert!(drain(&mut i).is_empty());
    // Held in FAULT by the group: BACKUP releases it.
    assert!(i.sync_to(ms(t0, 50), State::Backup));
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Fault, State::Backup, Reason::SyncGroup)]
    );
    // With a fault of its own it stays in FAULT.
    i.set_fault(ms(t0, 60), true);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Backup, State::Fault, Reason::Fault)]
    );
    assert_eq!(i.poll_sync_event(), Some(MemberEvent::Fault));
    assert!(!i.sync_to(ms(t0, 70), State::Backup));
    assert!(!i.sync_to(ms(t0, 70), State::Master));
    // Its fault clearing is reported, the group decides.
    i.set_fault(ms(t0, 80), false);
    assert!(drain(&mut i).is_empty());
    assert_eq!(i.state(), State::Fault);
    assert_eq!(i.poll_sync_event(), Some(MemberEvent::FaultCleared));
    assert!(i.sync_to(ms(t0, 90), State::Backup));
    // A stopped member ignores the group.
    i.shutdown(ms(t0, 100));
    drain(&mut i);
    for s in [State::Master, State::Backup, State::Fault] {
        assert!(!i.sync_to(ms(t0, 110), s));
    }
    assert!(drain(&mut i).is_empty());
}

#[test]
fn unstarted_member_told_fault_stays_there() {
    let t0 = Instant::now();
    let mut i = Instance::new(member_cfg(0, 100)).unwrap();
    i.join_sync_group();
    assert!(i.sync_to(t0, State::Fault));
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Fault, Reason::SyncGroup)]
    );
    i.start(t0);
    assert!(drain(&mut i).is_empty());
    assert_eq!(i.state(), State::Fault);
}

#[test]
fn lone_instance_unchanged() {
    // Without join_sync_group the master-down timer makes it master.
    let t0 = Instant::now();
    let mut i = Instance::new(member_cfg(0, 100)).unwrap();
    i.start(t0);
    drain(&mut i);
    i.handle_timeout(t0 + DOWN_100);
    assert_eq!(
        drain(&mut i),
        to_master(State::Backup, Reason::MasterDown, 100)
    );
    assert_eq!(i.poll_sync_event(), None);
}

// ---- The coordinator alone ---------------------------------------------------

#[test]
fn group_construction_and_unknown_members() {
    assert_eq!(
        SyncGroup::new("VG", vec![]).unwrap_err(),
        SyncGroupError::Empty("VG".into())
    );
    assert_eq!(
        SyncGroup::new("VG", vec![3, 7, 3]).unwrap_err(),
        SyncGroupError::Duplicate("VG".into(), 3)
    );
    let mut g = SyncGroup::new("VG", vec![3, 7]).unwrap();
    assert_eq!(g.name(), "VG");
    assert_eq!(g.members().collect::<Vec<_>>(), vec![3, 7]);
    assert_eq!(g.group_state(), State::Initialize);
    assert!(g
        .on_state_change(5, State::Initialize, State::Fault)
        .is_empty());
    assert!(g.on_member_event(5, MemberEvent::Fault).is_empty());
    assert_eq!(g.stats().unknown_member, 2);
    assert_eq!(g.group_state(), State::Initialize);
    // Ids are the daemon's: commands name them.
    assert!(g
        .on_state_change(3, State::Initialize, State::Backup)
        .is_empty());
    assert!(g
        .on_state_change(7, State::Initialize, State::Backup)
        .is_empty());
    assert_eq!(g.poll_event(), Some(ev(State::Initialize, State::Backup)));
    assert!(g.on_member_event(7, MemberEvent::WantMaster).is_empty());
    assert_eq!(
        g.on_member_event(3, MemberEvent::WantMaster),
        vec![cmd(3, State::Master), cmd(7, State::Master)]
    );
    assert_eq!(g.group_state(), State::Master);
    // The commanded changes come back: nothing more.
    assert!(g
        .on_state_change(3, State::Backup, State::Master)
        .is_empty());
    assert!(g
        .on_state_change(7, State::Backup, State::Master)
        .is_empty());
    assert_eq!(g.poll_event(), Some(ev(State::Backup, State::Master)));
    assert_eq!(g.poll_event(), None);
}

#[test]
fn group_event_notify_words() {
    let e = ev(State::Backup, State::Master);
    assert_eq!(e.state_word(), "MASTER");
    assert_eq!(e.fifo_line("VG_1"), "GROUP \"VG_1\" MASTER 0");
    assert_eq!(ev(State::Master, State::Fault).state_word(), "FAULT");
    assert_eq!(ev(State::Fault, State::Backup).state_word(), "BACKUP");
}

// ---- Whole groups ------------------------------------------------------------

#[test]
fn start_reports_group_backup_once_all_members_are_up() {
    let t0 = Instant::now();
    let mut h = Host::new(vec![member_cfg(0, 100), member_cfg(1, 100)]);
    h.start(t0);
    assert_eq!(h.events, vec![ev(State::Initialize, State::Backup)]);
    assert!(h.commands.is_empty());
    assert_eq!(h.group.group_state(), State::Backup);
}

#[test]
fn master_down_on_every_member_makes_all_master() {
    let t0 = Instant::now();
    let mut h = Host::new(vec![member_cfg(0, 100), member_cfg(1, 100)]);
    h.start(t0);
    h.clear();
    let t = t0 + DOWN_100;
    // Member 0 fires first and waits; member 1 fires and the group moves,
    // member 1 (the trigger) first.
    h.insts[0].handle_timeout(t);
    h.pump(t, 0);
    assert_eq!(h.states(), vec![State::Backup, State::Backup]);
    assert!(h.commands.is_empty());
    h.insts[1].handle_timeout(t);
    h.pump(t, 1);
    assert_eq!(
        h.commands,
        vec![cmd(1, State::Master), cmd(0, State::Master)]
    );
    assert_eq!(h.take(1), to_master(State::Backup, Reason::SyncGroup, 100));
    assert_eq!(h.take(0), to_master(State::Backup, Reason::SyncGroup, 100));
    assert_eq!(h.events, vec![ev(State::Backup, State::Master)]);
    assert_eq!(h.group.group_state(), State::Master);
    assert!(h.max_rounds <= 3);
}

#[test]
fn one_member_still_hearing_its_master_holds_the_group_in_backup() {
    let t0 = Instant::now();
    let mut h = Host::new(vec![member_cfg(0, 100), member_cfg(1, 100)]);
    h.start(t0);
    h.clear();
    // The peer keeps advertising VI_2 (member 1) only, for 20 s.
    for s in 0..20u64 {
        let now = t0 + Duration::from_secs(s);
        h.run_until(now);
        h.advert(now, 1, 100);
    }
    assert_eq!(h.states(), vec![State::Backup, State::Backup]);
    assert!(h.group.member_wants_master(0));
    assert!(!h.group.member_wants_master(1));
    assert!(h.commands.is_empty());
    assert!(h.take(0).is_empty() && h.take(1).is_empty());
    // The peer's VI_2 goes silent: member 1 times out and both take over.
    let last = t0 + Duration::from_secs(19);
    h.run_until(last + DOWN_100);
    assert_eq!(h.states(), vec![State::Master, State::Master]);
    assert_eq!(
        h.commands,
        vec![cmd(1, State::Master), cmd(0, State::Master)]
    );
    assert_eq!(h.events, vec![ev(State::Backup, State::Master)]);
}

#[test]
fn higher_priority_on_one_member_pulls_all_to_backup() {
    let t0 = Instant::now();
    let (mut h, t) = master_host(t0);
    let now = t + Duration::from_millis(500);
    h.advert(now, 0, 200);
    assert_eq!(
        h.take(0),
        vec![
            sc(State::Master, State::Backup, Reason::HigherPriority),
            RemoveAddresses
        ]
    );
    // The other master steps down quietly (keepalived vrrp_sync_backup).
    assert_eq!(
        h.take(1),
        vec![
            sc(State::Master, State::Backup, Reason::SyncGroup),
            RemoveAddresses
        ]
    );
    assert_eq!(h.commands, vec![cmd(1, State::Backup)]);
    assert_eq!(h.events, vec![ev(State::Master, State::Backup)]);
    assert_eq!(h.insts[1].timer(Timer::MasterDown), Some(now + DOWN_100));
    // The new master's adverts keep both down; no re-election.
    h.clear();
    for s in 1..10u64 {
        let now = now + Duration::from_secs(s);
        h.run_until(now);
        h.advert(now, 0, 200);
        h.advert(now, 1, 200);
    }
    assert_eq!(h.states(), vec![State::Backup, State::Backup]);
    assert!(h.commands.is_empty() && h.events.is_empty());
}

#[test]
fn link_fault_on_one_member_faults_all_until_every_fault_clears() {
    let t0 = Instant::now();
    let (mut h, t) = master_host(t0);
    let now = t + Duration::from_millis(300);
    h.fault(now, 0, true);
    let released = |reason| {
        vec![
            sc(State::Master, State::Fault, reason),
            SendAdvert { priority: 0 },
            RemoveAddresses,
        ]
    };
    assert_eq!(h.take(0), released(Reason::Fault));
    assert_eq!(h.take(1), released(Reason::SyncGroup));
    assert_eq!(h.commands, vec![cmd(1, State::Fault)]);
    assert_eq!(h.events, vec![ev(State::Master, State::Fault)]);
    assert!(h.insts.iter().all(|i| i.poll_timeout().is_none()));
    // Member 1 faults on its own too; member 0 clears: still all FAULT.
    h.clear();
    h.fault(now + Duration::from_secs(1), 1, true);
    h.fault(now + Duration::from_secs(2), 0, false);
    assert_eq!(h.states(), vec![State::Fault, State::Fault]);
    assert!(h.commands.is_empty() && h.events.is_empty());
    assert!(h.take(0).is_empty() && h.take(1).is_empty());
    // The last fault clears: all BACKUP together, then a new election.
    let up = now + Duration::from_secs(3);
    h.fault(up, 1, false);
    assert_eq!(
        h.take(1),
        vec![sc(State::Fault, State::Backup, Reason::SyncGroup)]
    );
    assert_eq!(
        h.take(0),
        vec![sc(State::Fault, State::Backup, Reason::SyncGroup)]
    );
    assert_eq!(
        h.commands,
        vec![cmd(1, State::Backup), cmd(0, State::Backup)]
    );
    assert_eq!(h.events, vec![ev(State::Fault, State::Backup)]);
    h.clear();
    h.run_until(up + DOWN_100);
    assert_eq!(h.states(), vec![State::Master, State::Master]);
    assert_eq!(h.events, vec![ev(State::Backup, State::Master)]);
}

#[test]
fn group_tracking_fault_faults_every_member() {
    let t0 = Instant::now();
    let mut h = Host::new(vec![
        member_cfg(0, 100),
        member_cfg(1, 100),
        member_cfg(2, 100),
    ]);
    h.start(t0);
    h.clear();
    let now = ms(t0, 500);
    h.tracking_fault(now, true);
    assert!(h.group.tracking_fault());
    assert_eq!(
        h.commands,
        vec![
            cmd(0, State::Fault),
            cmd(1, State::Fault),
            cmd(2, State::Fault)
        ]
    );
    for m in 0..3 {
        assert_eq!(
            h.take(m),
            vec![sc(State::Backup, State::Fault, Reason::SyncGroup)]
        );
    }
    assert_eq!(h.events, vec![ev(State::Backup, State::Fault)]);
    // A member's own fault coming and going changes nothing while the group
    // tracker is down.
    h.clear();
    h.fault(ms(t0, 600), 2, true);
    h.fault(ms(t0, 700), 2, false);
    assert!(h.commands.is_empty());
    assert_eq!(h.states(), vec![State::Fault; 3]);
    h.tracking_fault(ms(t0, 800), true);
    assert!(h.commands.is_empty(), "no change, no commands");
    h.tracking_fault(ms(t0, 900), false);
    assert_eq!(
        h.commands,
        vec![
            cmd(0, State::Backup),
            cmd(1, State::Backup),
            cmd(2, State::Backup)
        ]
    );
    assert_eq!(h.states(), vec![State::Backup; 3]);
    assert_eq!(h.events, vec![ev(State::Fault, State::Backup)]);
}

#[test]
fn member_faulty_at_start_holds_the_others_in_fault() {
    let t0 = Instant::now();
    let mut h = Host::new(vec![member_cfg(0, 100), member_cfg(1, 100)]);
    h.insts[0].set_fault(t0, true);
    h.start(t0);
    assert_eq!(
        h.take(0),
        vec![sc(State::Initialize, State::Fault, Reason::Fault)]
    );
    assert_eq!(
        h.take(1),
        vec![sc(State::Initialize, State::Fault, Reason::SyncGroup)]
    );
    assert_eq!(h.events, vec![ev(State::Initialize, State::Fault)]);
    h.run_until(t0 + Duration::from_secs(30));
    assert_eq!(h.states(), vec![State::Fault, State::Fault]);
    h.clear();
    h.fault(ms(t0, 30_000), 0, false);
    assert_eq!(h.states(), vec![State::Backup, State::Backup]);
    assert_eq!(h.events, vec![ev(State::Fault, State::Backup)]);
}

#[test]
fn owners_start_master_together() {
    let t0 = Instant::now();
    let owner = |k| {
        let mut c = member_cfg(k, 255);
        c.start_as_master = true;
        c
    };
    let mut h = Host::new(vec![owner(0), owner(1)]);
    h.start(t0);
    assert_eq!(
        h.events,
        vec![
            ev(State::Initialize, State::Backup),
            ev(State::Backup, State::Master)
        ]
    );
    assert_eq!(
        h.commands,
        vec![cmd(1, State::Master), cmd(0, State::Master)]
    );
    let mut a0 = vec![sc(State::Initialize, State::Backup, Reason::Startup)];
    a0.extend(to_master(State::Backup, Reason::SyncGroup, 255));
    assert_eq!(h.take(0), a0);
    assert_eq!(h.states(), vec![State::Master, State::Master]);
}

#[test]
fn nopreempt_member_keeps_the_group_backup_under_a_lower_master() {
    // keepalived: a preempting member wants MASTER, a nopreempt member keeps
    // accepting the lower priority master; the group prefers BACKUP.
    let t0 = Instant::now();
    let mut quiet = member_cfg(1, 150);
    quiet.preempt = false;
    let mut h = Host::new(vec![member_cfg(0, 150), quiet]);
    h.start(t0);
    h.clear();
    for s in 0..20u64 {
        let now = t0 + Duration::from_secs(s);
        h.run_until(now);
        h.advert(now, 0, 100);
        h.advert(now, 1, 100);
    }
    assert_eq!(h.states(), vec![State::Backup, State::Backup]);
    assert!(h.group.member_wants_master(0), "preempting member waits");
    assert!(!h.group.member_wants_master(1));
    assert!(h.commands.is_empty() && h.events.is_empty());
}

#[test]
fn preempting_members_take_over_a_lower_master_together() {
    let t0 = Instant::now();
    let mut h = Host::new(vec![member_cfg(0, 150), member_cfg(1, 150)]);
    h.start(t0);
    h.clear();
    for s in 0..6u64 {
        let now = t0 + Duration::from_secs(s);
        h.run_until(now);
        if h.states() != vec![State::Master, State::Master] {
            h.advert(now, 0, 100);
            h.advert(now, 1, 100);
        }
    }
    assert_eq!(h.states(), vec![State::Master, State::Master]);
    assert_eq!(h.events, vec![ev(State::Backup, State::Master)]);
}

// ---- No ping-pong, whatever the inputs ----------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Advance(u16),
    Advert(usize, u8),
    Fault(usize, bool),
    Tracking(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (1u16..5000).prop_map(Op::Advance),
        (0usize..3, 0u8..=255).prop_map(|(m, p)| Op::Advert(m, p)),
        (0usize..3, any::<bool>()).prop_map(|(m, f)| Op::Fault(m, f)),
        any::<bool>().prop_map(Op::Tracking),
    ]
}

proptest! {
    #[test]
    fn group_settles_and_members_agree(ops in proptest::collection::vec(op(), 1..80)) {
        let t0 = Instant::now();
        let mut h = Host::new(vec![member_cfg(0, 100), member_cfg(1, 120), member_cfg(2, 90)]);
        h.start(t0);
        let mut now = t0;
        for o in ops {
            match o {
                Op::Advance(d) => {
                    now += Duration::from_millis(u64::from(d));
                    h.run_until(now);
                }
                Op::Advert(m, p) => h.advert(now, m, p),
                Op::Fault(m, f) => h.fault(now, m, f),
                Op::Tracking(f) => h.tracking_fault(now, f),
            }
            prop_assert!(h.max_rounds <= 4 * 3);
            let states = h.states();
            match h.group.group_state() {
                State::Master => prop_assert!(states.iter().all(|s| *s == State::Master)),
                State::Fault => prop_assert!(states.iter().all(|s| *s == State::Fault)),
                State::Backup => prop_assert!(states.iter().all(|s| *s == State::Backup)),
                s => prop_assert!(false, "group state {s:?} after start"),
            }
        }
    }
}

// ---- Two hosts on one in-test network -------------------------------------------

/// Hosts A (.5) and B (.6), each with a group of the same two VRIDs; every
/// advert of a member reaches the other host's member of the same VRID
/// without delay.
struct World {
    hosts: [Host; 2],
}

impl World {
    fn new(prio_a: u8, prio_b: u8) -> World {
        let host = |primary: u8, prio: u8| {
            let cfgs = (0..2u8)
                .map(|k| {
                    let mut c = member_cfg(k, prio);
                    c.primary_addr = v4(primary);
                    c
                })
                .collect();
            Host::new(cfgs)
        };
        World {
            hosts: [host(5, prio_a), host(6, prio_b)],
        }
    }

    fn deliver(&mut self, now: Instant) {
        for _ in 0..100 {
            let mut sent = false;
            for from in 0..2 {
                let out = std::mem::take(&mut self.hosts[from].outbox);
                let src = self.hosts[from].insts[0].config().primary_addr;
                for (m, prio) in out {
                    sent = true;
                    self.hosts[1 - from].advert_from(now, m, src, prio);
                }
            }
            if !sent {
                return;
            }
        }
        panic!("advert storm");
    }

    fn start(&mut self, now: Instant) {
        for h in &mut self.hosts {
            h.start(now);
        }
        self.deliver(now);
    }

    fn fault(&mut self, now: Instant, host: usize, m: usize, f: bool) {
        self.hosts[host].fault(now, m, f);
        self.deliver(now);
    }

    fn run_until(&mut self, until: Instant) {
        loop {
            let next = self
                .hosts
                .iter()
                .flat_map(|h| h.insts.iter().filter_map(|i| i.poll_timeout()))
                .min()
                .filter(|t| *t <= until);
            let Some(t) = next else { return };
            for h in &mut self.hosts {
                h.timeout(t);
            }
            self.deliver(t);
        }
    }

    fn states(&self) -> [Vec<State>; 2] {
        [self.hosts[0].states(), self.hosts[1].states()]
    }
}

#[test]
fn two_hosts_fail_over_and_back_as_groups() {
    let t0 = Instant::now();
    let (m2, b2) = (vec![State::Master; 2], vec![State::Backup; 2]);
    let mut w = World::new(100, 200);
    w.start(t0);
    // B (priority 200) times out first on both VRIDs and takes the group.
    w.run_until(t0 + Duration::from_secs(10));
    assert_eq!(w.states(), [b2.clone(), m2.clone()]);
    assert_eq!(
        w.hosts[1].events,
        vec![
            ev(State::Initialize, State::Backup),
            ev(State::Backup, State::Master)
        ]
    );
    assert_eq!(
        w.hosts[0].events,
        vec![ev(State::Initialize, State::Backup)]
    );
    for h in &mut w.hosts {
        h.clear();
    }
    // B's link for VI_1 fails: B's group goes FAULT (priority 0 adverts on
    // both VRIDs), A's members hear them and take over after Skew_Time.
    let cut = t0 + Duration::from_millis(10_500);
    w.fault(cut, 1, 0, true);
    assert_eq!(w.hosts[1].states(), vec![State::Fault; 2]);
    assert_eq!(w.hosts[1].events, vec![ev(State::Master, State::Fault)]);
    w.run_until(cut + Duration::from_secs(1));
    assert_eq!(w.states(), [m2.clone(), vec![State::Fault; 2]]);
    assert_eq!(w.hosts[0].events, vec![ev(State::Backup, State::Master)]);
    for h in &mut w.hosts {
        h.clear();
    }
    // The link comes back: B's members go BACKUP together, discard A's lower
    // priority adverts, time out, and preempt as a group; A follows to BACKUP.
    let heal = t0 + Duration::from_secs(20);
    w.run_until(heal);
    w.fault(heal, 1, 0, false);
    assert_eq!(w.hosts[1].events, vec![ev(State::Fault, State::Backup)]);
    w.run_until(heal + Duration::from_secs(10));
    assert_eq!(w.states(), [b2, m2]);
    assert_eq!(
        w.hosts[1].events,
        vec![
            ev(State::Fault, State::Backup),
            ev(State::Backup, State::Master)
        ]
    );
    assert_eq!(w.hosts[0].events, vec![ev(State::Master, State::Backup)]);
    // On A one member yielded to the higher priority, the other followed
    // without a priority 0 advert.
    let a = &w.hosts[0];
    let reasons: Vec<Reason> = a
        .actions
        .iter()
        .flatten()
        .filter_map(|x| match x {
            StateChange { reason, .. } => Some(*reason),
            _ => None,
        })
        .collect();
    assert_eq!(reasons.len(), 2);
    assert!(reasons.contains(&Reason::HigherPriority));
    assert!(reasons.contains(&Reason::SyncGroup));
    assert!(!a
        .actions
        .iter()
        .flatten()
        .any(|x| *x == SendAdvert { priority: 0 }));
}

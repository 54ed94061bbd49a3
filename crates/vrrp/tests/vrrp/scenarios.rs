//! State machine scenarios with simulated time; exact action lists.

use std::time::{Duration, Instant};

use vigil_vrrp::Action::{AddAddresses, RemoveAddresses, SendAdvert, SendGratuitous, StateChange};
use vigil_vrrp::{Action, Instance, Reason, State, Timer, Version};

use super::common::{cfg, drain, ms, rx, rx_with, v4, v6};

/// v2 Master_Down_Interval at priority 100: 3 s + 156/256 s.
const DOWN_100_MS: u64 = 3609; // 3.609375 s, rounded down

fn sc(from: State, to: State, reason: Reason) -> Action {
    StateChange { from, to, reason }
}

fn become_master(reason: Reason, prio: u8) -> Vec<Action> {
    vec![
        sc(State::Backup, State::Master, reason),
        SendAdvert { priority: prio },
        AddAddresses,
        SendGratuitous { repeat: 5 },
    ]
}

/// Starts a default instance and runs it into MASTER; returns `now`.
fn master(i: &mut Instance, t0: Instant) -> Instant {
    i.start(t0);
    let t = i.poll_timeout().unwrap();
    i.handle_timeout(t);
    drain(i);
    assert_eq!(i.state(), State::Master);
    t
}

#[test]
fn election_backup_then_master_down() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    assert_eq!(i.state(), State::Initialize);
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Backup, Reason::Startup)]
    );
    // RFC 3768 §6.4.1: Master_Down_Interval = 3 × 1 s + (256-100)/256 s.
    assert_eq!(
        i.poll_timeout(),
        Some(t0 + Duration::from_nanos(3_609_375_000))
    );
    i.handle_timeout(ms(t0, DOWN_100_MS));
    assert!(drain(&mut i).is_empty(), "nothing before the deadline");
    let t = i.poll_timeout().unwrap();
    i.handle_timeout(t);
    assert_eq!(drain(&mut i), become_master(Reason::MasterDown, 100));
    assert_eq!(i.master_addr(), Some(v4(5)));
    // Periodic adverts, and the second GARP burst after garp_master_delay.
    i.handle_timeout(t + Duration::from_secs(1));
    assert_eq!(drain(&mut i), vec![SendAdvert { priority: 100 }]);
    assert_eq!(i.timer(Timer::GarpDelay), Some(t + Duration::from_secs(5)));
    for s in 2..=5 {
        i.handle_timeout(t + Duration::from_secs(s));
    }
    assert_eq!(
        drain(&mut i),
        vec![
            SendAdvert { priority: 100 },
            SendAdvert { priority: 100 },
            SendAdvert { priority: 100 },
            SendAdvert { priority: 100 },
            SendGratuitous { repeat: 5 },
        ]
    );
    assert_eq!(i.stats().became_master, 1);
    assert_eq!(i.stats().advert_sent, 6);
}

#[test]
fn backup_follows_higher_master_and_stays() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.start(t0);
    drain(&mut i);
    for s in 1..=10 {
        rx(&mut i, ms(t0, s * 1000), v4(9), 200);
        i.handle_timeout(ms(t0, s * 1000 + 1));
    }
    assert_eq!(drain(&mut i), vec![]);
    assert_eq!(i.state(), State::Backup);
    assert_eq!(i.master_addr(), Some(v4(9)));
    assert_eq!(i.stats().advert_rcvd, 10);
    // Master_Down_Timer restarted by the last advert at 10 s.
    assert_eq!(
        i.poll_timeout(),
        Some(ms(t0, 10_000) + Duration::from_nanos(3_609_375_000))
    );
}

#[test]
fn master_yields_to_higher_priority() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    rx(&mut i, t + Duration::from_millis(10), v4(9), 150);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Backup, Reason::HigherPriority),
            RemoveAddresses
        ]
    );
    assert_eq!(i.master_addr(), Some(v4(9)));
    assert_eq!(i.stats().release_master, 1);
    assert_eq!(i.timer(Timer::Advert), None);
}

#[test]
fn higher_prio_send_advert_before_yielding() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.higher_prio_send_advert = true;
    let mut i = Instance::new(c).unwrap();
    let t = master(&mut i, t0);
    rx(&mut i, t, v4(9), 150);
    assert_eq!(
        drain(&mut i),
        vec![
            SendAdvert { priority: 100 },
            sc(State::Master, State::Backup, Reason::HigherPriority),
            RemoveAddresses
        ]
    );
}

#[test]
fn preempt_lower_priority_master() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.start(t0);
    drain(&mut i);
    // A lower priority master keeps advertising; we discard its adverts
    // (RFC 3768 §6.4.2) and take over when Master_Down_Timer fires.
    rx(&mut i, ms(t0, 1000), v4(9), 50);
    rx(&mut i, ms(t0, 2000), v4(9), 50);
    rx(&mut i, ms(t0, 3000), v4(9), 50);
    assert_eq!(
        i.poll_timeout(),
        Some(t0 + Duration::from_nanos(3_609_375_000))
    );
    i.handle_timeout(ms(t0, 3610));
    assert_eq!(drain(&mut i), become_master(Reason::Preempt, 100));
}

#[test]
fn nopreempt_stays_backup() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.preempt = false;
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    drain(&mut i);
    for s in 1..=10 {
        rx(&mut i, ms(t0, s * 1000), v4(9), 50);
        i.handle_timeout(ms(t0, s * 1000 + 500));
    }
    assert_eq!(drain(&mut i), vec![]);
    assert_eq!(i.state(), State::Backup);
    assert_eq!(i.master_addr(), Some(v4(9)));
}

#[test]
fn state_master_hint_overrides_nopreempt() {
    // keepalived ignores nopreempt with "state MASTER".
    let t0 = Instant::now();
    let mut c = cfg();
    c.preempt = false;
    c.start_as_master = true;
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Backup, Reason::Startup)]
    );
    rx(&mut i, ms(t0, 1000), v4(9), 50);
    i.handle_timeout(ms(t0, 3610));
    assert_eq!(drain(&mut i), become_master(Reason::Preempt, 100));
}

#[test]
fn preempt_delay() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.preempt_delay = Duration::from_secs(2);
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    drain(&mut i);
    // Start-up wait is Master_Down_Interval + preempt_delay.
    assert_eq!(
        i.poll_timeout(),
        Some(t0 + Duration::from_nanos(5_609_375_000))
    );
    // Lower priority adverts are honoured until the delay ran out (5.609 s)…
    for s in 1..=5 {
        rx(&mut i, ms(t0, s * 1000), v4(9), 50);
    }
    assert_eq!(
        i.poll_timeout(),
        Some(ms(t0, 5000) + Duration::from_nanos(3_609_375_000))
    );
    // …then discarded, and the down timer runs out.
    rx(&mut i, ms(t0, 6000), v4(9), 50);
    rx(&mut i, ms(t0, 7000), v4(9), 50);
    rx(&mut i, ms(t0, 8000), v4(9), 50);
    i.handle_timeout(ms(t0, 8608));
    assert_eq!(drain(&mut i), vec![]);
    i.handle_timeout(ms(t0, 8610));
    assert_eq!(drain(&mut i), become_master(Reason::Preempt, 100));
}

#[test]
fn priority_zero_takeover_after_skew() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.start(t0);
    drain(&mut i);
    rx(&mut i, ms(t0, 1000), v4(9), 200);
    rx(&mut i, ms(t0, 1500), v4(9), 0);
    assert_eq!(i.stats().pri_zero_rcvd, 1);
    // RFC 3768 §6.4.2: Master_Down_Timer = Skew_Time = 156/256 s.
    assert_eq!(
        i.poll_timeout(),
        Some(ms(t0, 1500) + Duration::from_nanos(609_375_000))
    );
    i.handle_timeout(i.poll_timeout().unwrap());
    assert_eq!(drain(&mut i), become_master(Reason::PriorityZero, 100));
}

#[test]
fn master_answers_priority_zero() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    let at = t + Duration::from_millis(300);
    rx(&mut i, at, v4(9), 0);
    assert_eq!(drain(&mut i), vec![SendAdvert { priority: 100 }]);
    assert_eq!(i.timer(Timer::Advert), Some(at + Duration::from_secs(1)));
}

#[test]
fn equal_priority_higher_address_wins() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    // 198.51.100.9 > our 198.51.100.5: we yield (RFC 5798 §6.4.3).
    rx(&mut i, t, v4(9), 100);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Backup, Reason::HigherPriority),
            RemoveAddresses
        ]
    );
}

#[test]
fn equal_priority_lower_address_loses() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    rx(&mut i, t, v4(2), 100);
    assert_eq!(
        drain(&mut i),
        vec![SendAdvert { priority: 100 }, SendGratuitous { repeat: 5 }]
    );
    assert_eq!(i.state(), State::Master);
}

#[test]
fn lower_priority_answer_and_garp() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    let at = t + Duration::from_millis(200);
    rx(&mut i, at, v4(9), 50);
    // RFC 9568 §6.4.3 / keepalived: an advert now, then a GARP burst, and
    // another burst after garp_lower_prio_delay.
    assert_eq!(
        drain(&mut i),
        vec![SendAdvert { priority: 100 }, SendGratuitous { repeat: 5 }]
    );
    assert_eq!(
        i.timer(Timer::GarpLowerPrio),
        Some(at + Duration::from_secs(5))
    );
}

#[test]
fn lower_prio_no_advert() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.lower_prio_no_advert = true;
    c.garp.lower_prio_repeat = 0;
    let mut i = Instance::new(c).unwrap();
    let t = master(&mut i, t0);
    rx(&mut i, t, v4(9), 50);
    assert_eq!(drain(&mut i), vec![]);
}

#[test]
fn v3_learns_master_interval() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.version = Version::V3;
    let mut i = Instance::new(c.clone()).unwrap();
    i.start(t0);
    drain(&mut i);
    let mut peer = c;
    peer.advert_interval = Duration::from_millis(500);
    rx_with(&mut i, ms(t0, 100), &peer, v4(9), 200);
    assert_eq!(i.master_adver_interval(), Duration::from_millis(500));
    // RFC 5798 §6.1: 3 × 0.5 s + (156 × 0.5 s)/256.
    assert_eq!(
        i.poll_timeout(),
        Some(ms(t0, 100) + Duration::from_nanos(1_804_687_500))
    );
    i.handle_timeout(i.poll_timeout().unwrap());
    // Master sends at its own configured interval.
    assert_eq!(drain(&mut i), become_master(Reason::MasterDown, 100));
    assert_eq!(
        i.timer(Timer::Advert),
        Some(ms(t0, 100) + Duration::from_nanos(2_804_687_500))
    );
}

#[test]
fn fault_enter_and_leave() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    i.set_fault(t, true);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Fault, Reason::Fault),
            SendAdvert { priority: 0 },
            RemoveAddresses
        ]
    );
    assert_eq!(i.poll_timeout(), None);
    // Adverts are ignored in FAULT.
    rx(&mut i, t, v4(9), 50);
    assert_eq!(drain(&mut i), vec![]);
    i.set_fault(t, true);
    assert_eq!(drain(&mut i), vec![]);
    let later = t + Duration::from_secs(10);
    i.set_fault(later, false);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Fault, State::Backup, Reason::FaultCleared)]
    );
    assert_eq!(
        i.poll_timeout(),
        Some(later + Duration::from_nanos(3_609_375_000))
    );
    assert_eq!(i.stats().pri_zero_sent, 1);
}

#[test]
fn fault_before_start() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.set_fault(t0, true);
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Fault, Reason::Fault)]
    );
    assert_eq!(i.poll_timeout(), None);
}

#[test]
fn shutdown_master() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    let t = master(&mut i, t0);
    i.shutdown(t);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Stop, Reason::Shutdown),
            SendAdvert { priority: 0 },
            RemoveAddresses
        ]
    );
    assert_eq!(i.poll_timeout(), None);
    rx(&mut i, t, v4(9), 200);
    i.set_fault(t, true);
    i.shutdown(t);
    assert_eq!(drain(&mut i), vec![]);
    assert_eq!(i.state(), State::Stop);
}

#[test]
fn shutdown_backup() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.start(t0);
    drain(&mut i);
    i.shutdown(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Backup, State::Stop, Reason::Shutdown)]
    );
}

#[test]
fn owner_255_starts_master() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.priority = 255;
    c.start_as_master = true;
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Initialize, State::Master, Reason::Startup),
            SendAdvert { priority: 255 },
            AddAddresses,
            SendGratuitous { repeat: 5 }
        ]
    );
    // Tracking cannot lower an owner.
    i.set_priority(t0, 50);
    assert_eq!(i.priority(), 255);
    // Owner never yields except to a higher address at 255.
    rx(&mut i, t0, v4(9), 254);
    assert_eq!(
        drain(&mut i),
        vec![SendAdvert { priority: 255 }, SendGratuitous { repeat: 5 }]
    );
}

#[test]
fn owner_255_with_state_backup_waits() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.priority = 255;
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Backup, Reason::Startup)]
    );
    // 3 s + 1/256 s.
    assert_eq!(
        i.poll_timeout(),
        Some(t0 + Duration::from_nanos(3_003_906_250))
    );
}

#[test]
fn state_master_below_255_starts_backup() {
    // keepalived 2.2.7 (captured): "state MASTER" priority 100 sent its
    // first advert 3.6 s after start, like a backup.
    let t0 = Instant::now();
    let mut c = cfg();
    c.start_as_master = true;
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Backup, Reason::Startup)]
    );
    assert_eq!(
        i.poll_timeout(),
        Some(t0 + Duration::from_nanos(3_609_375_000))
    );
}

#[test]
fn set_priority_clamps_and_changes_adverts() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.set_priority(t0, 255);
    assert_eq!(i.priority(), 254);
    i.set_priority(t0, 0);
    assert_eq!(i.priority(), 1);
    i.set_priority(t0, 100);
    let t = master(&mut i, t0);
    i.set_priority(t, 80);
    i.handle_timeout(t + Duration::from_secs(1));
    assert_eq!(drain(&mut i), vec![SendAdvert { priority: 80 }]);
}

#[test]
fn garp_refresh() {
    let t0 = Instant::now();
    let mut c = cfg();
    c.garp.master_delay = Duration::ZERO;
    c.garp.master_repeat = 1;
    c.garp.master_refresh = Some(Duration::from_secs(60));
    c.garp.master_refresh_repeat = 2;
    c.advert_interval = Duration::from_secs(100);
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    let t = i.poll_timeout().unwrap();
    i.handle_timeout(t);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Initialize, State::Backup, Reason::Startup),
            sc(State::Backup, State::Master, Reason::MasterDown),
            SendAdvert { priority: 100 },
            AddAddresses,
            SendGratuitous { repeat: 1 }
        ]
    );
    assert_eq!(i.timer(Timer::GarpDelay), None);
    i.handle_timeout(t + Duration::from_secs(60));
    i.handle_timeout(t + Duration::from_secs(99));
    assert_eq!(drain(&mut i), vec![SendGratuitous { repeat: 2 }]);
    i.handle_timeout(t + Duration::from_secs(120));
    assert_eq!(
        drain(&mut i),
        vec![SendAdvert { priority: 100 }, SendGratuitous { repeat: 2 }]
    );
}

#[test]
fn ipv6_v3_election() {
    let t0 = Instant::now();
    let c = vigil_vrrp::InstanceConfig::new("v6", 15, v6("fe80::5"), vec![v6("2001:db8::15")]);
    assert_eq!(c.version, Version::V3);
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    drain(&mut i);
    rx(&mut i, ms(t0, 500), v6("fe80::9"), 130);
    assert_eq!(i.master_addr(), Some(v6("fe80::9")));
    rx(&mut i, ms(t0, 1500), v6("fe80::9"), 0);
    i.handle_timeout(i.poll_timeout().unwrap());
    assert_eq!(drain(&mut i), become_master(Reason::PriorityZero, 100));
}

#[test]
fn owner_with_ah_starts_backup() {
    // keepalived 2.2.7 log: "Initial state master is incompatible with AH
    // authentication - clearing".
    let t0 = Instant::now();
    let mut c = cfg();
    c.priority = 255;
    c.start_as_master = true;
    c.auth = vigil_vrrp::Auth::Ah(b"k".to_vec());
    let mut i = Instance::new(c).unwrap();
    i.start(t0);
    assert_eq!(
        drain(&mut i),
        vec![sc(State::Initialize, State::Backup, Reason::Startup)]
    );
}

#[test]
fn resumed_master_enters_master_at_once() {
    let t0 = Instant::now();
    let mut i = Instance::new(cfg()).unwrap();
    i.start_resumed_master(t0);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Initialize, State::Master, Reason::Reload),
            SendAdvert { priority: 100 },
            AddAddresses,
            SendGratuitous { repeat: 5 },
        ]
    );
    assert_eq!(i.timer(Timer::Advert), Some(t0 + Duration::from_secs(1)));
    // A higher priority peer still makes it yield, without a priority 0 advert.
    rx(&mut i, ms(t0, 10), v4(9), 200);
    assert_eq!(
        drain(&mut i),
        vec![
            sc(State::Master, State::Backup, Reason::HigherPriority),
            RemoveAddresses
        ]
    );
    // Only from Initialize, and a fault wins.
    i.start_resumed_master(ms(t0, 20));
    assert!(drain(&mut i).is_empty());
    let mut f = Instance::new(cfg()).unwrap();
    f.set_fault(t0, true);
    f.start_resumed_master(t0);
    assert_eq!(
        drain(&mut f),
        vec![sc(State::Initialize, State::Fault, Reason::Fault)]
    );
}

//! `auth_hmac` scenarios with simulated time: two vigil instances, each
//! with its own encoder, exchanging adverts through a tiny wire.

use std::net::{IpAddr, Ipv6Addr};
use std::time::{Duration, Instant};

use vigil_vrrp::{
    Action, AdvertEncoder, AntiReplay, Auth, HmacConfig, HmacKey, HmacMode, Instance,
    InstanceConfig, State, Version, MCAST_V4, MCAST_V6,
};

use super::common::{v4, v6};

/// Wall clock at the start of every scenario.
const EPOCH: u64 = 1_700_000_000;

fn key(id: u8, fill: u8) -> HmacKey {
    HmacKey {
        id,
        key: vec![fill; 32 + usize::from(id % 33)],
    }
}

fn hmac(keys: Vec<HmacKey>, active: u8) -> HmacConfig {
    HmacConfig::new(keys, active)
}

/// One router: its core, its encoder, and its clock offset.
struct Node {
    core: Instance,
    enc: AdvertEncoder,
    src: IpAddr,
    /// This node's wall clock minus the reference clock, in seconds.
    clock_skew: i64,
}

fn group(src: IpAddr) -> IpAddr {
    match src {
        IpAddr::V4(_) => IpAddr::V4(MCAST_V4),
        IpAddr::V6(_) => IpAddr::V6(MCAST_V6),
    }
}

impl Node {
    fn new(version: Version, src: IpAddr, prio: u8, auth: Auth) -> Node {
        let vip = match src {
            IpAddr::V4(_) => v4(100),
            IpAddr::V6(_) => v6("2001:db8::100"),
        };
        let mut cfg = InstanceConfig::new("hm", 42, src, vec![vip]);
        cfg.version = version;
        cfg.priority = prio;
        cfg.auth = auth;
        let enc = cfg.encoder(src, group(src)).unwrap();
        Node {
            core: Instance::new(cfg).unwrap(),
            enc,
            src,
            clock_skew: 0,
        }
    }

    fn wall(&self, t0: Instant, now: Instant) -> Duration {
        let secs = (EPOCH as i64 + self.clock_skew) as u64;
        Duration::from_secs(secs) + (now - t0)
    }
}

/// Two nodes and a wire that records every packet sent.
struct Pair {
    t0: Instant,
    now: Instant,
    nodes: [Node; 2],
    /// Packets in flight: (to, bytes).
    wire: Vec<(usize, Vec<u8>)>,
    /// Every packet delivered, by sender.
    sent: [Vec<Vec<u8>>; 2],
}

impl Pair {
    fn new(a: Node, b: Node) -> Pair {
        let t0 = Instant::now();
        let mut p = Pair {
            t0,
            now: t0,
            nodes: [a, b],
            wire: Vec::new(),
            sent: [Vec::new(), Vec::new()],
        };
        for n in &mut p.nodes {
            n.core.set_wall_clock(t0, n.wall(t0, t0));
            n.core.start(t0);
        }
        p.flush();
        p
    }

    /// Carries out pending actions: adverts go on the wire to the peer.
    fn flush(&mut self) {
        loop {
            for i in 0..2 {
                while let Some(a) = self.nodes[i].core.poll_action() {
                    if let Action::SendAdvert { priority } = a {
                        let n = &mut self.nodes[i];
                        let wall = n.wall(self.t0, self.now);
                        let bytes = n.enc.encode_at(priority, wall).to_vec();
                        self.sent[i].push(bytes.clone());
                        self.wire.push((1 - i, bytes));
                    }
                }
            }
            if self.wire.is_empty() {
                return;
            }
            for (to, bytes) in std::mem::take(&mut self.wire) {
                let from = self.nodes[1 - to].src;
                self.deliver(to, from, &bytes);
            }
        }
    }

    fn deliver(&mut self, to: usize, from: IpAddr, bytes: &[u8]) {
        let now = self.now;
        let n = &mut self.nodes[to].core;
        match from {
            IpAddr::V4(_) => n.handle_ipv4(now, bytes),
            IpAddr::V6(s) => n.handle_ipv6(now, bytes, s, MCAST_V6, 255),
        }
    }

    /// Replays a recorded packet of `from` to the other node.
    fn replay(&mut self, from: usize, bytes: &[u8]) {
        let src = self.nodes[from].src;
        self.deliver(1 - from, src, bytes);
        self.flush();
    }

    /// Runs timers until `until` (relative to the start).
    fn run(&mut self, until: Duration) {
        let end = self.t0 + until;
        for _ in 0..100_000 {
            let next = self
                .nodes
                .iter()
                .filter_map(|n| n.core.poll_timeout())
                .min();
            match next {
                Some(t) if t <= end => {
                    self.now = t;
                    for n in &mut self.nodes {
                        n.core.handle_timeout(t);
                    }
                    self.flush();
                }
                _ => {
                    self.now = end;
                    return;
                }
            }
        }
        panic!("drive loop did not settle");
    }

    fn states(&self) -> [State; 2] {
        [self.nodes[0].core.state(), self.nodes[1].core.state()]
    }
}

fn addr(version: Version, v6_family: bool, last: u8) -> IpAddr {
    match (version, v6_family) {
        (_, true) => IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, u16::from(last))),
        _ => v4(last),
    }
}

#[test]
fn matching_keys_elect_for_every_version_and_family() {
    for (version, v6fam) in [
        (Version::V2, false),
        (Version::V3, false),
        (Version::V3, true),
    ] {
        let h = hmac(vec![key(1, 0x11)], 1);
        let a = Node::new(version, addr(version, v6fam, 1), 200, Auth::Hmac(h.clone()));
        let b = Node::new(version, addr(version, v6fam, 2), 100, Auth::Hmac(h));
        let mut p = Pair::new(a, b);
        p.run(Duration::from_secs(20));
        assert_eq!(
            p.states(),
            [State::Master, State::Backup],
            "{version:?} v6={v6fam}"
        );
        let sb = p.nodes[1].core.stats();
        assert_eq!(sb.dropped(), 0, "{sb:?}");
        assert!(sb.advert_rcvd >= 15, "{sb:?}");
        assert_eq!(p.nodes[1].core.master_addr(), Some(p.nodes[0].src));
        // Every advert on the wire carries a trailer with growing sequences.
        let seqs: Vec<u64> = p.sent[0]
            .iter()
            .map(|b| u64::from_be_bytes(b[b.len() - 24..b.len() - 16].try_into().unwrap()))
            .collect();
        assert!(seqs.windows(2).all(|w| w[1] > w[0]), "{seqs:x?}");
    }
}

#[test]
fn replayed_advert_is_dropped_and_counted() {
    let h = hmac(vec![key(1, 0x22)], 1);
    let a = Node::new(Version::V2, v4(1), 200, Auth::Hmac(h.clone()));
    let b = Node::new(Version::V2, v4(2), 100, Auth::Hmac(h));
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Backup]);
    let before = p.nodes[1].core.stats().clone();
    // An attacker replays a captured advert, then a stream of old ones.
    let captured = p.sent[0][2].clone();
    p.replay(0, &captured);
    let last = p.sent[0].last().unwrap().clone();
    p.replay(0, &last);
    let after = p.nodes[1].core.stats();
    assert_eq!(after.hmac_replay, before.hmac_replay + 2);
    assert_eq!(after.advert_rcvd, before.advert_rcvd);
    assert_eq!(after.dropped(), before.dropped() + 2);
    // The pair carries on undisturbed.
    p.run(Duration::from_secs(20));
    assert_eq!(p.states(), [State::Master, State::Backup]);
    assert_eq!(p.nodes[1].core.stats().hmac_replay, 2);
}

#[test]
fn replay_of_a_stopped_master_priority_zero_is_dropped() {
    let h = hmac(vec![key(1, 0x23)], 1);
    let a = Node::new(Version::V3, v4(1), 200, Auth::Hmac(h.clone()));
    let b = Node::new(Version::V3, v4(2), 100, Auth::Hmac(h));
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    // A stops (priority 0), B takes over; A comes back.
    p.nodes[0].core.shutdown(p.now);
    p.flush();
    let prio0 = p.sent[0].last().unwrap().clone();
    assert_eq!(prio0[20 + 2], 0, "priority 0 advert recorded");
    p.run(Duration::from_secs(13));
    assert_eq!(p.nodes[1].core.state(), State::Master);
    // Replaying the old priority 0 advert must not make B do anything.
    p.replay(0, &prio0);
    assert_eq!(p.nodes[1].core.stats().hmac_replay, 1);
    assert_eq!(p.nodes[1].core.stats().pri_zero_rcvd, 1);
}

#[test]
fn wrong_key_is_dropped_and_both_become_master() {
    // Same id, other material: ICV mismatch.
    let a = Node::new(
        Version::V2,
        v4(1),
        200,
        Auth::Hmac(hmac(vec![key(1, 0x33)], 1)),
    );
    let b = Node::new(
        Version::V2,
        v4(2),
        100,
        Auth::Hmac(hmac(vec![key(1, 0x34)], 1)),
    );
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Master]);
    let sb = p.nodes[1].core.stats();
    assert!(sb.hmac_bad_icv > 0, "{sb:?}");
    assert_eq!(sb.advert_rcvd, 0);
    assert_eq!(sb.dropped(), sb.hmac_bad_icv);

    // Another id: unknown key.
    let a = Node::new(
        Version::V3,
        v4(1),
        200,
        Auth::Hmac(hmac(vec![key(3, 0x35)], 3)),
    );
    let b = Node::new(
        Version::V3,
        v4(2),
        100,
        Auth::Hmac(hmac(vec![key(4, 0x35)], 4)),
    );
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Master]);
    let sb = p.nodes[1].core.stats();
    assert!(sb.hmac_unknown_key > 0, "{sb:?}");
    assert_eq!(sb.dropped(), sb.hmac_unknown_key);
}

#[test]
fn rotation_keeps_the_pair_in_sync() {
    // Step 0: both nodes know keys 1 and 2, both sign with 1.
    let h = hmac(vec![key(1, 0x41), key(2, 0x42)], 1);
    let a = Node::new(Version::V3, v6("fe80::1"), 200, Auth::Hmac(h.clone()));
    let b = Node::new(Version::V3, v6("fe80::2"), 100, Auth::Hmac(h));
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Backup]);
    let rx_before = p.nodes[1].core.stats().advert_rcvd;
    // Step 1: move active_key to 2 on the master, then on the backup.
    p.nodes[0].enc.set_hmac_active_key(2).unwrap();
    p.run(Duration::from_secs(15));
    p.nodes[1].enc.set_hmac_active_key(2).unwrap();
    p.run(Duration::from_secs(20));
    for n in &p.nodes {
        let st = n.core.stats();
        assert_eq!(st.dropped(), 0, "{st:?}");
        assert_eq!(st.release_master, 0, "no flap during the rotation");
        assert_eq!(st.became_master, u64::from(n.core.state() == State::Master));
    }
    assert_eq!(p.states(), [State::Master, State::Backup]);
    assert!(p.nodes[1].core.stats().advert_rcvd >= rx_before + 9);
    // The adverts now name key 2.
    let last = p.sent[0].last().unwrap();
    assert_eq!(last[last.len() - 27], 2);
    // Step 2: a node that already dropped key 1 accepts the key-2 stream.
    let mut h2 = hmac(vec![key(2, 0x42)], 2);
    // Monotonic, so the old adverts reach the key lookup instead of the
    // freshness check.
    h2.anti_replay = AntiReplay::Monotonic;
    let mut c = Node::new(Version::V3, v6("fe80::3"), 50, Auth::Hmac(h2));
    let t = Instant::now();
    c.core.set_wall_clock(t, p.nodes[0].wall(p.t0, p.now));
    c.core.start(t);
    c.core
        .handle_ipv6(t, last, "fe80::1".parse().unwrap(), MCAST_V6, 255);
    assert_eq!(c.core.stats().advert_rcvd, 1, "{:?}", c.core.stats());
    // ...and refuses the old key-1 adverts.
    let old = p.sent[0][1].clone();
    c.core
        .handle_ipv6(t, &old, "fe80::1".parse().unwrap(), MCAST_V6, 255);
    assert_eq!(c.core.stats().hmac_unknown_key, 1);
}

#[test]
fn clocks_out_of_the_window_are_stale_unless_monotonic() {
    let h = hmac(vec![key(1, 0x51)], 1);
    let a = Node::new(Version::V2, v4(1), 200, Auth::Hmac(h.clone()));
    let mut b = Node::new(Version::V2, v4(2), 100, Auth::Hmac(h.clone()));
    b.clock_skew = 100;
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Master]);
    let sb = p.nodes[1].core.stats();
    assert!(sb.hmac_stale > 0 && sb.dropped() == sb.hmac_stale, "{sb:?}");

    // Within the window (4 s off, window 5 s): fine.
    let a = Node::new(Version::V2, v4(1), 200, Auth::Hmac(h.clone()));
    let mut b = Node::new(Version::V2, v4(2), 100, Auth::Hmac(h.clone()));
    b.clock_skew = -4;
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Backup]);

    // Monotonic mode ignores the clocks.
    let mut m = h;
    m.anti_replay = AntiReplay::Monotonic;
    let a = Node::new(Version::V2, v4(1), 200, Auth::Hmac(m.clone()));
    let mut b = Node::new(Version::V2, v4(2), 100, Auth::Hmac(m));
    b.clock_skew = 3600;
    let mut p = Pair::new(a, b);
    p.run(Duration::from_secs(10));
    assert_eq!(p.states(), [State::Master, State::Backup]);
    assert_eq!(p.nodes[1].core.stats().dropped(), 0);
}

fn with_mode(fill: u8, mode: HmacMode) -> Auth {
    let mut h = hmac(vec![key(1, fill)], 1);
    h.mode = mode;
    Auth::Hmac(h)
}

#[test]
fn rollout_modes() {
    let run = |a_auth: Auth, b_auth: Auth| {
        let a = Node::new(Version::V3, v4(1), 200, a_auth);
        let b = Node::new(Version::V3, v4(2), 100, b_auth);
        let mut p = Pair::new(a, b);
        p.run(Duration::from_secs(10));
        p
    };
    // Sweep 1: no auth_hmac -> receive-only: nobody signs, all accept.
    let p = run(Auth::None, with_mode(0x61, HmacMode::ReceiveOnly));
    assert_eq!(p.states(), [State::Master, State::Backup]);
    assert_eq!(
        p.sent[0][0].len(),
        20 + 12,
        "no trailer from a node without auth_hmac"
    );
    let p = run(with_mode(0x61, HmacMode::ReceiveOnly), Auth::None);
    assert_eq!(p.states(), [State::Master, State::Backup]);
    assert_eq!(p.sent[0][0].len(), 20 + 12, "receive-only sends no trailer");
    // Sweep 2: receive-only -> permissive: the signer is verified.
    let p = run(
        with_mode(0x61, HmacMode::Permissive),
        with_mode(0x61, HmacMode::ReceiveOnly),
    );
    assert_eq!(p.states(), [State::Master, State::Backup]);
    assert_eq!(p.sent[0][0].len(), 20 + 12 + 28);
    assert_eq!(p.nodes[1].core.stats().dropped(), 0);
    // Sweep 3: permissive -> enforce, in both directions.
    let p = run(
        with_mode(0x61, HmacMode::Enforce),
        with_mode(0x61, HmacMode::Permissive),
    );
    assert_eq!(p.states(), [State::Master, State::Backup]);
    let p = run(
        with_mode(0x61, HmacMode::Permissive),
        with_mode(0x61, HmacMode::Enforce),
    );
    assert_eq!(p.states(), [State::Master, State::Backup]);
    // Enforce refuses an unsigned advert.
    let p = run(
        with_mode(0x61, HmacMode::ReceiveOnly),
        with_mode(0x61, HmacMode::Enforce),
    );
    assert_eq!(p.states(), [State::Master, State::Master]);
    let sb = p.nodes[1].core.stats();
    assert!(
        sb.hmac_missing > 0 && sb.dropped() == sb.hmac_missing,
        "{sb:?}"
    );
    // Permissive still refuses a signed advert that does not verify.
    let p = run(
        with_mode(0x61, HmacMode::Enforce),
        with_mode(0x62, HmacMode::Permissive),
    );
    assert_eq!(p.states(), [State::Master, State::Master]);
    assert!(p.nodes[1].core.stats().hmac_bad_icv > 0);
    // A node without auth_hmac refuses a trailer it cannot check.
    let p = run(with_mode(0x61, HmacMode::Enforce), Auth::None);
    assert_eq!(p.states(), [State::Master, State::Master]);
    let sb = p.nodes[1].core.stats();
    assert!(
        sb.authtype_mismatch > 0 && sb.dropped() == sb.authtype_mismatch,
        "{sb:?}"
    );
}

#[test]
fn no_wall_clock_means_stale_in_time_mode() {
    let h = hmac(vec![key(1, 0x71)], 1);
    let a = Node::new(Version::V2, v4(1), 200, Auth::Hmac(h.clone()));
    let mut cfg = InstanceConfig::new("hm", 42, v4(2), vec![v4(100)]);
    cfg.auth = Auth::Hmac(h);
    let mut b = Instance::new(cfg).unwrap();
    let t = Instant::now();
    b.start(t);
    let mut enc = a.enc.clone();
    let pkt = enc.encode_at(200, Duration::from_secs(EPOCH)).to_vec();
    b.handle_ipv4(t, &pkt);
    assert_eq!(b.stats().hmac_stale, 1);
    b.set_wall_clock(t, Duration::from_secs(EPOCH));
    b.handle_ipv4(t + Duration::from_secs(2), &pkt);
    assert_eq!(b.stats().advert_rcvd, 1);
    assert_eq!(
        b.wall_clock(t + Duration::from_secs(2)),
        Some(Duration::from_secs(EPOCH + 2))
    );
}

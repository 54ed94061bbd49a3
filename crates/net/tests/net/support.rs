//! Test helpers: a two-host lab and running code inside a host's namespace.

use std::fs::File;
use std::io;
use std::net::{IpAddr, Ipv6Addr};
use std::time::{Duration, Instant};

use nix::sched::{setns, CloneFlags};
use vigil_lab::{Host, Lab};

pub const H1_V4: &str = "198.51.100.1";
pub const H2_V4: &str = "198.51.100.2";
pub const H1_V6: &str = "2001:db8::1";
pub const H2_V6: &str = "2001:db8::2";

/// A lab with h1 and h2 on one bridge, or `None` when the lab cannot run
/// here (not root; `lab_available` fails the test under CI instead).
pub fn lab2() -> Option<Lab> {
    if !vigil_lab::lab_available() {
        return None;
    }
    let mut lab = Lab::new().expect("lab");
    lab.add_host("h1", &["198.51.100.1/24", "2001:db8::1/64"])
        .expect("h1");
    lab.add_host("h2", &["198.51.100.2/24", "2001:db8::2/64"])
        .expect("h2");
    // Wait until the bridge forwards (ports come up asynchronously), so a
    // test's first packet is not lost to link bring-up.
    for (from, to) in [("h1", H2_V4), ("h1", H2_V6), ("h2", H1_V4)] {
        assert!(
            lab.host(from)
                .ping(to, 1, Duration::from_secs(5))
                .expect("ping"),
            "{from} cannot reach {to}"
        );
    }
    Some(lab)
}

/// Runs `f` on a fresh thread that has entered `host`'s network namespace.
///
/// `setns` changes only the calling thread's namespace, so the test's other
/// threads are unaffected; sockets opened inside stay in that namespace
/// wherever they are used later.
pub fn in_ns<T: Send>(host: &Host, f: impl FnOnce() -> T + Send) -> T {
    let path = format!("/run/netns/{}", host.netns());
    std::thread::scope(|s| {
        s.spawn(|| {
            let ns = File::open(&path).unwrap_or_else(|e| panic!("open {path}: {e}"));
            setns(ns, CloneFlags::CLONE_NEWNET).unwrap_or_else(|e| panic!("setns {path}: {e}"));
            f()
        })
        .join()
        .expect("namespace thread panicked")
    })
}

/// Calls the non-blocking `f` until it returns something other than
/// `WouldBlock`, or fails after `timeout`.
pub fn wait_recv<T>(timeout: Duration, mut f: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    let deadline = Instant::now() + timeout;
    loop {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                if Instant::now() >= deadline {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, "nothing received"));
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other,
        }
    }
}

/// Asserts that the non-blocking `f` has nothing for `for_how_long`.
pub fn assert_silent<T: std::fmt::Debug>(
    for_how_long: Duration,
    mut f: impl FnMut() -> io::Result<T>,
) {
    let deadline = Instant::now() + for_how_long;
    while Instant::now() < deadline {
        match f() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10))
            }
            other => panic!("expected nothing, got {other:?}"),
        }
    }
}

pub fn ip(s: &str) -> IpAddr {
    s.parse().expect("test address")
}

pub fn ip6(s: &str) -> Ipv6Addr {
    s.parse().expect("test address")
}

/// The 16-bit one's complement sum used by IP checksums, folded.
pub fn ones_complement_sum(chunks: &[&[u8]]) -> u16 {
    let mut sum: u32 = 0;
    for c in chunks {
        for pair in c.chunks(2) {
            let hi = u32::from(pair[0]) << 8;
            let lo = pair.get(1).map_or(0, |b| u32::from(*b));
            sum += hi | lo;
        }
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// True when `body` (protocol `next_header`) carries a valid IPv6 upper-layer
/// checksum for `src` → `dst` (RFC 8200 §8.1).
pub fn v6_checksum_ok(src: Ipv6Addr, dst: Ipv6Addr, next_header: u8, body: &[u8]) -> bool {
    let len = (body.len() as u32).to_be_bytes();
    let nh = [0, 0, 0, next_header];
    ones_complement_sum(&[&src.octets(), &dst.octets(), &len, &nh, body]) == 0xffff
}

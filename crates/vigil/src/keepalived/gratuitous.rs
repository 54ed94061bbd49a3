//! Pacing of gratuitous ARPs and unsolicited NAs per interface: keepalived's
//! `vrrp_garp_interval` and `vrrp_gna_interval` (the delay between two such messages on
//! one interface). With an interval of zero, every message goes out at once, as before.
//! Pure: `now` comes in, the messages to send come out.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// Per-interface pacer of gratuitous messages.
#[derive(Debug, Default)]
pub struct Pacer {
    garp_interval: Duration,
    gna_interval: Duration,
    /// Earliest time the next message may leave, per (interface, IPv6?).
    next_free: HashMap<(u32, bool), Instant>,
    /// Messages waiting for their time: (when, order, interface, address).
    queue: BinaryHeap<Reverse<(Instant, u64, u32, IpAddr)>>,
    order: u64,
}

impl Pacer {
    /// A pacer with these intervals (IPv4 GARPs, IPv6 NAs).
    pub fn new(garp_interval: Duration, gna_interval: Duration) -> Pacer {
        Pacer {
            garp_interval,
            gna_interval,
            ..Pacer::default()
        }
    }

    /// Changes the intervals (reload); messages already queued keep their times.
    pub fn set_intervals(&mut self, garp_interval: Duration, gna_interval: Duration) {
        self.garp_interval = garp_interval;
        self.gna_interval = gna_interval;
    }

    /// Asks for `count` messages for `addr` on `ifindex`; returns how many to send now.
    /// The rest are queued and come out of [`Pacer::due`].
    pub fn schedule(&mut self, now: Instant, ifindex: u32, addr: IpAddr, count: u32) -> u32 {
        let v6 = addr.is_ipv6();
        let interval = if v6 {
            self.gna_interval
        } else {
            self.garp_interval
        };
        if interval.is_zero() {
            return count;
        }
        let mut now_count = 0;
        for _ in 0..count {
            let free = self.next_free.get(&(ifindex, v6)).copied().unwrap_or(now);
            let at = free.max(now);
            if at <= now {
                now_count += 1;
            } else {
                self.order += 1;
                self.queue.push(Reverse((at, self.order, ifindex, addr)));
            }
            self.next_free.insert((ifindex, v6), at + interval);
        }
        now_count
    }

    /// When the next queued message is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.queue.peek().map(|Reverse((t, ..))| *t)
    }

    /// The queued messages due at `now`, in order: (interface, address).
    pub fn due(&mut self, now: Instant) -> Vec<(u32, IpAddr)> {
        let mut out = Vec::new();
        while let Some(Reverse((t, _, ifindex, addr))) = self.queue.peek().copied() {
            if t > now {
                break;
            }
            self.queue.pop();
            out.push((ifindex, addr));
        }
        out
    }

    /// Forgets queued messages for `addrs` (an instance that stopped being master).
    pub fn cancel(&mut self, addrs: &[IpAddr]) {
        self.queue
            .retain(|Reverse((_, _, _, a))| !addrs.contains(a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A4: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 100));
    const A6: IpAddr = IpAddr::V6(std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x100));

    #[test]
    fn zero_interval_sends_everything_at_once() {
        let t0 = Instant::now();
        let mut p = Pacer::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(p.schedule(t0, 2, A4, 5), 5);
        assert_eq!(p.poll_timeout(), None);
    }

    #[test]
    fn interval_spaces_messages_on_one_interface() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut p = Pacer::new(ms(100), Duration::ZERO);
        assert_eq!(p.schedule(t0, 2, A4, 3), 1);
        assert_eq!(p.poll_timeout(), Some(t0 + ms(100)));
        assert_eq!(p.due(t0 + ms(99)), vec![]);
        assert_eq!(p.due(t0 + ms(100)), vec![(2, A4)]);
        assert_eq!(p.poll_timeout(), Some(t0 + ms(200)));
        assert_eq!(p.due(t0 + ms(250)), vec![(2, A4)]);
        assert_eq!(p.poll_timeout(), None);
        // IPv6 NAs are not paced by the GARP interval, and other interfaces are separate.
        assert_eq!(p.schedule(t0 + ms(250), 2, A6, 2), 2);
        assert_eq!(p.schedule(t0 + ms(250), 3, A4, 1), 1);
        // The interface's next slot is 300 ms: a new burst at 250 ms waits for it.
        assert_eq!(p.schedule(t0 + ms(250), 2, A4, 1), 0);
        assert_eq!(p.poll_timeout(), Some(t0 + ms(300)));
    }

    #[test]
    fn cancel_drops_queued_messages() {
        let t0 = Instant::now();
        let mut p = Pacer::new(Duration::from_secs(1), Duration::from_secs(1));
        assert_eq!(p.schedule(t0, 2, A4, 3), 1);
        assert_eq!(p.schedule(t0, 2, A6, 2), 1);
        p.cancel(&[A4]);
        assert_eq!(p.due(t0 + Duration::from_secs(5)), vec![(2, A6)]);
    }
}

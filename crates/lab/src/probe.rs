//! Failover prober: fast pings at a target with the answering MAC of each reply.
//!
//! `ping -i 0.01 -D -n -W 1 IP` (iputils; `-D` prints a unix timestamp per reply)
//! runs next to `tcpdump -e -n -tt -l -i eth0 icmp and src host IP`, which shows
//! the source MAC of each echo reply. Replies are joined on ICMP sequence number
//! (RFC 792 echo reply / RFC 4443 §4.2), taking the capture nearest in time, so
//! the report tells when each reply came and which machine sent it.

use std::collections::HashMap;

use std::time::Duration;

use crate::host::parse_ip;
use crate::{wait_until, Host, LabError, Proc};

/// SIGINT: both ping and tcpdump print their last lines and exit cleanly on it.
const SIGINT: i32 = 2;

/// A running probe; [`Prober::stop`] ends it and returns the report.
#[derive(Debug)]
pub struct Prober {
    ping: Proc,
    capture: Proc,
}

/// One echo reply seen by the prober.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Unix time (seconds) when ping received the reply.
    pub time: f64,
    /// ICMP sequence number (wraps at 65536).
    pub seq: u16,
    /// Source MAC of the frame carrying the reply, lower case; `None` if the
    /// capture did not see it.
    pub mac: Option<String>,
    /// ping flagged the reply as a duplicate (two machines answered).
    pub dup: bool,
}

/// Replies on both sides of a failover.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Handover {
    /// Unix time of the old owner's last reply before the new owner's first.
    pub last_old: f64,
    /// Unix time of the new owner's first reply.
    pub first_new: f64,
    /// `first_new - last_old` in milliseconds.
    pub gap_ms: f64,
}

/// What a probe saw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProbeReport {
    /// Every reply, in the order ping printed them (time order).
    pub replies: Vec<Reply>,
    /// Echo requests sent, from ping's summary (None if it printed none).
    pub transmitted: Option<u32>,
    /// What ping wrote to stderr (e.g. "Network is unreachable"), trimmed.
    pub errors: String,
}

impl Prober {
    /// Starts probing `target` from `host`; returns once the capture is listening.
    pub fn start(host: &Host, target: &str) -> Result<Prober, LabError> {
        let ip = parse_ip(target)?;
        let proto = if ip.is_ipv4() { "icmp" } else { "icmp6" };
        let target = ip.to_string();
        let capture = host.spawn(&[
            "tcpdump", "-e", "-n", "-tt", "-l", "-i", "eth0", proto, "and", "src", "host", &target,
        ])?;
        let wait = Duration::from_secs(5);
        let listening = wait_until(wait, || {
            capture.stderr().is_ok_and(|e| e.contains("listening on"))
                || capture.try_wait().is_some()
        });
        if !listening || capture.try_wait().is_some() {
            return Err(LabError::Timeout {
                what: format!(
                    "`{}` to listen (stderr: {:?})",
                    capture.cmdline(),
                    capture.stderr().unwrap_or_default().trim()
                ),
                after: wait,
            });
        }
        let ping = host.spawn(&["ping", "-i", "0.01", "-D", "-n", "-W", "1", &target])?;
        Ok(Prober { ping, capture })
    }

    /// Stops ping, then the capture, and joins their output into a report.
    pub fn stop(self) -> Result<ProbeReport, LabError> {
        let grace = Duration::from_secs(2);
        stop_proc(&self.ping, grace)?;
        // Let the capture print the last replies before it is stopped.
        std::thread::sleep(Duration::from_millis(50));
        stop_proc(&self.capture, grace)?;
        let ping_out = self.ping.stdout()?;
        let capture_out = self.capture.stdout()?;
        let mut report = ProbeReport::from_output(&ping_out, &capture_out);
        report.errors = self.ping.stderr()?.trim().to_owned();
        Ok(report)
    }
}

/// SIGINT, then SIGKILL if it has not exited within `grace`.
fn stop_proc(p: &Proc, grace: Duration) -> Result<(), LabError> {
    if p.try_wait().is_none() {
        match p.signal(SIGINT) {
            Ok(()) | Err(LabError::Exited { .. }) => {}
            Err(e) => return Err(e),
        }
        if p.wait_timeout(grace).is_none() {
            p.kill()?;
        }
    }
    Ok(())
}

impl ProbeReport {
    /// Joins `ping -D` output with `tcpdump -e -tt` output.
    pub fn from_output(ping: &str, capture: &str) -> ProbeReport {
        let mut seen: HashMap<u16, Vec<(f64, &str)>> = HashMap::new();
        for (time, seq, mac) in capture.lines().filter_map(parse_capture_line) {
            seen.entry(seq).or_default().push((time, mac));
        }
        let replies = ping
            .lines()
            .filter_map(parse_ping_line)
            .map(|(time, seq, dup)| {
                let mac = seen.get(&seq).and_then(|c| {
                    c.iter()
                        .map(|&(t, m)| ((t - time).abs(), m))
                        .filter(|&(d, _)| d < 1.0)
                        .min_by(|x, y| x.0.total_cmp(&y.0))
                        .map(|(_, m)| m.to_ascii_lowercase())
                });
                Reply {
                    time,
                    seq,
                    mac,
                    dup,
                }
            })
            .collect();
        let transmitted = ping
            .lines()
            .find(|l| l.contains("packets transmitted"))
            .and_then(|l| l.split_whitespace().next())
            .and_then(|n| n.parse().ok());
        ProbeReport {
            replies,
            transmitted,
            errors: String::new(),
        }
    }

    /// The longest silence between two consecutive replies:
    /// `(reply before, reply after, gap)`. None with fewer than two replies.
    pub fn longest_gap(&self) -> Option<(Reply, Reply, Duration)> {
        self.replies
            .windows(2)
            .map(|w| (&w[0], &w[1], w[1].time - w[0].time))
            .max_by(|x, y| x.2.total_cmp(&y.2))
            .map(|(a, b, g)| (a.clone(), b.clone(), Duration::from_secs_f64(g.max(0.0))))
    }

    /// The handover from `old_mac` to `new_mac`: the new owner's first reply and
    /// the old owner's last reply before it. None unless both answered, the old
    /// one first. MACs compare case-insensitively.
    pub fn handover(&self, old_mac: &str, new_mac: &str) -> Option<Handover> {
        let is = |r: &Reply, mac: &str| {
            r.mac
                .as_deref()
                .is_some_and(|m| m.eq_ignore_ascii_case(mac))
        };
        let first_new = self.replies.iter().find(|r| is(r, new_mac))?.time;
        let last_old = self
            .replies
            .iter()
            .rev()
            .find(|r| r.time <= first_new && is(r, old_mac))?
            .time;
        Some(Handover {
            last_old,
            first_new,
            gap_ms: (first_new - last_old) * 1000.0,
        })
    }

    /// The distinct source MACs, in order of first reply.
    pub fn macs(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in self.replies.iter().filter_map(|r| r.mac.as_ref()) {
            if !out.contains(m) {
                out.push(m.clone());
            }
        }
        out
    }

    /// Number of duplicate replies (more than one machine answered one request).
    pub fn duplicates(&self) -> usize {
        self.replies.iter().filter(|r| r.dup).count()
    }
}

/// `[1700000000.123456] 64 bytes from 198.51.100.2: icmp_seq=5 ttl=64 time=0.05 ms (DUP!)`
fn parse_ping_line(line: &str) -> Option<(f64, u16, bool)> {
    let rest = line.strip_prefix('[')?;
    let (time, rest) = rest.split_once(']')?;
    let time: f64 = time.parse().ok()?;
    let seq = rest
        .split_whitespace()
        .find_map(|w| w.strip_prefix("icmp_seq="))?
        .parse()
        .ok()?;
    Some((time, seq, rest.contains("(DUP!)")))
}

/// `1700000000.123456 aa:.. > bb:.., ethertype IPv4 (0x0800), length 98: A > B: ICMP echo reply, id 7, seq 5, length 64`
fn parse_capture_line(line: &str) -> Option<(f64, u16, &str)> {
    if !line.contains("echo reply") {
        return None;
    }
    let mut words = line.split_whitespace();
    let time: f64 = words.next()?.parse().ok()?;
    let mac = words.next()?;
    if mac.len() != 17 || mac.bytes().filter(|b| *b == b':').count() != 5 {
        return None;
    }
    let mut words = line.split_whitespace();
    words.find(|w| *w == "seq")?;
    let seq = words.next()?.trim_end_matches(',').parse().ok()?;
    Some((time, seq, mac))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PING: &str = "\
PING 198.51.100.100 (198.51.100.100) 56(84) bytes of data.
[1700000000.100000] 64 bytes from 198.51.100.100: icmp_seq=1 ttl=64 time=0.050 ms
[1700000000.110000] 64 bytes from 198.51.100.100: icmp_seq=2 ttl=64 time=0.050 ms
[1700000000.110100] 64 bytes from 198.51.100.100: icmp_seq=2 ttl=64 time=0.150 ms (DUP!)
From 198.51.100.1 icmp_seq=3 Destination Host Unreachable
[1700000000.450000] 64 bytes from 198.51.100.100: icmp_seq=36 ttl=64 time=0.060 ms
[1700000000.460000] 64 bytes from 198.51.100.100: icmp_seq=37 ttl=64 time=0.060 ms

--- 198.51.100.100 ping statistics ---
37 packets transmitted, 4 received, +1 duplicates, +1 errors, 89.1892% packet loss, time 360ms
";

    const CAPTURE: &str = "\
1700000000.099990 02:00:00:00:00:0a > 02:00:00:00:00:01, ethertype IPv4 (0x0800), length 98: 198.51.100.100 > 198.51.100.1: ICMP echo reply, id 77, seq 1, length 64
1700000000.109990 02:00:00:00:00:0A > 02:00:00:00:00:01, ethertype IPv4 (0x0800), length 98: 198.51.100.100 > 198.51.100.1: ICMP echo reply, id 77, seq 2, length 64
1700000000.110090 02:00:00:00:00:0b > 02:00:00:00:00:01, ethertype IPv4 (0x0800), length 98: 198.51.100.100 > 198.51.100.1: ICMP echo reply, id 77, seq 2, length 64
1700000000.300000 02:00:00:00:00:0b > ff:ff:ff:ff:ff:ff, ethertype IPv4 (0x0800), length 98: 198.51.100.100 > 198.51.100.1: ICMP echo request, id 9, seq 3, length 64
1700000000.449990 02:00:00:00:00:0b > 02:00:00:00:00:01, ethertype IPv4 (0x0800), length 98: 198.51.100.100 > 198.51.100.1: ICMP echo reply, id 77, seq 36, length 64
garbage line
1700000000.459990 02:00:00:00:00:0b > 02:00:00:00:00:01, ethertype IPv6 (0x86dd), length 118: 2001:db8::100 > 2001:db8::1: ICMP6, echo reply, id 77, seq 37, length 64
";

    fn report() -> ProbeReport {
        ProbeReport::from_output(PING, CAPTURE)
    }

    #[test]
    fn joins_replies_with_capture() {
        let r = report();
        let got: Vec<(u16, Option<&str>, bool)> = r
            .replies
            .iter()
            .map(|x| (x.seq, x.mac.as_deref(), x.dup))
            .collect();
        let a = Some("02:00:00:00:00:0a");
        let b = Some("02:00:00:00:00:0b");
        assert_eq!(
            got,
            vec![
                (1, a, false),
                (2, a, false),
                (2, b, true),
                (36, b, false),
                (37, b, false)
            ]
        );
        assert_eq!(r.transmitted, Some(37));
        assert_eq!(r.duplicates(), 1);
        assert_eq!(r.macs(), vec!["02:00:00:00:00:0a", "02:00:00:00:00:0b"]);
    }

    #[test]
    fn longest_gap_and_handover() {
        let r = report();
        let (before, after, gap) = r.longest_gap().unwrap();
        assert_eq!((before.seq, after.seq), (2, 36));
        assert_eq!(gap.as_micros(), 339_900);
        let h = r
            .handover("02:00:00:00:00:0A", "02:00:00:00:00:0b")
            .unwrap();
        assert_eq!(h.last_old, 1700000000.11);
        assert_eq!(h.first_new, 1700000000.1101);
        assert!((h.gap_ms - 0.1).abs() < 1e-3, "{}", h.gap_ms);
        assert_eq!(r.handover("02:00:00:00:00:0b", "02:00:00:00:00:0a"), None);
        assert_eq!(r.handover("02:00:00:00:00:0a", "02:00:00:00:00:0c"), None);
    }

    #[test]
    fn empty_and_unmatched_output() {
        let r = ProbeReport::from_output("", "");
        assert!(r.replies.is_empty() && r.transmitted.is_none());
        assert!(r.longest_gap().is_none());
        // Replies the capture missed keep no MAC; a capture an hour away is not matched.
        let late = CAPTURE.replace("1700000000.", "1700003600.");
        let r = ProbeReport::from_output(PING, &late);
        assert_eq!(r.replies.len(), 5);
        assert!(r.replies.iter().all(|x| x.mac.is_none()));
        assert!(r.macs().is_empty());
    }
}

//! Sequence numbers and anti-replay for `auth_hmac` (keepalived
//! `vrrp_auth_hmac.c`: `next_seq`, `replay_ok`, `mcast_state`,
//! `vrrp_auth_hmac_check`). Wall-clock time comes in as a `Duration` since
//! the Unix epoch; nothing here reads a clock.

use std::net::IpAddr;
use std::time::Duration;

use super::{
    compute_icv, pseudo_header, HmacConfig, Trailer, EXT_TYPE_SHA256, ICV_LEN, PSEUDO_LEN,
};
use crate::auth::ct_eq;
use crate::packet::Version;
use crate::stats::DropReason;

/// Replay slots kept per instance for multicast senders (keepalived
/// `VRRP_AUTH_HMAC_MCAST_SENDERS`): legitimate concurrent senders of one
/// VRID only exist during contention.
pub const MCAST_SENDERS: usize = 4;
/// Replay slots kept for unicast senders (keepalived keeps one per
/// configured peer; the core does not know the peer list, so it bounds it).
pub const UNICAST_SENDERS: usize = 64;

/// RFC 1982 serial number arithmetic on the 64-bit sequence: `a` is after `b`.
pub fn seq_after(a: u64, b: u64) -> bool {
    (a.wrapping_sub(b) as i64) > 0
}

/// The sequence of a wall-clock reading with the counter cleared: seconds
/// in the high 32 bits, the fraction in 1/65536 s in the next 16.
pub fn clock_seq(unix: Duration) -> u64 {
    let subsec = (u64::from(unix.subsec_nanos()) << 16) / 1_000_000_000;
    (u64::from(unix.as_secs() as u32) << 32) | (subsec << 16)
}

/// Signed difference `a - b` of two 32-bit second counts, modulo 2^32.
fn secs_delta(a: u32, b: u32) -> i32 {
    a.wrapping_sub(b) as i32
}

/// The sending side: the larger of the clock and the last value plus one,
/// so the sequence grows even when the clock does not.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sequencer {
    last: Option<u64>,
}

impl Sequencer {
    /// The next sequence at wall-clock `unix`. `window` is the time window
    /// in time mode: a sequence stranded more than `window` seconds ahead
    /// of the clock (after a clock step back) restarts from the clock, as
    /// receivers would reject it anyway; monotonic mode (`None`) keeps
    /// strict growth.
    pub fn next(&mut self, unix: Duration, window: Option<u32>) -> u64 {
        let clk = clock_seq(unix);
        let next = match self.last {
            None => clk,
            Some(last) if seq_after(clk, last) => clk,
            Some(last) => {
                let ahead = secs_delta((last >> 32) as u32, (clk >> 32) as u32);
                match window {
                    Some(w) if i64::from(ahead) > i64::from(w) => clk,
                    _ => last.wrapping_add(1),
                }
            }
        };
        self.last = Some(next);
        next
    }

    /// The last sequence handed out.
    pub fn last(&self) -> Option<u64> {
        self.last
    }

    /// Sets the last sequence handed out (restarts, tests).
    pub fn set_last(&mut self, last: Option<u64>) {
        self.last = last;
    }
}

/// One sender's high-water mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    addr: IpAddr,
    seq: Option<u64>,
    last_used: u64,
}

/// Per-sender replay marks with least-recently-used eviction. Slots are
/// only touched after the HMAC verified, so forged sources cannot churn it.
#[derive(Debug, Clone)]
pub struct SenderTable {
    slots: Vec<Slot>,
    cap: usize,
    clock: u64,
}

impl SenderTable {
    /// An empty table of `cap` slots.
    pub fn new(cap: usize) -> Self {
        SenderTable {
            slots: Vec::new(),
            cap: cap.max(1),
            clock: 0,
        }
    }

    /// The mark of `addr`, claiming (or evicting the least recently used)
    /// slot for a new sender.
    fn mark(&mut self, addr: IpAddr) -> &mut Option<u64> {
        self.clock += 1;
        let now = self.clock;
        let i = match self.slots.iter().position(|s| s.addr == addr) {
            Some(i) => i,
            None if self.slots.len() < self.cap => {
                self.slots.push(Slot {
                    addr,
                    seq: None,
                    last_used: now,
                });
                self.slots.len() - 1
            }
            None => {
                let (i, _) = self
                    .slots
                    .iter()
                    .enumerate()
                    .min_by_key(|(_, s)| s.last_used)
                    .expect("cap >= 1");
                self.slots[i] = Slot {
                    addr,
                    seq: None,
                    last_used: now,
                };
                i
            }
        };
        self.slots[i].last_used = now;
        &mut self.slots[i].seq
    }

    /// The last accepted sequence of `addr`, if it has a slot.
    pub fn get(&self, addr: IpAddr) -> Option<u64> {
        self.slots
            .iter()
            .find(|s| s.addr == addr)
            .and_then(|s| s.seq)
    }

    /// Number of senders tracked.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when no sender is tracked.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

/// Why a received advert failed `auth_hmac` verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HmacError {
    /// No trailer while the mode is `enforce`.
    #[error("advert has no auth_hmac trailer")]
    Missing,
    /// Unknown `ext_type` or non-zero reserved field.
    #[error("auth_hmac trailer malformed: ext_type {ext_type}, reserved {reserved}")]
    Malformed {
        /// Scheme field.
        ext_type: u8,
        /// Reserved field.
        reserved: u16,
    },
    /// Seconds outside the time window (or no wall clock to judge it by).
    #[error("auth_hmac timestamp {skew:?} s away from our clock, window {window} s")]
    Stale {
        /// Our seconds minus the trailer's; `None` without a wall clock.
        skew: Option<i32>,
        /// The window.
        window: u32,
    },
    /// The trailer's key id is not configured.
    #[error("auth_hmac key id {0} unknown")]
    UnknownKey(u8),
    /// The ICV does not verify with the named key.
    #[error("auth_hmac ICV mismatch with key {0}")]
    BadIcv(u8),
    /// The sequence does not grow for this sender.
    #[error("auth_hmac sequence {seq:#x} not after {last:#x}")]
    Replay {
        /// Received sequence.
        seq: u64,
        /// Last accepted sequence from this sender.
        last: u64,
    },
}

impl HmacError {
    /// The counter this failure is accounted under.
    pub fn reason(&self) -> DropReason {
        match self {
            HmacError::Missing => DropReason::HmacMissing,
            HmacError::Malformed { .. } => DropReason::HmacMalformed,
            HmacError::Stale { .. } => DropReason::HmacStale,
            HmacError::UnknownKey(_) => DropReason::HmacUnknownKey,
            HmacError::BadIcv(_) => DropReason::HmacBadIcv,
            HmacError::Replay { .. } => DropReason::HmacReplay,
        }
    }
}

/// What the receiver knows about the packet being checked.
#[derive(Debug, Clone, Copy)]
pub struct RxContext<'a> {
    /// The instance's VRRP version (bound in the pseudo-header).
    pub version: Version,
    /// The instance's VRID.
    pub vrid: u8,
    /// IP source of the packet.
    pub src: IpAddr,
    /// True when the packet was sent to the multicast group.
    pub multicast: bool,
    /// The VRRP message without trailer.
    pub msg: &'a [u8],
    /// The parsed trailer, if the advert has one.
    pub trailer: Option<&'a Trailer>,
    /// Wall clock, since the Unix epoch; needed in time mode.
    pub unix: Option<Duration>,
}

/// The receiving side of one instance: replay marks for multicast and
/// unicast senders.
#[derive(Debug, Clone)]
pub struct HmacReceiver {
    mcast: SenderTable,
    unicast: SenderTable,
}

impl Default for HmacReceiver {
    fn default() -> Self {
        HmacReceiver {
            mcast: SenderTable::new(MCAST_SENDERS),
            unicast: SenderTable::new(UNICAST_SENDERS),
        }
    }
}

impl HmacReceiver {
    /// The replay table of multicast senders.
    pub fn multicast_senders(&self) -> &SenderTable {
        &self.mcast
    }

    /// The replay table of unicast senders.
    pub fn unicast_senders(&self) -> &SenderTable {
        &self.unicast
    }

    /// Verifies one advert in keepalived's order: trailer present (per
    /// mode), well formed, fresh (time mode, before the costly HMAC and
    /// never moving state), known key, ICV, then strict growth per sender
    /// (only now is the mark raised). `window` is `None` in monotonic mode.
    pub fn verify(
        &mut self,
        cfg: &HmacConfig,
        window: Option<u32>,
        rx: RxContext<'_>,
    ) -> Result<(), HmacError> {
        let Some(t) = rx.trailer else {
            return if cfg.mode.requires_trailer() {
                Err(HmacError::Missing)
            } else {
                Ok(())
            };
        };
        if t.ext_type != EXT_TYPE_SHA256 || t.reserved != 0 {
            return Err(HmacError::Malformed {
                ext_type: t.ext_type,
                reserved: t.reserved,
            });
        }
        let now_secs = rx.unix.map(|u| u.as_secs() as u32);
        if let Some(w) = window {
            let Some(now) = now_secs else {
                return Err(HmacError::Stale {
                    skew: None,
                    window: w,
                });
            };
            let skew = secs_delta(now, t.secs());
            if i64::from(skew).abs() > i64::from(w) {
                return Err(HmacError::Stale {
                    skew: Some(skew),
                    window: w,
                });
            }
        }
        let key = cfg.key(t.key_id).ok_or(HmacError::UnknownKey(t.key_id))?;
        let pseudo: [u8; PSEUDO_LEN] = pseudo_header(rx.version, rx.src, rx.vrid);
        let icv: [u8; ICV_LEN] = compute_icv(&key.key, &pseudo, rx.msg, &t.prefix());
        if !ct_eq(&icv, &t.icv) {
            return Err(HmacError::BadIcv(t.key_id));
        }
        let table = if rx.multicast {
            &mut self.mcast
        } else {
            &mut self.unicast
        };
        let mark = table.mark(rx.src);
        if let (Some(last), Some(w), Some(now)) = (*mark, window, now_secs) {
            // A mark outside the window only orders packets the window
            // already rejects; expiring it recovers a sender that restarted
            // after a clock step.
            if i64::from(secs_delta(now, (last >> 32) as u32)).abs() > i64::from(w) {
                *mark = None;
            }
        }
        if let Some(last) = *mark {
            if !seq_after(t.seq, last) {
                return Err(HmacError::Replay { seq: t.seq, last });
            }
        }
        *mark = Some(t.seq);
        Ok(())
    }
}

//! keepalived 2.4's advert authentication extension (`auth_hmac`): a
//! 28-byte trailer after the VRRP message carrying a key id, a time based
//! 64-bit sequence number and an HMAC-SHA256 truncated to 128 bits. It
//! works for VRRPv2 and v3, IPv4 and IPv6, unicast and multicast, and is
//! mutually exclusive with the VRRPv2 `authentication {}` block.
//!
//! Facts from keepalived (`keepalived/vrrp/vrrp_auth_hmac.c`,
//! `keepalived/include/vrrp_auth_hmac.h`, `keepalived.conf(5)` `auth_hmac`):
//!
//! - HMAC input: a 20-byte pseudo-header (family 4|6, VRRP version, VRID,
//!   0, source address zero padded to 16 bytes), the VRRP message with its
//!   checksum field read as zero, the first 12 trailer bytes, then 16 zero
//!   bytes in place of the ICV. The IP header is not covered, the
//!   destination is not covered (one signed image serves every peer).
//! - Checksums: over IPv4 the VRRP checksum covers the message only (the
//!   trailer is excluded); over IPv6 the kernel's checksum covers the whole
//!   payload, trailer included.
//! - Keys: id 1..=255, 32..=64 bytes; the receiver picks the key by the
//!   trailer's id, the sender uses `active_key`.
//!
//! Sequence numbers, the replay table and verification live in
//! [`replay`].

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::packet::{Version, VRRP_HDR_LEN};

pub mod replay;

/// Length of the trailer appended after the VRRP message.
pub const TRAILER_LEN: usize = 28;
/// Length of the truncated HMAC-SHA256 carried in the trailer.
pub const ICV_LEN: usize = 16;
/// Offset of the ICV inside the trailer.
pub const ICV_OFFSET: usize = TRAILER_LEN - ICV_LEN;
/// `ext_type` of HMAC-SHA256-128, the only scheme defined.
pub const EXT_TYPE_SHA256: u8 = 1;
/// Shortest key accepted (bytes).
pub const KEY_MIN: usize = 32;
/// Longest key accepted (bytes).
pub const KEY_MAX: usize = 64;
/// Smallest explicit `time_window` (seconds).
pub const WINDOW_MIN: u32 = 1;
/// Largest explicit `time_window` (seconds).
pub const WINDOW_MAX: u32 = 300;
/// Floor of the window derived from the advert interval (seconds).
pub const WINDOW_FLOOR: u32 = 5;
/// Length of the pseudo-header bound into the HMAC.
pub const PSEUDO_LEN: usize = 20;

/// One signing key (`key <id> <value>`).
#[derive(Clone, PartialEq, Eq)]
pub struct HmacKey {
    /// Key id 1..=255, carried in the trailer.
    pub id: u8,
    /// Key material, 32..=64 bytes.
    pub key: Vec<u8>,
}

impl fmt::Debug for HmacKey {
    // Never print key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacKey")
            .field("id", &self.id)
            .field("len", &self.key.len())
            .finish()
    }
}

/// `mode`: how strictly the trailer is required (keepalived's rollout modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HmacMode {
    /// Sign every advert, drop adverts without a trailer.
    #[default]
    Enforce,
    /// Sign every advert, accept adverts without a trailer (migration).
    Permissive,
    /// Send no trailer, accept adverts without one, verify those with one.
    ReceiveOnly,
}

impl HmacMode {
    /// True when adverts carry a trailer.
    pub fn signs(self) -> bool {
        self != HmacMode::ReceiveOnly
    }

    /// True when an advert without a trailer is dropped.
    pub fn requires_trailer(self) -> bool {
        self == HmacMode::Enforce
    }

    /// The configuration keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            HmacMode::Enforce => "enforce",
            HmacMode::Permissive => "permissive",
            HmacMode::ReceiveOnly => "receive-only",
        }
    }
}

/// `anti_replay`: how freshness is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AntiReplay {
    /// The trailer's seconds must lie within `time_window` of our clock
    /// (needs synced clocks), and sequences must grow per sender.
    #[default]
    Time,
    /// Sequences must grow per sender; no clock check.
    Monotonic,
}

/// An instance's `auth_hmac {}` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HmacConfig {
    /// Every accepted key; several during a rotation.
    pub keys: Vec<HmacKey>,
    /// Id of the key used to sign (`active_key`).
    pub active_key: u8,
    /// Freshness rule.
    pub anti_replay: AntiReplay,
    /// Explicit `time_window` in seconds (1..=300); `None` derives it from
    /// the advert interval, see [`HmacConfig::window_secs`].
    pub time_window: Option<u32>,
    /// Strictness.
    pub mode: HmacMode,
}

/// Why an `auth_hmac` configuration is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HmacConfigError {
    /// No `key` defined.
    #[error("auth_hmac needs at least one key")]
    NoKeys,
    /// Key id 0 (ids are 1..=255).
    #[error("auth_hmac key id 0 is invalid, ids are 1..=255")]
    KeyIdZero,
    /// Key material shorter than 32 or longer than 64 bytes.
    #[error("auth_hmac key {id}: {len} bytes, must be {KEY_MIN}..={KEY_MAX}")]
    KeyLength {
        /// Key id.
        id: u8,
        /// Length given.
        len: usize,
    },
    /// Two keys with one id.
    #[error("auth_hmac key {0} defined twice")]
    DuplicateKey(u8),
    /// `active_key` names no defined key.
    #[error("auth_hmac active_key {0} is not a defined key")]
    ActiveKeyMissing(u8),
    /// `time_window` outside 1..=300.
    #[error("auth_hmac time_window {0} outside {WINDOW_MIN}..={WINDOW_MAX}")]
    TimeWindow(u32),
    /// A `hex:` value that is not an even number of hex digits.
    #[error("auth_hmac key value: invalid hex at character {0}")]
    Hex(usize),
    /// A `file:` value: the caller reads the file and passes its content.
    #[error("auth_hmac key value: file: must be read by the caller")]
    FileValue,
}

impl HmacConfig {
    /// One key, used to sign; time based anti-replay, derived window,
    /// enforce mode (keepalived's defaults).
    pub fn new(keys: Vec<HmacKey>, active_key: u8) -> Self {
        HmacConfig {
            keys,
            active_key,
            anti_replay: AntiReplay::Time,
            time_window: None,
            mode: HmacMode::Enforce,
        }
    }

    /// The key with id `id`.
    pub fn key(&self, id: u8) -> Option<&HmacKey> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// The freshness window in seconds: `time_window`, else
    /// max(3 × advert interval, 5) (keepalived.conf(5)), the interval
    /// product rounded up to whole seconds and capped at 300.
    pub fn window_secs(&self, advert_interval: Duration) -> u32 {
        if let Some(w) = self.time_window {
            return w;
        }
        let ms = 3 * advert_interval.as_millis();
        let secs = ms.div_ceil(1000).min(u128::from(WINDOW_MAX)) as u32;
        secs.max(WINDOW_FLOOR)
    }

    /// The window when the time check applies, `None` in monotonic mode.
    pub fn time_window_for(&self, advert_interval: Duration) -> Option<u32> {
        match self.anti_replay {
            AntiReplay::Time => Some(self.window_secs(advert_interval)),
            AntiReplay::Monotonic => None,
        }
    }

    /// Checks ids, lengths, the active key and the window.
    pub fn validate(&self) -> Result<(), HmacConfigError> {
        if self.keys.is_empty() {
            return Err(HmacConfigError::NoKeys);
        }
        for (i, k) in self.keys.iter().enumerate() {
            if k.id == 0 {
                return Err(HmacConfigError::KeyIdZero);
            }
            if !(KEY_MIN..=KEY_MAX).contains(&k.key.len()) {
                return Err(HmacConfigError::KeyLength {
                    id: k.id,
                    len: k.key.len(),
                });
            }
            if self.keys[..i].iter().any(|o| o.id == k.id) {
                return Err(HmacConfigError::DuplicateKey(k.id));
            }
        }
        if self.key(self.active_key).is_none() {
            return Err(HmacConfigError::ActiveKeyMissing(self.active_key));
        }
        if let Some(w) = self.time_window {
            if !(WINDOW_MIN..=WINDOW_MAX).contains(&w) {
                return Err(HmacConfigError::TimeWindow(w));
            }
        }
        Ok(())
    }
}

/// Key material from a `key` value: `hex:` followed by hex digits gives
/// raw bytes, anything else is taken as ASCII. `file:` values are refused:
/// reading files is the caller's business (it passes the content here).
pub fn parse_key_material(value: &str) -> Result<Vec<u8>, HmacConfigError> {
    if value.starts_with("file:") {
        return Err(HmacConfigError::FileValue);
    }
    let Some(hex) = value.strip_prefix("hex:") else {
        return Ok(value.as_bytes().to_vec());
    };
    let digits = hex.as_bytes();
    if digits.len() % 2 != 0 {
        return Err(HmacConfigError::Hex(4 + digits.len()));
    }
    let nibble = |i: usize| {
        (digits[i] as char)
            .to_digit(16)
            .map(|d| d as u8)
            .ok_or(HmacConfigError::Hex(4 + i))
    };
    (0..digits.len())
        .step_by(2)
        .map(|i| Ok((nibble(i)? << 4) | nibble(i + 1)?))
        .collect()
}

/// The trailer appended after the VRRP message.
///
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Ext Type (1) |    Key Id     |        Reserved (0)           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |              Seconds (UTC, since the Unix epoch)              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Sub-seconds (1/65536 s)     |          Counter              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |          HMAC-SHA256 truncated to 128 bits (16 bytes)         |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// Seconds, sub-seconds and counter form one 64-bit sequence number
/// compared with serial number arithmetic (RFC 1982).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trailer {
    /// Scheme; 1 is HMAC-SHA256-128.
    pub ext_type: u8,
    /// Id of the signing key.
    pub key_id: u8,
    /// Zero on send; non-zero is malformed.
    pub reserved: u16,
    /// The 64-bit sequence: seconds << 32 | sub-seconds << 16 | counter.
    pub seq: u64,
    /// The truncated HMAC.
    pub icv: [u8; ICV_LEN],
}

impl Trailer {
    /// Parses a trailer; `None` unless `b` is exactly [`TRAILER_LEN`] bytes.
    pub fn parse(b: &[u8]) -> Option<Trailer> {
        if b.len() != TRAILER_LEN {
            return None;
        }
        let mut seq = [0u8; 8];
        seq.copy_from_slice(&b[4..12]);
        let mut icv = [0u8; ICV_LEN];
        icv.copy_from_slice(&b[ICV_OFFSET..]);
        Some(Trailer {
            ext_type: b[0],
            key_id: b[1],
            reserved: u16::from_be_bytes([b[2], b[3]]),
            seq: u64::from_be_bytes(seq),
            icv,
        })
    }

    /// The 12 bytes before the ICV, as on the wire.
    pub fn prefix(&self) -> [u8; ICV_OFFSET] {
        prefix(self.ext_type, self.key_id, self.reserved, self.seq)
    }

    /// The wire bytes.
    pub fn to_bytes(&self) -> [u8; TRAILER_LEN] {
        let mut out = [0u8; TRAILER_LEN];
        out[..ICV_OFFSET].copy_from_slice(&self.prefix());
        out[ICV_OFFSET..].copy_from_slice(&self.icv);
        out
    }

    /// The seconds field (the high 32 bits of the sequence).
    pub fn secs(&self) -> u32 {
        (self.seq >> 32) as u32
    }
}

fn prefix(ext_type: u8, key_id: u8, reserved: u16, seq: u64) -> [u8; ICV_OFFSET] {
    let mut out = [0u8; ICV_OFFSET];
    out[0] = ext_type;
    out[1] = key_id;
    out[2..4].copy_from_slice(&reserved.to_be_bytes());
    out[4..12].copy_from_slice(&seq.to_be_bytes());
    out
}

/// The pseudo-header bound into the HMAC: family (4 or 6), VRRP version,
/// VRID, a zero byte, then the sender's address, zero padded to 16 bytes.
/// Binding these stops splicing between instances sharing a key and ties
/// the packet to its claimed source.
pub fn pseudo_header(version: Version, src: IpAddr, vrid: u8) -> [u8; PSEUDO_LEN] {
    let mut out = [0u8; PSEUDO_LEN];
    out[1] = version.number();
    out[2] = vrid;
    match src {
        IpAddr::V4(a) => {
            out[0] = 4;
            out[4..8].copy_from_slice(&a.octets());
        }
        IpAddr::V6(a) => {
            out[0] = 6;
            out[4..20].copy_from_slice(&a.octets());
        }
    }
    out
}

/// A keyed HMAC that has absorbed the pseudo-header and the VRRP message
/// (checksum field read as zero). The encoder caches it while the message
/// does not change and finishes a clone per packet.
pub type MessageMac = Hmac<Sha256>;

/// Starts the HMAC over `pseudo ‖ msg` with the checksum (bytes 6..8 of
/// the VRRP header) read as zero. No copy of the message is made.
pub fn message_mac(key: &[u8], pseudo: &[u8; PSEUDO_LEN], msg: &[u8]) -> MessageMac {
    let mut mac = <MessageMac as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(pseudo);
    let cut = msg.len().min(6);
    mac.update(&msg[..cut]);
    let zeros = msg.len().min(VRRP_HDR_LEN) - cut;
    mac.update(&[0u8; 2][..zeros]);
    mac.update(msg.get(VRRP_HDR_LEN..).unwrap_or(&[]));
    mac
}

/// Finishes a [`message_mac`] with the trailer prefix and a zeroed ICV.
pub fn finish_icv(mut mac: MessageMac, prefix: &[u8; ICV_OFFSET]) -> [u8; ICV_LEN] {
    mac.update(prefix);
    mac.update(&[0u8; ICV_LEN]);
    let full = mac.finalize().into_bytes();
    let mut icv = [0u8; ICV_LEN];
    icv.copy_from_slice(&full[..ICV_LEN]);
    icv
}

/// The ICV of `msg` (the VRRP message without trailer) followed by a
/// trailer whose first 12 bytes are `prefix`.
pub fn compute_icv(
    key: &[u8],
    pseudo: &[u8; PSEUDO_LEN],
    msg: &[u8],
    prefix: &[u8; ICV_OFFSET],
) -> [u8; ICV_LEN] {
    finish_icv(message_mac(key, pseudo, msg), prefix)
}

/// Builds a signed trailer for `msg` with `key` (tests and tools; the
/// encoder signs in place).
pub fn sign(key: &HmacKey, pseudo: &[u8; PSEUDO_LEN], msg: &[u8], seq: u64) -> [u8; TRAILER_LEN] {
    let p = prefix(EXT_TYPE_SHA256, key.id, 0, seq);
    let mut t = Trailer::parse(&[0u8; TRAILER_LEN]).expect("fixed length");
    t.ext_type = EXT_TYPE_SHA256;
    t.key_id = key.id;
    t.seq = seq;
    t.icv = compute_icv(&key.key, pseudo, msg, &p);
    t.to_bytes()
}

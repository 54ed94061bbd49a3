//! `auth_hmac { ... }` inside an instance: keepalived 2.4's HMAC-SHA256
//! advert trailer (keepalived.conf(5) "Authentication extension").

use std::fmt;
use std::path::PathBuf;

use super::ctx::{ConfigError, Ctx};
use crate::tree::Node;

/// Shortest key in bytes.
pub const HMAC_KEY_MIN: usize = 32;
/// Longest key in bytes.
pub const HMAC_KEY_MAX: usize = 64;
/// Largest `time_window` in seconds.
pub const HMAC_TIME_WINDOW_MAX: u32 = 300;

/// Where a key's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HmacSecret {
    /// `hex:...`: raw bytes.
    Bytes(Vec<u8>),
    /// An ASCII string used as the key.
    Text(String),
    /// `file:PATH`: read by the daemon (not by the parser).
    File(PathBuf),
}

/// `key ID SECRET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HmacKey {
    /// Key id 1..=255.
    pub id: u8,
    /// The secret.
    pub secret: HmacSecret,
}

/// `anti_replay time|monotonic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AntiReplay {
    /// Freshness window against synchronised clocks (default).
    #[default]
    Time,
    /// Strictly growing sequence numbers only.
    Monotonic,
}

/// `mode enforce|permissive|receive-only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HmacMode {
    /// Only signed adverts are accepted (default).
    #[default]
    Enforce,
    /// Unsigned adverts are accepted too.
    Permissive,
    /// Unsigned adverts accepted and none signed when sending.
    ReceiveOnly,
}

/// The `auth_hmac` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHmac {
    /// Keys, in order.
    pub keys: Vec<HmacKey>,
    /// `active_key ID` used for sending (default: the only key).
    pub active_key: Option<u8>,
    /// `anti_replay`.
    pub anti_replay: AntiReplay,
    /// `time_window SECS` (default max(3 x advert_int, 5)).
    pub time_window: Option<u32>,
    /// `mode`.
    pub mode: HmacMode,
}

fn hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn parse_key(n: &Node, name: &str, cx: &mut Ctx<'_>) -> Option<HmacKey> {
    let [id, secret] = n.args.as_slice() else {
        cx.error(
            n,
            ConfigError::Other(format!("({name}) auth_hmac key needs an id and a secret")),
        );
        return None;
    };
    let Some(id) = id.parse::<u8>().ok().filter(|i| *i >= 1) else {
        cx.error(
            n,
            ConfigError::BadNumber {
                keyword: "auth_hmac key".into(),
                value: id.clone(),
                min: "1".into(),
                max: "255".into(),
            },
        );
        return None;
    };
    let secret = if let Some(h) = secret.strip_prefix("hex:") {
        match hex(h) {
            Some(b) => HmacSecret::Bytes(b),
            None => {
                cx.error(
                    n,
                    ConfigError::Other(format!("({name}) auth_hmac key {id}: invalid hex")),
                );
                return None;
            }
        }
    } else if let Some(p) = secret.strip_prefix("file:") {
        HmacSecret::File(PathBuf::from(p))
    } else {
        HmacSecret::Text(secret.clone())
    };
    let len = match &secret {
        HmacSecret::Bytes(b) => Some(b.len()),
        HmacSecret::Text(t) => Some(t.len()),
        HmacSecret::File(_) => None,
    };
    if let Some(len) = len.filter(|l| !(HMAC_KEY_MIN..=HMAC_KEY_MAX).contains(l)) {
        cx.error(
            n,
            ConfigError::Other(format!(
                "({name}) auth_hmac key {id} is {len} bytes, must be {HMAC_KEY_MIN} to {HMAC_KEY_MAX}"
            )),
        );
        return None;
    }
    Some(HmacKey { id, secret })
}

/// Reads an `auth_hmac` block; `None` when it has no usable key.
pub(crate) fn parse_auth_hmac(block: &Node, name: &str, cx: &mut Ctx<'_>) -> Option<AuthHmac> {
    let mut h = AuthHmac {
        keys: Vec::new(),
        active_key: None,
        anti_replay: AntiReplay::Time,
        time_window: None,
        mode: HmacMode::Enforce,
    };
    for n in block.kids() {
        cx.typed("auth_hmac", n);
        match n.keyword.as_str() {
            "key" => {
                if let Some(k) = parse_key(n, name, cx) {
                    if h.keys.iter().any(|o| o.id == k.id) {
                        cx.error(
                            n,
                            ConfigError::Other(format!(
                                "({name}) auth_hmac key {} defined twice - ignoring",
                                k.id
                            )),
                        );
                    } else {
                        h.keys.push(k);
                    }
                }
            }
            "active_key" => h.active_key = cx.uint(n, 1, 255).map(|v| v as u8),
            "anti_replay" => match cx.arg(n) {
                Some("time") => h.anti_replay = AntiReplay::Time,
                Some("monotonic") => h.anti_replay = AntiReplay::Monotonic,
                Some(v) => cx.error(n, bad(n, v, "time|monotonic")),
                None => {}
            },
            "time_window" => {
                h.time_window = cx
                    .uint(n, 1, u64::from(HMAC_TIME_WINDOW_MAX))
                    .map(|v| v as u32);
            }
            "mode" => match cx.arg(n) {
                Some("enforce") => h.mode = HmacMode::Enforce,
                Some("permissive") => h.mode = HmacMode::Permissive,
                Some("receive-only") => h.mode = HmacMode::ReceiveOnly,
                Some(v) => cx.error(n, bad(n, v, "enforce|permissive|receive-only")),
                None => {}
            },
            _ => cx.unknown_in(n, "auth_hmac"),
        }
    }
    if h.keys.is_empty() {
        cx.error(
            block,
            ConfigError::Other(format!("({name}) auth_hmac has no valid key - ignoring")),
        );
        return None;
    }
    match h.active_key {
        Some(a) if !h.keys.iter().any(|k| k.id == a) => {
            cx.error(
                block,
                ConfigError::Other(format!(
                    "({name}) auth_hmac active_key {a} is not a defined key - ignoring auth_hmac"
                )),
            );
            return None;
        }
        None if h.keys.len() > 1 && h.mode != HmacMode::ReceiveOnly => {
            cx.error(
                block,
                ConfigError::Other(format!(
                    "({name}) auth_hmac has several keys but no active_key - ignoring auth_hmac"
                )),
            );
            return None;
        }
        None => h.active_key = Some(h.keys[0].id),
        _ => {}
    }
    Some(h)
}

fn bad(n: &Node, v: &str, expected: &str) -> ConfigError {
    ConfigError::BadValue {
        keyword: n.keyword.clone(),
        value: v.to_string(),
        expected: expected.into(),
    }
}

impl fmt::Display for HmacSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HmacSecret::Bytes(b) => {
                f.write_str("hex:")?;
                b.iter().try_for_each(|x| write!(f, "{x:02x}"))
            }
            HmacSecret::Text(t) => f.write_str(t),
            HmacSecret::File(p) => write!(f, "file:{}", p.display()),
        }
    }
}

impl AntiReplay {
    /// The keyword value.
    pub fn as_str(self) -> &'static str {
        match self {
            AntiReplay::Time => "time",
            AntiReplay::Monotonic => "monotonic",
        }
    }
}

impl HmacMode {
    /// The keyword value.
    pub fn as_str(self) -> &'static str {
        match self {
            HmacMode::Enforce => "enforce",
            HmacMode::Permissive => "permissive",
            HmacMode::ReceiveOnly => "receive-only",
        }
    }
}

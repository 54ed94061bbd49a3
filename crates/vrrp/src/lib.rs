//! vigil-vrrp: a sans-IO VRRP core.
//!
//! - [`packet`]: decoding of VRRPv2/v3 adverts over IPv4 (whole packets,
//!   optional IPsec AH) and IPv6 (payloads).
//! - [`encode`]: [`AdvertEncoder`], cached wire images.
//! - [`auth`]: none / simple password / AH HMAC-MD5-96 as keepalived does it.
//! - [`auth_hmac`]: keepalived 2.4's HMAC-SHA256 trailer with anti-replay.
//! - [`instance`]: the per-instance state machine, driven by `now`.
//! - [`stats`]: keepalived's counters and the [`DropReason`]s.
//! - [`sync_group`]: `vrrp_sync_group`, members moving together.
//!
//! Nothing here opens a socket, reads a clock or spawns a thread.

pub mod auth;
pub mod auth_hmac;
pub mod checksum;
pub mod config;
pub mod encode;
pub mod instance;
pub mod packet;
pub mod stats;
pub mod sync_group;
pub mod timer;

pub use auth::Auth;
pub use auth_hmac::replay::{HmacError, HmacReceiver, Sequencer};
pub use auth_hmac::{AntiReplay, HmacConfig, HmacConfigError, HmacKey, HmacMode, Trailer};
pub use config::{ConfigError, GarpConfig, InstanceConfig};
pub use encode::{AdvertEncoder, EncodeError, EncoderConfig};
pub use instance::{Action, Instance, Reason, State, PRIO_OWNER, PRIO_STOP};
pub use packet::{
    decode_ipv4, decode_ipv6, Advert, AhHeader, AuthField, DecodeError, Family, Ipv4Advert,
    Ipv6Advert, Received, Version, MCAST_V4, MCAST_V6,
};
pub use stats::{DropReason, Stats};
pub use sync_group::{
    GroupCommand, GroupEvent, MemberEvent, SyncGroup, SyncGroupError, SyncGroupStats,
};
pub use timer::{Timer, TimerTable};

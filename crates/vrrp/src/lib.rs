//! vigil-vrrp: a sans-IO VRRP core.
//!
//! - [`packet`]: decoding of VRRPv2/v3 adverts over IPv4 (whole packets,
//!   optional IPsec AH) and IPv6 (payloads).
//! - [`encode`]: [`AdvertEncoder`], cached wire images.
//! - [`auth`]: none / simple password / AH HMAC-MD5-96 as keepalived does it.
//! - [`instance`]: the per-instance state machine, driven by `now`.
//! - [`stats`]: keepalived's counters and the [`DropReason`]s.
//!
//! Nothing here opens a socket, reads a clock or spawns a thread.

pub mod auth;
pub mod checksum;
pub mod config;
pub mod encode;
pub mod instance;
pub mod packet;
pub mod stats;
pub mod timer;

pub use auth::Auth;
pub use config::{ConfigError, GarpConfig, InstanceConfig};
pub use encode::{AdvertEncoder, EncodeError, EncoderConfig};
pub use instance::{Action, Instance, Reason, State, PRIO_OWNER, PRIO_STOP};
pub use packet::{
    decode_ipv4, decode_ipv6, Advert, AhHeader, AuthField, DecodeError, Family, Ipv4Advert,
    Ipv6Advert, Received, Version, MCAST_V4, MCAST_V6,
};
pub use stats::{DropReason, Stats};
pub use timer::{Timer, TimerTable};

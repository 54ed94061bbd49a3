//! Runtime interfaces of `vigil keepalived`: what keepalived writes on signals, its notify
//! FIFO lines, and what vigil adds (a status socket, Prometheus metrics).
//!
//! - [`snapshot`]: [`StatusSnapshot`], plain data the daemon builds from its instances.
//! - [`render_data`] (SIGUSR1, `/tmp/keepalived.data`), [`render_stats`] (SIGUSR2,
//!   `/tmp/keepalived.stats`), [`render_json`] (`--signum=JSON`, `/tmp/keepalived.json`,
//!   `json_version` 1 and 2): keepalived's formats, as far as the snapshot carries the
//!   information.
//! - [`notify_fifo_line`]: lines for `notify_fifo` / `vrrp_notify_fifo`.
//! - [`render_metrics`]: Prometheus text exposition.
//! - [`StatusServer`] (unix socket) and [`MetricsHttpServer`] (HTTP `/metrics`):
//!   non-blocking servers driven by the daemon's ppoll loop.
//! - [`render_table`]: the table `vigil status` prints.
//!
//! Self-contained on purpose (std, serde, serde_json, thiserror, nix, vigil-vrrp): nothing
//! here reaches into the rest of the daemon, so the daemon hands in a snapshot and writes
//! the strings wherever they belong.

pub mod api;
mod conn;
pub mod data;
pub mod fifo;
pub mod http;
pub mod json;
pub mod metrics;
pub mod snapshot;
pub mod stats;
pub mod table;
pub mod timefmt;

pub use api::{Limits, Request, RequestError, ServerStats, StatusServer, DEFAULT_SOCKET};
pub use data::render_data;
pub use fifo::{notify_fifo_line, FifoEvent, InstanceEvent};
pub use http::MetricsHttpServer;
pub use json::{render_json, JsonVersion};
pub use metrics::render_metrics;
pub use snapshot::{
    AuthStatus, Family, GarpStatus, GlobalStatus, GroupStatus, InstanceStatus, NotifyScripts,
    RouteStatus, StatusSnapshot, TrackerKind, TrackerStatus, Transition, VipStatus, VrrpState,
};
pub use stats::render_stats;
pub use table::render_table;

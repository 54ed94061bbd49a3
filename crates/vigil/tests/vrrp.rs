//! Lab tests of `vigil keepalived`: real daemons (vigil and Debian's keepalived 2.2.7) in
//! network namespaces, every behaviour checked from a third host, the client h3 (its
//! neighbour table and pings to the virtual address), not only from the daemons' logs.
//!
//! Run as root: `cargo nextest run -p vigil --test vrrp`. Without root or network
//! namespaces every test prints SKIP (and fails under `CI=true`).

#[path = "vrrp/cli.rs"]
mod cli;
#[path = "vrrp/common.rs"]
mod common;
#[path = "vrrp/election.rs"]
mod election;
#[path = "vrrp/garp.rs"]
mod garp;
#[path = "vrrp/hmac.rs"]
mod hmac;
#[path = "vrrp/interop.rs"]
mod interop;
#[path = "vrrp/ipv6.rs"]
mod ipv6;
#[path = "vrrp/notify.rs"]
mod notify;
#[path = "vrrp/reload.rs"]
mod reload;
#[path = "vrrp/runtime.rs"]
mod runtime;
#[path = "vrrp/stop.rs"]
mod stop;
#[path = "vrrp/sync_group.rs"]
mod sync_group;
#[path = "vrrp/tracking.rs"]
mod tracking;
#[path = "vrrp/unicast.rs"]
mod unicast;

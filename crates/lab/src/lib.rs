//! vigil-lab: the network-namespace test lab.
//!
//! A [`Lab`] is a switch namespace holding bridge `br0` plus host namespaces,
//! each with an `eth0` veth attached to the bridge. Tests add hosts with
//! documentation addresses, run and spawn programs inside them, cut links,
//! partition the switch with nftables, and measure failovers with a [`Prober`].
//! Everything is built with iproute2 and friends through `std::process::Command`.
//!
//! ```no_run
//! use std::time::Duration;
//! if vigil_lab::lab_available() {
//!     let mut lab = vigil_lab::Lab::new()?;
//!     lab.add_host("h1", &["198.51.100.1/24"])?;
//!     lab.add_host("h2", &["198.51.100.2/24"])?;
//!     assert!(lab.host("h1").ping("198.51.100.2", 1, Duration::from_secs(2))?);
//! }
//! # Ok::<(), vigil_lab::LabError>(())
//! ```

mod addr;
mod available;
mod cmd;
mod error;
mod host;
mod lab;
mod loss;
mod partition;
mod probe;
mod proc;
mod sweep;

pub use available::lab_available;
pub use error::LabError;
pub use host::Host;
pub use lab::Lab;
pub use probe::{Handover, ProbeReport, Prober, Reply};
pub use proc::Proc;
pub use sweep::sweep_stale;

use std::time::{Duration, Instant};

/// Calls `f` every 10 ms until it returns true (then true) or `timeout` passes (then false).
pub fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if f() {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(10)));
    }
}

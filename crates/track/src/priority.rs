//! Pure scoring: a VRRP instance's base priority plus the current state of
//! every tracker it uses gives its effective priority and whether the
//! trackers hold it in FAULT (or, for scripts that have not reported yet,
//! in INIT).
//!
//! The rules are keepalived's (vrrp_track.c, 2.2.x), written here as a
//! function of the current states rather than keepalived's running total:
//!
//! - Script, interface and process trackers are up/down signals with a
//!   weight `w` and a multiplier `m` (+1, or -1 with `reverse`):
//!   - `w == 0`: the instance is in FAULT when the signal is down (or, with
//!     `reverse`, when it is up).
//!   - `w > 0`: adds `w * m` while up, nothing while down.
//!   - `w < 0`: adds `w * m` while down, nothing while up.
//! - A script that has not yet finished its first run contributes nothing;
//!   with weight 0 it keeps the instance in INIT until it reports.
//! - A track file's value `v` (already clamped to -254..=254 when read):
//!   - `w == 0`: FAULT when `v != 0` (or, with `reverse`, when `v == 0`).
//!   - otherwise `s = v * w * m`, clamped to -254..=253; `s == -254` means
//!     FAULT, else `s` is added.
//! - The sum is added to the base priority and clamped to 1..=254.
//! - An address owner (base 255) keeps 255 whatever the weights
//!   (keepalived.conf(5): "if an instance has priority 255 configured, the
//!   priority cannot be reduced by track_scripts ..."); weight-0 trackers
//!   (and a track file at -254) still put it in FAULT.

/// State of an up/down tracker (script, interface, process).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// No result yet (a script before its first run finished).
    Init,
    /// Up / success / quorum present.
    Up,
    /// Down / failure / quorum absent.
    Down,
}

impl Signal {
    /// `Up` when `b`, else `Down`.
    pub fn from_bool(b: bool) -> Self {
        if b {
            Signal::Up
        } else {
            Signal::Down
        }
    }
}

/// One tracker as seen by one instance (weights already resolved from
/// the instance's `track_*` entry and the tracker's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// `track_script`, `track_interface`, `track_process`.
    Signal {
        /// Current state.
        state: Signal,
        /// Weight in force.
        weight: i32,
        /// `reverse` in force.
        reverse: bool,
    },
    /// `track_file`.
    File {
        /// Last value read from the file (see [`crate::parse_value`]).
        value: i64,
        /// Weight in force.
        weight: i32,
        /// `reverse` in force.
        reverse: bool,
    },
}

/// What the trackers do to an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effect {
    /// At least one tracker puts the instance in FAULT.
    pub fault: bool,
    /// A weight-0 script has not reported yet: keepalived keeps the instance
    /// in INIT (neither FAULT nor running) until it does.
    pub init: bool,
    /// Effective priority to advertise.
    pub priority: u8,
}

/// Lowest and highest value a track file contributes (keepalived: -254 is
/// the FAULT marker, 253 the largest adjustment).
const FILE_FAULT: i64 = -254;
const FILE_MAX: i64 = 253;

/// Effective priority and FAULT/INIT state for `base` and `inputs`.
pub fn effective_priority(base: u8, inputs: impl IntoIterator<Item = Input>) -> Effect {
    let mut fault = false;
    let mut init = false;
    let mut total: i64 = i64::from(base);
    for input in inputs {
        match input {
            Input::Signal {
                state,
                weight,
                reverse,
            } => {
                let m: i64 = if reverse { -1 } else { 1 };
                let w = i64::from(weight);
                match state {
                    Signal::Init => {
                        if weight == 0 {
                            init = true;
                        }
                    }
                    Signal::Up | Signal::Down => {
                        let up = state == Signal::Up;
                        if weight == 0 {
                            // Fault when the signal disagrees with the direction.
                            if up == reverse {
                                fault = true;
                            }
                        } else if (w > 0) == up {
                            total += w * m;
                        }
                    }
                }
            }
            Input::File {
                value,
                weight,
                reverse,
            } => {
                let status = if weight == 0 {
                    if (value != 0) != reverse {
                        FILE_FAULT
                    } else {
                        0
                    }
                } else {
                    let m: i64 = if reverse { -1 } else { 1 };
                    value
                        .clamp(-254, 254)
                        .saturating_mul(i64::from(weight))
                        .saturating_mul(m)
                        .clamp(FILE_FAULT, FILE_MAX)
                };
                if status == FILE_FAULT {
                    fault = true;
                } else {
                    total += status;
                }
            }
        }
    }
    let priority = if base == 255 {
        255
    } else {
        total.clamp(1, 254) as u8
    };
    Effect {
        fault,
        init: init && !fault,
        priority,
    }
}

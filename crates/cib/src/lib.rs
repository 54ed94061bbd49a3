//! vigil-cib: vigil's cluster model (Pacemaker's Cluster Information Base,
//! configuration + status) as typed Rust structures, with Pacemaker CIB XML
//! read ([`parse_cib`]) and written ([`write_cib`]).
//!
//! Pure: `&str` in, `String` out; no clocks, files or sockets.

mod dom;
pub mod error;
pub mod model;
mod node_attrs;
pub mod rules;
pub mod score;
pub mod time;
mod xml_read;
mod xml_write;

pub use error::{CibError, Warning};
pub use model::*;
pub use rules::{
    AttrExpr, AttrOp, BoolOp, DateExpr, DateOp, DateSpec, Expression, OpExpr, RscAgent, RscExpr,
    Rule, RuleContext, SpecRange, ValueSource, ValueType,
};
pub use score::{Score, ScoreError, INFINITY};
pub use time::{parse_datetime, parse_interval_ms, IsoDuration};
pub use xml_read::{parse_cib, parse_cib_with_warnings};
pub use xml_write::write_cib;

/// Pacemaker's boolean spellings: true/on/yes/y/1 and false/off/no/n/0
/// (any case). Anything else is None.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "on" | "yes" | "y" | "1" => Some(true),
        "false" | "off" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

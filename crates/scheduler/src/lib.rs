//! vigil-scheduler: the policy engine.
//!
//! A pure function from a CIB (configuration + status) and "now" to node and resource
//! states, placement scores and a transition graph, deciding what Pacemaker's scheduler
//! decides, plus a printer that writes what `crm_simulate -S` prints.
//!
//! Pipeline (Pacemaker Explained, "Cluster Status" and "Resource Placement"):
//! [`unpack`] reads configuration and status into a working set, [`alloc`] assigns
//! resources to nodes, [`actions`] creates the actions and their orderings, [`graph`]
//! runs the graph the way crm_simulate's dummy executor does, [`simulate`] prints.

pub mod actions;
pub mod alloc;
pub mod constraints;
pub mod graph;
pub mod model;
pub mod orders;
pub mod promote;
pub mod simulate;
pub mod unpack;
pub mod unpack_rsc;
pub mod unpack_status;

pub use graph::to_dot;
pub use model::{Action, ActionKind, Edge, Role, Schedule, Score};
pub use simulate::{render, RenderOptions};

/// Inputs to [`schedule`] besides the CIB.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// "Now" in seconds since the Unix epoch (UTC), as `crm_simulate -t` sets it;
    /// `None` means the CIB's own `execution-date` if it has one, else `wall_clock`.
    pub now: Option<i64>,
    /// The caller's clock (epoch seconds), used when neither `now` nor the CIB's
    /// `execution-date` says what time it is. The scheduler never reads a clock.
    pub wall_clock: i64,
}

/// Errors the scheduler reports; each names the element at fault.
#[derive(Debug, thiserror::Error)]
pub enum SchedError {
    /// The CIB text could not be read into the model (located by line:column).
    #[error(transparent)]
    Cib(Box<vigil_cib::CibError>),
    /// A constraint or resource refers to an id that does not exist.
    #[error("{element} '{id}': unknown {what} '{reference}'")]
    UnknownReference {
        /// Tag of the referring element.
        element: String,
        /// Id of the referring element.
        id: String,
        /// Kind of thing referred to (resource, node, template).
        what: &'static str,
        /// The id that was not found.
        reference: String,
    },
    /// A date/time value that cannot be parsed.
    #[error("invalid date/time '{0}'")]
    BadDate(String),
}

impl From<vigil_cib::CibError> for SchedError {
    fn from(e: vigil_cib::CibError) -> SchedError {
        SchedError::Cib(Box::new(e))
    }
}

/// Schedule a CIB model: the entry point.
///
/// The scheduler reads vigil's typed model (configuration + status) directly; XML is
/// only one way into that model ([`parse_cib`]).
pub fn schedule(cib: &vigil_cib::Cib, opts: &Options) -> Result<Schedule, SchedError> {
    let mut ws = unpack::unpack(cib, opts)?;
    alloc::assign(&mut ws);
    promote::assign_roles(&mut ws);
    orders::apply(&mut ws);
    actions::create(&mut ws);
    Ok(graph::finish(ws))
}

/// Read CIB XML text into the model (re-exported from `vigil_cib`), with the
/// scheduler's error type.
pub fn parse_cib(text: &str) -> Result<vigil_cib::Cib, SchedError> {
    Ok(vigil_cib::parse_cib(text)?)
}

/// Parse a `-t`/`--set-datetime` value (ISO 8601: `2005-020T12:30`, `2014-05-07 00:28:00`,
/// optional zone offset) to seconds since the epoch.
pub fn parse_datetime(text: &str) -> Result<i64, SchedError> {
    vigil_cib::parse_datetime(text).ok_or_else(|| SchedError::BadDate(text.to_string()))
}

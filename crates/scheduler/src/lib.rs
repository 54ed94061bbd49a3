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
pub mod rules;
pub mod simulate;
pub mod unpack;
pub mod unpack_rsc;
pub mod unpack_status;
pub mod xml;

pub use graph::to_dot;
pub use model::{Action, ActionKind, Edge, Role, Schedule, Score};
pub use simulate::{render, RenderOptions};

/// Inputs to [`schedule`] besides the CIB.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// "Now" in seconds since the Unix epoch (UTC); `None` means the CIB's own
    /// `execution-date` property if any, else 0.
    pub now: Option<i64>,
}

/// Errors the scheduler reports; each names the element at fault.
#[derive(Debug, thiserror::Error)]
pub enum SchedError {
    /// The CIB text is not well-formed XML.
    #[error("XML error at byte {offset}: {message}")]
    Xml {
        /// Byte offset into the document.
        offset: u64,
        /// What the XML reader said.
        message: String,
    },
    /// The document has no `<configuration>` or no `<status>` where one is required.
    #[error("missing <{0}> section")]
    MissingSection(&'static str),
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
    /// A score attribute holds something that is not a score.
    #[error("{element} '{id}': invalid score '{value}'")]
    BadScore {
        /// Tag of the element.
        element: String,
        /// Id of the element.
        id: String,
        /// Offending text.
        value: String,
    },
    /// A date/time value that cannot be parsed.
    #[error("invalid date/time '{0}'")]
    BadDate(String),
    /// The CIB could not be turned into XML for unpacking.
    #[error("CIB model error: {0}")]
    Model(String),
}

/// Schedule a CIB model (the public entry point).
///
/// The model is written back to XML with [`vigil_cib::write_cib`] and unpacked from
/// there, so every detail the CIB carries (operation history attributes, rules, sets)
/// reaches the scheduler even where the typed model does not interpret it.
pub fn schedule(cib: &vigil_cib::Cib, opts: &Options) -> Result<Schedule, SchedError> {
    let text = vigil_cib::write_cib(cib);
    let mut opts = opts.clone();
    if opts.now.is_none() {
        opts.now = cib.execution_date;
    }
    schedule_xml(&text, &opts)
}

/// Schedule from CIB XML text directly.
pub fn schedule_xml(xml_text: &str, opts: &Options) -> Result<Schedule, SchedError> {
    let root = xml::Element::parse(xml_text)?;
    schedule_element(&root, opts)
}

/// Schedule from a parsed XML tree of the whole CIB.
pub fn schedule_element(root: &xml::Element, opts: &Options) -> Result<Schedule, SchedError> {
    let mut ws = unpack::unpack(root, opts)?;
    alloc::assign(&mut ws);
    actions::create(&mut ws);
    Ok(graph::finish(ws))
}

/// Parse a `-t`/`--set-datetime` value (ISO 8601: `2005-020T12:30`, `2014-05-07 00:28:00`,
/// optional zone offset) to seconds since the epoch.
pub fn parse_datetime(text: &str) -> Result<i64, SchedError> {
    rules::parse_iso8601(text).ok_or_else(|| SchedError::BadDate(text.to_string()))
}

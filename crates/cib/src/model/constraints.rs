//! Constraints: location, colocation, order and ticket, with resource sets
//! (Pacemaker Explained, "Resource Constraints", "Multi-Site Clusters").

use super::Role;
use crate::rules::Rule;
use crate::score::Score;

/// A constraint in `<constraints>`.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// `<rsc_location>`.
    Location(Location),
    /// `<rsc_colocation>`.
    Colocation(Colocation),
    /// `<rsc_order>`.
    Order(Order),
    /// `<rsc_ticket>`.
    Ticket(Ticket),
}

impl Constraint {
    /// The constraint's id.
    pub fn id(&self) -> &str {
        match self {
            Constraint::Location(c) => &c.id,
            Constraint::Colocation(c) => &c.id,
            Constraint::Order(c) => &c.id,
            Constraint::Ticket(c) => &c.id,
        }
    }
}

/// `resource-discovery` of a location constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceDiscovery {
    /// "always" (default).
    Always,
    /// "never".
    Never,
    /// "exclusive".
    Exclusive,
}

/// `<rsc_location>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// `id`.
    pub id: String,
    /// `rsc`.
    pub rsc: Option<String>,
    /// `rsc-pattern` (a regular expression over resource ids).
    pub rsc_pattern: Option<String>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
    /// `node`.
    pub node: Option<String>,
    /// `score`.
    pub score: Option<Score>,
    /// `role`.
    pub role: Option<Role>,
    /// `<rule>`s (each with its own score).
    pub rules: Vec<Rule>,
    /// `resource-discovery`.
    pub resource_discovery: Option<ResourceDiscovery>,
}

/// `<rsc_colocation>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Colocation {
    /// `id`.
    pub id: String,
    /// `rsc`: the dependent resource.
    pub rsc: Option<String>,
    /// `with-rsc`: the primary resource.
    pub with_rsc: Option<String>,
    /// `rsc-role`.
    pub rsc_role: Option<Role>,
    /// `with-rsc-role`.
    pub with_rsc_role: Option<Role>,
    /// `score`.
    pub score: Option<Score>,
    /// `node-attribute` (default "#uname").
    pub node_attribute: Option<String>,
    /// `influence`.
    pub influence: Option<bool>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
}

/// An action named by an order constraint or resource set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RscAction {
    /// "start".
    Start,
    /// "stop".
    Stop,
    /// "promote".
    Promote,
    /// "demote".
    Demote,
}

impl RscAction {
    /// Parse an action name.
    pub fn parse(s: &str) -> Option<RscAction> {
        Some(match s {
            "start" => RscAction::Start,
            "stop" => RscAction::Stop,
            "promote" => RscAction::Promote,
            "demote" => RscAction::Demote,
            _ => return None,
        })
    }
    /// The XML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RscAction::Start => "start",
            RscAction::Stop => "stop",
            RscAction::Promote => "promote",
            RscAction::Demote => "demote",
        }
    }
}

/// `kind` of an order constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderKind {
    /// "Mandatory".
    Mandatory,
    /// "Optional".
    Optional,
    /// "Serialize".
    Serialize,
}

/// `<rsc_order>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// `id`.
    pub id: String,
    /// `first`.
    pub first: Option<String>,
    /// `then`.
    pub then: Option<String>,
    /// `first-action` (default start).
    pub first_action: Option<RscAction>,
    /// `then-action` (default: first-action).
    pub then_action: Option<RscAction>,
    /// `kind` (an unknown kind is read as Mandatory with a warning).
    pub kind: Option<OrderKind>,
    /// `score` (legacy: 0 means Optional, otherwise Mandatory).
    pub score: Option<Score>,
    /// `symmetrical`.
    pub symmetrical: Option<bool>,
    /// `require-all`.
    pub require_all: Option<bool>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
}

/// `loss-policy` of a ticket constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LossPolicy {
    /// "stop" (default).
    Stop,
    /// "demote".
    Demote,
    /// "fence".
    Fence,
    /// "freeze".
    Freeze,
}

/// `<rsc_ticket>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    /// `id`.
    pub id: String,
    /// `rsc`.
    pub rsc: Option<String>,
    /// `<resource_set>`s.
    pub sets: Vec<ResourceSet>,
    /// `rsc-role`.
    pub rsc_role: Option<Role>,
    /// `ticket`.
    pub ticket: String,
    /// `loss-policy`.
    pub loss_policy: Option<LossPolicy>,
}

/// `<resource_set>` inside a constraint.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSet {
    /// `id` (for an id-ref set: the referenced id).
    pub id: String,
    /// Written as `id-ref` (contents resolved from the referenced set).
    pub is_ref: bool,
    /// `sequential`.
    pub sequential: Option<bool>,
    /// `require-all`.
    pub require_all: Option<bool>,
    /// `ordering` ("group"/"listed", deprecated).
    pub ordering: Option<String>,
    /// `action`.
    pub action: Option<RscAction>,
    /// `role`.
    pub role: Option<Role>,
    /// `score`.
    pub score: Option<Score>,
    /// `kind` (order sets).
    pub kind: Option<OrderKind>,
    /// `<resource_ref id=...>`s in order.
    pub resources: Vec<String>,
}

//! The scheduler's working set: nodes, resources, constraints, actions; and the
//! [`Schedule`] it returns.

use std::collections::BTreeMap;

pub use vigil_cib::INFINITY;

/// Add two scores with Pacemaker's infinity math (`vigil_cib::Score`): -INFINITY wins
/// over +INFINITY, results clamp to ±INFINITY.
pub fn add_scores(a: i64, b: i64) -> i64 {
    (vigil_cib::Score::new(a) + vigil_cib::Score::new(b)).value()
}

/// A score as Pacemaker prints it (`INFINITY`, `-INFINITY`, or the number).
pub fn score_text(v: i64) -> String {
    vigil_cib::Score::new(v).to_string()
}

/// Parse a score-valued meta-attribute (`INFINITY`, `-INFINITY`, integers; clamped).
/// Like Pacemaker's integer parsing of such values, text after a leading integer is
/// ignored ("2.0" is 2).
pub fn parse_score(text: &str) -> Option<i64> {
    if let Ok(s) = vigil_cib::Score::parse(text) {
        return Some(s.value());
    }
    let t = text.trim();
    let digits_end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
        .map_or(t.len(), |(i, _)| i);
    vigil_cib::Score::parse(&t[..digits_end])
        .ok()
        .map(vigil_cib::Score::value)
}

/// Pacemaker's boolean "true" spellings (true/on/yes/y/1).
pub fn is_true(v: &str) -> bool {
    vigil_cib::parse_bool(v) == Some(true)
}

/// A resource role (Pacemaker Explained: "Resource roles").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Role {
    /// Not known (yet).
    #[default]
    Unknown,
    /// Not running.
    Stopped,
    /// Running (non-promotable, or not yet promoted/demoted).
    Started,
    /// Running in the unpromoted role of a promotable clone.
    Unpromoted,
    /// Running in the promoted role.
    Promoted,
}

impl Role {
    /// Parse a role name (old names `Master`/`Slave` included).
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "Unknown" => Some(Role::Unknown),
            _ => vigil_cib::Role::parse(s).map(Role::from),
        }
    }

    /// The name crm_simulate prints.
    pub fn name(self) -> &'static str {
        match self {
            Role::Unknown => "Unknown",
            Role::Stopped => "Stopped",
            Role::Started => "Started",
            Role::Unpromoted => "Unpromoted",
            Role::Promoted => "Promoted",
        }
    }
}

impl From<vigil_cib::Role> for Role {
    fn from(r: vigil_cib::Role) -> Role {
        match r {
            vigil_cib::Role::Stopped => Role::Stopped,
            vigil_cib::Role::Started => Role::Started,
            vigil_cib::Role::Unpromoted => Role::Unpromoted,
            vigil_cib::Role::Promoted => Role::Promoted,
        }
    }
}

/// Kind of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A full cluster member.
    Member,
    /// A Pacemaker Remote node (ocf:pacemaker:remote connection).
    Remote,
    /// A guest node (resource with `remote-node` meta).
    Guest,
}

/// A node and what the status section says about it.
#[derive(Debug, Clone)]
pub struct Node {
    /// `id` from `<node>`.
    pub id: String,
    /// `uname`.
    pub uname: String,
    /// Member, remote or guest.
    pub kind: NodeKind,
    /// Member of the cluster and ready to run resources.
    pub online: bool,
    /// Must be fenced before its resources are known to be stopped.
    pub unclean: bool,
    /// In standby (attribute `standby`).
    pub standby: bool,
    /// Standby because a resource failed with on-fail=standby.
    pub standby_onfail: bool,
    /// In maintenance (attribute `maintenance` or cluster maintenance-mode).
    pub maintenance: bool,
    /// Joining, not yet a full member.
    pub pending: bool,
    /// Shutting down (transient attribute `shutdown`).
    pub shutdown: bool,
    /// Expected to be up (`expected="member"`).
    pub expected_up: bool,
    /// Whether the status section had an entry.
    pub seen: bool,
    /// Is the DC.
    pub is_dc: bool,
    /// Node attributes (configuration then transient), plus `#uname`, `#id`, `#kind`.
    pub attrs: BTreeMap<String, String>,
    /// Utilization capacities.
    pub utilization: BTreeMap<String, i64>,
    /// For remote/guest nodes: the connection (or container) resource.
    pub remote_rsc: Option<usize>,
    /// Number of resources assigned so far (tie-break in placement).
    pub num_assigned: usize,
    /// Why this node will be fenced, if it will.
    pub fence_reason: Option<String>,
    /// Has the remote connection been seen as failed.
    pub remote_was_fenced: bool,
    /// Fencing decided while scheduling (e.g. a lost ticket with loss-policy=fence),
    /// not part of the status as crm_simulate prints it before the transition.
    pub fence_by_scheduler: bool,
    /// Node health as printed ("RED", "YELLOW") when a node-health-strategy is
    /// in effect and a `#health-*` attribute is not green.
    pub health: Option<&'static str>,
    /// No resource may run here because of its health (node-health-strategy).
    pub health_banned: bool,
    /// Ids of the `lrm_resource` entries in this node's status history.
    pub lrm_ids: Vec<String>,
}

impl Node {
    /// Whether resources may be placed here (Pacemaker's `pcmk__node_available`).
    pub fn can_run(&self) -> bool {
        self.online
            && !self.unclean
            && !self.standby
            && !self.standby_onfail
            && !self.shutdown
            && !self.maintenance
            && !self.pending
            && !self.health_banned
    }
}

/// Variant of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// A primitive.
    Primitive,
    /// A group.
    Group,
    /// A clone (promotable or not).
    Clone,
    /// A bundle.
    Bundle,
}

/// A recurring or one-shot operation definition from `<operations>`.
#[derive(Debug, Clone)]
pub struct OpDef {
    /// `id`.
    pub id: String,
    /// `name` (monitor, start, ...).
    pub name: String,
    /// Interval in ms.
    pub interval_ms: u64,
    /// `role` the op applies to.
    pub role: Option<Role>,
    /// `on-fail`.
    pub on_fail: Option<String>,
    /// `enabled`.
    pub enabled: bool,
}

/// One history entry (`lrm_rsc_op`).
#[derive(Debug, Clone)]
pub struct OpHistory {
    /// `id`.
    pub id: String,
    /// `operation`.
    pub task: String,
    /// Interval in ms.
    pub interval_ms: u64,
    /// `call-id`.
    pub call_id: i64,
    /// `rc-code`.
    pub rc: i32,
    /// `op-status`.
    pub status: i32,
    /// Expected rc (from `transition-key`).
    pub target_rc: i32,
    /// `last-rc-change` or `last-run`.
    pub last_change: i64,
    /// `exit-reason`.
    pub exit_reason: String,
    /// `migrate_source`/`migrate_target`.
    pub migrate_source: Option<String>,
    /// Migration target.
    pub migrate_target: Option<String>,
    /// `op-digest`.
    pub digest: Option<String>,
}

/// A resource in the tree.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Id (clone instances get `:N` suffixes).
    pub id: String,
    /// Id as configured (without instance suffix).
    pub base_id: String,
    /// Variant.
    pub variant: Variant,
    /// Parent in the tree.
    pub parent: Option<usize>,
    /// Children (group members, clone instances).
    pub children: Vec<usize>,
    /// `class`.
    pub class: String,
    /// `provider`.
    pub provider: String,
    /// `type`.
    pub ty: String,
    /// Meta attributes (own, inherited from parent and defaults).
    pub meta: BTreeMap<String, String>,
    /// Operations.
    pub ops: Vec<OpDef>,
    /// Utilization.
    pub utilization: BTreeMap<String, i64>,
    /// Priority meta.
    pub priority: i64,
    /// Stickiness.
    pub stickiness: i64,
    /// migration-threshold (0 = none).
    pub migration_threshold: i64,
    /// failure-timeout seconds (0 = none).
    pub failure_timeout: i64,
    /// is-managed.
    pub managed: bool,
    /// Maintenance.
    pub maintenance: bool,
    /// Target role from meta.
    pub target_role: Option<Role>,
    /// Promotable clone.
    pub promotable: bool,
    /// Globally unique clone.
    pub unique: bool,
    /// clone-max / promoted-max etc.
    pub clone_max: usize,
    /// clone-node-max.
    pub clone_node_max: usize,
    /// promoted-max.
    pub promoted_max: usize,
    /// promoted-node-max.
    pub promoted_node_max: usize,
    /// interleave.
    pub interleave: bool,
    /// ordered (clones) / ordered (groups, default true).
    pub ordered: bool,
    /// Orphan: in status but not in configuration.
    pub orphan: bool,
    /// Could not be found in configuration but history exists and its agent is gone.
    pub failed: bool,
    /// Blocked (on-fail=block or failed stop without fencing).
    pub blocked: bool,
    /// Current role (highest over nodes).
    pub role: Role,
    /// Desired next role.
    pub next_role: Option<Role>,
    /// Nodes this resource is active on, with its role there.
    pub running_on: Vec<(usize, Role)>,
    /// Nodes where it is known failed.
    pub failed_on: Vec<usize>,
    /// Pending operation (task, node) if any.
    pub pending: Option<(String, usize)>,
    /// Node scores.
    pub allowed: BTreeMap<usize, i64>,
    /// Explicitly allowed nodes (asymmetric clusters).
    pub assigned: Option<usize>,
    /// Assignment done.
    pub assign_done: bool,
    /// Assignment in progress (loop guard).
    pub assigning: bool,
    /// Fail counts per node.
    pub fail_count: BTreeMap<usize, i64>,
    /// History per node, sorted by call id.
    pub history: BTreeMap<usize, Vec<OpHistory>>,
    /// Nodes where a probe is known (any history).
    pub probed_on: Vec<usize>,
    /// Partial migration (source, target).
    pub partial_migration: Option<(usize, usize)>,
    /// Dangling migration source.
    pub dangling_migration: Vec<usize>,
    /// Recurring monitors found active per node: (interval, name).
    pub active_recurring: BTreeMap<usize, Vec<(u64, String)>>,
    /// Why a restart in place is needed ("required A start"), if one is.
    pub restart_reason: Option<String>,
    /// A start (or keeping it running) that an ordering forbids: the reason
    /// ("unrunnable A start") and the node it was assigned to.
    pub blocked_start: Option<(String, usize)>,
    /// The name the status history used for this anonymous clone instance (the last
    /// `lrm_resource` id that differed from the instance id), which the transition
    /// graph uses for its actions.
    pub clone_name: Option<String>,
    /// Active role=Stopped recurring monitors per node (intervals, ms).
    pub stopped_monitors: BTreeMap<usize, Vec<u64>>,
    /// Nodes where the fail count is to be cleared (expired, or the resource is gone).
    pub clear_failcount: Vec<usize>,
    /// A promotable clone instance that will be promoted (see `promote`).
    pub promote_next: bool,
    /// Moves by live migration in this transition.
    pub migrating: bool,
    /// A needed stop that cannot happen: a mandatory ordering needs an unmanaged
    /// resource to stop first.
    pub stop_blocked: bool,
    /// Instance attributes.
    pub params: BTreeMap<String, String>,
    /// Requires (quorum, fencing, nothing, unfencing).
    pub requires: String,
    /// Multiple-active policy.
    pub multiple_active: String,
    /// allow-migrate.
    pub allow_migrate: bool,
    /// Remote node this connection resource provides.
    pub remote_node: Option<usize>,
    /// Remote: the container of a guest node.
    pub container: Option<usize>,
    /// Order of appearance in configuration.
    pub config_order: usize,
    /// Failure ignored (on-fail=ignore).
    pub failure_ignored: bool,
    /// Locked to a node (shutdown-lock).
    pub lock_node: Option<usize>,
}

impl Resource {
    /// A fresh resource with defaults.
    pub fn new(id: &str, variant: Variant) -> Resource {
        Resource {
            id: id.to_string(),
            base_id: id.to_string(),
            variant,
            parent: None,
            children: Vec::new(),
            class: String::new(),
            provider: String::new(),
            ty: String::new(),
            meta: BTreeMap::new(),
            ops: Vec::new(),
            utilization: BTreeMap::new(),
            priority: 0,
            stickiness: 0,
            migration_threshold: INFINITY,
            failure_timeout: 0,
            managed: true,
            maintenance: false,
            target_role: None,
            promotable: false,
            unique: false,
            clone_max: 0,
            clone_node_max: 1,
            promoted_max: 1,
            promoted_node_max: 1,
            interleave: false,
            ordered: false,
            orphan: false,
            failed: false,
            blocked: false,
            role: Role::Stopped,
            next_role: None,
            running_on: Vec::new(),
            failed_on: Vec::new(),
            pending: None,
            allowed: BTreeMap::new(),
            assigned: None,
            assign_done: false,
            assigning: false,
            fail_count: BTreeMap::new(),
            history: BTreeMap::new(),
            probed_on: Vec::new(),
            partial_migration: None,
            dangling_migration: Vec::new(),
            active_recurring: BTreeMap::new(),
            restart_reason: None,
            blocked_start: None,
            stop_blocked: false,
            migrating: false,
            promote_next: false,
            clear_failcount: Vec::new(),
            stopped_monitors: BTreeMap::new(),
            clone_name: None,
            params: BTreeMap::new(),
            requires: "quorum".into(),
            multiple_active: "stop_start".into(),
            allow_migrate: false,
            remote_node: None,
            container: None,
            config_order: 0,
            failure_ignored: false,
            lock_node: None,
        }
    }

    /// `class:provider:type` as printed.
    pub fn agent(&self) -> String {
        if self.provider.is_empty() {
            format!("{}:{}", self.class, self.ty)
        } else {
            format!("{}:{}:{}", self.class, self.provider, self.ty)
        }
    }
}

/// A location preference (after rule evaluation): resource, node, score, role.
#[derive(Debug, Clone)]
pub struct Location {
    /// Constraint id.
    pub id: String,
    /// Resource index.
    pub rsc: usize,
    /// Node index.
    pub node: usize,
    /// Score.
    pub score: i64,
    /// Role filter.
    pub role: Option<Role>,
}

/// A colocation: `dependent` with `primary`.
#[derive(Debug, Clone)]
pub struct Colocation {
    /// Constraint id.
    pub id: String,
    /// The resource being placed relative to the other.
    pub dependent: usize,
    /// The resource it is placed with.
    pub primary: usize,
    /// Score.
    pub score: i64,
    /// Role of the dependent.
    pub dependent_role: Option<Role>,
    /// Role of the primary.
    pub primary_role: Option<Role>,
    /// Node attribute to colocate on (default `#uname`).
    pub node_attribute: String,
    /// Whether the dependent's preferences influence the primary.
    pub influence: bool,
}

/// Kind of an ordering's first/then action.
#[derive(Debug, Clone)]
pub struct Ordering {
    /// Constraint id.
    pub id: String,
    /// First resource.
    pub first: usize,
    /// First action (start, stop, promote, demote).
    pub first_task: String,
    /// Then resource.
    pub then: usize,
    /// Then action.
    pub then_task: String,
    /// Mandatory (score > 0 / kind=Mandatory), optional or serialize.
    pub kind: OrderKind,
    /// False when any one of several firsts suffices (`require-all="false"`).
    pub require_all: bool,
}

/// A `require-all="false"` ordering set: the thens may start once any one of the
/// firsts has, through the pseudo action `name`.
#[derive(Debug, Clone)]
pub struct OneOrMore {
    /// Pseudo action name, "one-or-more:<set id>".
    pub name: String,
    /// The set's members.
    pub firsts: Vec<usize>,
    /// Their action.
    pub first_task: String,
    /// What follows the set.
    pub thens: Vec<usize>,
    /// Its action.
    pub then_task: String,
}

/// Ordering strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    /// kind=Mandatory.
    Mandatory,
    /// kind=Optional (or score 0).
    Optional,
    /// kind=Serialize.
    Serialize,
}

/// What an action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionKind {
    /// An operation executed by a resource agent on a node.
    Resource,
    /// A pseudo action (group/clone bookkeeping).
    Pseudo,
    /// Fencing of a node.
    Fence,
    /// A cluster action (do_shutdown).
    Cluster,
}

/// One action in the transition graph.
#[derive(Debug, Clone)]
pub struct Action {
    /// Index in `Schedule::actions`.
    pub id: usize,
    /// Kind.
    pub kind: ActionKind,
    /// Resource, for resource and pseudo actions.
    pub rsc: Option<usize>,
    /// Task: start, stop, monitor, promote, ... (`stonith` for fencing).
    pub task: String,
    /// Interval for recurring monitors.
    pub interval_ms: u64,
    /// Node the action runs on.
    pub node: Option<usize>,
    /// Not needed unless something requires it.
    pub optional: bool,
    /// Can run.
    pub runnable: bool,
    /// Free-form text (fence type, reason).
    pub detail: String,
    /// Key such as `rsc_start_0`.
    pub key: String,
}

/// `before` must complete before `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// First action.
    pub before: usize,
    /// Then action.
    pub after: usize,
    /// Flags of the ordering (see `actions::ord`).
    pub flags: u32,
}

/// A placement score of a resource on a node.
#[derive(Debug, Clone)]
pub struct Score {
    /// Resource id.
    pub rsc: String,
    /// Node name.
    pub node: String,
    /// Score.
    pub score: i64,
}

/// A printable view of the cluster (before or after the transition).
#[derive(Debug, Clone)]
pub struct ClusterView {
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Resources (same indices as the working set).
    pub resources: Vec<Resource>,
}

/// The result of scheduling.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The cluster as the CIB describes it.
    pub current: ClusterView,
    /// The cluster after executing the transition.
    pub revised: ClusterView,
    /// Top-level resources in printing order.
    pub top: Vec<usize>,
    /// Allocation scores.
    pub scores: Vec<Score>,
    /// Actions of the graph (only those in the graph).
    pub actions: Vec<Action>,
    /// Orderings between graph actions.
    pub edges: Vec<Edge>,
    /// Transition summary lines (without the leading `* `).
    pub summary: Vec<String>,
    /// Execution order of `actions` as crm_simulate's executor runs them.
    pub executed: Vec<usize>,
    /// Warnings (configuration problems that were tolerated).
    pub warnings: Vec<String>,
    /// The CIB's `execution-date`, when it supplied "now" (crm_simulate says so).
    pub original_execution_date: Option<i64>,
}

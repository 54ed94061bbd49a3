//! The status section: node states, operation history and tickets
//! (Pacemaker Explained, "Status").

use std::collections::BTreeMap;

use super::NvSet;

/// `<status>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Status {
    /// `<node_state>`s.
    pub node_states: Vec<NodeState>,
    /// `<tickets><ticket_state>`s.
    pub tickets: Vec<TicketState>,
}

/// `<node_state>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NodeState {
    /// `id`.
    pub id: String,
    /// `uname`.
    pub uname: Option<String>,
    /// `in_ccm`: "true"/"false" or, since feature set 3.18, a timestamp
    /// ("0" = not a member). See [`NodeState::is_in_ccm`].
    pub in_ccm: Option<String>,
    /// `crmd`: "online"/"offline" or a timestamp ("0" = offline).
    /// See [`NodeState::is_crmd_online`].
    pub crmd: Option<String>,
    /// `join`: "member", "down", "pending", "banned".
    pub join: Option<String>,
    /// `expected`: "member" or "down".
    pub expected: Option<String>,
    /// `crm-debug-origin`.
    pub crm_debug_origin: Option<String>,
    /// `shutdown`: timestamp of a requested shutdown ("0" = none).
    pub shutdown: Option<String>,
    /// `remote_node="true"`: the state of a Pacemaker Remote node.
    pub remote_node: bool,
    /// Other attributes verbatim (`ha`, `node_fenced`, `clear_shutdown` ...).
    pub other_attrs: BTreeMap<String, String>,
    /// `<transient_attributes>`' sets.
    pub transient_attributes: Vec<NvSet>,
    /// `<transient_attributes id=...>`.
    pub transient_id: Option<String>,
    /// `<lrm id=...>` (None if no `<lrm>` element).
    pub lrm_id: Option<String>,
    /// `<lrm><lrm_resources>` entries.
    pub lrm: Vec<LrmResource>,
}

fn truthy_or_stamp(v: Option<&str>, yes: &str) -> bool {
    match v {
        None => false,
        Some(s) if s == yes => true,
        Some(s) => match crate::parse_bool(s) {
            Some(b) => b,
            None => s.parse::<i64>().is_ok_and(|t| t > 0),
        },
    }
}

impl NodeState {
    /// Whether the node is in the cluster membership.
    pub fn is_in_ccm(&self) -> bool {
        truthy_or_stamp(self.in_ccm.as_deref(), "true")
    }
    /// Whether the node's controller is up.
    pub fn is_crmd_online(&self) -> bool {
        truthy_or_stamp(self.crmd.as_deref(), "online")
    }
    /// Whether a shutdown is requested (non-zero `shutdown`).
    pub fn is_shutting_down(&self) -> bool {
        self.shutdown
            .as_deref()
            .is_some_and(|s| s != "0" && !s.is_empty())
    }
}

/// `<lrm_resource>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LrmResource {
    /// `id`.
    pub id: String,
    /// `class`.
    pub class: String,
    /// `provider`.
    pub provider: Option<String>,
    /// `type`.
    pub kind: String,
    /// `container`.
    pub container: Option<String>,
    /// `shutdown-lock` (epoch seconds).
    pub shutdown_lock: Option<i64>,
    /// `<lrm_rsc_op>`s in document order.
    pub ops: Vec<LrmOp>,
}

/// `<lrm_rsc_op>`: the recorded result of one operation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LrmOp {
    /// `id` (e.g. "rsc_last_0", "rsc_monitor_10000").
    pub id: String,
    /// `operation_key`.
    pub operation_key: Option<String>,
    /// `operation`.
    pub operation: String,
    /// `call-id`.
    pub call_id: i64,
    /// `rc-code` (OCF exit code).
    pub rc_code: i32,
    /// `op-status` (execution status).
    pub op_status: i32,
    /// `interval` in milliseconds.
    pub interval_ms: u64,
    /// `transition-key`.
    pub transition_key: Option<String>,
    /// `transition-magic`.
    pub transition_magic: Option<String>,
    /// `last-run` (epoch seconds).
    pub last_run: Option<i64>,
    /// `last-rc-change` (epoch seconds).
    pub last_rc_change: Option<i64>,
    /// `exec-time` (ms).
    pub exec_time: Option<u64>,
    /// `queue-time` (ms).
    pub queue_time: Option<u64>,
    /// `op-digest`.
    pub op_digest: Option<String>,
    /// `op-restart-digest`.
    pub op_restart_digest: Option<String>,
    /// `op-force-restart`.
    pub op_force_restart: Option<String>,
    /// `op-secure-params`.
    pub op_secure_params: Option<String>,
    /// `op-secure-digest`.
    pub op_secure_digest: Option<String>,
    /// `on_node`.
    pub on_node: Option<String>,
    /// `migrate_source`.
    pub migrate_source: Option<String>,
    /// `migrate_target`.
    pub migrate_target: Option<String>,
    /// `exit-reason`.
    pub exit_reason: Option<String>,
    /// `crm_feature_set`.
    pub crm_feature_set: Option<String>,
    /// `crm-debug-origin`.
    pub crm_debug_origin: Option<String>,
    /// Other attributes verbatim.
    pub other_attrs: BTreeMap<String, String>,
}

/// `<ticket_state>`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TicketState {
    /// `id`: the ticket name.
    pub id: String,
    /// `granted`.
    pub granted: bool,
    /// `standby`.
    pub standby: bool,
    /// `last-granted` (epoch seconds).
    pub last_granted: Option<i64>,
    /// Other attributes verbatim.
    pub other_attrs: BTreeMap<String, String>,
}

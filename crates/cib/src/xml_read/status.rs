//! Reading `<status>`: node states, their transient attributes and
//! operation history, and ticket states (Pacemaker Explained, "Status").

use super::Reader;
use crate::dom::Node;
use crate::error::CibError;
use crate::model::*;

impl<'d> Reader<'d> {
    pub(crate) fn status(&mut self, n: &'d Node) -> Result<Status, CibError> {
        let mut st = Status::default();
        for c in &n.children {
            match c.name.as_str() {
                // Pacemaker skips a node_state without id (with a config error).
                "node_state" if c.attr("id").is_none() => {
                    self.warn(c, "node_state without id ignored")
                }
                "node_state" => st.node_states.push(self.node_state(c)?),
                "tickets" => {
                    for t in &c.children {
                        if t.name != "ticket_state" {
                            self.unknown(t, c);
                            continue;
                        }
                        let mut ts = TicketState {
                            id: self.req(t, "id")?,
                            granted: self.boolean(t, "granted").unwrap_or(false),
                            standby: self.boolean(t, "standby").unwrap_or(false),
                            last_granted: self.int(t, "last-granted")?,
                            ..TicketState::default()
                        };
                        for (k, v) in &t.attrs {
                            if !["id", "granted", "standby", "last-granted"].contains(&k.as_str()) {
                                ts.other_attrs.insert(k.clone(), v.clone());
                            }
                        }
                        st.tickets.push(ts);
                    }
                }
                _ => self.unknown(c, n),
            }
        }
        Ok(st)
    }

    fn node_state(&mut self, n: &'d Node) -> Result<NodeState, CibError> {
        const KNOWN: &[&str] = &[
            "id",
            "uname",
            "in_ccm",
            "crmd",
            "join",
            "expected",
            "crm-debug-origin",
            "shutdown",
            "remote_node",
        ];
        let mut ns = NodeState {
            id: self.req(n, "id")?,
            uname: Self::opt(n, "uname"),
            in_ccm: Self::opt(n, "in_ccm"),
            crmd: Self::opt(n, "crmd"),
            join: Self::opt(n, "join"),
            expected: Self::opt(n, "expected"),
            crm_debug_origin: Self::opt(n, "crm-debug-origin"),
            shutdown: Self::opt(n, "shutdown"),
            remote_node: self.boolean(n, "remote_node").unwrap_or(false),
            ..NodeState::default()
        };
        for (k, v) in &n.attrs {
            if !KNOWN.contains(&k.as_str()) {
                ns.other_attrs.insert(k.clone(), v.clone());
            }
        }
        for c in &n.children {
            match c.name.as_str() {
                "transient_attributes" => {
                    ns.transient_id = Self::opt(c, "id");
                    for s in &c.children {
                        match s.name.as_str() {
                            "instance_attributes" | "utilization" => {
                                ns.transient_attributes.push(self.nvset(s)?)
                            }
                            _ => self.unknown(s, c),
                        }
                    }
                }
                "lrm" => {
                    ns.lrm_id = Some(Self::opt(c, "id").unwrap_or_default());
                    for rs in &c.children {
                        if rs.name != "lrm_resources" {
                            self.unknown(rs, c);
                            continue;
                        }
                        for r in &rs.children {
                            if r.name == "lrm_resource" {
                                ns.lrm.push(self.lrm_resource(r)?);
                            } else {
                                self.unknown(r, rs);
                            }
                        }
                    }
                }
                _ => self.unknown(c, n),
            }
        }
        Ok(ns)
    }

    fn lrm_resource(&mut self, n: &'d Node) -> Result<LrmResource, CibError> {
        let mut r = LrmResource {
            id: self.req(n, "id")?,
            class: self.req(n, "class")?,
            provider: Self::opt(n, "provider"),
            kind: self.req(n, "type")?,
            container: Self::opt(n, "container"),
            shutdown_lock: self.int(n, "shutdown-lock")?,
            ops: Vec::new(),
        };
        for c in &n.children {
            if c.name == "lrm_rsc_op" {
                r.ops.push(self.lrm_op(c)?);
            } else {
                self.unknown(c, n);
            }
        }
        Ok(r)
    }

    /// A numeric attribute under its current name or its legacy
    /// underscore spelling (`exec_time` for `exec-time`).
    fn int_alias<T: std::str::FromStr>(&self, n: &Node, attr: &str) -> Result<Option<T>, CibError> {
        match self.int(n, attr)? {
            Some(v) => Ok(Some(v)),
            None => self.int(n, &attr.replace('-', "_")),
        }
    }

    fn lrm_op(&mut self, n: &'d Node) -> Result<LrmOp, CibError> {
        const KNOWN: &[&str] = &[
            "id",
            "operation_key",
            "operation",
            "call-id",
            "rc-code",
            "op-status",
            "interval",
            "transition-key",
            "transition-magic",
            "last-run",
            "last_run",
            "last-rc-change",
            "last_rc_change",
            "exec-time",
            "exec_time",
            "queue-time",
            "queue_time",
            "op-digest",
            "op-restart-digest",
            "op-force-restart",
            "op-secure-params",
            "op-secure-digest",
            "on_node",
            "migrate_source",
            "migrate_target",
            "exit-reason",
            "crm_feature_set",
            "crm-debug-origin",
        ];
        let mut op = LrmOp {
            id: self.req(n, "id")?,
            operation_key: Self::opt(n, "operation_key"),
            operation: self.req(n, "operation")?,
            call_id: self.req_int(n, "call-id")?,
            rc_code: self.req_int(n, "rc-code")?,
            op_status: self.req_int(n, "op-status")?,
            // Status section: interval is always milliseconds.
            interval_ms: self.req_int(n, "interval")?,
            transition_key: Self::opt(n, "transition-key"),
            transition_magic: Self::opt(n, "transition-magic"),
            last_run: self.int_alias(n, "last-run")?,
            last_rc_change: self.int_alias(n, "last-rc-change")?,
            exec_time: self.int_alias(n, "exec-time")?,
            queue_time: self.int_alias(n, "queue-time")?,
            op_digest: Self::opt(n, "op-digest"),
            op_restart_digest: Self::opt(n, "op-restart-digest"),
            op_force_restart: Self::opt(n, "op-force-restart"),
            op_secure_params: Self::opt(n, "op-secure-params"),
            op_secure_digest: Self::opt(n, "op-secure-digest"),
            on_node: Self::opt(n, "on_node"),
            migrate_source: Self::opt(n, "migrate_source"),
            migrate_target: Self::opt(n, "migrate_target"),
            exit_reason: Self::opt(n, "exit-reason"),
            crm_feature_set: Self::opt(n, "crm_feature_set"),
            crm_debug_origin: Self::opt(n, "crm-debug-origin"),
            other_attrs: Default::default(),
        };
        for (k, v) in &n.attrs {
            if !KNOWN.contains(&k.as_str()) {
                op.other_attrs.insert(k.clone(), v.clone());
            }
        }
        Ok(op)
    }
}

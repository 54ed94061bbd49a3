//! Notify FIFO lines (keepalived.conf(5) `notify_fifo`, `vrrp_notify_fifo`).
//!
//! keepalived writes the last four arguments of the `notify` script as one line:
//! `INSTANCE "VI_1" MASTER 100` (the instance's effective priority) or
//! `GROUP "G" BACKUP 0` (groups have no priority). An instance also reports
//! `MASTER_RX_LOWER_PRI` when, as master, it receives a lower priority advert, and, with
//! `notify_priority_changes`, `MASTER_PRIORITY` / `BACKUP_PRIORITY` when its priority
//! changes while master / backup.

use super::snapshot::VrrpState;

/// Something an instance reports on the FIFO.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceEvent {
    /// Entered a state (MASTER, BACKUP, FAULT, STOP, DELETED).
    State(VrrpState),
    /// A master received an advert with a lower priority than its own.
    MasterRxLowerPri,
    /// The effective priority changed; `state` is the state the instance is in.
    PriorityChange {
        /// Current state (only MASTER and BACKUP report priority changes).
        state: VrrpState,
    },
}

/// One FIFO line to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FifoEvent<'a> {
    /// A `vrrp_instance` event.
    Instance {
        /// Instance name.
        name: &'a str,
        /// What happened.
        event: InstanceEvent,
        /// Effective priority after the event.
        priority: u8,
    },
    /// A `vrrp_sync_group` entered a state.
    Group {
        /// Group name.
        name: &'a str,
        /// The group's new state.
        state: VrrpState,
    },
}

/// The line (newline included) keepalived writes for `ev`, or `None` for events keepalived
/// never reports (entering INIT, a priority change outside MASTER/BACKUP).
pub fn notify_fifo_line(ev: &FifoEvent<'_>) -> Option<String> {
    let (kind, name, word, priority) = match *ev {
        FifoEvent::Instance {
            name,
            event,
            priority,
        } => {
            let word = match event {
                InstanceEvent::State(s) => state_word(s)?,
                InstanceEvent::MasterRxLowerPri => "MASTER_RX_LOWER_PRI",
                InstanceEvent::PriorityChange {
                    state: VrrpState::Master,
                } => "MASTER_PRIORITY",
                InstanceEvent::PriorityChange {
                    state: VrrpState::Backup,
                } => "BACKUP_PRIORITY",
                InstanceEvent::PriorityChange { .. } => return None,
            };
            ("INSTANCE", name, word, priority)
        }
        FifoEvent::Group { name, state } => ("GROUP", name, state_word(state)?, 0),
    };
    Some(format!("{kind} \"{name}\" {word} {priority}\n"))
}

fn state_word(s: VrrpState) -> Option<&'static str> {
    match s {
        VrrpState::Init => None,
        other => Some(other.word()),
    }
}

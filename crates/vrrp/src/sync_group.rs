//! keepalived's `vrrp_sync_group`: member instances move together. Pure:
//! member reports in, [`GroupCommand`]s and [`GroupEvent`]s out.
//!
//! Rules (keepalived.conf(5) "VRRP synchronization group(s)"; keepalived
//! `vrrp_sync.c`, `vrrp_scheduler.c` `try_up_instance`, `vrrp_track.c`
//! `down_instance`):
//!
//! - **MASTER only when every member wants it.** A member whose
//!   Master_Down_Timer fires does not become master by itself: it stays
//!   BACKUP, keeps re-arming the timer and reports
//!   [`MemberEvent::WantMaster`]. When every member wants MASTER (or the group
//!   already is MASTER) the group goes MASTER and commands every member to
//!   MASTER at once (keepalived `vrrp_sync_can_goto_master`: "prefer backup
//!   state to avoid thrashing"). A member that accepts an advert again reports
//!   [`MemberEvent::WantBackup`].
//! - **One to BACKUP, all to BACKUP.** A master member that yields to a higher
//!   priority makes the group BACKUP; the other masters are commanded to
//!   BACKUP (without a priority 0 advert, as keepalived's `vrrp_sync_backup`).
//! - **One FAULT, all FAULT.** A member's own fault (or the group's tracking
//!   fault, [`SyncGroup::set_tracking_fault`]) makes the group FAULT; every
//!   other member is commanded to FAULT (masters send a priority 0 advert).
//!   Members stay in FAULT until no member has a fault of its own and the
//!   group tracking is clear; then all are commanded to BACKUP together and a
//!   new election follows.
//! - **Notifies**: each change of the group state queues a [`GroupEvent`]
//!   (`notify_master` / `notify_backup` / `notify_fault`, and `notify` with
//!   `GROUP <name> <STATE> 0`).
//!
//! No ping-pong: commands are only produced when the group state changes, and
//! every command moves a member *into* the new group state. When the daemon
//! reports the resulting `StateChange` back, the transition leads into the
//! state the group already has and yields nothing. One input therefore gives
//! at most one round of commands (at most one per member), and feeding the
//! consequences back terminates.

use std::collections::VecDeque;

use crate::instance::State;

/// A member's own view, reported by a member [`Instance`](crate::Instance)
/// (pulled with [`Instance::poll_sync_event`](crate::Instance::poll_sync_event)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberEvent {
    /// Its Master_Down_Timer fired: it would be MASTER, and waits as BACKUP
    /// for the group (keepalived `wantstate = MASTER`).
    WantMaster,
    /// It accepted a master's advert again: it no longer wants MASTER.
    WantBackup,
    /// A fault of its own was raised (link down, failed tracking).
    Fault,
    /// Its own fault cleared; it stays in FAULT until the group leaves FAULT.
    FaultCleared,
}

/// A state the daemon must push a member to, with
/// [`Instance::sync_to`](crate::Instance::sync_to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupCommand {
    /// The member's instance id (as given to [`SyncGroup::new`]).
    pub member: usize,
    /// The state to move it to: MASTER, BACKUP or FAULT.
    pub to: State,
}

/// The group changed state: run the group's notify scripts with
/// `GROUP <name> <STATE>` and priority 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GroupEvent {
    /// Old group state ([`State::Initialize`] before the first decision).
    pub from: State,
    /// New group state: MASTER, BACKUP or FAULT.
    pub to: State,
}

impl GroupEvent {
    /// The state word of keepalived's notify arguments and FIFO lines.
    pub fn state_word(&self) -> &'static str {
        state_word(self.to)
    }

    /// The line keepalived writes to a notify FIFO for a group:
    /// `GROUP "<name>" <STATE> 0`.
    pub fn fifo_line(&self, group: &str) -> String {
        format!("GROUP \"{group}\" {} 0", self.state_word())
    }
}

fn state_word(s: State) -> &'static str {
    match s {
        State::Master => "MASTER",
        State::Backup => "BACKUP",
        State::Fault => "FAULT",
        State::Stop => "STOP",
        State::Initialize => "INIT",
    }
}

/// Why a sync group cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncGroupError {
    /// No member at all (keepalived removes such a group).
    #[error("sync group {0} has no virtual router(s)")]
    Empty(String),
    /// An instance listed twice.
    #[error("sync group {0}: instance {1} listed twice")]
    Duplicate(String, usize),
}

/// Counters of one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncGroupStats {
    /// Group transitions to MASTER.
    pub became_master: u64,
    /// Group transitions to BACKUP.
    pub became_backup: u64,
    /// Group transitions to FAULT.
    pub became_fault: u64,
    /// Commands issued to members.
    pub commands: u64,
    /// Reports about an instance that is not a member (dropped).
    pub unknown_member: u64,
}

#[derive(Debug, Clone, Copy)]
struct Member {
    id: usize,
    state: State,
    wants_master: bool,
    own_fault: bool,
}

/// One `vrrp_sync_group`: the pure coordinator of its members.
///
/// The daemon, for each member instance (made a member with
/// [`Instance::join_sync_group`](crate::Instance::join_sync_group) before
/// `start`):
///
/// 1. drains its actions; for each `Action::StateChange { from, to, .. }`
///    calls [`on_state_change`](Self::on_state_change);
/// 2. drains [`Instance::poll_sync_event`](crate::Instance::poll_sync_event)
///    and calls [`on_member_event`](Self::on_member_event);
/// 3. applies every returned [`GroupCommand`] with
///    [`Instance::sync_to`](crate::Instance::sync_to) and handles that
///    member the same way (1-3); this terminates (see the module docs);
/// 4. drains [`poll_event`](Self::poll_event) for the group notifies.
#[derive(Debug, Clone)]
pub struct SyncGroup {
    name: String,
    members: Vec<Member>,
    state: State,
    tracking_fault: bool,
    events: VecDeque<GroupEvent>,
    stats: SyncGroupStats,
}

impl SyncGroup {
    /// A group of the instances `members` (the daemon's instance ids), all in
    /// [`State::Initialize`]. keepalived warns about a group of one member
    /// and keeps it; so do we.
    pub fn new(name: &str, members: Vec<usize>) -> Result<Self, SyncGroupError> {
        if members.is_empty() {
            return Err(SyncGroupError::Empty(name.to_owned()));
        }
        let mut seen = Vec::with_capacity(members.len());
        for &m in &members {
            if seen.contains(&m) {
                return Err(SyncGroupError::Duplicate(name.to_owned(), m));
            }
            seen.push(m);
        }
        Ok(SyncGroup {
            name: name.to_owned(),
            members: members
                .into_iter()
                .map(|id| Member {
                    id,
                    state: State::Initialize,
                    wants_master: false,
                    own_fault: false,
                })
                .collect(),
            state: State::Initialize,
            tracking_fault: false,
            events: VecDeque::new(),
            stats: SyncGroupStats::default(),
        })
    }

    /// The group name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member instance ids, in configuration order.
    pub fn members(&self) -> impl Iterator<Item = usize> + '_ {
        self.members.iter().map(|m| m.id)
    }

    /// Whether `id` is a member.
    pub fn contains(&self, id: usize) -> bool {
        self.index(id).is_some()
    }

    /// The group state: [`State::Initialize`] until every member has
    /// started (or one faulted), then MASTER, BACKUP or FAULT.
    pub fn group_state(&self) -> State {
        self.state
    }

    /// The last state reported for member `id`.
    pub fn member_state(&self, id: usize) -> Option<State> {
        self.index(id).map(|i| self.members[i].state)
    }

    /// Whether member `id` last reported that it wants MASTER.
    pub fn member_wants_master(&self, id: usize) -> bool {
        self.index(id).is_some_and(|i| self.members[i].wants_master)
    }

    /// Whether the group tracking (its own `track_*`) reports a fault.
    pub fn tracking_fault(&self) -> bool {
        self.tracking_fault
    }

    /// Counters.
    pub fn stats(&self) -> &SyncGroupStats {
        &self.stats
    }

    /// The next group notify event.
    pub fn poll_event(&mut self) -> Option<GroupEvent> {
        self.events.pop_front()
    }

    fn index(&self, id: usize) -> Option<usize> {
        self.members.iter().position(|m| m.id == id)
    }

    fn any_fault(&self) -> bool {
        self.tracking_fault || self.members.iter().any(|m| m.own_fault)
    }

    /// A member's `StateChange` (every one the daemon drains, commanded or
    /// not). Returns the commands for the other members.
    pub fn on_state_change(&mut self, member: usize, from: State, to: State) -> Vec<GroupCommand> {
        let Some(i) = self.index(member) else {
            self.stats.unknown_member += 1;
            return Vec::new();
        };
        // The member resets its own wish on every change of state (an owner
        // raises it again right after, as a separate event).
        self.members[i].state = to;
        self.members[i].wants_master = false;
        match to {
            // keepalived TSM BACKUP→MASTER / FAULT→MASTER: vrrp_sync_master.
            // A member only gets here by a group command or a path that
            // bypasses the group (a reload resuming a master); follow it
            // unless the group is in FAULT.
            State::Master if self.state != State::Master && self.state != State::Fault => {
                self.go(State::Master, Some(i))
            }
            // keepalived TSM MASTER→BACKUP: vrrp_sync_backup.
            State::Backup if from == State::Master => {
                if self.state == State::Master {
                    self.go(State::Backup, Some(i))
                } else {
                    Vec::new()
                }
            }
            // keepalived down_instance → vrrp_sync_fault.
            State::Fault if self.state != State::Fault => self.go(State::Fault, Some(i)),
            State::Backup if self.state == State::Initialize => {
                // Start-up: the group is BACKUP once every member is up
                // (keepalived notifies a BACKUP group at start).
                let started = self.members.iter().all(|m| m.state != State::Initialize);
                if started {
                    self.go(State::Backup, None)
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    /// A member's own report ([`MemberEvent`]). Returns the commands.
    pub fn on_member_event(&mut self, member: usize, ev: MemberEvent) -> Vec<GroupCommand> {
        let Some(i) = self.index(member) else {
            self.stats.unknown_member += 1;
            return Vec::new();
        };
        match ev {
            MemberEvent::WantMaster => {
                self.members[i].wants_master = true;
                // keepalived vrrp_sync_can_goto_master.
                let all = self.members.iter().all(|m| m.wants_master);
                let ready = self
                    .members
                    .iter()
                    .all(|m| m.state == State::Backup || m.state == State::Master);
                if self.state != State::Fault && ready && (all || self.state == State::Master) {
                    self.go(State::Master, Some(i))
                } else {
                    Vec::new()
                }
            }
            MemberEvent::WantBackup => {
                self.members[i].wants_master = false;
                Vec::new()
            }
            MemberEvent::Fault => {
                self.members[i].own_fault = true;
                self.members[i].wants_master = false;
                if self.state != State::Fault {
                    self.go(State::Fault, Some(i))
                } else {
                    Vec::new()
                }
            }
            MemberEvent::FaultCleared => {
                self.members[i].own_fault = false;
                self.leave_fault(Some(i))
            }
        }
    }

    /// The group's own tracking (`track_interface`, `track_script`,
    /// `track_file`, `track_process`, `track_bfd` on the group with weight
    /// 0): a fault puts every member in FAULT; clearing it (with no member
    /// fault left) brings every member back to BACKUP.
    pub fn set_tracking_fault(&mut self, fault: bool) -> Vec<GroupCommand> {
        if self.tracking_fault == fault {
            return Vec::new();
        }
        self.tracking_fault = fault;
        if fault {
            if self.state != State::Fault {
                return self.go(State::Fault, None);
            }
            Vec::new()
        } else {
            self.leave_fault(None)
        }
    }

    /// keepalived try_up_instance: FAULT is left only when no member (and no
    /// group tracker) is faulty any more; then every member goes BACKUP,
    /// the one whose fault cleared last first.
    fn leave_fault(&mut self, first: Option<usize>) -> Vec<GroupCommand> {
        if self.state != State::Fault || self.any_fault() {
            return Vec::new();
        }
        self.go(State::Backup, first)
    }

    /// Changes the group state, queues the notify, and commands every member
    /// not already in `to` (the member `first`, if any, is not commanded:
    /// it is the one that moved). Members in Initialize or Stop are left
    /// alone except for FAULT, which holds an Initialize member too
    /// (keepalived vrrp_sync_fault).
    fn go(&mut self, to: State, first: Option<usize>) -> Vec<GroupCommand> {
        let from = self.state;
        self.state = to;
        match to {
            State::Master => self.stats.became_master += 1,
            State::Backup => self.stats.became_backup += 1,
            State::Fault => self.stats.became_fault += 1,
            State::Initialize | State::Stop => {}
        }
        self.events.push_back(GroupEvent { from, to });
        let mut cmds = Vec::new();
        for (j, m) in self.members.iter().enumerate() {
            if Some(j) == first && m.state == to {
                continue;
            }
            let eligible = match to {
                State::Fault => !matches!(m.state, State::Fault | State::Stop),
                State::Backup => matches!(m.state, State::Master | State::Fault),
                State::Master => matches!(m.state, State::Backup),
                State::Initialize | State::Stop => false,
            };
            if eligible {
                cmds.push(GroupCommand { member: m.id, to });
            }
        }
        // keepalived: the member that triggered the move comes first.
        if let Some(f) = first {
            let id = self.members[f].id;
            if let Some(p) = cmds.iter().position(|c| c.member == id) {
                let c = cmds.remove(p);
                cmds.insert(0, c);
            }
        }
        self.stats.commands += cmds.len() as u64;
        cmds
    }
}

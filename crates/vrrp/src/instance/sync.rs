//! The inputs and reports of an [`Instance`] that belongs to a
//! `vrrp_sync_group` (see [`crate::sync_group`] for the group's rules).
//!
//! A member differs from a lone instance in three places, as in keepalived:
//!
//! - its Master_Down_Timer does not make it MASTER: it stays BACKUP, re-arms
//!   the timer (Master_Down_Interval) and reports
//!   [`MemberEvent::WantMaster`] once (keepalived `vrrp_state_goto_master`
//!   with `vrrp_sync_can_goto_master` false); accepting an advert withdraws
//!   the wish ([`MemberEvent::WantBackup`], keepalived `vrrp_state_backup`
//!   "we want to be in BACKUP state");
//! - a cleared fault does not make it leave FAULT: it reports
//!   [`MemberEvent::FaultCleared`] and waits for the group (keepalived
//!   `try_up_instance` with `num_member_fault` still set);
//! - an address owner with `state MASTER` starts (and leaves FAULT) as
//!   BACKUP wanting MASTER at once; the group makes it MASTER when all
//!   members agree.

use std::time::Instant;

use super::{Instance, Reason, State};
use crate::sync_group::MemberEvent;
use crate::timer::Timer;

impl Instance {
    /// Makes this instance a member of a `vrrp_sync_group`. Call it before
    /// [`start`](Self::start); from then on drain
    /// [`poll_sync_event`](Self::poll_sync_event) into the group and apply the
    /// group's commands with [`sync_to`](Self::sync_to).
    pub fn join_sync_group(&mut self) {
        self.sync = true;
    }

    /// Whether this instance is a sync group member.
    pub fn in_sync_group(&self) -> bool {
        self.sync
    }

    /// Sync member in BACKUP whose Master_Down_Timer fired (keepalived
    /// `wantstate` MASTER): it waits for the group.
    pub fn sync_wants_master(&self) -> bool {
        self.want_master
    }

    /// The next report for the sync group.
    pub fn poll_sync_event(&mut self) -> Option<MemberEvent> {
        self.sync_events.pop_front()
    }

    /// Applies a sync group command (keepalived `vrrp_sync_master`,
    /// `vrrp_sync_backup`, `vrrp_sync_fault`). Returns whether the state
    /// changed. Every change goes through `change_state` with
    /// [`Reason::SyncGroup`]:
    ///
    /// - MASTER: a BACKUP member becomes master at once (advert, addresses,
    ///   gratuitous ARPs). A member in FAULT, with a fault of its own, not
    ///   started or stopped does not move.
    /// - BACKUP: a master steps down without a priority 0 advert; a member
    ///   in FAULT leaves it unless it has a fault of its own.
    /// - FAULT: a master sends a priority 0 advert and releases its
    ///   addresses; a BACKUP or not yet started member enters FAULT (a later
    ///   [`start`](Self::start) then does nothing).
    pub fn sync_to(&mut self, now: Instant, to: State) -> bool {
        let go = match (to, self.state) {
            (State::Master, State::Backup) => !self.fault,
            (State::Backup, State::Master) => true,
            (State::Backup, State::Fault) => !self.fault,
            (State::Fault, State::Backup | State::Master | State::Initialize) => true,
            _ => false,
        };
        if go {
            self.change_state(now, to, Reason::SyncGroup);
        }
        go
    }

    /// Master_Down_Timer fired in BACKUP, as a member.
    pub(super) fn sync_master_down(&mut self, now: Instant) {
        if !self.want_master {
            self.want_master = true;
            self.sync_events.push_back(MemberEvent::WantMaster);
        }
        // keepalived re-arms ms_down_timer = 3 × Master_Adver_Interval + skew
        // while the group is not ready.
        self.timers
            .set(Timer::MasterDown, now + self.master_down_interval());
    }

    /// A BACKUP member accepted an advert from the master.
    pub(super) fn sync_accepted_master(&mut self) {
        if self.want_master {
            self.want_master = false;
            self.sync_events.push_back(MemberEvent::WantBackup);
        }
    }

    /// `set_fault` of a member: entering FAULT is immediate, leaving it is
    /// the group's decision.
    pub(super) fn sync_fault_changed(&mut self, now: Instant, fault: bool) {
        if fault {
            self.sync_events.push_back(MemberEvent::Fault);
            if matches!(self.state, State::Backup | State::Master) {
                self.change_state(now, State::Fault, Reason::Fault);
            }
        } else {
            self.sync_events.push_back(MemberEvent::FaultCleared);
        }
    }

    /// Entering BACKUP from start-up or FAULT: an address owner configured
    /// `state MASTER` wants MASTER at once.
    pub(super) fn sync_owner_wants_master(&mut self) {
        if self.sync && self.is_owner_master() {
            self.want_master = true;
            self.sync_events.push_back(MemberEvent::WantMaster);
        }
    }
}

//! Timers are data: one deadline slot per [`Timer`], the driver owns one
//! real timer armed at [`TimerTable::next`].

use std::time::Instant;

/// The timers of one VRRP instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timer {
    /// Master: send the next periodic advert (RFC 5798 §6.4.3 Adver_Timer).
    Advert,
    /// Backup: the master is presumed down (RFC 5798 §6.4.2 Master_Down_Timer).
    MasterDown,
    /// Master: the delayed second gratuitous ARP / NA burst
    /// (keepalived `garp_master_delay`).
    GarpDelay,
    /// Master: periodic gratuitous ARP / NA refresh (`garp_master_refresh`).
    GarpRefresh,
    /// Master: gratuitous ARP / NA after a lower priority advert
    /// (`garp_lower_prio_delay`).
    GarpLowerPrio,
}

impl Timer {
    /// All timers, in the order they fire when due at the same instant.
    pub const ALL: [Timer; 5] = [
        Timer::MasterDown,
        Timer::Advert,
        Timer::GarpDelay,
        Timer::GarpLowerPrio,
        Timer::GarpRefresh,
    ];

    fn slot(self) -> usize {
        self as usize
    }
}

/// Deadlines of the [`Timer`]s.
#[derive(Debug, Clone, Default)]
pub struct TimerTable([Option<Instant>; 5]);

impl TimerTable {
    /// Arms `t` at `at`, replacing any earlier deadline.
    pub fn set(&mut self, t: Timer, at: Instant) {
        self.0[t.slot()] = Some(at);
    }

    /// Disarms `t`.
    pub fn stop(&mut self, t: Timer) {
        self.0[t.slot()] = None;
    }

    /// Disarms all timers.
    pub fn stop_all(&mut self) {
        self.0 = [None; 5];
    }

    /// The deadline of `t`.
    pub fn get(&self, t: Timer) -> Option<Instant> {
        self.0[t.slot()]
    }

    /// The earliest deadline.
    pub fn next(&self) -> Option<Instant> {
        self.0.iter().flatten().min().copied()
    }

    /// The first timer (in [`Timer::ALL`] order) due at `now`; it is disarmed.
    pub fn pop_expired(&mut self, now: Instant) -> Option<Timer> {
        let t = Timer::ALL
            .into_iter()
            .find(|t| self.get(*t).is_some_and(|d| d <= now))?;
        self.stop(t);
        Some(t)
    }
}

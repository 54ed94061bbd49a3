//! `track_interface`: link up/down as an up/down [`Signal`]. Pure: the
//! daemon feeds link events from its link monitor.

use std::collections::HashMap;

use crate::priority::{Input, Signal};
use crate::spec::InterfaceUse;

/// Link state of every tracked interface.
#[derive(Debug, Clone, Default)]
pub struct InterfaceTable {
    up: HashMap<String, bool>,
}

impl InterfaceTable {
    /// An empty table (every interface counts as down until reported).
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a link event. Returns whether the state changed.
    pub fn set_link(&mut self, ifname: &str, up: bool) -> bool {
        match self.up.insert(ifname.to_string(), up) {
            Some(old) => old != up,
            None => true,
        }
    }

    /// Forgets an interface that was deleted (it then counts as down).
    pub fn remove(&mut self, ifname: &str) -> bool {
        self.up.remove(ifname).unwrap_or(false)
    }

    /// State of `ifname`: up, or down when unknown.
    pub fn signal(&self, ifname: &str) -> Signal {
        Signal::from_bool(self.up.get(ifname).copied().unwrap_or(false))
    }

    /// The scoring input of one `track_interface` entry.
    pub fn input(&self, u: &InterfaceUse) -> Input {
        Input::Signal {
            state: self.signal(&u.ifname),
            weight: u.weight,
            reverse: u.reverse,
        }
    }
}

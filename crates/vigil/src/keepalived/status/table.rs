//! The table `vigil status` prints: one row per instance.
//!
//! ```text
//! NAME  STATE   PRIO      VRID  INTERFACE  MASTER        LAST TRANSITION
//! VI_1  MASTER  110/100   51    eth0       this node     2026-11-25 08:29:53Z (5m ago) BACKUP->MASTER: master down
//! ```

use super::snapshot::{StatusSnapshot, VrrpState};
use super::timefmt::{age, iso};

/// Renders the instance table; ages are relative to the snapshot's `now`.
pub fn render_table(snap: &StatusSnapshot) -> String {
    let header = [
        "NAME",
        "STATE",
        "PRIO",
        "VRID",
        "INTERFACE",
        "MASTER",
        "LAST TRANSITION",
    ];
    let mut rows: Vec<[String; 7]> = Vec::with_capacity(snap.instances.len());
    for i in &snap.instances {
        let prio = if i.effective_priority == i.base_priority {
            i.effective_priority.to_string()
        } else {
            format!("{}/{}", i.effective_priority, i.base_priority)
        };
        let master = match (i.state, i.master_addr) {
            (VrrpState::Master, _) => "this node".to_string(),
            (_, Some(a)) => a.to_string(),
            (_, None) => "-".to_string(),
        };
        let last = match &i.last_transition {
            Some(t) => {
                let ago = snap
                    .global
                    .now
                    .duration_since(t.at)
                    .map(|d| format!(" ({} ago)", age(d)))
                    .unwrap_or_default();
                format!("{}{ago} {}->{}: {}", iso(t.at), t.from, t.to, t.reason)
            }
            None => "-".to_string(),
        };
        rows.push([
            i.name.clone(),
            i.state.to_string(),
            prio,
            i.vrid.to_string(),
            i.interface.clone(),
            master,
            last,
        ]);
    }
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    let mut push_row = |cells: &[&str]| {
        let mut line = String::new();
        for (n, (c, w)) in cells.iter().zip(widths).enumerate() {
            if n + 1 == cells.len() {
                line.push_str(c);
            } else {
                line.push_str(&format!("{c:<w$}  "));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    };
    push_row(&header);
    for r in &rows {
        let cells: Vec<&str> = r.iter().map(String::as_str).collect();
        push_row(&cells);
    }
    if snap.instances.is_empty() {
        out.push_str("(no VRRP instances)\n");
    }
    out
}

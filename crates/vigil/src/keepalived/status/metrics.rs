//! Prometheus text exposition format (version 0.0.4) of a [`StatusSnapshot`], written by
//! hand: a handful of gauges and counters per instance.

use std::fmt::Write;

use super::snapshot::{unix_secs, InstanceStatus, StatusSnapshot, TrackerKind};

/// Content type of [`render_metrics`]' output.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Renders all metrics.
pub fn render_metrics(snap: &StatusSnapshot) -> String {
    let mut m = Metrics::default();
    let g = &snap.global;
    m.family(
        "vigil_keepalived_uptime_seconds",
        "gauge",
        "Seconds since vigil keepalived started.",
    );
    m.sample(
        "vigil_keepalived_uptime_seconds",
        &[],
        g.uptime.as_secs_f64(),
    );
    m.family(
        "vigil_keepalived_reloads_total",
        "counter",
        "Successful configuration reloads.",
    );
    m.sample("vigil_keepalived_reloads_total", &[], g.reloads as f64);

    type Getter = fn(&InstanceStatus) -> f64;
    let per_instance: [(&str, &str, &str, Getter); 13] = [
        (
            "vigil_vrrp_state",
            "gauge",
            "VRRP state as keepalived numbers it: 0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT, 97 DELETED, 98 STOP.",
            |i| f64::from(i.state.code()),
        ),
        (
            "vigil_vrrp_is_master",
            "gauge",
            "1 while the instance is MASTER.",
            |i| f64::from(u8::from(i.state == super::VrrpState::Master)),
        ),
        (
            "vigil_vrrp_priority",
            "gauge",
            "Effective priority (after tracker weights).",
            |i| f64::from(i.effective_priority),
        ),
        (
            "vigil_vrrp_base_priority",
            "gauge",
            "Configured priority.",
            |i| f64::from(i.base_priority),
        ),
        (
            "vigil_vrrp_master_priority",
            "gauge",
            "Priority the current master advertises (0 when unknown).",
            |i| f64::from(i.master_priority),
        ),
        (
            "vigil_vrrp_adverts_sent_total",
            "counter",
            "Adverts sent.",
            |i| i.stats.advert_sent as f64,
        ),
        (
            "vigil_vrrp_adverts_received_total",
            "counter",
            "Adverts received and accepted.",
            |i| i.stats.advert_rcvd as f64,
        ),
        (
            "vigil_vrrp_became_master_total",
            "counter",
            "Transitions into MASTER.",
            |i| i.stats.became_master as f64,
        ),
        (
            "vigil_vrrp_released_master_total",
            "counter",
            "Transitions out of MASTER.",
            |i| i.stats.release_master as f64,
        ),
        (
            "vigil_vrrp_priority_zero_received_total",
            "counter",
            "Priority 0 adverts received.",
            |i| i.stats.pri_zero_rcvd as f64,
        ),
        (
            "vigil_vrrp_priority_zero_sent_total",
            "counter",
            "Priority 0 adverts sent.",
            |i| i.stats.pri_zero_sent as f64,
        ),
        (
            "vigil_vrrp_transitions_total",
            "counter",
            "State changes since start.",
            |i| i.transitions as f64,
        ),
        (
            "vigil_vrrp_last_transition_timestamp_seconds",
            "gauge",
            "Unix time of the last state change (0: none yet).",
            |i| i.last_transition.as_ref().map_or(0.0, |t| unix_secs(t.at)),
        ),
    ];
    for (name, kind, help, get) in per_instance {
        m.family(name, kind, help);
        for i in &snap.instances {
            m.sample(name, &labels(i), get(i));
        }
    }

    let name = "vigil_vrrp_dropped_total";
    m.family(name, "counter", "Received packets dropped, by reason.");
    for i in &snap.instances {
        let s = &i.stats;
        for (reason, v) in [
            ("packet_length", s.packet_len_err),
            ("ip_header", s.ip_header_err),
            ("ip_ttl", s.ip_ttl_err),
            ("invalid_type", s.invalid_type_rcvd),
            ("invalid_version", s.version_err),
            ("vrid_mismatch", s.vrid_err),
            ("advert_interval", s.advert_interval_err),
            ("address_list", s.addr_list_err),
            ("invalid_auth_type", s.invalid_authtype),
            ("auth_type_mismatch", s.authtype_mismatch),
            ("auth_failure", s.auth_failure),
            ("checksum", s.checksum_err),
            ("hmac_missing", s.hmac_missing),
            ("hmac_malformed", s.hmac_malformed),
            ("hmac_stale", s.hmac_stale),
            ("hmac_unknown_key", s.hmac_unknown_key),
            ("hmac_bad_icv", s.hmac_bad_icv),
            ("hmac_replay", s.hmac_replay),
        ] {
            let mut l = labels(i);
            l.push(("reason", reason.to_string()));
            m.sample(name, &l, v as f64);
        }
    }

    let name = "vigil_vrrp_tracker_up";
    m.family(name, "gauge", "1 while a tracker reports good.");
    for i in &snap.instances {
        for t in &i.trackers {
            let kind = match t.kind {
                TrackerKind::Interface => "interface",
                TrackerKind::Script => "script",
                TrackerKind::File => "file",
                TrackerKind::Process => "process",
                TrackerKind::Bfd => "bfd",
            };
            let mut l = labels(i);
            l.push(("tracker", t.name.clone()));
            l.push(("kind", kind.to_string()));
            m.sample(name, &l, f64::from(u8::from(t.ok)));
        }
    }
    m.out
}

fn labels(i: &InstanceStatus) -> Vec<(&'static str, String)> {
    vec![
        ("instance", i.name.clone()),
        ("vrid", i.vrid.to_string()),
        ("interface", i.interface.clone()),
    ]
}

#[derive(Default)]
struct Metrics {
    out: String,
}

impl Metrics {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.out, "# HELP {name} {help}");
        let _ = writeln!(self.out, "# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, String)], value: f64) {
        self.out.push_str(name);
        if !labels.is_empty() {
            self.out.push('{');
            for (n, (k, v)) in labels.iter().enumerate() {
                if n > 0 {
                    self.out.push(',');
                }
                let _ = write!(self.out, "{k}=\"{}\"", escape_label(v));
            }
            self.out.push('}');
        }
        let _ = writeln!(self.out, " {value}");
    }
}

/// Label values escape backslash, double quote and line feed (exposition format 0.0.4).
fn escape_label(v: &str) -> String {
    let mut s = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '"' => s.push_str("\\\""),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s
}

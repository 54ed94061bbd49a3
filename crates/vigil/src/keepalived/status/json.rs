//! keepalived.json: what keepalived writes to `/tmp/keepalived.json` on
//! `--signum=JSON`, byte for byte in keepalived's style: one line, no spaces, `/` escaped as
//! `\/`, floats printed like C's `%g` (`last_transition` like `%f`), a final newline.
//!
//! keepalived.conf(5) `json_version`: version 1 is a bare array of
//! `{"data":{..},"stats":{..}}` objects; version 2 wraps it as `{"vrrp":[..]}` (and adds
//! global `track_process` details, which vigil does not report yet).

use std::fmt::Write;

use super::snapshot::{unix_secs, InstanceStatus, StatusSnapshot, TrackerKind};

/// keepalived.conf(5) `json_version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonVersion {
    /// A bare array (keepalived's default).
    #[default]
    V1,
    /// `{"vrrp": [...]}`.
    V2,
}

impl TryFrom<u32> for JsonVersion {
    type Error = u32;

    /// 1 or 2; anything else is handed back.
    fn try_from(v: u32) -> Result<Self, u32> {
        match v {
            1 => Ok(JsonVersion::V1),
            2 => Ok(JsonVersion::V2),
            other => Err(other),
        }
    }
}

/// Renders keepalived.json.
pub fn render_json(snap: &StatusSnapshot, version: JsonVersion) -> String {
    let mut w = Writer::default();
    if version == JsonVersion::V2 {
        w.start('{');
        w.name("vrrp");
    }
    w.start('[');
    let start = snap
        .global
        .now
        .checked_sub(snap.global.uptime)
        .unwrap_or(snap.global.now);
    for i in &snap.instances {
        w.start('{');
        data(&mut w, i, unix_secs(start));
        stats(&mut w, i);
        w.end('}');
    }
    w.end(']');
    if version == JsonVersion::V2 {
        w.end('}');
    }
    w.out.push('\n');
    w.out
}

fn data(w: &mut Writer, i: &InstanceStatus, start: f64) {
    w.name("data");
    w.start('{');
    w.string_field("iname", &i.name);
    w.raw_field("dont_track_primary", "0");
    w.raw_field("skip_check_adv_addr", "0");
    w.raw_field("strict_mode", "0");
    w.string_field("vmac_ifname", "");
    w.string_field("ifp_ifname", &i.interface);
    w.raw_field("master_priority", &i.master_priority.to_string());
    let last = i
        .last_transition
        .as_ref()
        .map(|t| unix_secs(t.at))
        .unwrap_or(start);
    w.raw_field("last_transition", &format!("{last:.6}"));
    let g = &i.garp;
    w.raw_field("garp_delay", &g.delay.to_string());
    w.raw_field("garp_refresh", &g.refresh.to_string());
    w.raw_field("garp_rep", &g.repeat.to_string());
    w.raw_field("garp_refresh_rep", &g.refresh_repeat.to_string());
    w.raw_field("garp_lower_prio_delay", &g.lower_prio_delay.to_string());
    w.raw_field("garp_lower_prio_rep", &g.lower_prio_repeat.to_string());
    w.raw_field("lower_prio_no_advert", "0");
    w.raw_field("higher_prio_send_advert", "0");
    w.raw_field("vrid", &i.vrid.to_string());
    w.raw_field("base_priority", &i.base_priority.to_string());
    w.raw_field("effective_priority", &i.effective_priority.to_string());
    w.raw_field("vipset", bool_str(i.vips_set));
    w.raw_field("promote_secondaries", "false");
    w.raw_field("adver_int", &fmt_g(i.advert_int.as_secs_f64()));
    w.raw_field(
        "master_adver_int",
        &fmt_g(i.master_advert_int.as_secs_f64()),
    );
    w.raw_field("accept", if i.accept { "1" } else { "0" });
    w.raw_field("nopreempt", bool_str(!i.preempt));
    w.raw_field("preempt_delay", &i.preempt_delay.as_secs().to_string());
    w.raw_field("state", &i.state.code().to_string());
    w.raw_field("wantstate", &i.wantstate.code().to_string());
    w.raw_field("version", &i.version.to_string());
    w.raw_field("smtp_alert", bool_str(i.smtp_alert));
    w.raw_field("notify_deleted", bool_str(i.scripts.deleted.is_some()));
    let s = &i.scripts;
    for (name, script) in [
        ("script_backup", &s.backup),
        ("script_master", &s.master),
        ("script_fault", &s.fault),
        ("script_stop", &s.stop),
        ("script_deleted", &s.deleted),
        ("script", &s.any),
        ("script_master_rx_lower_pri", &s.master_rx_lower_pri),
    ] {
        if let Some(cmd) = script {
            w.string_field(name, cmd);
        }
    }
    let vips: Vec<String> = i
        .vips
        .iter()
        .map(|v| v.keepalived_line(i.vips_set))
        .collect();
    w.array("vips", &vips);
    let evips: Vec<String> = i
        .excluded
        .iter()
        .map(|v| v.keepalived_line(i.vips_set))
        .collect();
    w.array("evips", &evips);
    let routes: Vec<String> = i.routes.iter().map(|r| r.line()).collect();
    w.array("vroutes", &routes);
    let track = |kind: TrackerKind| -> Vec<String> {
        i.trackers
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.command.clone().unwrap_or_else(|| t.name.clone()))
            .collect()
    };
    w.array("track_ifp", &track(TrackerKind::Interface));
    w.array("track_script", &track(TrackerKind::Script));
    w.array("track_process", &track(TrackerKind::Process));
    w.raw_field("auth_type", &i.auth.code().to_string());
    if let super::snapshot::AuthStatus::Password(p) = &i.auth {
        w.string_field("auth_data", p);
    }
    w.end('}');
}

fn stats(w: &mut Writer, i: &InstanceStatus) {
    let s = &i.stats;
    w.name("stats");
    w.start('{');
    for (name, v) in [
        ("advert_rcvd", s.advert_rcvd),
        ("advert_sent", s.advert_sent),
        ("become_master", s.became_master),
        ("release_master", s.release_master),
        ("packet_len_err", s.packet_len_err),
        ("advert_interval_err", s.advert_interval_err),
        ("ip_ttl_err", s.ip_ttl_err),
        ("invalid_type_rcvd", s.invalid_type_rcvd),
        ("addr_list_err", s.addr_list_err),
        ("invalid_authtype", s.invalid_authtype),
        ("authtype_mismatch", s.authtype_mismatch),
        ("auth_failure", s.auth_failure),
        ("pri_zero_rcvd", s.pri_zero_rcvd),
        ("pri_zero_sent", s.pri_zero_sent),
    ] {
        w.raw_field(name, &v.to_string());
    }
    w.end('}');
}

fn bool_str(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// C's `%g` for the values keepalived prints with it (intervals, delays): six significant
/// digits, trailing zeros dropped; exponent form outside 1e-4..1e6 as C does.
pub fn fmt_g(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return if v.is_nan() {
            "nan".into()
        } else if v.is_infinite() {
            if v > 0.0 { "inf" } else { "-inf" }.into()
        } else {
            "0".into()
        };
    }
    let exp = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        let s = format!("{v:.5e}");
        let (mant, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = trim_zeros(mant);
        let e: i32 = e.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", e.abs());
    }
    let decimals = (5 - exp).max(0) as usize;
    trim_zeros(&format!("{v:.decimals$}")).to_string()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// A streaming JSON writer with keepalived's separators and string escapes.
#[derive(Default)]
struct Writer {
    out: String,
    /// Whether the next value in the current container needs a comma first.
    comma: bool,
}

impl Writer {
    fn sep(&mut self) {
        if self.comma {
            self.out.push(',');
        }
        self.comma = true;
    }

    fn start(&mut self, c: char) {
        self.sep();
        self.out.push(c);
        self.comma = false;
    }

    fn end(&mut self, c: char) {
        self.out.push(c);
        self.comma = true;
    }

    fn name(&mut self, name: &str) {
        self.sep();
        escape(&mut self.out, name);
        self.out.push(':');
        self.comma = false;
    }

    fn raw_field(&mut self, name: &str, value: &str) {
        self.name(name);
        self.sep();
        self.out.push_str(value);
    }

    fn string_field(&mut self, name: &str, value: &str) {
        self.name(name);
        self.sep();
        escape(&mut self.out, value);
    }

    /// A named array of strings, left out when empty (as keepalived does).
    fn array(&mut self, name: &str, items: &[String]) {
        if items.is_empty() {
            return;
        }
        self.name(name);
        self.start('[');
        for s in items {
            self.sep();
            escape(&mut self.out, s);
        }
        self.end(']');
    }
}

/// keepalived's escapes (`\/` included), plus `\uXXXX` for other control characters so the
/// output stays valid JSON whatever a name contains.
fn escape(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

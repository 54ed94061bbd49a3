//! The dump of the sections and instance keywords added in round 2
//! (tracking, sync groups, statics, VMAC/ipvlan, rules, HMAC), written in
//! keepalived syntax so that dump -> load -> dump is stable.

use std::fmt::{self, Display, Formatter, Write};

use super::dump::{
    block, block_at, flag, garp_extra_if, line, opt, opt_bool, quote, route, script, script_line,
    track_ifs, vip,
};
use super::instance::{IpvlanMode, OldChecksum, VrrpInstance};
use super::statics::LinkbeatKind;
use super::sync_group::SyncGroup;
use super::track::{ParamMatch, TrackFile, TrackProcess, TrackRef, VrrpScript};
use super::Config;

fn refs(r: &[TrackRef]) -> Vec<String> {
    r.iter()
        .map(|r| {
            let mut s = quote(&r.name);
            if let Some(w) = r.weight {
                let _ = write!(s, " weight {w}");
            }
            match r.reverse {
                Some(true) => s.push_str(" reverse"),
                Some(false) => s.push_str(" noreverse"),
                None => {}
            }
            s
        })
        .collect()
}

fn weight(f: &mut Formatter<'_>, w: i32, reverse: bool) -> fmt::Result {
    let w = w.to_string();
    if reverse {
        line(f, 4, &["weight", &w, "reverse"])
    } else {
        line(f, 4, &["weight", &w])
    }
}

/// The instance keywords added in round 2.
pub(crate) fn instance_extras(i: &VrrpInstance, f: &mut Formatter<'_>) -> fmt::Result {
    block(f, "track_script", &refs(&i.track_script))?;
    block(f, "track_file", &refs(&i.track_file))?;
    block(f, "track_process", &refs(&i.track_process))?;
    block(f, "track_bfd", &refs(&i.track_bfd))?;
    if let Some(v) = &i.vmac {
        let mut w = vec!["use_vmac"];
        if let Some(n) = &v.name {
            w.extend(["name", n.as_str()]);
        }
        w.extend(v.mac.as_deref());
        if v.netlink_notify_msg {
            w.push("netlink_notify_msg");
        }
        if let Some(g) = &v.group {
            w.extend(["group", g.as_str()]);
        }
        line(f, 4, &w)?;
    }
    flag(f, 4, "use_vmac_addr", i.use_vmac_addr)?;
    flag(f, 4, "vmac_xmit_base", i.vmac_xmit_base)?;
    if let Some(v) = &i.use_ipvlan {
        let addr = v.addr.map(|a| a.to_string());
        let mut w = vec!["use_ipvlan"];
        if let Some(n) = &v.name {
            w.extend(["name", n.as_str()]);
        }
        w.extend(addr.as_deref());
        w.extend(v.mode.map(|m| match m {
            IpvlanMode::Bridge => "bridge",
            IpvlanMode::Private => "private",
            IpvlanMode::Vepa => "vepa",
        }));
        if let Some(g) = &v.group {
            w.extend(["group", g.as_str()]);
        }
        line(f, 4, &w)?;
    }
    flag(f, 4, "native_ipv6", i.native_ipv6)?;
    opt(f, 4, "vrf", &i.vrf)?;
    opt(f, 4, "mcast_dst_ip", &i.mcast_dst_ip)?;
    flag(f, 4, "track_src_ip", i.track_src_ip)?;
    flag(f, 4, "check_unicast_src", i.check_unicast_src)?;
    flag(f, 4, "unicast_fault_no_peer", i.unicast_fault_no_peer)?;
    opt(f, 4, "unicast_ttl", &i.unicast_ttl)?;
    match i.old_unicast_checksum {
        Some(OldChecksum::Use) => line(f, 4, &["old_unicast_checksum"])?,
        Some(OldChecksum::Never) => line(f, 4, &["old_unicast_checksum", "never"])?,
        None => {}
    }
    opt_bool(f, 4, "v3_checksum_as_v2", i.v3_checksum_as_v2)?;
    opt(f, 4, "garp_lower_prio_delay", &i.garp_lower_prio_delay)?;
    opt(f, 4, "garp_lower_prio_repeat", &i.garp_lower_prio_repeat)?;
    if let Some(g) = &i.garp_extra_if {
        garp_extra_if(f, "garp_extra_if", g)?;
    }
    opt(f, 4, "down_timer_adverts", &i.down_timer_adverts)?;
    opt(f, 4, "timer_expired_backup", &i.timer_expired_backup)?;
    flag(f, 4, "no_virtual_ipaddress", i.no_virtual_ipaddress)?;
    flag(f, 4, "promote_secondaries", i.promote_secondaries)?;
    let rules: Vec<String> = i.virtual_rules.iter().map(|r| r.to_string()).collect();
    block(f, "virtual_rules", &rules)?;
    if let Some(h) = &i.auth_hmac {
        writeln!(f, "    auth_hmac {{")?;
        for k in &h.keys {
            line(f, 8, &["key", &k.id.to_string(), &k.secret.to_string()])?;
        }
        if let Some(a) = h.active_key {
            line(f, 8, &["active_key", &a.to_string()])?;
        }
        line(f, 8, &["anti_replay", h.anti_replay.as_str()])?;
        if let Some(t) = h.time_window {
            line(f, 8, &["time_window", &t.to_string()])?;
        }
        line(f, 8, &["mode", h.mode.as_str()])?;
        writeln!(f, "    }}")?;
    }
    script(
        f,
        4,
        "notify_master_rx_lower_pri",
        &i.notify_master_rx_lower_pri,
    )?;
    notify_deleted(f, i.notify_deleted, &i.notify_deleted_script)?;
    opt_bool(f, 4, "notify_priority_changes", i.notify_priority_changes)?;
    opt_bool(f, 4, "smtp_alert", i.smtp_alert)?;
    opt(f, 4, "kernel_rx_buf_size", &i.kernel_rx_buf_size)?;
    flag(f, 4, "linkbeat_use_polling", i.linkbeat_use_polling)
}

fn notify_deleted(
    f: &mut Formatter<'_>,
    on: bool,
    s: &Option<super::script::Script>,
) -> fmt::Result {
    match s {
        Some(s) => script_line(f, 4, "notify_deleted", s),
        None => flag(f, 4, "notify_deleted", on),
    }
}

/// Top-level sections other than global_defs, instances and sync groups.
pub(crate) fn config_sections(c: &Config, f: &mut Formatter<'_>) -> fmt::Result {
    if !c.linkbeat_interfaces.interfaces.is_empty() {
        writeln!(f)?;
        let l: Vec<String> = c
            .linkbeat_interfaces
            .interfaces
            .iter()
            .map(|i| {
                let k = match i.kind {
                    Some(LinkbeatKind::Mii) => " MII",
                    Some(LinkbeatKind::Ethtool) => " ETHTOOL",
                    Some(LinkbeatKind::Ioctl) => " IOCTL",
                    None => "",
                };
                format!("{}{k}", quote(&i.name))
            })
            .collect();
        block_at(f, 0, "linkbeat_interfaces", &l)?;
    }
    if !c.interface_up_down_delays.is_empty() {
        writeln!(f)?;
        let l: Vec<String> = c
            .interface_up_down_delays
            .iter()
            .map(|d| format!("{} {} {}", quote(&d.interface), d.down, d.up))
            .collect();
        block_at(f, 0, "interface_up_down_delays", &l)?;
    }
    for g in &c.track_groups {
        writeln!(f)?;
        writeln!(f, "track_group {} {{", quote(&g.name))?;
        let m: Vec<String> = g.group.iter().map(|m| quote(m)).collect();
        block(f, "group", &m)?;
        writeln!(f, "}}")?;
    }
    let with_group = |s: String, g: &Option<String>| match g {
        Some(g) => format!("{s} track_group {}", quote(g)),
        None => s,
    };
    let addrs: Vec<String> = c
        .static_ipaddress
        .iter()
        .map(|a| with_group(vip(&a.address), &a.track_group))
        .collect();
    if !addrs.is_empty() {
        writeln!(f)?;
        block_at(f, 0, "static_ipaddress", &addrs)?;
    }
    let routes: Vec<String> = c
        .static_routes
        .iter()
        .map(|r| {
            let mut plain = r.route.clone();
            plain.no_track = false;
            with_group(route(&plain), &r.track_group)
        })
        .collect();
    if !routes.is_empty() {
        writeln!(f)?;
        block_at(f, 0, "static_routes", &routes)?;
    }
    let rules: Vec<String> = c.static_rules.iter().map(|r| r.to_string()).collect();
    if !rules.is_empty() {
        writeln!(f)?;
        block_at(f, 0, "static_rules", &rules)?;
    }
    for g in &c.garp_groups {
        writeln!(f)?;
        writeln!(f, "garp_group {{")?;
        opt(f, 4, "garp_interval", &g.garp_interval)?;
        opt(f, 4, "gna_interval", &g.gna_interval)?;
        opt(f, 4, "interface", &g.interface)?;
        let l: Vec<String> = g.interfaces.iter().map(|i| quote(i)).collect();
        block(f, "interfaces", &l)?;
        writeln!(f, "}}")?;
    }
    for s in &c.vrrp_scripts {
        writeln!(f)?;
        write!(f, "{s}")?;
    }
    for t in &c.track_files {
        writeln!(f)?;
        write!(f, "{t}")?;
    }
    for t in &c.track_processes {
        writeln!(f)?;
        write!(f, "{t}")?;
    }
    Ok(())
}

impl Display for VrrpScript {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "vrrp_script {} {{", quote(&self.name))?;
        script_line(f, 4, "script", &self.script)?;
        line(f, 4, &["interval", &self.interval.to_string()])?;
        opt(f, 4, "timeout", &self.timeout)?;
        weight(f, self.weight, self.reverse)?;
        line(f, 4, &["rise", &self.rise.to_string()])?;
        line(f, 4, &["fall", &self.fall.to_string()])?;
        if let Some((u, g)) = &self.user {
            let mut w = vec!["user", u.as_str()];
            w.extend(g.as_deref());
            line(f, 4, &w)?;
        }
        flag(f, 4, "init_fail", self.init_fail)?;
        writeln!(f, "}}")
    }
}

impl Display for TrackFile {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "track_file {} {{", quote(&self.name))?;
        line(f, 4, &["file", &self.path.to_string_lossy()])?;
        weight(f, self.weight, self.reverse)?;
        if let Some(i) = &self.init_file {
            let v = i.value.to_string();
            if i.overwrite {
                line(f, 4, &["init_file", &v, "overwrite"])?;
            } else {
                line(f, 4, &["init_file", &v])?;
            }
        }
        writeln!(f, "}}")
    }
}

impl Display for TrackProcess {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "track_process {} {{", quote(&self.name))?;
        let mut w = vec!["process"];
        w.extend(self.process.iter().map(String::as_str));
        line(f, 4, &w)?;
        match self.param_match {
            Some(ParamMatch::Exact) => line(f, 4, &["param_match"])?,
            Some(ParamMatch::Initial) => line(f, 4, &["param_match", "initial"])?,
            Some(ParamMatch::Partial) => line(f, 4, &["param_match", "partial"])?,
            None => {}
        }
        weight(f, self.weight, self.reverse)?;
        line(f, 4, &["quorum", &self.quorum.to_string()])?;
        opt(f, 4, "quorum_max", &self.quorum_max)?;
        opt(f, 4, "fork_delay", &self.fork_delay)?;
        opt(f, 4, "terminate_delay", &self.terminate_delay)?;
        flag(f, 4, "full_command", self.full_command)?;
        writeln!(f, "}}")
    }
}

impl Display for SyncGroup {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "vrrp_sync_group {} {{", quote(&self.name))?;
        let m: Vec<String> = self.group.iter().map(|m| quote(m)).collect();
        block(f, "group", &m)?;
        block(f, "track_interface", &track_ifs(&self.track_interface))?;
        block(f, "track_script", &refs(&self.track_script))?;
        block(f, "track_file", &refs(&self.track_file))?;
        block(f, "track_process", &refs(&self.track_process))?;
        block(f, "track_bfd", &refs(&self.track_bfd))?;
        script(f, 4, "notify_master", &self.notify_master)?;
        script(f, 4, "notify_backup", &self.notify_backup)?;
        script(f, 4, "notify_fault", &self.notify_fault)?;
        script(f, 4, "notify_stop", &self.notify_stop)?;
        script(f, 4, "notify", &self.notify)?;
        notify_deleted(f, self.notify_deleted, &self.notify_deleted_script)?;
        opt_bool(
            f,
            4,
            "notify_priority_changes",
            self.notify_priority_changes,
        )?;
        opt_bool(f, 4, "smtp_alert", self.smtp_alert)?;
        flag(f, 4, "global_tracking", self.global_tracking)?;
        flag(
            f,
            4,
            "sync_group_tracking_weight",
            self.sync_group_tracking_weight,
        )?;
        writeln!(f, "}}")
    }
}

//! The effective configuration written back in keepalived syntax
//! (`vigil keepalived --dump-conf`). Defaults that vigil resolved
//! (priority, advert_int, version) are written out; keywords vigil keeps
//! as raw nodes are written as they were read.

use std::fmt::{self, Display, Formatter, Write};

use super::address::{RouteType, VirtualAddress, VirtualRoute};
use super::global::{Fifo, GarpExtraIf, GlobalDefs, RxBufsPolicy};
use super::instance::{AuthType, InitialState, TrackInterface, VrrpInstance};
use super::script::Script;
use super::Config;
use crate::tree::Node;

/// Quotes a word when keepalived would otherwise split or strip it.
pub(crate) fn quote(w: &str) -> String {
    if w.is_empty() || w.contains(|c: char| c.is_whitespace() || "#!{}\"".contains(c)) {
        format!("\"{w}\"")
    } else {
        w.to_string()
    }
}

pub(crate) fn line(f: &mut Formatter<'_>, indent: usize, words: &[&str]) -> fmt::Result {
    let q: Vec<String> = words.iter().map(|w| quote(w)).collect();
    writeln!(f, "{:indent$}{}", "", q.join(" "), indent = indent)
}

pub(crate) fn opt<T: Display>(
    f: &mut Formatter<'_>,
    ind: usize,
    kw: &str,
    v: &Option<T>,
) -> fmt::Result {
    match v {
        Some(v) => line(f, ind, &[kw, &v.to_string()]),
        None => Ok(()),
    }
}

pub(crate) fn flag(f: &mut Formatter<'_>, ind: usize, kw: &str, v: bool) -> fmt::Result {
    if v {
        line(f, ind, &[kw])?;
    }
    Ok(())
}

pub(crate) fn opt_bool(
    f: &mut Formatter<'_>,
    ind: usize,
    kw: &str,
    v: Option<bool>,
) -> fmt::Result {
    match v {
        Some(b) => line(f, ind, &[kw, if b { "true" } else { "false" }]),
        None => Ok(()),
    }
}

pub(crate) fn node(f: &mut Formatter<'_>, ind: usize, n: &Node) -> fmt::Result {
    let words: Vec<&str> = n.words().collect();
    let q: Vec<String> = words.iter().map(|w| quote(w)).collect();
    match &n.children {
        None => writeln!(f, "{:ind$}{}", "", q.join(" "), ind = ind),
        Some(kids) => {
            writeln!(f, "{:ind$}{} {{", "", q.join(" "), ind = ind)?;
            for k in kids {
                node(f, ind + 4, k)?;
            }
            writeln!(f, "{:ind$}}}", "", ind = ind)
        }
    }
}

pub(crate) fn script(
    f: &mut Formatter<'_>,
    ind: usize,
    kw: &str,
    s: &Option<Script>,
) -> fmt::Result {
    if let Some(s) = s {
        script_line(f, ind, kw, s)?;
    }
    Ok(())
}

/// `kw "COMMAND" [USER [GROUP]]`.
pub(crate) fn script_line(f: &mut Formatter<'_>, ind: usize, kw: &str, s: &Script) -> fmt::Result {
    let mut w = vec![kw, s.command.as_str()];
    w.extend(s.user.as_deref());
    w.extend(s.group.as_deref());
    line(f, ind, &w)
}

fn fifo(f: &mut Formatter<'_>, kw: &str, v: &Option<Fifo>) -> fmt::Result {
    if let Some(v) = v {
        let p = v.path.to_string_lossy();
        let mut w = vec![kw, p.as_ref()];
        w.extend(v.user.as_deref());
        w.extend(v.group.as_deref());
        line(f, 4, &w)?;
    }
    Ok(())
}

impl Display for GlobalDefs {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "global_defs {{")?;
        opt(f, 4, "router_id", &self.router_id)?;
        opt(f, 4, "vrrp_version", &self.vrrp_version)?;
        opt(f, 4, "vrrp_mcast_group4", &self.vrrp_mcast_group4)?;
        opt(f, 4, "vrrp_mcast_group6", &self.vrrp_mcast_group6)?;
        opt(f, 4, "vrrp_garp_master_delay", &self.vrrp_garp_master_delay)?;
        opt(
            f,
            4,
            "vrrp_garp_master_repeat",
            &self.vrrp_garp_master_repeat,
        )?;
        opt(
            f,
            4,
            "vrrp_garp_master_refresh",
            &self.vrrp_garp_master_refresh,
        )?;
        opt(
            f,
            4,
            "vrrp_garp_master_refresh_repeat",
            &self.vrrp_garp_master_refresh_repeat,
        )?;
        opt(f, 4, "vrrp_garp_interval", &self.vrrp_garp_interval)?;
        opt(f, 4, "vrrp_gna_interval", &self.vrrp_gna_interval)?;
        opt(
            f,
            4,
            "vrrp_garp_lower_prio_delay",
            &self.vrrp_garp_lower_prio_delay,
        )?;
        opt(
            f,
            4,
            "vrrp_garp_lower_prio_repeat",
            &self.vrrp_garp_lower_prio_repeat,
        )?;
        opt_bool(
            f,
            4,
            "vrrp_lower_prio_no_advert",
            self.vrrp_lower_prio_no_advert,
        )?;
        opt_bool(
            f,
            4,
            "vrrp_higher_prio_send_advert",
            self.vrrp_higher_prio_send_advert,
        )?;
        opt_bool(
            f,
            4,
            "vrrp_skip_check_adv_addr",
            self.vrrp_skip_check_adv_addr,
        )?;
        flag(f, 4, "vrrp_strict", self.vrrp_strict)?;
        flag(f, 4, "vrrp_check_unicast_src", self.vrrp_check_unicast_src)?;
        if let Some((u, g)) = &self.script_user {
            let mut w = vec!["script_user", u.as_str()];
            w.extend(g.as_deref());
            line(f, 4, &w)?;
        }
        flag(f, 4, "enable_script_security", self.enable_script_security)?;
        fifo(f, "notify_fifo", &self.notify_fifo)?;
        fifo(f, "vrrp_notify_fifo", &self.vrrp_notify_fifo)?;
        if !self.notification_email.is_empty() {
            writeln!(f, "    notification_email {{")?;
            for e in &self.notification_email {
                line(f, 8, &[e])?;
            }
            writeln!(f, "    }}")?;
        }
        if let Some(s) = &self.smtp_server {
            let port = s.port.map(|p| p.to_string());
            let mut w = vec!["smtp_server", s.host.as_str()];
            w.extend(port.as_deref());
            line(f, 4, &w)?;
        }
        if let Some(m) = self.umask {
            line(f, 4, &["umask", &format!("0{m:o}")])?;
        }
        if let Some(g) = &self.vrrp_garp_extra_if {
            garp_extra_if(f, "vrrp_garp_extra_if", g)?;
        }
        match self.vrrp_rx_bufs_policy {
            Some(RxBufsPolicy::Mtu) => line(f, 4, &["vrrp_rx_bufs_policy", "MTU"])?,
            Some(RxBufsPolicy::Advert) => line(f, 4, &["vrrp_rx_bufs_policy", "ADVERT"])?,
            Some(RxBufsPolicy::Size(b)) => line(f, 4, &["vrrp_rx_bufs_policy", &b.to_string()])?,
            None => {}
        }
        self.daemon.write(f, 4)?;
        self.smtp.write(f, 4)?;
        self.vrrp.write(f, 4)?;
        for n in &self.other {
            node(f, 4, n)?;
        }
        writeln!(f, "}}")
    }
}

pub(crate) fn vip(v: &VirtualAddress) -> String {
    let mut s = v.prefix.to_string();
    let mut add = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            let _ = write!(s, " {k} {}", quote(&val));
        }
    };
    add("brd", v.brd.map(|a| a.to_string()));
    add("dev", v.dev.clone());
    add("scope", v.scope.clone());
    add("label", v.label.clone());
    add("peer", v.peer.map(|a| a.to_string()));
    add("preferred_lft", v.preferred_lft.map(|a| a.to_string()));
    for (on, k) in [
        (v.home, "home"),
        (v.nodad, "-nodad"),
        (v.noprefixroute, "noprefixroute"),
        (v.autojoin, "autojoin"),
        (v.no_track, "no_track"),
        (v.mngtmpaddr, "mngtmpaddr"),
        (v.use_vmac, "use_vmac"),
    ] {
        if on {
            s.push(' ');
            s.push_str(k);
        }
    }
    s
}

pub(crate) fn route(r: &VirtualRoute) -> String {
    let mut s = String::new();
    match r.kind {
        RouteType::Unicast => {}
        RouteType::Blackhole => s.push_str("blackhole "),
        RouteType::Unreachable => s.push_str("unreachable "),
        RouteType::Prohibit => s.push_str("prohibit "),
    }
    if let Some(src) = r.src {
        let _ = write!(s, "src {src} ");
    }
    let _ = write!(s, "{}", r.to);
    let mut add = |k: &str, val: Option<String>| {
        if let Some(val) = val {
            let _ = write!(s, " {k} {}", quote(&val));
        }
    };
    add("via", r.via.map(|a| a.to_string()));
    add("or", r.or.map(|a| a.to_string()));
    add("dev", r.dev.clone());
    add("scope", r.scope.clone());
    add("table", r.table.map(|a| a.to_string()));
    add("metric", r.metric.map(|a| a.to_string()));
    if r.no_track {
        s.push_str(" no_track");
    }
    s
}

pub(crate) fn block(f: &mut Formatter<'_>, kw: &str, lines: &[String]) -> fmt::Result {
    block_at(f, 4, kw, lines)
}

/// `kw { lines }` at indent `ind` (nothing when there are no lines).
pub(crate) fn block_at(
    f: &mut Formatter<'_>,
    ind: usize,
    kw: &str,
    lines: &[String],
) -> fmt::Result {
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(f, "{:ind$}{kw} {{", "", ind = ind)?;
    for l in lines {
        writeln!(f, "{:ind$}{l}", "", ind = ind + 4)?;
    }
    writeln!(f, "{:ind$}}}", "", ind = ind)
}

pub(crate) fn track_ifs(t: &[TrackInterface]) -> Vec<String> {
    t.iter()
        .map(|t| {
            let mut s = quote(&t.name);
            if let Some(w) = t.weight {
                let _ = write!(s, " weight {w}");
            }
            if t.reverse {
                s.push_str(" reverse");
            }
            s
        })
        .collect()
}

pub(crate) fn garp_extra_if(f: &mut Formatter<'_>, kw: &str, g: &GarpExtraIf) -> fmt::Result {
    let i = g.interval.to_string();
    if g.all {
        line(f, 4, &[kw, "all", &i])
    } else {
        line(f, 4, &[kw, &i])
    }
}

impl Display for VrrpInstance {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        writeln!(f, "vrrp_instance {} {{", quote(&self.name))?;
        let state = match self.state {
            Some(InitialState::Master) => "MASTER",
            _ => "BACKUP",
        };
        line(f, 4, &["state", state])?;
        opt(f, 4, "interface", &self.interface)?;
        line(
            f,
            4,
            &["virtual_router_id", &self.virtual_router_id.to_string()],
        )?;
        line(f, 4, &["priority", &self.priority.to_string()])?;
        line(f, 4, &["advert_int", &self.advert_int.to_string()])?;
        line(f, 4, &["version", &self.version.to_string()])?;
        flag(f, 4, "nopreempt", self.nopreempt)?;
        opt(f, 4, "preempt_delay", &self.preempt_delay)?;
        if let Some(a) = &self.authentication {
            writeln!(f, "    authentication {{")?;
            let t = match a.auth_type {
                AuthType::Pass => "PASS",
                AuthType::Ah => "AH",
            };
            line(f, 8, &["auth_type", t])?;
            if let Some(p) = &a.auth_pass {
                line(f, 8, &["auth_pass", p])?;
            }
            writeln!(f, "    }}")?;
        }
        block(
            f,
            "virtual_ipaddress",
            &self.virtual_ipaddress.iter().map(vip).collect::<Vec<_>>(),
        )?;
        block(
            f,
            "virtual_ipaddress_excluded",
            &self
                .virtual_ipaddress_excluded
                .iter()
                .map(vip)
                .collect::<Vec<_>>(),
        )?;
        block(
            f,
            "virtual_routes",
            &self.virtual_routes.iter().map(route).collect::<Vec<_>>(),
        )?;
        opt(f, 4, "unicast_src_ip", &self.unicast_src_ip)?;
        let peers: Vec<String> = self
            .unicast_peer
            .iter()
            .map(|p| {
                let mut s = p.addr.to_string();
                if let Some(t) = p.min_ttl {
                    let _ = write!(s, " min_ttl {t}");
                }
                if let Some(t) = p.max_ttl {
                    let _ = write!(s, " max_ttl {t}");
                }
                s
            })
            .collect();
        block(f, "unicast_peer", &peers)?;
        opt(f, 4, "mcast_src_ip", &self.mcast_src_ip)?;
        match self.accept {
            Some(true) => line(f, 4, &["accept"])?,
            Some(false) => line(f, 4, &["no_accept"])?,
            None => {}
        }
        script(f, 4, "notify_master", &self.notify_master)?;
        script(f, 4, "notify_backup", &self.notify_backup)?;
        script(f, 4, "notify_fault", &self.notify_fault)?;
        script(f, 4, "notify_stop", &self.notify_stop)?;
        script(f, 4, "notify", &self.notify)?;
        block(f, "track_interface", &track_ifs(&self.track_interface))?;
        opt(f, 4, "garp_master_delay", &self.garp_master_delay)?;
        opt(f, 4, "garp_master_repeat", &self.garp_master_repeat)?;
        opt(f, 4, "garp_master_refresh", &self.garp_master_refresh)?;
        opt(
            f,
            4,
            "garp_master_refresh_repeat",
            &self.garp_master_refresh_repeat,
        )?;
        opt_bool(f, 4, "lower_prio_no_advert", self.lower_prio_no_advert)?;
        opt_bool(
            f,
            4,
            "higher_prio_send_advert",
            self.higher_prio_send_advert,
        )?;
        opt_bool(f, 4, "skip_check_adv_addr", self.skip_check_adv_addr)?;
        opt_bool(f, 4, "strict_mode", self.strict_mode)?;
        flag(f, 4, "dont_track_primary", self.dont_track_primary)?;
        // `use_vmac` is written with all its options by dump_extra.
        if self.debug != 0 {
            line(f, 4, &["debug", &self.debug.to_string()])?;
        }
        super::dump_extra::instance_extras(self, f)?;
        for n in &self.other {
            node(f, 4, n)?;
        }
        writeln!(f, "}}")
    }
}

impl Display for Config {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.process.write(f, 0)?;
        write!(f, "{}", self.global)?;
        super::dump_extra::config_sections(self, f)?;
        for i in &self.vrrp_instances {
            writeln!(f)?;
            write!(f, "{i}")?;
        }
        for g in &self.sync_groups {
            writeln!(f)?;
            write!(f, "{g}")?;
        }
        for n in &self.other {
            writeln!(f)?;
            node(f, 0, n)?;
        }
        Ok(())
    }
}

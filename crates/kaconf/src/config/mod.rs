//! The typed configuration built from the block tree.

mod address;
mod check;
pub(crate) mod ctx;
mod defs;
mod dump;
mod dump_extra;
mod global;
mod hmac;
mod instance;
mod rule;
mod script;
pub(crate) mod setting;
mod statics;
mod sync_group;
mod track;

use std::collections::HashMap;

pub use address::{Broadcast, Prefix, RouteType, UnicastPeer, VirtualAddress, VirtualRoute};
pub use ctx::{parse_bool, ConfigError};
pub use defs::{DaemonDefs, ProcessDefs, SmtpDefs, VrrpDefs};
pub use global::{Fifo, GarpExtraIf, GlobalDefs, RxBufsPolicy, SmtpServer, GARP_EXTRA_IF_MAX};
pub use hmac::{
    AntiReplay, AuthHmac, HmacKey, HmacMode, HmacSecret, HMAC_KEY_MAX, HMAC_KEY_MIN,
    HMAC_TIME_WINDOW_MAX,
};
pub use instance::{
    AuthType, Authentication, Family, InitialState, Ipvlan, IpvlanMode, OldChecksum,
    TrackInterface, Vmac, VrrpInstance, ADVERT_INT_V3_MAX, AUTH_PASS_MAX, DEFAULT_PRIORITY,
    PREEMPT_DELAY_MAX,
};
pub use rule::{Range, Rule, RuleAction};
pub use script::{split_command, Script};
pub use statics::{
    GarpGroup, LinkbeatInterface, LinkbeatInterfaces, LinkbeatKind, StaticAddress, StaticRoute,
    TrackGroup, UpDownDelay, UP_DOWN_DELAY_MAX,
};
pub use sync_group::SyncGroup;
pub use track::{
    InitFile, ParamMatch, TrackFile, TrackProcess, TrackRef, VrrpScript, FILE_WEIGHT_MAX,
    SCRIPT_WEIGHT_MAX,
};

use crate::diag::Diagnostic;
use crate::tree::Node;
use ctx::Ctx;

/// What the VRRP daemon acts on, plus everything else kept as written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// `global_defs` (all blocks merged in order).
    pub global: GlobalDefs,
    /// Valid `vrrp_instance` blocks in file order (invalid ones are dropped
    /// with an error, as keepalived drops them).
    pub vrrp_instances: Vec<VrrpInstance>,
    /// Top-level process keywords (`net_namespace`, `instance`, ...).
    pub process: ProcessDefs,
    /// `vrrp_script` blocks.
    pub vrrp_scripts: Vec<VrrpScript>,
    /// `track_file` / `vrrp_track_file` blocks.
    pub track_files: Vec<TrackFile>,
    /// `track_process` / `vrrp_track_process` blocks.
    pub track_processes: Vec<TrackProcess>,
    /// `vrrp_sync_group` blocks (members checked against the instances).
    pub sync_groups: Vec<SyncGroup>,
    /// `garp_group` blocks.
    pub garp_groups: Vec<GarpGroup>,
    /// `static_ipaddress` lines.
    pub static_ipaddress: Vec<StaticAddress>,
    /// `static_routes` lines.
    pub static_routes: Vec<StaticRoute>,
    /// `static_rules` lines.
    pub static_rules: Vec<Rule>,
    /// `track_group` blocks (for static addresses, routes and rules).
    pub track_groups: Vec<TrackGroup>,
    /// `linkbeat_interfaces` (all blocks merged).
    pub linkbeat_interfaces: LinkbeatInterfaces,
    /// `interface_up_down_delays` lines.
    pub interface_up_down_delays: Vec<UpDownDelay>,
    /// Top-level keywords and blocks vigil does not implement yet.
    pub other: Vec<Node>,
}

impl Config {
    /// The instance called `name`.
    pub fn instance(&self, name: &str) -> Option<&VrrpInstance> {
        self.vrrp_instances.iter().find(|i| i.name == name)
    }

    /// The `vrrp_script` called `name`.
    pub fn vrrp_script(&self, name: &str) -> Option<&VrrpScript> {
        self.vrrp_scripts.iter().find(|s| s.name == name)
    }

    /// The sync group that `instance` belongs to.
    pub fn sync_group_of(&self, instance: &str) -> Option<&SyncGroup> {
        self.sync_groups
            .iter()
            .find(|g| g.group.iter().any(|m| m == instance))
    }
}

/// Adds `item` unless one with the same name exists (reported as keepalived
/// reports a redefinition: the later one is ignored).
fn push_named<T>(
    list: &mut Vec<T>,
    item: Option<T>,
    name: fn(&T) -> &str,
    n: &Node,
    cx: &mut Ctx<'_>,
) {
    let Some(item) = item else { return };
    if list.iter().any(|o| name(o) == name(&item)) {
        cx.error(
            n,
            ConfigError::Other(format!(
                "{} {} already defined - ignoring",
                n.keyword,
                name(&item)
            )),
        );
        return;
    }
    list.push(item);
}

/// Builds the typed configuration; problems are appended to `diags`.
pub fn build(nodes: &[Node], diags: &mut Vec<Diagnostic>) -> Config {
    let mut cx = Ctx::new(diags);
    let mut cfg = Config::default();
    // Global settings apply to all instances wherever they are written.
    for n in nodes.iter().filter(|n| n.keyword == "global_defs") {
        if n.children.is_none() {
            cx.error(n, ConfigError::Other("global_defs has no '{' block".into()));
        }
        cfg.global.apply(n, &mut cx);
    }
    for n in nodes {
        cx.typed("", n);
        match n.keyword.as_str() {
            "global_defs" => {}
            "vrrp_script" => {
                let s = track::parse_vrrp_script(n, &mut cx);
                push_named(&mut cfg.vrrp_scripts, s, |s| &s.name, n, &mut cx);
            }
            "track_file" | "vrrp_track_file" => {
                let s = track::parse_track_file(n, &mut cx);
                push_named(&mut cfg.track_files, s, |s| &s.name, n, &mut cx);
            }
            "track_process" | "vrrp_track_process" => {
                let s = track::parse_track_process(n, &mut cx);
                push_named(&mut cfg.track_processes, s, |s| &s.name, n, &mut cx);
            }
            "vrrp_sync_group" => {
                let g = sync_group::parse_sync_group(n, &mut cx);
                push_named(&mut cfg.sync_groups, g, |g| &g.name, n, &mut cx);
            }
            "track_group" => {
                let g = statics::parse_track_group(n, &mut cx);
                push_named(&mut cfg.track_groups, g, |g| &g.name, n, &mut cx);
            }
            "garp_group" => cfg
                .garp_groups
                .extend(statics::parse_garp_group(n, &mut cx)),
            "static_ipaddress" => {
                let v = instance::value_block(n, &mut cx, statics::parse_static_address);
                cfg.static_ipaddress.extend(v);
            }
            "static_routes" => {
                let v = instance::value_block(n, &mut cx, statics::parse_static_route);
                cfg.static_routes.extend(v);
            }
            "static_rules" => {
                let v = instance::value_block(n, &mut cx, rule::parse_rule);
                cfg.static_rules.extend(v);
            }
            "linkbeat_interfaces" => {
                statics::parse_linkbeat(n, &mut cfg.linkbeat_interfaces, &mut cx);
            }
            "interface_up_down_delays" => {
                let v = instance::value_block(n, &mut cx, statics::parse_up_down_delay);
                cfg.interface_up_down_delays.extend(v);
            }
            _ if cfg.process.apply(n, &mut cx) => {}
            "vrrp_instance" => {
                let name = n.args.first().cloned().unwrap_or_default();
                if cfg.vrrp_instances.iter().any(|i| i.name == name) {
                    cx.error(
                        n,
                        ConfigError::Other(format!(
                            "vrrp instance {name} already defined - skipping"
                        )),
                    );
                    continue;
                }
                if let Some(i) = instance::parse_instance(n, &cfg.global, &mut cx) {
                    cfg.vrrp_instances.push(i);
                }
            }
            _ => {
                cx.not_handled(n);
                cfg.other.push(n.clone());
            }
        }
    }
    check_vrids(&mut cfg, &mut cx);
    check::check(&mut cfg, &mut cx);
    cfg
}

/// keepalived vrrp_complete_init: one VRID per interface and family among
/// multicast instances (keepalived 2.2.7 lets unicast instances share a
/// VRID, measured with `keepalived -t`).
fn check_vrids(cfg: &mut Config, cx: &mut Ctx<'_>) {
    let mut seen: HashMap<(String, Option<Family>, u8), String> = HashMap::new();
    let mut keep = Vec::with_capacity(cfg.vrrp_instances.len());
    for i in std::mem::take(&mut cfg.vrrp_instances) {
        if !i.unicast_peer.is_empty() {
            keep.push(i);
            continue;
        }
        let key = (
            i.interface.clone().unwrap_or_default(),
            i.family(),
            i.virtual_router_id,
        );
        if let Some(first) = seen.get(&key) {
            let fam = match i.family() {
                Some(Family::V6) => "IPv6",
                _ => "IPv4",
            };
            let node = Node {
                keyword: "vrrp_instance".into(),
                args: vec![i.name.clone()],
                children: None,
                file: i.file.clone(),
                line: i.line,
            };
            cx.fatal(
                &node,
                ConfigError::Other(format!(
                    "{first} and {} both use VRID {} with {fam} on interface {}",
                    i.name, i.virtual_router_id, key.0
                )),
            );
            continue;
        }
        seen.insert(key, i.name.clone());
        keep.push(i);
    }
    cfg.vrrp_instances = keep;
}

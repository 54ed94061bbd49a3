//! The typed configuration built from the block tree.

mod address;
mod ctx;
mod dump;
mod global;
mod instance;
mod script;

use std::collections::HashMap;

pub use address::{Broadcast, Prefix, RouteType, UnicastPeer, VirtualAddress, VirtualRoute};
pub use ctx::{parse_bool, ConfigError};
pub use global::{Fifo, GlobalDefs};
pub use instance::{
    AuthType, Authentication, Family, InitialState, TrackInterface, VrrpInstance,
    ADVERT_INT_V3_MAX, AUTH_PASS_MAX, DEFAULT_PRIORITY, PREEMPT_DELAY_MAX,
};
pub use script::{split_command, Script};

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
    /// Top-level keywords and blocks vigil does not implement yet.
    pub other: Vec<Node>,
}

impl Config {
    /// The instance called `name`.
    pub fn instance(&self, name: &str) -> Option<&VrrpInstance> {
        self.vrrp_instances.iter().find(|i| i.name == name)
    }
}

/// Builds the typed configuration; problems are appended to `diags`.
pub fn build(nodes: &[Node], diags: &mut Vec<Diagnostic>) -> Config {
    let mut cx = Ctx { diags };
    let mut cfg = Config::default();
    // Global settings apply to all instances wherever they are written.
    for n in nodes.iter().filter(|n| n.keyword == "global_defs") {
        if n.children.is_none() {
            cx.error(n, ConfigError::Other("global_defs has no '{' block".into()));
        }
        cfg.global.apply(n, &mut cx);
    }
    for n in nodes {
        match n.keyword.as_str() {
            "global_defs" => {}
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

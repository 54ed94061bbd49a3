//! Tracked objects defined at top level (`vrrp_script`, `track_file` /
//! `vrrp_track_file`, `track_process` / `vrrp_track_process`) and the
//! references to them inside instances and sync groups (`track_script`,
//! `track_file`, `track_process`, `track_bfd`).
//!
//! keepalived.conf(5) "VRRP script(s)", "Track files", "VRRP track
//! processes"; the grading of problems was measured with keepalived 2.2.7.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ctx::{ConfigError, Ctx};
use super::global::TIMER_MAX_SECS;
use super::script::{parse_script, Script};
use crate::tree::Node;

/// Largest `vrrp_script` / `track_bfd` weight (keepalived.conf(5)).
pub const SCRIPT_WEIGHT_MAX: i32 = 253;
/// Largest `track_file` / `track_process` reference weight.
pub const FILE_WEIGHT_MAX: i32 = 254;

/// `vrrp_script NAME { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct VrrpScript {
    /// Name referenced by `track_script`.
    pub name: String,
    /// `script CMD`: what to run (a script without one is dropped).
    pub script: Script,
    /// `interval SECS` between runs (default 1).
    pub interval: f64,
    /// `timeout SECS` (default: the interval).
    pub timeout: Option<f64>,
    /// `weight N [reverse]` (default 0: failure means FAULT).
    pub weight: i32,
    /// `reverse` after the weight.
    pub reverse: bool,
    /// `rise N` successes to become OK (default 1).
    pub rise: u32,
    /// `fall N` failures to become KO (default 1).
    pub fall: u32,
    /// `user USER [GROUP]`.
    pub user: Option<(String, Option<String>)>,
    /// `init_fail`: start in the failed state.
    pub init_fail: bool,
    /// File of the `vrrp_script` line.
    pub file: Arc<Path>,
    /// Line of the `vrrp_script` line.
    pub line: u32,
}

/// `init_file [VALUE] [overwrite]` of a track file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitFile {
    /// Value written (default 0).
    pub value: i64,
    /// `overwrite`: write even when the file exists.
    pub overwrite: bool,
}

/// `track_file NAME { ... }` (or the deprecated `vrrp_track_file`).
#[derive(Debug, Clone, PartialEq)]
pub struct TrackFile {
    /// Name referenced by `track_file` inside instances and groups.
    pub name: String,
    /// `file PATH` (a track file without one is dropped).
    pub path: PathBuf,
    /// `weight N [reverse]` (default 1).
    pub weight: i32,
    /// `reverse` after the weight.
    pub reverse: bool,
    /// `init_file`.
    pub init_file: Option<InitFile>,
    /// File of the block line.
    pub file: Arc<Path>,
    /// Line of the block line.
    pub line: u32,
}

/// `param_match` of a track process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamMatch {
    /// Bare `param_match`: the parameters match exactly (none when no
    /// parameters are given).
    Exact,
    /// `initial`: the last parameter may be longer than configured.
    Initial,
    /// `partial`: the first configured parameters match exactly.
    Partial,
}

/// `track_process NAME { ... }` (or `vrrp_track_process`).
#[derive(Debug, Clone, PartialEq)]
pub struct TrackProcess {
    /// Name referenced by `track_process` inside instances and groups.
    pub name: String,
    /// `process NAME [PARAM...]` (a block without one is dropped).
    pub process: Vec<String>,
    /// `param_match` (set alone it means "no parameters").
    pub param_match: Option<ParamMatch>,
    /// `weight N [reverse]` (default 0).
    pub weight: i32,
    /// `reverse` after the weight.
    pub reverse: bool,
    /// `quorum N` processes needed (default 1).
    pub quorum: u32,
    /// `quorum_max N` (default unlimited).
    pub quorum_max: Option<u32>,
    /// `fork_delay SECS` (also set by `delay`).
    pub fork_delay: Option<f64>,
    /// `terminate_delay SECS` (also set by `delay`).
    pub terminate_delay: Option<f64>,
    /// `full_command`: match the whole command line.
    pub full_command: bool,
    /// File of the block line.
    pub file: Arc<Path>,
    /// Line of the block line.
    pub line: u32,
}

/// One line of a `track_script` / `track_file` / `track_process` /
/// `track_bfd` block: `NAME [weight N] [reverse|noreverse]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackRef {
    /// Name of the tracked object.
    pub name: String,
    /// `weight N` (default: the object's own weight).
    pub weight: Option<i32>,
    /// `reverse` (true) / `noreverse` (false); default the object's.
    pub reverse: Option<bool>,
    /// File of the line.
    pub file: Arc<Path>,
    /// Line number.
    pub line: u32,
}

fn block_name(block: &Node, what: &str, cx: &mut Ctx<'_>) -> Option<String> {
    match block.args.as_slice() {
        [name] => Some(name.clone()),
        _ => {
            cx.error(
                block,
                ConfigError::Other(format!("{what} must have exactly one name - ignoring")),
            );
            None
        }
    }
}

/// `weight N [reverse]` inside a definition block.
fn weight_of(n: &Node, lo: i64, hi: i64, cx: &mut Ctx<'_>) -> Option<(i32, bool)> {
    let w = cx.int(n, lo, hi)? as i32;
    let reverse = match n.args.get(1).map(String::as_str) {
        None => false,
        Some("reverse") => true,
        Some(other) => {
            cx.error(
                n,
                ConfigError::BadValue {
                    keyword: "weight".into(),
                    value: other.to_string(),
                    expected: "reverse".into(),
                },
            );
            false
        }
    };
    Some((w, reverse))
}

/// Reads `vrrp_script NAME { ... }`; `None` when keepalived drops it.
pub(crate) fn parse_vrrp_script(block: &Node, cx: &mut Ctx<'_>) -> Option<VrrpScript> {
    let name = block_name(block, "vrrp_script", cx)?;
    let secs = TIMER_MAX_SECS as f64;
    let mut script = None;
    let mut s = VrrpScript {
        name: name.clone(),
        script: Script {
            command: String::new(),
            argv: Vec::new(),
            user: None,
            group: None,
        },
        interval: 1.0,
        timeout: None,
        weight: 0,
        reverse: false,
        rise: 1,
        fall: 1,
        user: None,
        init_fail: false,
        file: block.file.clone(),
        line: block.line,
    };
    for n in block.kids() {
        cx.typed("vrrp_script", n);
        match n.keyword.as_str() {
            "script" => script = parse_script(n, cx).or(script),
            "interval" => s.interval = cx.float(n, 0.001, secs).unwrap_or(s.interval),
            "timeout" => s.timeout = cx.float(n, 0.001, secs).or(s.timeout),
            "weight" => {
                let m = i64::from(SCRIPT_WEIGHT_MAX);
                if let Some((w, r)) = weight_of(n, -m, m, cx) {
                    (s.weight, s.reverse) = (w, r);
                }
            }
            "rise" | "fall" => {
                let v = cx.uint(n, 1, i32::MAX as u64).unwrap_or(1) as u32;
                if n.keyword == "rise" {
                    s.rise = v;
                } else {
                    s.fall = v;
                }
            }
            "user" => {
                if let Some(u) = cx.arg(n) {
                    s.user = Some((u.to_string(), n.args.get(1).cloned()));
                }
            }
            "init_fail" => s.init_fail = true,
            _ => cx.unknown_in(n, "vrrp_script"),
        }
    }
    match script {
        Some(sc) => {
            s.script = sc;
            Some(s)
        }
        None => {
            cx.error(
                block,
                ConfigError::Other(format!("No script set for vrrp_script {name} - removing")),
            );
            None
        }
    }
}

/// Reads `track_file NAME { ... }`; `None` when keepalived drops it.
pub(crate) fn parse_track_file(block: &Node, cx: &mut Ctx<'_>) -> Option<TrackFile> {
    let name = block_name(block, &block.keyword, cx)?;
    let mut path = None;
    let mut t = TrackFile {
        name: name.clone(),
        path: PathBuf::new(),
        weight: 1,
        reverse: false,
        init_file: None,
        file: block.file.clone(),
        line: block.line,
    };
    for n in block.kids() {
        cx.typed("track_file", n);
        match n.keyword.as_str() {
            "file" => path = cx.arg(n).map(PathBuf::from).or(path),
            "weight" => {
                let m = i64::from(i32::MAX);
                if let Some((w, r)) = weight_of(n, -m, m, cx) {
                    (t.weight, t.reverse) = (w, r);
                }
            }
            "init_file" => {
                let mut init = InitFile {
                    value: 0,
                    overwrite: false,
                };
                for a in &n.args {
                    if a == "overwrite" {
                        init.overwrite = true;
                    } else if let Ok(v) = a.parse::<i64>() {
                        init.value = v;
                    } else {
                        cx.error(
                            n,
                            ConfigError::BadValue {
                                keyword: "init_file".into(),
                                value: a.clone(),
                                expected: "a number or overwrite".into(),
                            },
                        );
                    }
                }
                t.init_file = Some(init);
            }
            _ => cx.unknown_in(n, "track_file"),
        }
    }
    match path {
        Some(p) => {
            t.path = p;
            Some(t)
        }
        None => {
            cx.error(
                block,
                ConfigError::Other(format!("No file set for track_file {name} - ignoring")),
            );
            None
        }
    }
}

/// Reads `track_process NAME { ... }`; `None` when keepalived drops it.
pub(crate) fn parse_track_process(block: &Node, cx: &mut Ctx<'_>) -> Option<TrackProcess> {
    let name = block_name(block, &block.keyword, cx)?;
    let secs = TIMER_MAX_SECS as f64;
    let mut t = TrackProcess {
        name: name.clone(),
        process: Vec::new(),
        param_match: None,
        weight: 0,
        reverse: false,
        quorum: 1,
        quorum_max: None,
        fork_delay: None,
        terminate_delay: None,
        full_command: false,
        file: block.file.clone(),
        line: block.line,
    };
    for n in block.kids() {
        cx.typed("track_process", n);
        match n.keyword.as_str() {
            "process" => {
                if cx.arg(n).is_some() {
                    t.process = n.args.clone();
                }
            }
            "param_match" => match n.args.first().map(String::as_str) {
                None => t.param_match = Some(ParamMatch::Exact),
                Some("initial") => t.param_match = Some(ParamMatch::Initial),
                Some("partial") => t.param_match = Some(ParamMatch::Partial),
                Some(other) => cx.error(
                    n,
                    ConfigError::BadValue {
                        keyword: "param_match".into(),
                        value: other.to_string(),
                        expected: "initial|partial".into(),
                    },
                ),
            },
            "weight" => {
                let m = i64::from(FILE_WEIGHT_MAX);
                if let Some((w, r)) = weight_of(n, -m, m, cx) {
                    (t.weight, t.reverse) = (w, r);
                }
            }
            "quorum" => t.quorum = cx.uint(n, 1, 65535).map_or(t.quorum, |v| v as u32),
            "quorum_max" => t.quorum_max = cx.uint(n, 0, 65535).map(|v| v as u32),
            "fork_delay" => t.fork_delay = cx.float(n, 0.0, secs).or(t.fork_delay),
            "terminate_delay" => t.terminate_delay = cx.float(n, 0.0, secs).or(t.terminate_delay),
            "delay" => {
                if let Some(d) = cx.float(n, 0.0, secs) {
                    t.fork_delay = Some(d);
                    t.terminate_delay = Some(d);
                }
            }
            "full_command" => t.full_command = true,
            _ => cx.unknown_in(n, "track_process"),
        }
    }
    if let Some(max) = t.quorum_max.filter(|m| *m < t.quorum) {
        cx.error(
            block,
            ConfigError::Other(format!(
                "track process '{name}' quorum_max {max} is less than quorum {} - ignoring quorum_max",
                t.quorum
            )),
        );
        t.quorum_max = None;
    }
    if t.process.is_empty() {
        cx.error(
            block,
            ConfigError::Other(format!("track process '{name}' process name not specified")),
        );
        return None;
    }
    Some(t)
}

/// Reads the lines of a reference block (`track_script { NAME [weight N]
/// [reverse|noreverse] }`), weights within `[-max, max]`; duplicate names
/// and bad weights drop the line, as keepalived does.
pub(crate) fn parse_refs(block: &Node, max: i32, owner: &str, cx: &mut Ctx<'_>) -> Vec<TrackRef> {
    let mut out: Vec<TrackRef> = Vec::new();
    if block.children.is_none() {
        cx.error(
            block,
            ConfigError::Other(format!(
                "'{{' missing from beginning of block {}",
                block.keyword
            )),
        );
    }
    let what = block.keyword.replace('_', " ");
    for n in block.kids() {
        let mut r = TrackRef {
            name: n.keyword.clone(),
            weight: None,
            reverse: None,
            file: n.file.clone(),
            line: n.line,
        };
        if out.iter().any(|o| o.name == r.name) {
            cx.warn(
                n,
                ConfigError::Other(format!(
                    "({owner}) duplicate {} {} - ignoring",
                    block.keyword, r.name
                )),
            );
            continue;
        }
        let mut ok = true;
        let mut i = 0;
        while i < n.args.len() {
            match n.args[i].as_str() {
                "weight" => {
                    let v = n.args.get(i + 1).map(String::as_str).unwrap_or("");
                    match v.parse::<i32>() {
                        Ok(w) if w.abs() <= max => r.weight = Some(w),
                        _ => {
                            cx.error(
                                n,
                                ConfigError::Other(format!(
                                    "({owner}) weight '{v}' for {what} {} must be in [-{max}..{max}] inclusive. Ignoring...",
                                    r.name
                                )),
                            );
                            ok = false;
                        }
                    }
                    i += 2;
                }
                "reverse" => {
                    r.reverse = Some(true);
                    i += 1;
                }
                "noreverse" => {
                    r.reverse = Some(false);
                    i += 1;
                }
                other => {
                    cx.error(
                        n,
                        ConfigError::Other(format!(
                            "({owner}) unknown option '{other}' for {what} {} - ignoring",
                            r.name
                        )),
                    );
                    i += 1;
                }
            }
        }
        if ok {
            out.push(r);
        }
    }
    out
}

//! Shared helpers of the typed-config layer: located diagnostics and value
//! readers that grade problems as keepalived does.

use std::collections::HashSet;
use std::net::IpAddr;

use crate::diag::Diagnostic;
use crate::keywords::{is_acted_on, is_keepalived_keyword, is_supported, section_acted_on};
use crate::tree::Node;

/// Problems in the typed configuration (rendered into diagnostics).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// A keyword needs an argument that is missing.
    #[error("'{0}' is missing a parameter")]
    MissingArgument(String),
    /// A number is malformed or out of range.
    #[error("{keyword}: number '{value}' is invalid or outside range [{min}, {max}]")]
    BadNumber {
        /// Keyword.
        keyword: String,
        /// Value as written.
        value: String,
        /// Lowest accepted.
        min: String,
        /// Highest accepted.
        max: String,
    },
    /// A value is not one of the accepted words.
    #[error("{keyword}: invalid value '{value}' (expected {expected})")]
    BadValue {
        /// Keyword.
        keyword: String,
        /// Value as written.
        value: String,
        /// What is accepted.
        expected: String,
    },
    /// An IP address (or prefix) does not parse.
    #[error("{keyword}: invalid address '{value}'")]
    BadAddress {
        /// Keyword or block.
        keyword: String,
        /// Value as written.
        value: String,
    },
    /// A keyword keepalived knows but vigil does not implement yet.
    #[error("keyword {0} is not supported by vigil yet")]
    Unsupported(String),
    /// A keyword vigil reads into the typed configuration but does not act
    /// on yet (`keywords::NOT_ACTED_ON`, `keywords::ACTED_ON_SOON`).
    #[error("{0}: parsed, but vigil does not act on it yet")]
    NotActedOn(String),
    /// A keyword keepalived does not know either.
    #[error("unknown keyword {0}")]
    Unknown(String),
    /// Anything else, described in words.
    #[error("{0}")]
    Other(String),
}

/// Collects diagnostics while building the config.
pub(crate) struct Ctx<'a> {
    pub diags: &'a mut Vec<Diagnostic>,
    /// `(section, keyword)` pairs already reported as not acted on.
    pub noted: HashSet<(String, String)>,
}

impl<'a> Ctx<'a> {
    /// A context appending to `diags`.
    pub fn new(diags: &'a mut Vec<Diagnostic>) -> Self {
        Self {
            diags,
            noted: HashSet::new(),
        }
    }

    /// Called for every keyword line of a typed `section`: the first use
    /// of a keyword vigil parses but does not act on yet gets a note.
    pub fn typed(&mut self, section: &str, node: &Node) {
        if is_supported(section, &node.keyword)
            && !is_acted_on(section, &node.keyword)
            && section_acted_on(section)
            && self
                .noted
                .insert((section.to_string(), node.keyword.clone()))
        {
            self.note(node, ConfigError::NotActedOn(node.keyword.clone()));
        }
    }

    /// A keyword that keepalived does not know in a fully typed section.
    pub fn unknown_in(&mut self, node: &Node, section: &str) {
        self.warn(
            node,
            ConfigError::Other(format!("unknown keyword '{}' in {section}", node.keyword)),
        );
    }

    /// An error at `node`.
    pub fn error(&mut self, node: &Node, e: ConfigError) {
        self.diags
            .push(Diagnostic::error(&*node.file, node.line, e.to_string()));
    }

    /// An error that makes keepalived's VRRP process refuse to run.
    pub fn fatal(&mut self, node: &Node, e: ConfigError) {
        self.diags
            .push(Diagnostic::fatal(&*node.file, node.line, e.to_string()));
    }

    /// A warning keepalived also reports, at `node`.
    pub fn warn(&mut self, node: &Node, e: ConfigError) {
        self.diags
            .push(Diagnostic::warning(&*node.file, node.line, e.to_string()));
    }

    /// A vigil-only note at `node` (keepalived accepts this silently).
    pub fn note(&mut self, node: &Node, e: ConfigError) {
        self.diags
            .push(Diagnostic::note(&*node.file, node.line, e.to_string()));
    }

    /// A keyword vigil does not handle: "not supported yet" when keepalived
    /// knows it, "unknown keyword" otherwise.
    pub fn not_handled(&mut self, node: &Node) {
        if is_keepalived_keyword(&node.keyword) {
            self.diags.push(Diagnostic::note(
                &*node.file,
                node.line,
                ConfigError::Unsupported(node.keyword.clone()).to_string(),
            ));
        } else {
            self.warn(node, ConfigError::Unknown(node.keyword.clone()));
        }
    }

    /// The first argument, or an error if it is missing.
    pub fn arg<'n>(&mut self, node: &'n Node) -> Option<&'n str> {
        match node.args.first() {
            Some(a) => Some(a.as_str()),
            None => {
                self.error(node, ConfigError::MissingArgument(node.keyword.clone()));
                None
            }
        }
    }

    /// An unsigned integer argument in `[min, max]`.
    pub fn uint(&mut self, node: &Node, min: u64, max: u64) -> Option<u64> {
        let a = self.arg(node)?;
        match a.trim().parse::<u64>() {
            Ok(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                self.error(node, bad_number(node, a, min, max));
                None
            }
        }
    }

    /// A signed integer argument in `[min, max]`.
    pub fn int(&mut self, node: &Node, min: i64, max: i64) -> Option<i64> {
        let a = self.arg(node)?;
        match a.trim().parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Some(v),
            _ => {
                self.error(node, bad_number(node, a, min, max));
                None
            }
        }
    }

    /// A decimal (seconds) argument in `[min, max]`.
    pub fn float(&mut self, node: &Node, min: f64, max: f64) -> Option<f64> {
        let a = self.arg(node)?;
        match a.trim().parse::<f64>() {
            Ok(v) if v.is_finite() && v >= min && v <= max => Some(v),
            _ => {
                self.error(node, bad_number(node, a, min, max));
                None
            }
        }
    }

    /// An optional `<BOOL>` argument; a bare keyword means true.
    pub fn flag(&mut self, node: &Node) -> Option<bool> {
        match node.args.first().map(String::as_str) {
            None => Some(true),
            Some(a) => match parse_bool(a) {
                Some(b) => Some(b),
                None => {
                    self.error(
                        node,
                        ConfigError::BadValue {
                            keyword: node.keyword.clone(),
                            value: a.to_string(),
                            expected: "on|off|true|false|yes|no".into(),
                        },
                    );
                    None
                }
            },
        }
    }

    /// An IP address argument.
    pub fn ip(&mut self, node: &Node) -> Option<IpAddr> {
        let a = self.arg(node)?;
        match a.parse::<IpAddr>() {
            Ok(ip) => Some(ip),
            Err(_) => {
                self.error(
                    node,
                    ConfigError::BadAddress {
                        keyword: node.keyword.clone(),
                        value: a.to_string(),
                    },
                );
                None
            }
        }
    }
}

fn bad_number(node: &Node, value: &str, min: impl ToString, max: impl ToString) -> ConfigError {
    ConfigError::BadNumber {
        keyword: node.keyword.clone(),
        value: value.to_string(),
        min: min.to_string(),
        max: max.to_string(),
    }
}

/// keepalived.conf(5) PARAMETER SYNTAX: `<BOOL>` is on|off|true|false|yes|no.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "on" | "true" | "yes" => Some(true),
        "off" | "false" | "no" => Some(false),
        _ => None,
    }
}

//! vigil-kaconf: the keepalived.conf language, parsed purely.
//!
//! Three layers, each usable on its own:
//! 1. [`lexer`]: files to logical lines (comments, quoting, `include` with
//!    globs, `@ID` / `@^ID` conditional lines, `$NAME` definitions, `~SEQ`
//!    and `~LST` generators), every line carrying its file and line number;
//! 2. [`tree`]: lines to a tree of blocks ([`Node`]);
//! 3. [`config`]: the typed [`Config`] the VRRP daemon acts on; everything
//!    else is kept as raw nodes with a warning.
//!
//! All problems are collected as [`Diagnostic`]s; nothing stops at the first
//! one. Files are only read through a [`FileSystem`].

#![forbid(unsafe_code)]

pub mod config;
mod diag;
mod fs;
mod generator;
pub mod keywords;
pub mod lexer;
mod macros;
mod text;
pub mod tree;

use std::path::Path;

pub use config::Config;
pub use diag::{Diagnostic, Severity};
pub use fs::{FileSystem, MemFs, RealFs};
pub use keywords::{is_keepalived_keyword, KEEPALIVED_KEYWORDS, SUPPORTED_KEYWORDS};
pub use tree::Node;

/// keepalived's exit codes (include/main.h `KEEPALIVED_EXIT_*`, the enum
/// of keepalived 2.2.x as Debian ships it).
pub mod exit {
    /// Success.
    pub const OK: i32 = 0;
    /// Fatal configuration problem (e.g. the configuration file is missing).
    pub const CONFIG: i32 = 4;
    /// `-t`: the configuration has errors.
    pub const CONFIG_TEST: i32 = 5;
    /// `-t`: a script security problem.
    pub const CONFIG_TEST_SECURITY: i32 = 6;
}

/// How to load a configuration.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// keepalived's `-i` / `--config-id`, matched by `@ID` lines. keepalived
    /// defaults it to the first component of the host name; the caller
    /// passes that (the crate does not look at the host).
    pub config_id: Option<String>,
    /// Seed of `${_RANDOM}` (keepalived seeds from the time unless
    /// `random_seed` is configured; a fixed seed keeps loads repeatable).
    pub random_seed: u64,
}

/// The result of [`load`].
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The typed configuration (invalid items already dropped).
    pub config: Config,
    /// Every problem found, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Whether keepalived would refuse to run this configuration: the main
    /// file is unreadable, or the VRRP process stops on an error such as a
    /// missing `virtual_router_id` or a VRID used twice on one interface.
    /// Other errors drop only the offending item, as keepalived does.
    pub fn refuses_start(&self) -> bool {
        self.diagnostics.iter().any(|d| d.fatal)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}

/// Loads `path` and everything it includes.
pub fn load(path: &Path, fs: &dyn FileSystem, opts: &LoadOptions) -> Loaded {
    let lexed = lexer::lex(path, fs, opts);
    let mut diagnostics = lexed.diagnostics;
    let nodes = tree::build(lexed.lines, &mut diagnostics);
    let config = config::build(&nodes, &mut diagnostics);
    Loaded {
        config,
        diagnostics,
    }
}

/// The exit code of `keepalived -t` for this result: [`exit::CONFIG`] when
/// the configuration file could not be read, [`exit::CONFIG_TEST`] when
/// keepalived would have reported any problem, else [`exit::OK`].
/// (keepalived 2.2.7 counts every reported problem, warnings included;
/// vigil-only notes such as "not supported by vigil yet" do not count.)
pub fn check_exit_code(loaded: &Loaded) -> i32 {
    if loaded.diagnostics.iter().any(|d| d.fatal && d.line == 0) {
        exit::CONFIG
    } else if loaded.diagnostics.iter().any(|d| d.keepalived_reports) {
        exit::CONFIG_TEST
    } else {
        exit::OK
    }
}

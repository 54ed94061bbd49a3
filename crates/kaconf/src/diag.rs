//! Diagnostics: every problem found while loading, with file and line.

use std::fmt;
use std::path::PathBuf;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The configuration (or the item it belongs to) is invalid.
    Error,
    /// Accepted, but something was ignored, changed or is not implemented.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One located problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File the offending line came from (as the include resolved it).
    pub file: PathBuf,
    /// 1-based line in `file`; for generated lines (macros, `~SEQ`) the line
    /// that produced them.
    pub line: u32,
    /// Human readable description.
    pub message: String,
    /// Whether keepalived itself reports this as a configuration problem, so
    /// that `keepalived -t` would exit non-zero. False for vigil-only notes
    /// such as "not supported by vigil yet".
    pub keepalived_reports: bool,
    /// keepalived's VRRP process would refuse to run with this problem
    /// (for example a missing `virtual_router_id` or a VRID used twice on
    /// one interface); see [`crate::Loaded::refuses_start`].
    pub fatal: bool,
}

impl Diagnostic {
    /// An error that keepalived would report too.
    pub fn error(file: impl Into<PathBuf>, line: u32, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            line,
            message: message.into(),
            keepalived_reports: true,
            fatal: false,
        }
    }

    /// An error that stops keepalived's VRRP process.
    pub fn fatal(file: impl Into<PathBuf>, line: u32, message: impl Into<String>) -> Self {
        Self {
            fatal: true,
            ..Self::error(file, line, message)
        }
    }

    /// A warning that keepalived would report too.
    pub fn warning(file: impl Into<PathBuf>, line: u32, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            file: file.into(),
            line,
            message: message.into(),
            keepalived_reports: true,
            fatal: false,
        }
    }

    /// A warning about something keepalived accepts silently (vigil-only note).
    pub fn note(file: impl Into<PathBuf>, line: u32, message: impl Into<String>) -> Self {
        Self {
            keepalived_reports: false,
            ..Self::warning(file, line, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file.display(),
            self.line,
            self.severity,
            self.message
        )
    }
}

//! The only way the crate touches files: a small trait with a real and an
//! in-memory implementation.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Read access to configuration files, as keepalived needs it.
pub trait FileSystem {
    /// Reads a whole file as UTF-8 (invalid sequences are the caller's problem:
    /// implementations may replace them).
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
    /// Expands a shell glob pattern (`*`, `?`, `[...]`) into the matching
    /// regular files, sorted as glob(3) sorts them. A pattern without
    /// wildcards yields the path itself when it exists.
    fn glob(&self, pattern: &str) -> io::Result<Vec<PathBuf>>;
}

/// The host's file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        let bytes = std::fs::read(path)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn glob(&self, pattern: &str) -> io::Result<Vec<PathBuf>> {
        let paths = glob::glob(pattern)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let mut out: Vec<PathBuf> = paths
            .filter_map(Result::ok)
            // keepalived skips directories that a pattern matches (GLOB_MARK).
            .filter(|p| !p.is_dir())
            .collect();
        out.sort();
        Ok(out)
    }
}

/// An in-memory file system for tests and fuzzing.
#[derive(Debug, Default, Clone)]
pub struct MemFs {
    files: BTreeMap<PathBuf, String>,
}

impl MemFs {
    /// An empty file system.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) a file; returns `self` for chaining.
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.insert(path, text);
        self
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) {
        self.files.insert(path.into(), text.into());
    }
}

impl FileSystem for MemFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file in MemFs"))
    }

    fn glob(&self, pattern: &str) -> io::Result<Vec<PathBuf>> {
        let pat = glob::Pattern::new(pattern)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let opts = glob::MatchOptions {
            case_sensitive: true,
            require_literal_separator: true,
            require_literal_leading_dot: true,
        };
        // BTreeMap iteration is already sorted.
        Ok(self
            .files
            .keys()
            .filter(|p| pat.matches_path_with(p, opts))
            .cloned()
            .collect())
    }
}

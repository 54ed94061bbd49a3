//! `track_file`: a number read from a file, re-read whenever the file is
//! written, replaced (rename) or deleted, watched with inotify on its
//! directory (keepalived vrrp_track.c).
//!
//! Value semantics (keepalived): the first 127 bytes are parsed like
//! `strtol(buf, NULL, 0)` (leading blanks, sign, `0x` hex, leading-0
//! octal, trailing garbage ignored); anything unparsable, an unreadable or
//! missing file all read as 0; the value is clamped to -254..=254.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::fd::{AsFd, BorrowedFd};
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify, WatchDescriptor};

use crate::spec::FileSpec;
use crate::TrackError;

/// keepalived reads at most this many bytes.
const READ_MAX: usize = 127;

/// Parses a track file's contents as keepalived does.
pub fn parse_value(buf: &[u8]) -> i64 {
    let buf = &buf[..buf.len().min(READ_MAX)];
    let mut i = 0;
    while i < buf.len() && matches!(buf[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < buf.len() && (buf[i] == b'+' || buf[i] == b'-') {
        neg = buf[i] == b'-';
        i += 1;
    }
    let mut radix = 10;
    if i + 1 < buf.len()
        && buf[i] == b'0'
        && (buf[i + 1] | 0x20) == b'x'
        && buf.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit())
    {
        radix = 16;
        i += 2;
    } else if i < buf.len() && buf[i] == b'0' {
        radix = 8;
    }
    let mut v: i64 = 0;
    while i < buf.len() {
        let Some(d) = (buf[i] as char).to_digit(radix) else {
            break;
        };
        v = v
            .saturating_mul(i64::from(radix))
            .saturating_add(i64::from(d));
        i += 1;
    }
    let v = if neg { -v } else { v };
    v.clamp(-254, 254)
}

/// Reads and parses `path`; unreadable or missing reads as 0.
pub fn read_value(path: &Path) -> i64 {
    let Ok(mut f) = fs::File::open(path) else {
        return 0;
    };
    let mut buf = [0u8; READ_MAX];
    match f.read(&mut buf) {
        Ok(n) => parse_value(&buf[..n]),
        Err(_) => 0,
    }
}

/// Writes `init_file`'s value when the file is missing, or always with
/// `overwrite`.
pub fn init_file(spec: &FileSpec) -> Result<(), TrackError> {
    let Some(init) = spec.init_file else {
        return Ok(());
    };
    if !init.overwrite && spec.path.exists() {
        return Ok(());
    }
    fs::write(&spec.path, format!("{}\n", init.value)).map_err(|source| TrackError::InitFile {
        name: spec.name.clone(),
        path: spec.path.clone(),
        source,
    })
}

/// A track file's value changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileChange {
    /// Index of the file in the specs given to [`FileWatcher::new`].
    pub index: usize,
    /// Previous value.
    pub old: i64,
    /// New value.
    pub new: i64,
}

/// Counters of a watcher.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileStats {
    /// inotify events read.
    pub events: u64,
    /// Queue overflows (every file is re-read).
    pub overflows: u64,
}

#[derive(Debug)]
struct Watched {
    path: PathBuf,
    file_name: OsString,
    wd: WatchDescriptor,
    value: i64,
}

/// Watches a set of track files through one non-blocking inotify fd.
#[derive(Debug)]
pub struct FileWatcher {
    inotify: Inotify,
    files: Vec<Watched>,
    dirs: HashMap<WatchDescriptor, PathBuf>,
    stats: FileStats,
}

impl FileWatcher {
    /// Initialises (`init_file`), resolves and reads every file, and watches
    /// their directories. A file whose directory is missing is an error
    /// (keepalived drops such a tracker with a config error).
    pub fn new(specs: &[FileSpec]) -> Result<Self, TrackError> {
        let inotify = Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC)
            .map_err(TrackError::Inotify)?;
        let mut files = Vec::with_capacity(specs.len());
        let mut dirs = HashMap::new();
        for spec in specs {
            init_file(spec)?;
            let missing_dir = || TrackError::FileDirectory {
                name: spec.name.clone(),
                path: spec.path.clone(),
            };
            let file_name = spec.path.file_name().ok_or_else(missing_dir)?.to_owned();
            let parent = match spec.path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let dir = fs::canonicalize(&parent).map_err(|_| missing_dir())?;
            if !dir.is_dir() {
                return Err(missing_dir());
            }
            let wd = inotify
                .add_watch(
                    &dir,
                    AddWatchFlags::IN_CLOSE_WRITE
                        | AddWatchFlags::IN_DELETE
                        | AddWatchFlags::IN_MOVED_FROM
                        | AddWatchFlags::IN_MOVED_TO,
                )
                .map_err(TrackError::Inotify)?;
            let path = dir.join(&file_name);
            let value = read_value(&path);
            dirs.insert(wd, dir);
            files.push(Watched {
                path,
                file_name,
                wd,
                value,
            });
        }
        Ok(FileWatcher {
            inotify,
            files,
            dirs,
            stats: FileStats::default(),
        })
    }

    /// Current value of file `index`.
    pub fn value(&self, index: usize) -> i64 {
        self.files.get(index).map_or(0, |f| f.value)
    }

    /// Resolved path of file `index`.
    pub fn path(&self, index: usize) -> Option<&Path> {
        self.files.get(index).map(|f| f.path.as_path())
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is watched.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Counters.
    pub fn stats(&self) -> FileStats {
        self.stats
    }

    /// Reads every pending inotify event (non-blocking) and returns the
    /// values that changed.
    pub fn process_events(&mut self) -> Result<Vec<FileChange>, TrackError> {
        let mut changes = Vec::new();
        loop {
            let events = match self.inotify.read_events() {
                Ok(ev) => ev,
                Err(Errno::EAGAIN) => break,
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(TrackError::Inotify(e)),
            };
            if events.is_empty() {
                break;
            }
            for ev in events {
                self.stats.events += 1;
                if ev.mask.contains(AddWatchFlags::IN_Q_OVERFLOW) {
                    self.stats.overflows += 1;
                    changes.extend(self.rescan());
                    continue;
                }
                if ev.mask.contains(AddWatchFlags::IN_ISDIR) || !self.dirs.contains_key(&ev.wd) {
                    continue;
                }
                let Some(name) = ev.name else { continue };
                let gone = ev
                    .mask
                    .intersects(AddWatchFlags::IN_DELETE | AddWatchFlags::IN_MOVED_FROM);
                for i in 0..self.files.len() {
                    let f = &self.files[i];
                    if f.wd != ev.wd || f.file_name != name {
                        continue;
                    }
                    // Removed or renamed away: treated as 0 (keepalived).
                    let new = if gone { 0 } else { read_value(&f.path) };
                    self.set(i, new, &mut changes);
                }
            }
        }
        Ok(changes)
    }

    /// Re-reads every file (after an overflow, or on demand).
    pub fn rescan(&mut self) -> Vec<FileChange> {
        let mut changes = Vec::new();
        for i in 0..self.files.len() {
            let new = read_value(&self.files[i].path);
            self.set(i, new, &mut changes);
        }
        changes
    }

    fn set(&mut self, index: usize, new: i64, changes: &mut Vec<FileChange>) {
        let f = &mut self.files[index];
        if f.value != new {
            changes.push(FileChange {
                index,
                old: f.value,
                new,
            });
            f.value = new;
        }
    }
}

impl AsFd for FileWatcher {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inotify.as_fd()
    }
}

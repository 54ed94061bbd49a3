//! The status API (a vigil addition; keepalived has only signals and files): a unix
//! stream socket where a client writes one line and reads the answer until the server
//! closes the connection.
//!
//! | request         | answer                                                   |
//! | --------------- | -------------------------------------------------------- |
//! | `status`        | the whole [`StatusSnapshot`] as JSON                      |
//! | `instances`     | the instances, a JSON array                              |
//! | `instance NAME` | one instance, a JSON object                              |
//! | `metrics`       | Prometheus text ([`render_metrics`])                     |
//!
//! Errors are answered as `{"error":"..."}`. Each JSON answer ends with a newline.
//! [`StatusServer`] never blocks: the daemon adds [`StatusServer::fd`] (and
//! [`StatusServer::wants`]) to its ppoll set and calls [`StatusServer::poll`].

use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::conn::{Framing, Table};
pub use super::conn::{Limits, ServerStats};
use super::metrics::render_metrics;
use super::snapshot::StatusSnapshot;

/// Where `vigil keepalived` listens unless told otherwise, and where `vigil status` looks.
pub const DEFAULT_SOCKET: &str = "/run/vigil/keepalived.sock";

/// A parsed request line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `status`: everything.
    Status,
    /// `instances`: the instance list.
    Instances,
    /// `instance NAME`: one instance.
    Instance(String),
    /// `metrics`: Prometheus text.
    Metrics,
}

/// Why a request line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The line is not UTF-8.
    #[error("request is not UTF-8")]
    NotUtf8,
    /// Nothing but white space.
    #[error("empty request; expected status, instances, instance NAME or metrics")]
    Empty,
    /// An unknown verb.
    #[error("unknown request {0:?}; expected status, instances, instance NAME or metrics")]
    Unknown(String),
    /// `instance` without a name.
    #[error("instance needs a name: instance NAME")]
    MissingName,
    /// Words after a complete request.
    #[error("unexpected {0:?} after the request")]
    Trailing(String),
    /// The request exceeded the length limit.
    #[error("request longer than {0} bytes")]
    TooLong(usize),
}

impl Request {
    /// Parses one request line (without or with its line end).
    pub fn parse(line: &[u8]) -> Result<Request, RequestError> {
        let line = std::str::from_utf8(line).map_err(|_| RequestError::NotUtf8)?;
        let mut words = line.split_whitespace();
        let verb = words.next().ok_or(RequestError::Empty)?;
        let req = match verb {
            "status" => Request::Status,
            "instances" => Request::Instances,
            "metrics" => Request::Metrics,
            "instance" => {
                Request::Instance(words.next().ok_or(RequestError::MissingName)?.to_string())
            }
            other => return Err(RequestError::Unknown(other.to_string())),
        };
        if let Some(extra) = words.next() {
            return Err(RequestError::Trailing(extra.to_string()));
        }
        Ok(req)
    }

    /// The bytes answering this request.
    pub fn answer(&self, snap: &StatusSnapshot) -> Vec<u8> {
        let json = match self {
            Request::Metrics => return render_metrics(snap).into_bytes(),
            Request::Status => serde_json::to_string(snap),
            Request::Instances => serde_json::to_string(&snap.instances),
            Request::Instance(name) => match snap.instance(name) {
                Some(i) => serde_json::to_string(i),
                None => return error_json(&format!("no instance {name:?}")),
            },
        };
        match json {
            Ok(mut s) => {
                s.push('\n');
                s.into_bytes()
            }
            Err(e) => error_json(&format!("cannot encode the status: {e}")),
        }
    }
}

/// `{"error":"..."}` plus a newline.
pub fn error_json(msg: &str) -> Vec<u8> {
    let mut v = serde_json::json!({ "error": msg }).to_string().into_bytes();
    v.push(b'\n');
    v
}

/// One line, ended by `\n`.
struct Line;

impl Framing for Line {
    fn complete(buf: &[u8]) -> Option<usize> {
        buf.iter().position(|&b| b == b'\n')
    }
}

/// The status socket.
pub struct StatusServer {
    listener: UnixListener,
    path: PathBuf,
    table: Table<UnixStream>,
}

impl std::fmt::Debug for StatusServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusServer")
            .field("path", &self.path)
            .field("clients", &self.table.conns.len())
            .field("stats", &self.table.stats)
            .finish()
    }
}

impl StatusServer {
    /// Binds `path` with default [`Limits`]: see [`StatusServer::bind_with`].
    pub fn bind(path: &Path) -> std::io::Result<StatusServer> {
        StatusServer::bind_with(path, Limits::default())
    }

    /// Binds `path` (mode 0600), non-blocking. A stale socket left by a dead daemon is
    /// replaced; a socket some live process answers on, or any other file, is an error.
    pub fn bind_with(path: &Path, limits: Limits) -> std::io::Result<StatusServer> {
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            if !meta.file_type().is_socket() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a socket", path.display()),
                ));
            }
            if UnixStream::connect(path).is_ok() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AddrInUse,
                    format!("{} is in use by a running process", path.display()),
                ));
            }
            std::fs::remove_file(path)?;
        }
        let listener = UnixListener::bind(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        listener.set_nonblocking(true)?;
        Ok(StatusServer {
            listener,
            path: path.to_path_buf(),
            table: Table::new(limits),
        })
    }

    /// The listening socket, for the ppoll set (readable: a client is waiting).
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.listener.as_fd()
    }

    /// Client sockets to poll too: `(fd, true)` waits to write, `(fd, false)` to read.
    pub fn wants(&self) -> Vec<(BorrowedFd<'_>, bool)> {
        self.table.wants()
    }

    /// When [`StatusServer::poll`] must run again even if no fd is ready (a client
    /// deadline).
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.table.poll_timeout()
    }

    /// Counters.
    pub fn stats(&self) -> ServerStats {
        self.table.stats
    }

    /// Clients being served.
    pub fn clients(&self) -> usize {
        self.table.conns.len()
    }

    /// Accepts waiting clients, reads requests, answers them, drops clients past their
    /// deadline. `snapshot` runs at most once per call, and only when a request needs it.
    pub fn poll(&mut self, now: Instant, snapshot: impl Fn() -> StatusSnapshot) {
        loop {
            match self.listener.accept() {
                Ok((s, _)) => {
                    if s.set_nonblocking(true).is_ok() {
                        self.table.admit(s, now);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                // WouldBlock, or a transient accept failure (EMFILE...): try next time.
                Err(_) => break,
            }
        }
        let mut snap: Option<StatusSnapshot> = None;
        let mut bad = 0u64;
        let limit = self.table.limits.max_request;
        let mut answer = |req: Result<&[u8], usize>| -> Vec<u8> {
            let parsed = match req {
                Ok(line) => Request::parse(line),
                Err(_) => Err(RequestError::TooLong(limit)),
            };
            match parsed {
                Ok(r) => r.answer(snap.get_or_insert_with(&snapshot)),
                Err(e) => {
                    if !matches!(e, RequestError::TooLong(_)) {
                        bad += 1;
                    }
                    error_json(&e.to_string())
                }
            }
        };
        self.table.drive::<Line>(now, &mut answer);
        self.table.stats.bad_requests += bad;
    }
}

impl Drop for StatusServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

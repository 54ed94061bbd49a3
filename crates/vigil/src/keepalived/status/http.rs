//! A minimal HTTP/1.0 listener for Prometheus: `GET /metrics` answers
//! [`render_metrics`]; anything else gets 404 / 405 / 400. One request per connection,
//! then close. Same non-blocking rules as the status socket (bounded request, 1 s deadline,
//! bounded number of clients).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsFd, BorrowedFd};
use std::time::Instant;

use super::conn::{Framing, Limits, ServerStats, Table};
use super::metrics::{render_metrics, CONTENT_TYPE};
use super::snapshot::StatusSnapshot;

/// The request head ends with an empty line.
struct Head;

impl Framing for Head {
    fn complete(buf: &[u8]) -> Option<usize> {
        let crlf = buf.windows(4).position(|w| w == b"\r\n\r\n").map(|p| p + 4);
        let lf = buf.windows(2).position(|w| w == b"\n\n").map(|p| p + 2);
        match (crlf, lf) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The metrics listener.
pub struct MetricsHttpServer {
    listener: TcpListener,
    table: Table<TcpStream>,
}

impl std::fmt::Debug for MetricsHttpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsHttpServer")
            .field("addr", &self.listener.local_addr().ok())
            .field("clients", &self.table.conns.len())
            .field("stats", &self.table.stats)
            .finish()
    }
}

/// An HTTP response.
fn response(code: u16, reason: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.0 {code} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

impl MetricsHttpServer {
    /// Binds `addr` (port 0 picks a free port; see [`MetricsHttpServer::local_addr`]).
    pub fn bind(addr: SocketAddr) -> std::io::Result<MetricsHttpServer> {
        MetricsHttpServer::bind_with(addr, Limits::default())
    }

    /// Binds `addr` with explicit limits.
    pub fn bind_with(addr: SocketAddr, limits: Limits) -> std::io::Result<MetricsHttpServer> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        Ok(MetricsHttpServer {
            listener,
            table: Table::new(limits),
        })
    }

    /// The bound address.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The listening socket, for the ppoll set.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.listener.as_fd()
    }

    /// Client sockets to poll too: `(fd, true)` waits to write, `(fd, false)` to read.
    pub fn wants(&self) -> Vec<(BorrowedFd<'_>, bool)> {
        self.table.wants()
    }

    /// The earliest client deadline.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.table.poll_timeout()
    }

    /// Counters.
    pub fn stats(&self) -> ServerStats {
        self.table.stats
    }

    /// Accepts, reads, answers, drops late clients; never blocks.
    pub fn poll(&mut self, now: Instant, snapshot: impl Fn() -> StatusSnapshot) {
        loop {
            match self.listener.accept() {
                Ok((s, _)) => {
                    if s.set_nonblocking(true).is_ok() {
                        self.table.admit(s, now);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let mut snap: Option<StatusSnapshot> = None;
        let mut bad = 0u64;
        let mut answer = |req: Result<&[u8], usize>| -> Vec<u8> {
            let Ok(head) = req else {
                return response(431, "Request Header Fields Too Large", "text/plain", "");
            };
            let text = String::from_utf8_lossy(head);
            let first = text.lines().next().unwrap_or("");
            let mut parts = first.split_whitespace();
            let (Some(method), Some(target), Some(proto)) =
                (parts.next(), parts.next(), parts.next())
            else {
                bad += 1;
                return response(400, "Bad Request", "text/plain", "bad request line\n");
            };
            if !proto.starts_with("HTTP/") {
                bad += 1;
                return response(400, "Bad Request", "text/plain", "bad request line\n");
            }
            let path = target.split('?').next().unwrap_or(target);
            match (method, path) {
                ("GET", "/metrics") => {
                    let body = render_metrics(snap.get_or_insert_with(&snapshot));
                    response(200, "OK", CONTENT_TYPE, &body)
                }
                (_, "/metrics") => response(405, "Method Not Allowed", "text/plain", ""),
                _ => response(404, "Not Found", "text/plain", "try /metrics\n"),
            }
        };
        self.table.drive::<Head>(now, &mut answer);
        self.table.stats.bad_requests += bad;
    }
}

//! The status socket over real unix sockets: round trips, errors, slow and silent clients,
//! limits, and `vigil status`'s client side.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::fixtures::{base, scenario_a, scenario_b};
use crate::keepalived::status::*;

/// A private directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "vigil-status-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Polls `server` (as the daemon loop would) until `done` or 5 s; returns the longest
/// single `poll` call.
fn drive(
    server: &mut StatusServer,
    snap: &StatusSnapshot,
    done: impl Fn(&StatusServer) -> bool,
) -> Duration {
    let limit = Instant::now() + Duration::from_secs(5);
    let mut longest = Duration::ZERO;
    while !done(server) {
        assert!(Instant::now() < limit, "server did not finish: {server:?}");
        let t = Instant::now();
        server.poll(Instant::now(), || snap.clone());
        longest = longest.max(t.elapsed());
        thread::sleep(Duration::from_millis(1));
    }
    longest
}

fn ask(path: PathBuf, request: &'static [u8]) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut s = UnixStream::connect(&path).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(request).expect("write");
        // Half-close: a request without a line end is then complete too.
        s.shutdown(std::net::Shutdown::Write).expect("shutdown");
        let mut out = String::new();
        s.read_to_string(&mut out).expect("read");
        out
    })
}

fn round_trip(request: &'static [u8], snap: &StatusSnapshot) -> String {
    let dir = TempDir::new();
    let path = dir.0.join("status.sock");
    let mut server = StatusServer::bind(&path).expect("bind");
    let client = ask(path, request);
    drive(&mut server, snap, |_| client.is_finished());
    client.join().expect("client")
}

#[test]
fn status_round_trip() {
    let snap = scenario_a();
    let answer = round_trip(b"status\n", &snap);
    assert!(answer.ends_with('\n'));
    let back: StatusSnapshot = serde_json::from_str(&answer).expect("status JSON");
    assert_eq!(back, snap);
}

#[test]
fn instances_and_instance() {
    let snap = scenario_b();
    let list: Vec<InstanceStatus> =
        serde_json::from_str(&round_trip(b"instances\n", &snap)).expect("instances JSON");
    assert_eq!(list, snap.instances);
    let one: InstanceStatus =
        serde_json::from_str(&round_trip(b"instance VI_6\n", &snap)).expect("instance JSON");
    assert_eq!(one, snap.instances[1]);
    // Without a line end, the end of input ends the request.
    let one: InstanceStatus =
        serde_json::from_str(&round_trip(b"  instance   VI_F", &snap)).expect("instance JSON");
    assert_eq!(one.name, "VI_F");
}

#[test]
fn metrics_over_the_socket() {
    let snap = scenario_a();
    assert_eq!(round_trip(b"metrics\n", &snap), render_metrics(&snap));
}

#[test]
fn errors_are_json() {
    let snap = scenario_a();
    for (req, msg) in [
        (&b"instance VI_9\n"[..], "no instance \"VI_9\""),
        (b"stats\n", "unknown request \"stats\""),
        (b"\n", "empty request"),
        (b"instance\n", "instance needs a name"),
        (b"status now\n", "unexpected \"now\""),
        (b"\xff\xfe\n", "not UTF-8"),
    ] {
        let answer = round_trip(req, &snap);
        let v: serde_json::Value = serde_json::from_str(&answer).expect("error JSON");
        let err = v["error"].as_str().expect("error field");
        assert!(err.contains(msg), "{req:?}: {err}");
    }
}

#[test]
fn request_parse() {
    assert_eq!(Request::parse(b"status\r\n"), Ok(Request::Status));
    assert_eq!(
        Request::parse(b"instance VI_1"),
        Ok(Request::Instance("VI_1".into()))
    );
    assert_eq!(
        Request::parse(b"nope"),
        Err(RequestError::Unknown("nope".into()))
    );
}

#[test]
fn too_long_request_is_refused() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    let limits = Limits {
        max_request: 64,
        ..Limits::default()
    };
    let mut server = StatusServer::bind_with(&path, limits).expect("bind");
    let client = thread::spawn(move || {
        let mut s = UnixStream::connect(&path).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        // No newline: the server stops reading at its limit.
        let _ = s.write_all(&[b'x'; 200]);
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    });
    drive(&mut server, &scenario_a(), |_| client.is_finished());
    let answer = client.join().expect("client");
    assert!(answer.contains("request longer than 64 bytes"), "{answer}");
    assert_eq!(server.stats().bad_requests, 1);
}

/// A big snapshot: its JSON is far larger than a unix socket buffer.
fn big_snapshot() -> StatusSnapshot {
    let mut snap = scenario_a();
    snap.instances = (0..600)
        .map(|n| {
            let mut i = base(
                &format!("instance_with_a_long_name_{n:05}"),
                (n % 255) as u8 + 1,
            );
            i.vips = crate::fixtures::scenario_a().instances[0].vips.clone();
            i
        })
        .collect();
    snap
}

#[test]
fn slow_reader_never_blocks_the_loop() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    let mut server = StatusServer::bind(&path).expect("bind");
    let snap = big_snapshot();
    // Far more than a unix socket buffer holds.
    assert!(serde_json::to_string(&snap).unwrap().len() > 600_000);
    // Asks, then never reads.
    let mut slow = UnixStream::connect(&path).expect("connect");
    slow.write_all(b"status\n").expect("write");
    // A silent client: connects, never writes.
    let _silent = UnixStream::connect(&path).expect("connect");
    // A well-behaved client served meanwhile.
    let good = ask(path.clone(), b"instance instance_with_a_long_name_00000\n");
    let started = Instant::now();
    let longest = drive(&mut server, &snap, |s| {
        s.clients() == 0 && good.is_finished()
    });
    // Building the answers takes CPU; waiting for the clients takes none.
    assert!(
        longest < Duration::from_millis(600),
        "one poll took {longest:?}"
    );
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(950),
        "slow clients dropped before their 1 s: {waited:?}"
    );
    let stats: ServerStats = server.stats();
    assert_eq!(stats.timed_out, 2, "{stats:?}");
    assert_eq!(stats.answered, 1, "{stats:?}");
    assert_eq!(stats.accepted, 3, "{stats:?}");
    let good = good.join().expect("good client");
    let one: InstanceStatus = serde_json::from_str(&good).expect("instance JSON");
    assert_eq!(one.name, "instance_with_a_long_name_00000");
    // The slow client sees a truncated answer and then the end of the stream.
    slow.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut got = Vec::new();
    let _ = slow.read_to_end(&mut got);
    assert!(!got.is_empty() && got.len() < serde_json::to_string(&snap).unwrap().len());
}

#[test]
fn default_deadline_is_one_second() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    let mut server = StatusServer::bind(&path).expect("bind");
    let _silent = UnixStream::connect(&path).expect("connect");
    let t0 = Instant::now();
    server.poll(t0, scenario_a);
    assert_eq!(server.clients(), 1);
    let deadline = server.poll_timeout().expect("a deadline");
    assert_eq!(deadline.duration_since(t0), Duration::from_secs(1));
    assert_eq!(server.wants().len(), 1);
    server.poll(t0 + Duration::from_millis(999), scenario_a);
    assert_eq!(server.clients(), 1);
    server.poll(t0 + Duration::from_secs(1), scenario_a);
    assert_eq!(server.clients(), 0);
    assert_eq!(server.stats().timed_out, 1);
    assert_eq!(server.poll_timeout(), None);
}

#[test]
fn clients_beyond_the_limit_are_refused() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    let limits = Limits {
        max_clients: 2,
        ..Limits::default()
    };
    let mut server = StatusServer::bind_with(&path, limits).expect("bind");
    let _a = UnixStream::connect(&path).expect("connect");
    let _b = UnixStream::connect(&path).expect("connect");
    let mut c = UnixStream::connect(&path).expect("connect");
    server.poll(Instant::now(), scenario_a);
    assert_eq!(server.clients(), 2);
    assert_eq!(server.stats().refused, 1);
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    assert_eq!(c.read_to_end(&mut buf).map(|_| buf.len()).unwrap_or(0), 0);
}

#[test]
fn snapshot_is_built_only_when_needed() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    let mut server = StatusServer::bind(&path).expect("bind");
    let calls = std::cell::Cell::new(0);
    let snap = scenario_a();
    let make = || {
        calls.set(calls.get() + 1);
        snap.clone()
    };
    server.poll(Instant::now(), make);
    assert_eq!(calls.get(), 0);
    let a = ask(path.clone(), b"status\n");
    let b = ask(path.clone(), b"metrics\n");
    let limit = Instant::now() + Duration::from_secs(5);
    while !(a.is_finished() && b.is_finished()) {
        assert!(Instant::now() < limit);
        server.poll(Instant::now(), make);
        thread::sleep(Duration::from_millis(1));
    }
    assert!((1..=2).contains(&calls.get()), "{}", calls.get());
    assert!(a.join().unwrap().starts_with('{'));
    assert!(b.join().unwrap().starts_with("# HELP"));
}

#[test]
fn bind_replaces_stale_sockets_only() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    {
        let _first = StatusServer::bind(&path).expect("bind");
        let err = StatusServer::bind(&path).expect_err("in use");
        assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    }
    // Dropping the server removes its socket.
    assert!(!path.exists());
    // A stale socket (listener gone, file left) is replaced.
    drop(std::os::unix::net::UnixListener::bind(&path).expect("stale"));
    assert!(path.exists());
    let server = StatusServer::bind(&path).expect("rebind over a stale socket");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    drop(server);
    // Any other file is left alone.
    std::fs::write(&path, "not a socket").unwrap();
    let err = StatusServer::bind(&path).expect_err("regular file");
    assert!(err.to_string().contains("not a socket"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a socket");
}

#[test]
fn status_client_reads_the_daemon() {
    let dir = TempDir::new();
    let path = dir.0.join("s");
    let mut server = StatusServer::bind(&path).expect("bind");
    let snap = scenario_b();
    let p = path.clone();
    let client = thread::spawn(move || crate::status_cmd::query(&p, "status"));
    drive(&mut server, &snap, |_| client.is_finished());
    let answer = client.join().unwrap().expect("query");
    let back: StatusSnapshot = serde_json::from_str(&answer).unwrap();
    assert_eq!(render_table(&back), render_table(&snap));

    let missing = dir.0.join("missing");
    let err = crate::status_cmd::query(&missing, "status").expect_err("no daemon");
    assert!(
        format!("{err:#}").contains("is vigil keepalived running?"),
        "{err:#}"
    );

    // The CLI's arguments parse as `vigil status` would take them.
    use clap::Parser;
    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: crate::status_cmd::StatusArgs,
    }
    let cli = Cli::try_parse_from(["status", "--socket", "/tmp/x.sock", "--json", "VI_1"]).unwrap();
    assert_eq!(cli.args.socket, PathBuf::from("/tmp/x.sock"));
    assert!(cli.args.json);
    assert_eq!(cli.args.instance.as_deref(), Some("VI_1"));
    let cli = Cli::try_parse_from(["status"]).unwrap();
    assert_eq!(cli.args.socket, PathBuf::from(DEFAULT_SOCKET));
}

//! The metrics HTTP listener on loopback (127.0.0.1, port picked by the kernel), inside a
//! network namespace private to the test's thread: no traffic leaves it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use crate::fixtures::scenario_a;
use crate::keepalived::status::*;

/// Runs `f` on a thread in a new network namespace whose loopback is up. Sockets made
/// there stay there, whichever thread uses them later.
fn in_netns<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    thread::spawn(move || {
        nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET)
            .expect("unshare(CLONE_NEWNET) (the metrics HTTP tests need root)");
        let st = std::process::Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .expect("running ip");
        assert!(st.success(), "ip link set lo up: {st}");
        f()
    })
    .join()
    .expect("netns thread")
}

fn get(server: &mut MetricsHttpServer, request: &'static str) -> String {
    let addr = server.local_addr().expect("addr");
    // Connect here, in the namespace; talk from another thread.
    let mut s = TcpStream::connect(addr).expect("connect");
    let client = thread::spawn(move || {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(request.as_bytes()).expect("write");
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    });
    let snap = scenario_a();
    let limit = Instant::now() + Duration::from_secs(5);
    while !client.is_finished() {
        assert!(Instant::now() < limit, "no answer: {server:?}");
        server.poll(Instant::now(), || snap.clone());
        thread::sleep(Duration::from_millis(1));
    }
    client.join().expect("client")
}

fn bind() -> MetricsHttpServer {
    MetricsHttpServer::bind("127.0.0.1:0".parse().unwrap()).expect("bind")
}

#[test]
fn get_metrics() {
    in_netns(get_metrics_in_ns);
}

fn get_metrics_in_ns() {
    let mut server = bind();
    let answer = get(&mut server, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    let (head, body) = answer.split_once("\r\n\r\n").expect("head and body");
    assert!(head.starts_with("HTTP/1.0 200 OK\r\n"), "{head}");
    assert!(head.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
    assert!(head.contains(&format!("Content-Length: {}", body.len())));
    assert_eq!(body, render_metrics(&scenario_a()));
    assert_eq!(server.stats().answered, 1);
}

#[test]
fn other_paths_and_methods() {
    in_netns(other_paths_and_methods_in_ns);
}

fn other_paths_and_methods_in_ns() {
    let mut server = bind();
    assert!(get(&mut server, "GET / HTTP/1.0\r\n\r\n").starts_with("HTTP/1.0 404 Not Found\r\n"));
    assert!(get(&mut server, "POST /metrics HTTP/1.0\r\n\r\n")
        .starts_with("HTTP/1.0 405 Method Not Allowed\r\n"));
    assert!(get(&mut server, "garbage\n\n").starts_with("HTTP/1.0 400 Bad Request\r\n"));
    assert!(get(&mut server, "GET /metrics?x=1 HTTP/1.0\n\n").starts_with("HTTP/1.0 200 OK\r\n"));
    assert_eq!(server.stats().bad_requests, 1);
}

#[test]
fn silent_client_is_dropped() {
    in_netns(silent_client_is_dropped_in_ns);
}

fn silent_client_is_dropped_in_ns() {
    let limits = Limits {
        timeout: Duration::from_millis(100),
        ..Limits::default()
    };
    let mut server =
        MetricsHttpServer::bind_with("127.0.0.1:0".parse().unwrap(), limits).expect("bind");
    let mut c = TcpStream::connect(server.local_addr().unwrap()).expect("connect");
    c.write_all(b"GET /metr").unwrap();
    // Virtual time: the client is accepted at t0 and read from for a while, all at t0.
    let t0 = Instant::now();
    for _ in 0..20 {
        server.poll(t0, scenario_a);
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(server.wants().len(), 1, "{server:?}");
    assert!(server.poll_timeout().is_some());
    server.poll(t0 + Duration::from_millis(200), scenario_a);
    assert!(server.wants().is_empty());
    assert_eq!(server.stats().timed_out, 1);
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = Vec::new();
    assert_eq!(c.read_to_end(&mut buf).map(|_| buf.len()).unwrap_or(0), 0);
}

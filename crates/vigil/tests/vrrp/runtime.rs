//! Runtime interfaces of `vigil keepalived`: the files keepalived writes on signals
//! (SIGUSR1 data, SIGUSR2 stats, `--signum=JSON` JSON) at the paths of keepalived 2.4's
//! `state_file_location`, `stats_file_location`, `json_file_location`; the `notify_fifo`
//! lines; and vigil's status socket read by `vigil status`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vigil_lab::wait_until;

use super::common::*;

/// The number `vigil keepalived --signum=FUNC` prints.
fn signum(func: &str) -> i32 {
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .args(["keepalived", &format!("--signum={func}")])
        .output()
        .expect("running vigil keepalived --signum");
    assert!(out.status.success(), "--signum={func}: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("--signum prints a number")
}

/// Sends the signal of `func` to `d` and waits until `path` is written; returns it.
fn dump(d: &Daemon, func: &str, path: &Path) -> String {
    let _ = std::fs::remove_file(path);
    d.signal(signum(func));
    let read = || std::fs::read_to_string(path).unwrap_or_default();
    // Written in one go, but wait until it holds the instance to be safe.
    assert!(
        wait_until(Duration::from_secs(5), || read().contains("VI_1")),
        "{func}: {} not written: {:?}",
        path.display(),
        read()
    );
    read()
}

/// The number after `label` on the line of `text` that follows `after`.
fn counter(text: &str, after: &str, label: &str) -> u64 {
    let rest = &text[text
        .find(after)
        .unwrap_or_else(|| panic!("no {after:?} in {text}"))..];
    let line = rest
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} after {after:?} in {text}"));
    line.trim_start()[label.len()..]
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{line:?} has no number"))
}

#[test]
fn signals_write_data_stats_and_json_files() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let (data, stats, json) = (t.path("ka.data"), t.path("ka.stats"), t.path("ka.json"));
    let conf = Conf::v3("h1", 120)
        .global(&format!("state_file_location {}", data.display()))
        .global(&format!("stats_file_location {}", stats.display()))
        .global(&format!("json_file_location {}", json.display()));
    let d = start_vigil(&t, "h1", &conf.render());
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    // A few adverts go out.
    std::thread::sleep(Duration::from_millis(1000));

    // keepalived(8): SIGUSR1 dumps the configuration and state.
    let text = dump(&d, "DATA", &data);
    assert!(text.contains(" VRRP Instance = VI_1"), "{text}");
    assert!(text.contains("   State = MASTER"), "{text}");
    assert!(text.contains("   Virtual Router ID = 51"), "{text}");
    assert!(text.contains(VIP4), "the data file lacks the VIP: {text}");

    // SIGUSR2: the statistics.
    let text = dump(&d, "STATS", &stats);
    assert!(text.contains("VRRP Instance: VI_1"), "{text}");
    let sent = counter(&text, "Advertisements:", "Sent:");
    assert!(sent >= 3, "adverts sent {sent} after a second as master");
    assert!(counter(&text, "Advertisements:", "Became master:") >= 1);

    // SIGRTMIN+2 (--signum=JSON): keepalived's JSON.
    let text = dump(&d, "JSON", &json);
    let v: serde_json::Value = serde_json::from_str(&text).expect("keepalived.json is JSON");
    let first = &v.as_array().expect("json_version 1 is an array")[0];
    assert_eq!(first["data"]["iname"], "VI_1", "{text}");
    assert_eq!(first["data"]["vrid"], 51, "{text}");
    assert!(
        first["stats"]["advert_sent"]
            .as_u64()
            .is_some_and(|n| n >= 3),
        "{text}"
    );

    // The daemon stays master and running through all of it.
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(2));
    assert!(d.proc.try_wait().is_none(), "the daemon died on a signal");
    assert_eq!(d.master_entries(), 1);
}

#[test]
fn notify_fifo_gets_instance_lines() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let fifo = t.path("notify.fifo");
    let out = Command::new("mkfifo")
        .arg(&fifo)
        .output()
        .expect("running mkfifo");
    assert!(out.status.success(), "mkfifo: {out:?}");
    // Opened read-write, the open does not wait for a writer.
    let f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("opening the FIFO");
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(f).lines() {
            match l {
                Ok(l) => sink.lock().expect("lines").push(l),
                Err(_) => break,
            }
        }
    });
    let conf = Conf::v3("h1", 120).global(&format!("notify_fifo {}", fifo.display()));
    let d = start_vigil(&t, "h1", &conf.render());
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    let got = || lines.lock().expect("lines").clone();
    assert!(
        wait_until(Duration::from_secs(3), || got().len() >= 2),
        "FIFO lines: {:?}",
        got()
    );
    // keepalived.conf(5): the same words as the notify script, the name quoted.
    assert_eq!(
        got()[..2],
        [
            "INSTANCE \"VI_1\" BACKUP 120".to_string(),
            "INSTANCE \"VI_1\" MASTER 120".to_string()
        ]
    );
    d.signal(SIGTERM);
    assert!(d.proc.wait_timeout(Duration::from_secs(5)).is_some());
    assert!(
        wait_until(Duration::from_secs(2), || got().len() >= 3),
        "FIFO lines: {:?}",
        got()
    );
    assert_eq!(got()[2], "INSTANCE \"VI_1\" STOP 120");
}

/// Runs `vigil status ARGS`; returns its exit status and stdout.
fn status(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vigil"))
        .arg("status")
        .args(args)
        .output()
        .expect("running vigil status");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn status_socket_reports_the_instances() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let sock = t.path("status.sock");
    let s = sock.to_string_lossy().into_owned();
    let c1 = Conf::v3("h1", 120).render();
    let _d1 = start_vigil_with(&t, "h1", &c1, &["--status-socket", &s]);
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    let s2 = t.path("status2.sock").to_string_lossy().into_owned();
    let d2 = start_vigil_with(
        &t,
        "h2",
        &Conf::v3("h2", 110).render(),
        &["--status-socket", &s2],
    );
    assert!(d2.wait_log("-> Backup (Startup)", Duration::from_secs(5)));
    std::thread::sleep(Duration::from_millis(600));

    // The table: one row per instance with its state and priority.
    let (ok, table) = status(&["--socket", &s]);
    assert!(ok, "vigil status failed: {table}");
    let row = table
        .lines()
        .find(|l| l.starts_with("VI_1 "))
        .unwrap_or_else(|| panic!("no VI_1 row in {table}"));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1..4], ["MASTER", "120", "51"], "{table}");
    let (ok, table2) = status(&["--socket", &s2]);
    assert!(ok, "{table2}");
    let row2 = table2
        .lines()
        .find(|l| l.starts_with("VI_1 "))
        .expect("row");
    let cells2: Vec<&str> = row2.split_whitespace().collect();
    assert_eq!(cells2[1..4], ["BACKUP", "110", "51"], "{table2}");
    // The backup names the master's address.
    assert!(row2.contains("198.51.100.1 "), "{table2}");

    // --json: the daemon's status as JSON.
    let (ok, text) = status(&["--socket", &s, "--json"]);
    assert!(ok, "{text}");
    let v: serde_json::Value = serde_json::from_str(&text).expect("vigil status --json is JSON");
    let inst = &v["instances"][0];
    assert_eq!(inst["name"], "VI_1", "{text}");
    assert_eq!(inst["state"], "MASTER", "{text}");
    assert_eq!(inst["effective_priority"], 120, "{text}");

    // An unknown instance is an error, not an empty table.
    let (ok, text) = status(&["--socket", &s, "VI_9"]);
    assert!(!ok, "vigil status VI_9 succeeded: {text}");
    // No daemon behind the socket: a clear error.
    let (ok, text) = status(&["--socket", &t.path("none.sock").to_string_lossy()]);
    assert!(!ok && text.contains("none.sock"), "{text}");
}

/// Sends `request` to the status socket and reads the answer to the end.
fn ask(sock: &Path, request: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::os::unix::net::UnixStream::connect(sock).expect("connecting");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("setting a timeout");
    s.write_all(format!("{request}\n").as_bytes())
        .expect("sending a request");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("reading the answer");
    answer
}

/// The value of the metric sample `name{labels}` in a Prometheus text exposition.
fn sample(text: &str, name_labels: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name_labels)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no sample {name_labels} in {text}"))
}

#[test]
fn metrics_and_status_follow_tracked_priority() {
    if !vigil_lab::lab_available() {
        return;
    }
    let t = TestLab::new();
    let sock = t.path("status.sock");
    let s = sock.to_string_lossy().into_owned();
    let file = t.write("prio", "0\n");
    let c1 = Conf::v3("h1", 120)
        .block(&format!(
            "track_file prio {{\n    file \"{}\"\n    weight 1\n}}",
            file.display()
        ))
        .line("track_file {\n        prio\n    }");
    let _d = start_vigil_with(
        &t,
        "h1",
        &c1.render(),
        &[
            "--status-socket",
            &s,
            "--metrics-listen",
            "198.51.100.1:9650",
        ],
    );
    expect_master(&t, "h1", &["h2"], VIP4, Duration::from_secs(10));
    std::thread::sleep(Duration::from_millis(700));
    let labels = "{instance=\"VI_1\",vrid=\"51\",interface=\"eth0\"}";

    // The socket's `metrics` request and HTTP /metrics, fetched from the client h3.
    let m = ask(&sock, "metrics");
    assert_eq!(sample(&m, &format!("vigil_vrrp_is_master{labels}")), 1.0);
    assert_eq!(sample(&m, &format!("vigil_vrrp_priority{labels}")), 120.0);
    assert!(sample(&m, &format!("vigil_vrrp_adverts_sent_total{labels}")) >= 2.0);
    let http = t
        .h("h3")
        .run(&[
            "curl",
            "-sf",
            "--max-time",
            "5",
            "http://198.51.100.1:9650/metrics",
        ])
        .expect("fetching /metrics from h3");
    assert_eq!(sample(&http, &format!("vigil_vrrp_is_master{labels}")), 1.0);

    // The tracked file lowers the priority (alone, h1 stays master at 90).
    std::fs::write(&file, "-30\n").expect("writing the tracked file");
    let prio = || {
        sample(
            &ask(&sock, "metrics"),
            &format!("vigil_vrrp_priority{labels}"),
        )
    };
    assert!(
        wait_until(Duration::from_secs(3), || prio() == 90.0),
        "effective priority {} after -30",
        prio()
    );
    assert_eq!(
        sample(
            &ask(&sock, "metrics"),
            &format!("vigil_vrrp_base_priority{labels}")
        ),
        120.0
    );
    let (ok, table) = status(&["--socket", &s]);
    assert!(ok, "{table}");
    let row = table.lines().find(|l| l.starts_with("VI_1 ")).expect("row");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[1..3], ["MASTER", "90/120"], "{table}");

    // A request the daemon does not know: a JSON error, and the socket keeps serving.
    let bad = ask(&sock, "frobnicate");
    let v: serde_json::Value = serde_json::from_str(&bad).expect("error answer is JSON");
    assert!(v["error"].as_str().is_some(), "{bad}");
    let (ok, _) = status(&["--socket", &s]);
    assert!(ok, "the socket stopped serving after a bad request");
}

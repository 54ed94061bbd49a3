//! track_file: value parsing and the inotify watcher on real files.

use std::fs;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use vigil_track::{parse_value, FileChange, FileSpec, FileWatcher, InitFile, TrackError};

use crate::common::{wait_readable, TempDir};

#[test]
fn parse_like_strtol_base0_clamped() {
    let cases: &[(&str, i64)] = &[
        ("5", 5),
        ("  -7\n", -7),
        ("+3", 3),
        ("0x10", 16),
        ("0X1f", 31),
        ("010", 8),
        ("09", 0),
        ("0x", 0),
        ("12abc", 12),
        ("abc", 0),
        ("", 0),
        ("\n\n", 0),
        ("999", 254),
        ("-999", -254),
        ("99999999999999999999999", 254),
        ("-0x20", -32),
        ("- 5", 0),
    ];
    for (input, want) in cases {
        assert_eq!(parse_value(input.as_bytes()), *want, "{input:?}");
    }
    // Only the first 127 bytes are looked at.
    let mut long = vec![b' '; 127];
    long.extend_from_slice(b"42");
    assert_eq!(parse_value(&long), 0);
}

/// Waits for the watcher's fd and returns the changes seen within `limit`.
fn changes(w: &mut FileWatcher, limit: Duration) -> Vec<FileChange> {
    let end = Instant::now() + limit;
    let mut out = Vec::new();
    while Instant::now() < end {
        if wait_readable(Some(w.as_fd()), end) {
            out.extend(w.process_events().unwrap());
            if !out.is_empty() {
                // Collect what arrives right after as well.
                std::thread::sleep(Duration::from_millis(20));
                out.extend(w.process_events().unwrap());
                return out;
            }
        }
    }
    out
}

#[test]
fn write_replace_and_delete() {
    let dir = TempDir::new();
    let path = dir.0.join("prio");
    fs::write(&path, "10\n").unwrap();
    let mut w = FileWatcher::new(&[FileSpec::new("f", &path)]).unwrap();
    assert_eq!(w.value(0), 10);

    fs::write(&path, "25\n").unwrap();
    let c = changes(&mut w, Duration::from_secs(3));
    assert_eq!(
        c.last(),
        Some(&FileChange {
            index: 0,
            old: 10,
            new: 25
        })
    );
    assert_eq!(w.value(0), 25);

    // Atomic replacement: write elsewhere, rename over.
    let tmp = dir.0.join(".prio.tmp");
    fs::write(&tmp, "-3").unwrap();
    fs::rename(&tmp, &path).unwrap();
    let c = changes(&mut w, Duration::from_secs(3));
    assert_eq!(c.last().map(|c| c.new), Some(-3));
    assert_eq!(w.value(0), -3);

    fs::remove_file(&path).unwrap();
    let c = changes(&mut w, Duration::from_secs(3));
    assert_eq!(c.last().map(|c| c.new), Some(0));

    // Other files in the directory are ignored.
    fs::write(dir.0.join("other"), "77").unwrap();
    assert!(changes(&mut w, Duration::from_millis(300)).is_empty());
    assert_eq!(w.value(0), 0);
}

#[test]
fn missing_file_reads_zero_until_created() {
    let dir = TempDir::new();
    let path = dir.0.join("later");
    let mut w = FileWatcher::new(&[FileSpec::new("f", &path)]).unwrap();
    assert_eq!(w.value(0), 0);
    fs::write(&path, "0x0a").unwrap();
    let c = changes(&mut w, Duration::from_secs(3));
    assert_eq!(c.last().map(|c| c.new), Some(10));
}

#[test]
fn init_file_creates_or_overwrites() {
    let dir = TempDir::new();
    let a = dir.0.join("a");
    let b = dir.0.join("b");
    let c = dir.0.join("c");
    fs::write(&b, "5").unwrap();
    fs::write(&c, "5").unwrap();
    let mut sa = FileSpec::new("a", &a);
    sa.init_file = Some(InitFile {
        value: 7,
        overwrite: false,
    });
    let mut sb = FileSpec::new("b", &b);
    sb.init_file = Some(InitFile {
        value: 7,
        overwrite: false,
    });
    let mut sc = FileSpec::new("c", &c);
    sc.init_file = Some(InitFile {
        value: -2,
        overwrite: true,
    });
    let w = FileWatcher::new(&[sa, sb, sc]).unwrap();
    assert_eq!((w.value(0), w.value(1), w.value(2)), (7, 5, -2));
    assert_eq!(fs::read_to_string(&a).unwrap(), "7\n");
}

#[test]
fn missing_directory_is_an_error() {
    let dir = TempDir::new();
    let spec = FileSpec::new("nodir", dir.0.join("no/such/dir/file"));
    match FileWatcher::new(&[spec]) {
        Err(TrackError::FileDirectory { name, .. }) => assert_eq!(name, "nodir"),
        other => panic!("expected FileDirectory, got {other:?}"),
    }
}

#[test]
fn two_files_in_one_directory() {
    let dir = TempDir::new();
    let p1 = dir.0.join("one");
    let p2 = dir.0.join("two");
    let mut w = FileWatcher::new(&[FileSpec::new("1", &p1), FileSpec::new("2", &p2)]).unwrap();
    fs::write(&p2, "4").unwrap();
    let c = changes(&mut w, Duration::from_secs(3));
    assert_eq!(
        c,
        vec![FileChange {
            index: 1,
            old: 0,
            new: 4
        }]
    );
    assert_eq!((w.value(0), w.value(1)), (0, 4));
}

//! The keepalived configuration corpus in ../shared/conformance: every file
//! loads within a time bound without panicking, every diagnostic is
//! located, the outcomes match the checked-in golden list, and every file
//! Debian's keepalived accepts has no errors.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use vigil_kaconf::{check_exit_code, exit, load, FileSystem, Loaded, RealFs, Severity};

use crate::common::opts;

/// Per-file time bound (generous: debug build on shared CI cores, and the
/// largest corpus file expands to a third of a million lines).
const TIMEOUT: Duration = Duration::from_secs(30);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/keepalived-configs")
}

fn test_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

fn corpus_files() -> Vec<String> {
    let root = corpus_dir();
    assert!(
        root.is_dir(),
        "corpus missing at {} (../shared must sit beside the repository)",
        root.display()
    );
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push(
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out.sort();
    out
}

/// The real file system restricted to the corpus, so that includes of
/// absolute paths (`/tmp/conf/*.conf`, `/etc/keepalived/...`) match nothing
/// whatever the host holds: the outcomes stay the same on every machine.
struct CorpusFs(PathBuf);

impl FileSystem for CorpusFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        if path.starts_with(&self.0) {
            RealFs.read_to_string(path)
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                "outside the corpus",
            ))
        }
    }

    fn glob(&self, pattern: &str) -> io::Result<Vec<PathBuf>> {
        if Path::new(pattern).starts_with(&self.0) {
            RealFs.glob(pattern)
        } else {
            Ok(Vec::new())
        }
    }
}

/// Loads one corpus file on its own thread, bounded by [`TIMEOUT`].
fn load_bounded(rel: &str) -> Result<Loaded, String> {
    let path = corpus_dir().join(rel);
    let (tx, rx) = mpsc::channel();
    let handle = thread::Builder::new()
        .name(rel.to_string())
        .spawn(move || {
            let l = load(&path, &CorpusFs(corpus_dir()), &opts(Some("corpus")));
            let _ = tx.send(l);
        })
        .unwrap();
    match rx.recv_timeout(TIMEOUT) {
        Ok(l) => {
            handle.join().map_err(|_| format!("{rel}: panicked"))?;
            Ok(l)
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!("{rel}: took longer than {TIMEOUT:?}")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(format!("{rel}: panicked")),
    }
}

fn outcome(l: &Loaded) -> (&'static str, usize, usize) {
    let errors = l.errors().count();
    let warnings = l.warnings().count();
    let word = if errors > 0 {
        "rejected"
    } else if warnings > 0 {
        "warned"
    } else {
        "accepted"
    };
    (word, errors, warnings)
}

#[test]
fn corpus_outcomes_and_keepalived_agreement() {
    let files = corpus_files();
    assert!(files.len() > 400, "only {} corpus files", files.len());
    let mut failures = Vec::new();
    let mut results: BTreeMap<String, Loaded> = BTreeMap::new();
    for f in &files {
        match load_bounded(f) {
            Ok(l) => {
                for d in &l.diagnostics {
                    if d.file.as_os_str().is_empty() || d.line == 0 || d.message.is_empty() {
                        failures.push(format!("{f}: unlocated diagnostic {d:?}"));
                    }
                }
                results.insert(f.clone(), l);
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // Golden outcome list.
    let mut tsv = String::from("# file\toutcome\terrors\twarnings\n");
    for (f, l) in &results {
        let (word, e, w) = outcome(l);
        tsv.push_str(&format!("{f}\t{word}\t{e}\t{w}\n"));
    }
    crate::dump::check_golden_at(&test_file("corpus-outcomes.tsv"), &tsv);

    // Whatever keepalived accepts, vigil must not reject.
    let accepts = std::fs::read_to_string(test_file("keepalived-accepts.txt")).unwrap();
    let mut disagreements = Vec::new();
    let mut n = 0;
    for f in accepts
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        n += 1;
        let l = results
            .get(f)
            .unwrap_or_else(|| panic!("{f} listed in keepalived-accepts.txt is not in the corpus"));
        // `keepalived -t` checks no VRRP configuration at all when the file
        // sets `net_namespace` (measured with 2.2.7: a duplicate VRID, a
        // priority of 300 and a vrrp_script without a script all exit 0);
        // the daemon's VRRP process does check it, so vigil keeps reporting
        // those problems, and such files are only held to "no panic, all
        // located" above.
        let netns = l.config.process.net_namespace.is_some();
        let errors = l
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error && !netns);
        for d in errors {
            disagreements.push(format!("{f}: keepalived accepts, vigil says {d}"));
        }
        // Where keepalived really checked the file, `-t` must agree exactly.
        if !netns && check_exit_code(l) != exit::OK {
            disagreements.push(format!(
                "{f}: keepalived -t exits 0, vigil's check_exit_code is {}",
                check_exit_code(l)
            ));
        }
    }
    assert!(n > 100, "only {n} accepted files listed");
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

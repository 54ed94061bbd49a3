//! The Pacemaker scheduler regression CIBs: every file parses, and
//! parse -> write -> parse gives the same model.

use std::path::PathBuf;

use vigil_cib::{parse_cib, parse_cib_with_warnings, write_cib};

pub fn corpus_dir() -> PathBuf {
    PathBuf::from("/work/shared/conformance/pacemaker-scheduler/xml")
}

pub fn corpus_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("conformance corpus directory must exist")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    v
}

#[test]
fn corpus_is_present() {
    assert_eq!(corpus_files().len(), 614);
}

#[test]
fn every_corpus_cib_parses() {
    let mut failures = Vec::new();
    for f in corpus_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        if let Err(e) = parse_cib_with_warnings(&text) {
            failures.push(format!("{}: {e}", f.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 614 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_corpus_cib_round_trips() {
    let mut failures = Vec::new();
    for f in corpus_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let Ok(first) = parse_cib(&text) else {
            continue;
        };
        let written = write_cib(&first);
        match parse_cib(&written) {
            Ok(second) if second == first => {}
            Ok(_) => failures.push(format!("{}: model differs after round trip", f.display())),
            Err(e) => failures.push(format!("{}: written XML does not parse: {e}", f.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

//! Pacemaker itself sees no difference: `crm_simulate -S` (Debian's
//! pacemaker-cli-utils) prints the same on a corpus CIB and on what vigil
//! wrote after reading it. Runs on a fixed sample of the corpus (every 50th
//! file plus the files that exercise templates, id-refs, rules, bundles,
//! tags and tickets) to keep the test short.

use std::path::Path;
use std::process::Command;

use vigil_cib::{parse_cib, write_cib};

const FEATURE_FILES: &[&str] = &[
    "template-1",
    "template-2",
    "template-3",
    "bug-lf-2619",
    "nvpair-id-ref",
    "date-2",
    "date-3",
    "location-date-rules-2",
    "nvpair-date-rules-1",
    "rule-dbl-as-number-match",
    "bundle-order-startup-clone",
    "bundle-nested-colocation",
    "op-defaults-2",
    "colocation-influence",
    "template-rsc-sets-4",
    "ticket-primitive-1",
    "rsc-sets-clone",
    "order-wrong-kind",
];

/// The scheduler test's extra crm_simulate arguments from INDEX.tsv.
fn extra_args(name: &str) -> Vec<String> {
    let index =
        std::fs::read_to_string("/work/shared/conformance/pacemaker-scheduler/INDEX.tsv").unwrap();
    index
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&name))
        .and_then(|f| f.get(3).map(|s| s.to_string()))
        .map(|s| shell_words(&s))
        .unwrap_or_default()
}

/// Split on spaces, honouring double quotes (enough for INDEX.tsv).
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for ch in s.chars() {
        match ch {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn simulate(file: &Path, extra: &[String]) -> (Option<i32>, String) {
    let out = Command::new("crm_simulate")
        .arg("-x")
        .arg(file)
        .args(["-S", "-s"])
        .args(extra)
        .output()
        .expect("crm_simulate (pacemaker-cli-utils) must be installed for this test");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn crm_simulate_agrees_on_written_cibs() {
    let dir = std::env::temp_dir().join(format!("vigil-cib-sim-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let files = super::corpus::corpus_files();
    for name in FEATURE_FILES {
        assert!(
            files.iter().any(|f| f.file_stem().unwrap() == *name),
            "{name} is not in the corpus"
        );
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        if i % 50 != 0 && !FEATURE_FILES.contains(&name.as_str()) {
            continue;
        }
        let cib = parse_cib(&std::fs::read_to_string(f).unwrap()).unwrap();
        if !Path::new(&format!("/usr/share/pacemaker/{}.rng", cib.validate_with)).exists() {
            // Newer than the installed Pacemaker: it only prints schema errors.
            continue;
        }
        let out = dir.join(f.file_name().unwrap());
        std::fs::write(&out, write_cib(&cib)).unwrap();
        let extra = extra_args(&name);
        let (code_a, a) = simulate(f, &extra);
        let (code_b, b) = simulate(&out, &extra);
        checked += 1;
        if code_a != code_b || a != b {
            failures.push(format!(
                "{name}: exit {code_a:?} vs {code_b:?}\n--- original\n{a}\n--- written\n{b}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(checked >= 25, "only {checked} CIBs simulated");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

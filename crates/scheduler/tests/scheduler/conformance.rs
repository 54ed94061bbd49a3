//! Conformance against Pacemaker's scheduler regression cases.
//!
//! For every case in `../shared/conformance/pacemaker-scheduler/INDEX.tsv`: schedule
//! `xml/NAME.xml` (with the case's `-t DATE`), render crm_simulate's `-S` output and
//! compare with `summary/NAME.summary` ignoring all whitespace differences and blank
//! lines (as upstream's `diff -w -B`), and separately the "Transition Summary" section.
//! `tests/passing.txt` lists cases that must keep passing (`NAME<TAB>full|transition`);
//! `VIGIL_BLESS=1` rewrites it.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use vigil_scheduler::{render, Options, RenderOptions, SchedError};

/// Read the CIB text into the model and schedule it.
fn schedule_text(xml: &str, opts: &Options) -> Result<vigil_scheduler::Schedule, SchedError> {
    vigil_scheduler::schedule(&vigil_scheduler::parse_cib(xml)?, opts)
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/pacemaker-scheduler")
}

/// Lines with all whitespace removed, blank lines dropped.
fn normalize(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|l| !l.is_empty())
        .collect()
}

fn section(text: &str, title: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for l in text.lines() {
        if l.starts_with(title) {
            inside = true;
            continue;
        }
        if inside && !l.starts_with(' ') && !l.trim().is_empty() {
            break;
        }
        if inside {
            out.push(l.to_string());
        }
    }
    normalize(&out.join("\n"))
}

fn features(xml: &str) -> Vec<&'static str> {
    let mut f = Vec::new();
    let has = |s: &str| xml.contains(s);
    if has("<group") {
        f.push("groups");
    }
    if has("<clone") || has("<master") {
        f.push("clones");
    }
    if has("<master") || has("name=\"promotable\" value=\"true\"") {
        f.push("promotable");
    }
    if has("class=\"stonith\"") {
        f.push("fencing");
    }
    if has("rsc_ticket") {
        f.push("tickets");
    }
    if has("type=\"remote\"") || has("name=\"remote-node\"") {
        f.push("remote");
    }
    if has("<bundle") {
        f.push("bundles");
    }
    if !has("<group") && !has("<clone") && !has("<master") && !has("<bundle") {
        f.push("primitives-only");
    }
    f
}

/// Outcome of one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Full,
    Transition,
    Fail,
    Error,
    Panic,
}

fn run_case(name: &str, extra: &str) -> (Outcome, Vec<&'static str>, String) {
    let dir = corpus();
    let xml = match std::fs::read_to_string(dir.join("xml").join(format!("{name}.xml"))) {
        Ok(x) => x,
        Err(e) => return (Outcome::Error, vec![], format!("read: {e}")),
    };
    let expected = std::fs::read_to_string(dir.join("summary").join(format!("{name}.summary")))
        .unwrap_or_default();
    let feats = features(&xml);
    let effective_time = extra
        .trim()
        .strip_prefix("-t ")
        .map(|d| d.trim().to_string());
    let now = match extra.trim().strip_prefix("-t ") {
        Some(d) => match vigil_scheduler::parse_datetime(d.trim()) {
            Ok(t) => Some(t),
            Err(e) => return (Outcome::Error, feats, e.to_string()),
        },
        None => None,
    };
    let wall_clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let result = catch_unwind(AssertUnwindSafe(|| {
        schedule_text(&xml, &Options { now, wall_clock }).map(|s| {
            render(
                &s,
                &RenderOptions {
                    simulate: true,
                    effective_time: effective_time.clone(),
                    ..Default::default()
                },
            )
        })
    }));
    let text = match result {
        Err(_) => return (Outcome::Panic, feats, "panicked".into()),
        Ok(Err(e)) => return (Outcome::Error, feats, e.to_string()),
        Ok(Ok(t)) => t,
    };
    if let Ok(dir) = std::env::var("VIGIL_DUMP") {
        let _ = std::fs::write(Path::new(&dir).join(format!("{name}.out")), &text);
    }
    if normalize(&text) == normalize(&expected) {
        return (Outcome::Full, feats, String::new());
    }
    if section(&text, "Transition Summary:") == section(&expected, "Transition Summary:") {
        return (Outcome::Transition, feats, String::new());
    }
    (Outcome::Fail, feats, String::new())
}

fn index() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(corpus().join("INDEX.tsv")).expect("INDEX.tsv readable");
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let name = cols.first()?.trim();
            if name.is_empty() {
                return None;
            }
            Some((name.to_string(), cols.get(3).unwrap_or(&"").to_string()))
        })
        .collect()
}

#[test]
fn pacemaker_regression_cases() {
    let cases = index();
    assert!(cases.len() > 500, "corpus has {} cases", cases.len());
    let only = std::env::var("VIGIL_CASE").ok();
    let mut per_feature: BTreeMap<&'static str, (usize, usize, usize)> = BTreeMap::new();
    let (mut full, mut trans, mut panics, mut errors) = (0, 0, 0, 0);
    let mut results = BTreeMap::new();
    for (name, extra) in &cases {
        if only.as_ref().is_some_and(|o| o != name) {
            continue;
        }
        let (outcome, feats, msg) = run_case(name, extra);
        match outcome {
            Outcome::Full => full += 1,
            Outcome::Transition => trans += 1,
            Outcome::Panic => {
                panics += 1;
                eprintln!("PANIC in case {name}");
            }
            Outcome::Error => {
                errors += 1;
                eprintln!("error in case {name}: {msg}");
            }
            Outcome::Fail => {}
        }
        for f in feats {
            let e = per_feature.entry(f).or_default();
            e.0 += 1;
            if outcome == Outcome::Full {
                e.1 += 1;
            }
            if matches!(outcome, Outcome::Full | Outcome::Transition) {
                e.2 += 1;
            }
        }
        results.insert(name.clone(), outcome);
        if let Ok(path) = std::env::var("VIGIL_REPORT") {
            use std::io::Write as _;
            if let Ok(mut f) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let _ = writeln!(
                    f,
                    "{name}\t{outcome:?}\t{}",
                    features(
                        &std::fs::read_to_string(corpus().join("xml").join(format!("{name}.xml")))
                            .unwrap_or_default()
                    )
                    .join(",")
                );
            }
        }
    }
    let total = results.len();
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    eprintln!(
        "scheduler conformance: {total} cases, full output {full} ({:.1}%), transition summary {} ({:.1}%), errors {errors}, panics {panics}",
        pct(full, total),
        full + trans,
        pct(full + trans, total)
    );
    for (f, (n, fu, tr)) in &per_feature {
        eprintln!(
            "  {f:<16} {n:>4} cases: full {fu:>4} ({:>5.1}%), transition {tr:>4} ({:>5.1}%)",
            pct(*fu, *n),
            pct(*tr, *n)
        );
    }
    if only.is_some() {
        return;
    }
    let list_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/passing.txt");
    if std::env::var("VIGIL_BLESS").is_ok_and(|v| v == "1") {
        let mut text = String::new();
        for (name, o) in &results {
            match o {
                Outcome::Full => text.push_str(&format!("{name}\tfull\n")),
                Outcome::Transition => text.push_str(&format!("{name}\ttransition\n")),
                _ => {}
            }
        }
        std::fs::write(&list_path, text).expect("write passing.txt");
        return;
    }
    let listed = std::fs::read_to_string(&list_path).unwrap_or_default();
    let mut regressions = Vec::new();
    for line in listed.lines() {
        let Some((name, level)) = line.split_once('\t') else {
            continue;
        };
        let got = results.get(name).copied();
        let ok = match level.trim() {
            "full" => got == Some(Outcome::Full),
            _ => matches!(got, Some(Outcome::Full | Outcome::Transition)),
        };
        if !ok {
            regressions.push(format!("{name} (was {level}, now {got:?})"));
        }
    }
    assert_eq!(panics, 0, "cases panicked");
    assert!(regressions.is_empty(), "regressions: {regressions:?}");
}

/// Print our output and the expected one for `VIGIL_CASE=name`.
#[test]
fn show_one_case() {
    let Ok(name) = std::env::var("VIGIL_SHOW") else {
        return;
    };
    let xml = std::fs::read_to_string(corpus().join("xml").join(format!("{name}.xml")))
        .expect("case exists");
    let extra = index()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|x| x.1)
        .unwrap_or_default();
    let now = extra
        .strip_prefix("-t ")
        .and_then(|d| vigil_scheduler::parse_datetime(d.trim()).ok());
    let wall_clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let s = schedule_text(&xml, &Options { now, wall_clock }).expect("schedules");
    let text = render(
        &s,
        &RenderOptions {
            simulate: true,
            show_scores: std::env::var("VIGIL_SCORES").is_ok(),
            effective_time: extra.strip_prefix("-t ").map(|d| d.trim().to_string()),
        },
    );
    std::fs::write(format!("/tmp/vigil-{name}.out"), &text).expect("write");
    eprintln!("{text}");
}

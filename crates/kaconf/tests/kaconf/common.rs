//! Helpers shared by the test modules.

use std::path::Path;

use vigil_kaconf::lexer::{lex, LineKind};
use vigil_kaconf::{load, Diagnostic, LoadOptions, Loaded, MemFs, Severity};

/// Options with a config id.
pub fn opts(id: Option<&str>) -> LoadOptions {
    LoadOptions {
        config_id: id.map(str::to_string),
        random_seed: 1,
    }
}

/// Lexes `main` from `fs`; each line rendered as `file:line: text`.
pub fn lines_with(fs: &MemFs, main: &str, id: Option<&str>) -> (Vec<String>, Vec<Diagnostic>) {
    let lexed = lex(Path::new(main), fs, &opts(id));
    let lines = lexed
        .lines
        .iter()
        .map(|l| {
            let text = match &l.kind {
                LineKind::Open => "{".to_string(),
                LineKind::Close => "}".to_string(),
                LineKind::Words(w) => w.join("|"),
            };
            format!("{}:{}: {}", l.file.display(), l.line, text)
        })
        .collect();
    (lines, lexed.diagnostics)
}

/// Lexes a single in-memory file `/k/keepalived.conf`.
pub fn lines(text: &str) -> Vec<String> {
    let fs = MemFs::new().with("/k/keepalived.conf", text);
    let (l, d) = lines_with(&fs, "/k/keepalived.conf", None);
    assert!(d.is_empty(), "unexpected diagnostics: {d:?}");
    l.into_iter()
        .map(|s| s.trim_start_matches("/k/keepalived.conf:").to_string())
        .collect()
}

/// Loads a single in-memory file `/k/keepalived.conf`.
pub fn load_str(text: &str) -> Loaded {
    let fs = MemFs::new().with("/k/keepalived.conf", text);
    load(Path::new("/k/keepalived.conf"), &fs, &opts(Some("main")))
}

/// Diagnostics as `line: severity: message` (file is always the main file).
pub fn diags(l: &Loaded) -> Vec<String> {
    l.diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.file, Path::new("/k/keepalived.conf"));
            format!("{}: {}: {}", d.line, d.severity, d.message)
        })
        .collect()
}

/// Whether some diagnostic has this severity, line and message fragment.
pub fn has(l: &Loaded, sev: Severity, line: u32, fragment: &str) -> bool {
    l.diagnostics
        .iter()
        .any(|d| d.severity == sev && d.line == line && d.message.contains(fragment))
}

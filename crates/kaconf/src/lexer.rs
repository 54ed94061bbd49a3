//! Files to logical lines: comments, `include`, `@ID` / `@^ID` conditional
//! lines, `$NAME=value` definitions and their substitution, `~SEQ` / `~LST`
//! generators, and splitting at braces.
//!
//! The order of the steps on each line follows keepalived's reader
//! (lib/parser.c `read_line`): comments are removed, then, repeatedly, the
//! conditional prefix, a definition, a generator, substitution; then an
//! `include FILE` line is replaced by the file(s); what is left is split at
//! `{` and `}` so that every brace is a line of its own.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::fs::FileSystem;
use crate::generator::{parse_lst, parse_seq, Generator};
use crate::macros::{parse_definition, Definitions, Env, ExpandError};
use crate::text::{decomment, split_braces, split_words, strip_comment, Piece};
use crate::LoadOptions;

/// Deepest include nesting accepted (the main file is depth 1).
pub const MAX_INCLUDE_DEPTH: usize = 32;
/// Most logical lines one load may produce (guards generators and macros).
pub const MAX_LINES: usize = 2_000_000;
/// Most processing steps one load may take.
const MAX_STEPS: usize = 20_000_000;

/// What a logical line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    /// `{`
    Open,
    /// `}`
    Close,
    /// Words (never empty), quotes removed.
    Words(Vec<String>),
}

/// A logical line with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's content.
    pub kind: LineKind,
    /// File of the physical line (for generated lines: of the generator or
    /// macro use).
    pub file: Arc<Path>,
    /// 1-based line number in `file`.
    pub line: u32,
}

/// Output of [`lex`].
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    /// Logical lines in order.
    pub lines: Vec<Line>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lexer problems (rendered into [`Diagnostic`] messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexError {
    /// The main configuration file could not be read.
    #[error("cannot read configuration file {path}: {reason}")]
    MainUnreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// A file matched by `include` could not be read (keepalived skips it).
    #[error("configuration file '{path}' open problem ({reason}) - skipping")]
    IncludeUnreadable {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        reason: String,
    },
    /// An `include` pattern matched no file (keepalived only logs this).
    #[error("no config files matched '{0}'")]
    NoMatch(String),
    /// An `include` pattern is not a valid glob.
    #[error("invalid include pattern '{pattern}': {reason}")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// Why.
        reason: String,
    },
    /// A file includes itself, directly or through other files.
    #[error("include loop: '{0}' is already being read")]
    IncludeLoop(PathBuf),
    /// Includes nest deeper than [`MAX_INCLUDE_DEPTH`].
    #[error("includes nested deeper than {MAX_INCLUDE_DEPTH} files: '{0}' skipped")]
    IncludeTooDeep(PathBuf),
    /// A `"` is opened and not closed on the line.
    #[error("unterminated quote '{0}'")]
    UnterminatedQuote(String),
    /// A `~SEQ` or `~LST` line is malformed.
    #[error("invalid {kind} specification '{line}': {reason}")]
    BadGenerator {
        /// `~SEQ` or `~LST`.
        kind: &'static str,
        /// The line.
        line: String,
        /// Why.
        reason: String,
    },
    /// Substitution does not terminate (a definition refers to itself).
    #[error("parameter substitution does not terminate on line '{0}' (recursive definition?)")]
    RecursiveDefinition(String),
    /// Substitution makes the line too long.
    #[error("parameter substitution on line '{0}' would exceed the maximum line length")]
    LineTooLong(String),
    /// The configuration expands to too many lines.
    #[error("configuration expands to more than {MAX_LINES} lines; reading stopped")]
    TooManyLines,
}

type Origin = (Arc<Path>, u32);

enum Frame {
    File {
        path: Arc<Path>,
        dir: Arc<str>,
        lines: Vec<String>,
        next: usize,
    },
    Text {
        lines: VecDeque<String>,
        origin: Origin,
    },
    Gen {
        gen: Generator,
        origin: Origin,
    },
}

struct Lexer<'a> {
    fs: &'a dyn FileSystem,
    config_id: Option<&'a str>,
    defs: Definitions,
    stack: Vec<Frame>,
    out: Lexed,
    collecting: Option<String>,
    steps: usize,
}

/// Reads `path` (and what it includes) into logical lines.
pub fn lex(path: &Path, fs: &dyn FileSystem, opts: &LoadOptions) -> Lexed {
    let mut lx = Lexer {
        fs,
        config_id: opts.config_id.as_deref(),
        defs: Definitions::new(opts.random_seed),
        stack: Vec::new(),
        out: Lexed::default(),
        collecting: None,
        steps: 0,
    };
    match fs.read_to_string(path) {
        Ok(text) => lx.push_file(path, &text),
        Err(e) => {
            let err = LexError::MainUnreadable {
                path: path.to_path_buf(),
                reason: e.to_string(),
            };
            lx.out
                .diagnostics
                .push(Diagnostic::fatal(path, 0, err.to_string()));
            return lx.out;
        }
    }
    lx.run();
    lx.out
}

fn dir_of(path: &Path) -> Arc<str> {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => Arc::from(p.to_string_lossy().as_ref()),
        _ => Arc::from("."),
    }
}

impl Lexer<'_> {
    fn push_file(&mut self, path: &Path, text: &str) {
        let lines = text
            .split('\n')
            .map(|l| l.trim_end_matches('\r').to_string())
            .collect::<Vec<_>>();
        self.stack.push(Frame::File {
            path: Arc::from(path),
            dir: dir_of(path),
            lines,
            next: 0,
        });
    }

    fn error(&mut self, origin: &Origin, err: &LexError) {
        self.out
            .diagnostics
            .push(Diagnostic::error(&*origin.0, origin.1, err.to_string()));
    }

    fn current_dir(&self) -> Arc<str> {
        self.stack
            .iter()
            .rev()
            .find_map(|f| match f {
                Frame::File { dir, .. } => Some(dir.clone()),
                _ => None,
            })
            .unwrap_or_else(|| Arc::from("."))
    }

    fn run(&mut self) {
        let mut last_origin: Option<Origin> = None;
        while let Some(frame) = self.stack.last_mut() {
            self.steps += 1;
            if self.steps > MAX_STEPS || self.out.lines.len() > MAX_LINES {
                let origin = last_origin.unwrap_or_else(|| (Arc::from(Path::new("")), 0));
                self.error(&origin, &LexError::TooManyLines);
                return;
            }
            match frame {
                Frame::File {
                    path, lines, next, ..
                } => {
                    if *next < lines.len() {
                        let raw = std::mem::take(&mut lines[*next]);
                        *next += 1;
                        let origin = (path.clone(), *next as u32);
                        last_origin = Some(origin.clone());
                        self.process(&raw, origin, true);
                    } else {
                        self.stack.pop();
                        if let Some(name) = self.collecting.take() {
                            self.defs.finish(&name);
                        }
                    }
                }
                Frame::Text { lines, origin } => {
                    let origin = origin.clone();
                    let line = lines.pop_front();
                    if lines.is_empty() {
                        self.stack.pop();
                    }
                    if let Some(l) = line {
                        self.process(&l, origin, false);
                    }
                }
                Frame::Gen { gen, origin } => {
                    let origin = origin.clone();
                    match gen.next_values() {
                        Some(values) => {
                            let vars = gen.vars.clone();
                            let text = gen.text.clone();
                            for (var, val) in vars.iter().zip(values) {
                                self.defs.set(var, &val);
                            }
                            self.process(&text, origin, false);
                        }
                        None => {
                            self.stack.pop();
                        }
                    }
                }
            }
        }
    }

    /// Handles one line; `from_file` lines still carry comments.
    fn process(&mut self, raw: &str, origin: Origin, from_file: bool) {
        let mut quote_reported = false;
        let text = if from_file {
            let d = decomment(raw);
            if d.unterminated_quote {
                self.error(&origin, &LexError::UnterminatedQuote(d.text.clone()));
                quote_reported = true;
            }
            d.text
        } else {
            raw.to_string()
        };
        if let Some(name) = self.collecting.clone() {
            if text.is_empty() {
                self.defs.finish(&name);
                self.collecting = None;
            } else if !self.defs.append(&name, &text) {
                self.collecting = None;
            }
            return;
        }
        let mut buf = text;
        let mut rounds = 0;
        let mut substituted = false;
        loop {
            if buf.is_empty() {
                return;
            }
            rounds += 1;
            if rounds > crate::macros::MAX_SUBSTITUTIONS {
                self.error(&origin, &LexError::RecursiveDefinition(buf));
                return;
            }
            if buf.starts_with('@') {
                match self.conditional(&buf) {
                    Some(rest) => {
                        buf = rest;
                        continue;
                    }
                    None => return,
                }
            }
            if let Some((name, value)) = parse_definition(&buf) {
                if self.defs.define(name, value) {
                    self.collecting = Some(name.to_string());
                }
                return;
            }
            if buf.starts_with("~SEQ") || buf.starts_with("~LST") {
                self.generator(&buf, origin);
                return;
            }
            if buf.starts_with('~') || !buf.contains('$') {
                break;
            }
            let pwd = self.current_dir();
            let env = Env {
                pwd: &pwd,
                instance: self.config_id.unwrap_or(""),
            };
            match self.defs.expand(&mut buf, env) {
                Ok(exp) => {
                    for rest in exp.pending {
                        self.stack.push(Frame::Text {
                            lines: rest.into(),
                            origin: origin.clone(),
                        });
                    }
                    if !exp.changed {
                        break;
                    }
                    substituted = true;
                    // keepalived 2.2.7 re-reads the substituted line from its
                    // first non-blank (measured: `$EMPTY @^id kw` is a
                    // conditional line).
                    let lead = buf.len() - buf.trim_start_matches([' ', '\t']).len();
                    buf.drain(..lead);
                }
                Err(ExpandError::TooManySubstitutions) => {
                    self.error(&origin, &LexError::RecursiveDefinition(raw.to_string()));
                    return;
                }
                Err(ExpandError::TooLong) => {
                    self.error(&origin, &LexError::LineTooLong(raw.to_string()));
                    return;
                }
            }
        }
        // A `#` or `!` that substitution brought in starts a comment
        // (measured with keepalived 2.2.7: `${_HASH}` comments out the rest).
        if substituted {
            buf = strip_comment(&buf);
            if buf.is_empty() {
                return;
            }
        }
        if buf.starts_with("include") {
            if let Ok(words) = split_words(&buf) {
                if words.len() == 2 && words[0] == "include" {
                    self.include(&words[1], &origin);
                    return;
                }
            }
        }
        self.emit(&buf, &origin, !quote_reported);
    }

    /// `@ID rest` / `@^ID rest`: returns `rest` when the line applies.
    fn conditional(&self, buf: &str) -> Option<String> {
        let (negate, body) = match buf.strip_prefix("@^") {
            Some(b) => (true, b),
            None => (false, &buf[1..]),
        };
        let sp = body.find([' ', '\t'])?;
        let id = &body[..sp];
        let matches = self.config_id == Some(id);
        (matches != negate).then(|| body[sp..].trim_start_matches([' ', '\t']).to_string())
    }

    fn generator(&mut self, buf: &str, origin: Origin) {
        let pwd = self.current_dir();
        let instance = self.config_id.unwrap_or("");
        let defs = &mut self.defs;
        let mut expand = |s: &str| {
            let mut b = s.to_string();
            let env = Env {
                pwd: &pwd,
                instance,
            };
            // Multiline definitions make no sense here; their rest is dropped.
            let _ = defs.expand(&mut b, env);
            b
        };
        let (kind, parsed) = if buf.starts_with("~SEQ") {
            ("~SEQ", parse_seq(buf, &mut expand))
        } else {
            ("~LST", parse_lst(buf, &mut expand))
        };
        match parsed {
            Ok(gen) => self.stack.push(Frame::Gen { gen, origin }),
            Err(reason) => self.error(
                &origin,
                &LexError::BadGenerator {
                    kind,
                    line: buf.to_string(),
                    reason,
                },
            ),
        }
    }

    fn include(&mut self, pattern: &str, origin: &Origin) {
        let dir = self.current_dir();
        let full = if Path::new(pattern).is_absolute() || &*dir == "." {
            pattern.to_string()
        } else {
            format!("{dir}/{pattern}")
        };
        let depth = self
            .stack
            .iter()
            .filter(|f| matches!(f, Frame::File { .. }))
            .count();
        let matches = match self.fs.glob(&full) {
            Ok(m) => m,
            Err(e) => {
                let err = LexError::BadPattern {
                    pattern: full,
                    reason: e.to_string(),
                };
                self.error(origin, &err);
                return;
            }
        };
        if matches.is_empty() {
            let msg = LexError::NoMatch(full).to_string();
            self.out
                .diagnostics
                .push(Diagnostic::note(&*origin.0, origin.1, msg));
            return;
        }
        if depth >= MAX_INCLUDE_DEPTH {
            self.error(origin, &LexError::IncludeTooDeep(PathBuf::from(full)));
            return;
        }
        let mut loaded = Vec::new();
        for m in matches {
            let open = self.stack.iter().any(|f| match f {
                Frame::File { path, .. } => **path == *m,
                _ => false,
            });
            if open {
                self.error(origin, &LexError::IncludeLoop(m));
                continue;
            }
            match self.fs.read_to_string(&m) {
                Ok(text) => loaded.push((m, text)),
                Err(e) => {
                    let msg = LexError::IncludeUnreadable {
                        path: m,
                        reason: e.to_string(),
                    }
                    .to_string();
                    self.out
                        .diagnostics
                        .push(Diagnostic::note(&*origin.0, origin.1, msg));
                }
            }
        }
        for (m, text) in loaded.into_iter().rev() {
            self.push_file(&m, &text);
        }
    }

    fn emit(&mut self, buf: &str, origin: &Origin, report_quotes: bool) {
        for piece in split_braces(buf) {
            let kind = match piece {
                Piece::Open => LineKind::Open,
                Piece::Close => LineKind::Close,
                Piece::Text(t) => {
                    let words = match split_words(&t) {
                        Ok(w) => w,
                        Err(w) => {
                            if report_quotes {
                                let msg = format!("unmatched quote: '{t}'");
                                self.out
                                    .diagnostics
                                    .push(Diagnostic::error(&*origin.0, origin.1, msg));
                            }
                            w
                        }
                    };
                    if words.is_empty() {
                        continue;
                    }
                    LineKind::Words(words)
                }
            };
            self.out.lines.push(Line {
                kind,
                file: origin.0.clone(),
                line: origin.1,
            });
        }
    }
}

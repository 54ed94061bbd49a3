//! `$NAME=value` definitions and `$NAME` / `${NAME}` substitution.
//!
//! keepalived.conf(5) "Parameter substitution": names are `[A-Za-z_][A-Za-z0-9_]*`;
//! `$NAME` must be followed by a blank (or the end of the line), `${NAME}`
//! need not be; replacement is recursive and done at use time; undefined
//! names stay as they are; a definition ending in `\` continues on the next
//! lines (multiline) and may only be used at the end of a line.
//! "Pre-defined definitions": `${_PWD}`, `${_INSTANCE}`, `${_RANDOM [MIN [MAX]]}`,
//! `${_HASH}`, `${_BANG}`.

use std::collections::HashMap;
use std::sync::Arc;

/// Upper bound of substitutions on one line (guards `$A=$A`).
pub(crate) const MAX_SUBSTITUTIONS: usize = 1000;
/// Upper bound of one line's length after substitution.
pub(crate) const MAX_LINE_LEN: usize = 64 * 1024;

/// A built-in definition computed at use time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Builtin {
    Pwd,
    Instance,
    Random,
    Hash,
    Bang,
}

#[derive(Debug, Clone)]
enum Value {
    Text { text: Arc<str>, multiline: bool },
    Builtin(Builtin),
}

/// Context that built-in definitions read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env<'a> {
    /// `${_PWD}`: directory of the file being read.
    pub pwd: &'a str,
    /// `${_INSTANCE}`: the config id.
    pub instance: &'a str,
}

/// Result of substituting one line.
#[derive(Debug, Default)]
pub(crate) struct Expansion {
    /// At least one substitution happened.
    pub changed: bool,
    /// Lines of multiline definitions still to be read after this line, in
    /// the order they must be pushed (outermost first).
    pub pending: Vec<Vec<String>>,
}

/// Why substitution gave up on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExpandError {
    /// Too many substitutions (recursive definition).
    TooManySubstitutions,
    /// The line grew beyond [`MAX_LINE_LEN`].
    TooLong,
}

/// The table of definitions.
#[derive(Debug, Clone)]
pub(crate) struct Definitions {
    defs: HashMap<String, Value>,
    rng: u64,
}

impl Definitions {
    /// A table holding only the pre-defined definitions.
    pub fn new(random_seed: u64) -> Self {
        let mut defs = HashMap::new();
        defs.insert("_PWD".into(), Value::Builtin(Builtin::Pwd));
        defs.insert("_INSTANCE".into(), Value::Builtin(Builtin::Instance));
        defs.insert("_RANDOM".into(), Value::Builtin(Builtin::Random));
        defs.insert("_HASH".into(), Value::Builtin(Builtin::Hash));
        defs.insert("_BANG".into(), Value::Builtin(Builtin::Bang));
        Self {
            defs,
            rng: random_seed ^ 0x9e37_79b9_7f4a_7c15,
        }
    }

    /// Sets a single-line definition (also used by `~SEQ` / `~LST`).
    pub fn set(&mut self, name: &str, value: &str) {
        self.defs.insert(
            name.to_string(),
            Value::Text {
                text: Arc::from(value),
                multiline: false,
            },
        );
    }

    /// Starts or replaces a definition from a `$NAME=value` line; returns
    /// whether it continues on following lines.
    pub fn define(&mut self, name: &str, value: &str) -> bool {
        let (text, multiline) = match value.strip_suffix('\\') {
            Some(v) => {
                let v = v.trim_end_matches([' ', '\t']);
                if v.is_empty() {
                    (String::new(), true)
                } else {
                    (format!("{v}\n"), true)
                }
            }
            None => (value.to_string(), false),
        };
        self.defs.insert(
            name.to_string(),
            Value::Text {
                text: Arc::from(text),
                multiline,
            },
        );
        multiline
    }

    /// Appends one continuation line to a multiline definition; returns
    /// whether the definition continues further.
    pub fn append(&mut self, name: &str, line: &str) -> bool {
        let (part, more) = match line.strip_suffix('\\') {
            Some(v) => (v.trim_end_matches([' ', '\t']), true),
            None => (line, false),
        };
        if let Some(Value::Text { text, multiline }) = self.defs.get_mut(name) {
            if !part.is_empty() {
                let mut t = String::with_capacity(text.len() + part.len() + 1);
                t.push_str(text);
                t.push_str(part);
                if more {
                    t.push('\n');
                }
                *text = Arc::from(t);
            }
            if !more && text.is_empty() {
                *multiline = false;
            }
        }
        more
    }

    /// Ends a multiline definition early (blank line or end of file).
    pub fn finish(&mut self, name: &str) {
        if let Some(Value::Text { text, multiline }) = self.defs.get_mut(name) {
            if text.is_empty() {
                *multiline = false;
            }
        }
    }

    fn next_random(&mut self, min: u64, max: u64) -> u64 {
        // xorshift64*: deterministic for a given seed, so loads are pure.
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        if max <= min {
            return min;
        }
        min + r % (max - min + 1)
    }

    /// Substitutes definitions in `buf` in place.
    pub fn expand(&mut self, buf: &mut String, env: Env<'_>) -> Result<Expansion, ExpandError> {
        let mut exp = Expansion::default();
        let mut pos = 0;
        let mut count = 0;
        while let Some(off) = buf[pos..].find('$') {
            let at = pos + off;
            let Some(m) = self.find(buf, at) else {
                pos = at + 1;
                continue;
            };
            count += 1;
            if count > MAX_SUBSTITUTIONS {
                return Err(ExpandError::TooManySubstitutions);
            }
            let replacement = match self.defs.get(&m.name).cloned() {
                Some(Value::Text { text, multiline }) if multiline => {
                    let mut lines = text.split('\n').map(str::to_string);
                    let first = lines.next().unwrap_or_default();
                    let rest: Vec<String> = lines.collect();
                    if !rest.is_empty() {
                        exp.pending.push(rest);
                    }
                    first
                }
                Some(Value::Text { text, .. }) => text.to_string(),
                Some(Value::Builtin(b)) => self.builtin(b, m.params.as_deref(), env),
                None => {
                    pos = at + 1;
                    continue;
                }
            };
            buf.replace_range(at..m.end, &replacement);
            if buf.len() > MAX_LINE_LEN {
                return Err(ExpandError::TooLong);
            }
            exp.changed = true;
            // A value starting with `~` is a generator: stop here so that the
            // caller sees it at the start of a line.
            if replacement.trim_start_matches([' ', '\t']).starts_with('~') {
                break;
            }
            pos = at;
        }
        Ok(exp)
    }

    fn builtin(&mut self, b: Builtin, params: Option<&str>, env: Env<'_>) -> String {
        match b {
            Builtin::Pwd => env.pwd.to_string(),
            Builtin::Instance => env.instance.to_string(),
            Builtin::Hash => "#".into(),
            Builtin::Bang => "!".into(),
            Builtin::Random => {
                let mut nums = params
                    .unwrap_or("")
                    .split_whitespace()
                    .filter_map(|n| n.parse::<u64>().ok());
                let min = nums.next().unwrap_or(0);
                let max = nums.next().unwrap_or(32767);
                self.next_random(min, max).to_string()
            }
        }
    }

    /// Recognises a reference at `buf[at] == '$'`.
    fn find(&self, buf: &str, at: usize) -> Option<Match> {
        let bytes = buf.as_bytes();
        let mut i = at + 1;
        let braces = bytes.get(i) == Some(&b'{');
        if braces {
            i += 1;
        }
        let start = i;
        if !bytes
            .get(i)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            return None;
        }
        while bytes
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            i += 1;
        }
        let name = &buf[start..i];
        let mut params = None;
        let end = if braces {
            let pstart = i;
            while bytes
                .get(i)
                .is_some_and(|c| *c == b' ' || c.is_ascii_digit())
            {
                i += 1;
            }
            if bytes.get(i) != Some(&b'}') {
                return None;
            }
            let p = &buf[pstart..i];
            if !p.is_empty() {
                // Parameters need a leading blank and no trailing one.
                if !p.starts_with(' ') || p.ends_with(' ') {
                    return None;
                }
                params = Some(p.trim().to_string());
            }
            i + 1
        } else {
            match bytes.get(i) {
                None | Some(b' ' | b'\t' | b',' | b')') => i,
                _ => return None,
            }
        };
        let value = self.defs.get(name)?;
        match value {
            Value::Text {
                multiline: true, ..
            } if end != buf.len() => return None,
            Value::Text { .. } if params.is_some() => return None,
            Value::Builtin(b) if params.is_some() && *b != Builtin::Random => return None,
            _ => {}
        }
        Some(Match {
            name: name.to_string(),
            params,
            end,
        })
    }
}

struct Match {
    name: String,
    params: Option<String>,
    end: usize,
}

/// Parses `$NAME=value`: returns the name and the value (leading blanks
/// removed). There must be no blank between the name and `=`.
pub(crate) fn parse_definition(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('$')?;
    let eq = rest.find('=')?;
    let name = &rest[..eq];
    let mut chars = name.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    Some((name, rest[eq + 1..].trim_start_matches([' ', '\t'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENV: Env<'static> = Env {
        pwd: "/etc/keepalived",
        instance: "main",
    };

    fn expand(defs: &mut Definitions, s: &str) -> String {
        let mut b = s.to_string();
        defs.expand(&mut b, ENV).unwrap();
        b
    }

    #[test]
    fn simple_and_braced() {
        let mut d = Definitions::new(1);
        d.define("A", "x");
        assert_eq!(expand(&mut d, "a $A ${A}y $Ab $B"), "a x xy $Ab $B");
        assert_eq!(
            expand(&mut d, "${_PWD}/f ${_INSTANCE}"),
            "/etc/keepalived/f main"
        );
    }

    #[test]
    fn recursion_is_bounded() {
        let mut d = Definitions::new(1);
        d.define("A", "$A");
        let mut b = "$A".to_string();
        assert_eq!(
            d.expand(&mut b, ENV).unwrap_err(),
            ExpandError::TooManySubstitutions
        );
    }

    #[test]
    fn random_in_range() {
        let mut d = Definitions::new(7);
        for _ in 0..100 {
            let v: u64 = expand(&mut d, "${_RANDOM 3 5}").parse().unwrap();
            assert!((3..=5).contains(&v));
        }
    }
}

//! Simple keyword values: one trait that reads a value from a keyword line
//! (grading problems as keepalived does) and writes it back for the dump,
//! and a macro that declares a struct of such settings together with its
//! keyword table, reader and writer, so that parse and dump cannot drift.

use std::fmt::{self, Formatter};
use std::path::PathBuf;

use super::ctx::{ConfigError, Ctx};
use super::dump::{quote, script_line};
use super::script::{parse_script, Script};
use crate::tree::Node;

/// A value set by one keyword line.
pub(crate) trait Setting {
    /// Reads the value of `n` (numbers within `[lo, hi]`).
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, lo: i64, hi: i64);
    /// Writes `kw VALUE` at `ind`, or nothing when unset.
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result;
}

fn put(f: &mut Formatter<'_>, ind: usize, words: &[&str]) -> fmt::Result {
    let q: Vec<String> = words.iter().map(|w| quote(w)).collect();
    writeln!(f, "{:ind$}{}", "", q.join(" "), ind = ind)
}

/// A bare flag: present means true.
impl Setting for bool {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, _: i64, _: i64) {
        if !n.args.is_empty() {
            cx.warn(
                n,
                ConfigError::Other(format!(
                    "{}: unexpected argument '{}' - ignoring",
                    n.keyword,
                    n.args.join(" ")
                )),
            );
        }
        *self = true;
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        if *self {
            put(f, ind, &[kw])?;
        }
        Ok(())
    }
}

/// `KEYWORD [<BOOL>]`.
impl Setting for Option<bool> {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, _: i64, _: i64) {
        if let Some(b) = cx.flag(n) {
            *self = Some(b);
        }
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(b) => put(f, ind, &[kw, if *b { "true" } else { "false" }]),
            None => Ok(()),
        }
    }
}

/// `KEYWORD WORD`.
impl Setting for Option<String> {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, _: i64, _: i64) {
        if let Some(a) = cx.arg(n) {
            *self = Some(a.to_string());
        }
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(s) => put(f, ind, &[kw, s]),
            None => Ok(()),
        }
    }
}

/// `KEYWORD PATH`.
impl Setting for Option<PathBuf> {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, _: i64, _: i64) {
        if let Some(a) = cx.arg(n) {
            *self = Some(PathBuf::from(a));
        }
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(p) => put(f, ind, &[kw, &p.to_string_lossy()]),
            None => Ok(()),
        }
    }
}

/// `KEYWORD [PATH]`: `Some(None)` without a path.
impl Setting for Option<Option<PathBuf>> {
    fn set(&mut self, n: &Node, _: &mut Ctx<'_>, _: i64, _: i64) {
        *self = Some(n.args.first().map(PathBuf::from));
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(Some(p)) => put(f, ind, &[kw, &p.to_string_lossy()]),
            Some(None) => put(f, ind, &[kw]),
            None => Ok(()),
        }
    }
}

/// `KEYWORD [WORD]`: `Some(None)` without a word.
impl Setting for Option<Option<String>> {
    fn set(&mut self, n: &Node, _: &mut Ctx<'_>, _: i64, _: i64) {
        *self = Some(n.args.first().cloned());
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(Some(p)) => put(f, ind, &[kw, p]),
            Some(None) => put(f, ind, &[kw]),
            None => Ok(()),
        }
    }
}

/// `KEYWORD [WORD...]`: `Some(vec![])` without words.
impl Setting for Option<Vec<String>> {
    fn set(&mut self, n: &Node, _: &mut Ctx<'_>, _: i64, _: i64) {
        *self = Some(n.args.clone());
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(v) => {
                let mut w = vec![kw];
                w.extend(v.iter().map(String::as_str));
                put(f, ind, &w)
            }
            None => Ok(()),
        }
    }
}

/// `KEYWORD WORD...` (all arguments).
impl Setting for Vec<String> {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, _: i64, _: i64) {
        if cx.arg(n).is_some() {
            *self = n.args.clone();
        }
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        if self.is_empty() {
            return Ok(());
        }
        let mut w = vec![kw];
        w.extend(self.iter().map(String::as_str));
        put(f, ind, &w)
    }
}

/// `KEYWORD SCRIPT [USER [GROUP]]`.
impl Setting for Option<Script> {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, _: i64, _: i64) {
        if let Some(s) = parse_script(n, cx) {
            *self = Some(s);
        }
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(s) => script_line(f, ind, kw, s),
            None => Ok(()),
        }
    }
}

macro_rules! int_setting {
    ($($t:ty),*) => {$(
        /// `KEYWORD N` within the range given by the declaration.
        impl Setting for Option<$t> {
            fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, lo: i64, hi: i64) {
                if let Some(v) = cx.int(n, lo, hi) {
                    *self = <$t>::try_from(v).ok();
                }
            }
            fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
                match self {
                    Some(v) => put(f, ind, &[kw, &v.to_string()]),
                    None => Ok(()),
                }
            }
        }
    )*};
}
int_setting!(u8, u16, u32, u64, i32);

/// `KEYWORD SECONDS` (decimal) within the range given by the declaration.
impl Setting for Option<f64> {
    fn set(&mut self, n: &Node, cx: &mut Ctx<'_>, lo: i64, hi: i64) {
        if let Some(v) = cx.float(n, lo as f64, hi as f64) {
            *self = Some(v);
        }
    }
    fn write(&self, kw: &str, f: &mut Formatter<'_>, ind: usize) -> fmt::Result {
        match self {
            Some(v) => put(f, ind, &[kw, &v.to_string()]),
            None => Ok(()),
        }
    }
}

/// Declares a struct of simple settings with its keyword table
/// (`KEYWORDS`), a reader (`apply`, false for keywords it does not own)
/// and a writer (`write`). Each field: `/// doc` `name: Type = "keyword"`
/// with an optional `[lo, hi]` range for numbers.
macro_rules! settings {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $(
                $(#[$fm:meta])*
                $field:ident : $ty:ty = $kw:literal $([$lo:expr, $hi:expr])?
            ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $name {
            $( $(#[$fm])* pub $field: $ty, )*
        }

        impl $name {
            /// The keywords these settings are read from.
            pub const KEYWORDS: &'static [&'static str] = &[$($kw),*];

            /// Reads `n` when it is one of [`Self::KEYWORDS`].
            pub(crate) fn apply(
                &mut self,
                n: &$crate::tree::Node,
                cx: &mut $crate::config::ctx::Ctx<'_>,
            ) -> bool {
                use $crate::config::setting::Setting as _;
                match n.keyword.as_str() {
                    $( $kw => {
                        let (lo, hi) = settings!(@range $([$lo, $hi])?);
                        self.$field.set(n, cx, lo, hi);
                        true
                    } )*
                    _ => false,
                }
            }

            /// Writes the settings that are set, one line each.
            pub(crate) fn write(
                &self,
                f: &mut std::fmt::Formatter<'_>,
                ind: usize,
            ) -> std::fmt::Result {
                use $crate::config::setting::Setting as _;
                $( self.$field.write($kw, f, ind)?; )*
                Ok(())
            }
        }
    };
    (@range [$lo:expr, $hi:expr]) => { (($lo) as i64, ($hi) as i64) };
    (@range) => { (0i64, i64::from(u32::MAX)) };
}
pub(crate) use settings;

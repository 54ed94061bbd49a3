//! Notify scripts: `notify_master "CMD ARGS" [USER [GROUP]]`.
//!
//! keepalived.conf(5) "Quoted strings" and SCRIPTS: the command string is
//! split into words like a shell would: blanks separate words, `'` and `"`
//! quote, `\` escapes (`\n`, `\t`, `\xXX`, `\nnn`, `\cC`, ...).

use super::ctx::{ConfigError, Ctx};
use crate::tree::Node;

/// A script to run, with the user and group to run it as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The command string as written (quotes of the config line removed).
    pub command: String,
    /// `command` split into program and arguments.
    pub argv: Vec<String>,
    /// Optional user to run as.
    pub user: Option<String>,
    /// Optional group to run as.
    pub group: Option<String>,
}

/// Parses `KEYWORD CMD [USER [GROUP]]`.
pub(crate) fn parse_script(n: &Node, cx: &mut Ctx<'_>) -> Option<Script> {
    let mut command = cx.arg(n)?.to_string();
    let mut owner = n.args.get(1..).unwrap_or_default();
    if n.args.len() > 3 {
        // More words than `CMD USER GROUP`: read as an unquoted command line
        // (keepalived 2.2.7 accepts this silently).
        cx.note(
            n,
            ConfigError::Other(format!(
                "{}: unquoted command with arguments, read as '{}'",
                n.keyword,
                n.args.join(" ")
            )),
        );
        command = n.args.join(" ");
        owner = &[];
    }
    let argv = match split_command(&command) {
        Ok(v) if !v.is_empty() => v,
        Ok(_) => {
            cx.error(n, ConfigError::MissingArgument(n.keyword.clone()));
            return None;
        }
        Err(e) => {
            cx.error(n, ConfigError::Other(format!("{}: {e}", n.keyword)));
            return None;
        }
    };
    Some(Script {
        command,
        argv,
        user: owner.first().cloned(),
        group: owner.get(1).cloned(),
    })
}

/// Splits a command string into words with shell-like quoting and escapes.
pub fn split_command(s: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                in_word = true;
                let Some(e) = chars.next() else {
                    return Err(format!("missing escaped character at end of '{s}'"));
                };
                cur.push(unescape(e, &mut chars));
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                in_word = true;
                quote = Some(c);
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if let Some(q) = quote {
        return Err(format!("string '{s}': missing terminating {q}"));
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

fn unescape(e: char, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    match e {
        'a' => '\x07',
        'b' => '\x08',
        'E' => '\x1b',
        'f' => '\x0c',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        'v' => '\x0b',
        'x' if chars.peek().is_some_and(char::is_ascii_hexdigit) => {
            let mut v = 0u32;
            for _ in 0..2 {
                match chars.peek().and_then(|c| c.to_digit(16)) {
                    Some(d) => {
                        v = v * 16 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            char::from_u32(v).unwrap_or('?')
        }
        'c' if chars.peek().is_some() => {
            let c = chars.next().unwrap_or('@');
            char::from_u32(u32::from(c) & 0x1f).unwrap_or('?')
        }
        '0'..='7' => {
            let mut v = e.to_digit(8).unwrap_or(0);
            for _ in 0..2 {
                match chars.peek().and_then(|c| c.to_digit(8)) {
                    Some(d) => {
                        v = v * 8 + d;
                        chars.next();
                    }
                    None => break,
                }
            }
            char::from_u32(v & 0xff).unwrap_or('?')
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::split_command;

    #[test]
    fn shell_like() {
        assert_eq!(
            split_command(r#"/bin/x ' a b ' "c d" e\x20f \101"#).unwrap(),
            vec!["/bin/x", " a b ", "c d", "e f", "A"]
        );
        assert!(split_command("a 'b").is_err());
    }
}

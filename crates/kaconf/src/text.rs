//! Character-level rules of keepalived.conf lines: comment removal, word
//! splitting with `"` quoting, and splitting a line at `{` / `}`.
//!
//! keepalived.conf(5) DESCRIPTION: comments start with `#` or `!` and run to
//! the end of the line; `\#` and `\!` outside quotes are literal characters.

/// Result of stripping comments from one physical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decommented {
    /// The line without comment, leading and trailing blanks. A trailing
    /// `\` (continuation) is kept as the last character.
    pub text: String,
    /// A `"` was opened and never closed.
    pub unterminated_quote: bool,
}

/// Removes comments and surrounding blanks like keepalived's reader does.
pub(crate) fn decomment(raw: &str) -> Decommented {
    let s = raw.trim_start_matches([' ', '\t']);
    let mut out = String::with_capacity(s.len());
    let mut in_quote = false;
    let mut continued = false;
    let mut comment_at: Option<usize> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                if comment_at.is_none() {
                    in_quote = !in_quote;
                }
                out.push(c);
            }
            '\\' => match chars.peek().copied() {
                None => {
                    continued = true;
                    break;
                }
                Some(n) if !in_quote && (n == '#' || n == '!') => {
                    // An escaped comment character stands for itself.
                    out.push(n);
                    chars.next();
                }
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                    chars.next();
                }
            },
            '#' | '!' if !in_quote && comment_at.is_none() => {
                comment_at = Some(out.len());
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    if let Some(at) = comment_at {
        out.truncate(at);
    }
    let trimmed_len = out.trim_end_matches([' ', '\t']).len();
    out.truncate(trimmed_len);
    if continued {
        out.push('\\');
    }
    Decommented {
        text: out,
        unterminated_quote: in_quote,
    }
}

/// Cuts a line at the first `#` or `!` outside `"..."` and trims it.
pub(crate) fn strip_comment(line: &str) -> String {
    let mut in_quote = false;
    let mut end = line.len();
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '#' | '!' if !in_quote => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    line[..end].trim_matches([' ', '\t']).to_string()
}

/// Splits a line into words: blanks separate words, `"..."` is one word
/// without its quotes. Returns `Err(words so far)` on an unmatched quote.
pub(crate) fn split_words(line: &str) -> Result<Vec<String>, Vec<String>> {
    let mut words = Vec::new();
    let mut rest = line;
    loop {
        rest = rest.trim_start_matches(is_space);
        if rest.is_empty() {
            return Ok(words);
        }
        if let Some(after) = rest.strip_prefix('"') {
            match after.find('"') {
                Some(end) => {
                    words.push(after[..end].to_string());
                    rest = &after[end + 1..];
                }
                None => return Err(words),
            }
        } else {
            let end = rest
                .find(|c: char| is_space(c) || c == '"')
                .unwrap_or(rest.len());
            words.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// One piece of a line after splitting at braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// A `{`.
    Open,
    /// A `}`.
    Close,
    /// Text between braces (never empty).
    Text(String),
}

/// Splits a line at every `{` and `}` that is not inside `"..."`.
pub(crate) fn split_braces(line: &str) -> Vec<Piece> {
    if !line.contains(['{', '}']) {
        let t = line.trim_matches([' ', '\t']);
        return if t.is_empty() {
            Vec::new()
        } else {
            vec![Piece::Text(t.to_string())]
        };
    }
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut in_quote = false;
    let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
        let t = text.trim_matches([' ', '\t']);
        if !t.is_empty() {
            pieces.push(Piece::Text(t.to_string()));
        }
        text.clear();
    };
    for c in line.chars() {
        match c {
            '"' => {
                in_quote = !in_quote;
                text.push(c);
            }
            '{' if !in_quote => {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Open);
            }
            '}' if !in_quote => {
                flush(&mut text, &mut pieces);
                pieces.push(Piece::Close);
            }
            _ => text.push(c),
        }
    }
    flush(&mut text, &mut pieces);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_and_escapes() {
        assert_eq!(decomment("  a b # c").text, "a b");
        assert_eq!(decomment("a ! c").text, "a");
        assert_eq!(decomment("a \"# x\" # c").text, "a \"# x\"");
        assert_eq!(decomment("a \\# b").text, "a # b");
        assert_eq!(decomment("a b   \\").text, "a b\\");
        assert!(decomment("a \"b").unterminated_quote);
    }

    #[test]
    fn words_and_quotes() {
        assert_eq!(
            split_words("a \"b c\" d").unwrap(),
            vec!["a".to_string(), "b c".into(), "d".into()]
        );
        assert!(split_words("a \"b").is_err());
    }

    #[test]
    fn braces() {
        assert_eq!(
            split_braces("a { b } \"{\""),
            vec![
                Piece::Text("a".into()),
                Piece::Open,
                Piece::Text("b".into()),
                Piece::Close,
                Piece::Text("\"{\"".into())
            ]
        );
    }
}

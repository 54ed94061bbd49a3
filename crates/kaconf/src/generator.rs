//! Line generators: `~SEQ(var, [start,] [step,] end) TEXT`, `~SEQx(...)`
//! and `~LST(var, v1, v2, ...)` / `~LST({a,b}, {1,2}, {3,4}) TEXT`.
//!
//! keepalived.conf(5) "Sequence blocks" and "List blocks": the rest of the
//! line is processed once per value with the variable(s) defined.

/// Upper bound of values one generator may produce.
pub(crate) const MAX_VALUES: i64 = 1_000_000;

/// A parsed generator line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Generator {
    /// Variable names set for each value.
    pub vars: Vec<String>,
    /// The values, one tuple per iteration (each as long as `vars`).
    pub values: Values,
    /// Text processed once per value.
    pub text: String,
}

/// Values of a generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Values {
    /// `~SEQ`: arithmetic sequence.
    Seq {
        next: i128,
        step: i128,
        last: i128,
        hex: bool,
    },
    /// `~LST`: explicit tuples, consumed from the front.
    List {
        tuples: Vec<Vec<String>>,
        idx: usize,
    },
}

impl Generator {
    /// Returns the next tuple of values, or `None` when done.
    pub fn next_values(&mut self) -> Option<Vec<String>> {
        match &mut self.values {
            Values::Seq {
                next,
                step,
                last,
                hex,
            } => {
                let done = (*step > 0 && *next > *last) || (*step < 0 && *next < *last);
                if done {
                    return None;
                }
                let v = if *hex {
                    format!("{:x}", *next)
                } else {
                    next.to_string()
                };
                *next += *step;
                Some(vec![v])
            }
            Values::List { tuples, idx } => {
                let t = tuples.get(*idx)?.clone();
                *idx += 1;
                Some(t)
            }
        }
    }
}

/// Parses a `~SEQ...` line. `expand` substitutes definitions in the
/// parameter string. Errors are human readable reasons.
pub(crate) fn parse_seq(
    line: &str,
    expand: &mut dyn FnMut(&str) -> String,
) -> Result<Generator, String> {
    let mut p = line.strip_prefix("~SEQ").ok_or("not a ~SEQ line")?;
    let hex = match p.strip_prefix('x') {
        Some(r) => {
            p = r;
            true
        }
        None => false,
    };
    let p = p.trim_start_matches([' ', '\t']);
    let p = p.strip_prefix('(').ok_or("missing '(' after ~SEQ")?;
    let p = p.trim_start_matches([' ', '\t']);
    let var_end = p.find([' ', '\t', ',', ')']).unwrap_or(p.len());
    let var = &p[..var_end];
    let rest = p[var_end..].trim_start_matches([' ', '\t']);
    if var.is_empty() || !rest.starts_with(',') {
        return Err("expected ~SEQ(VAR, ...)".into());
    }
    let close = rest.find(')').ok_or("missing ')'")?;
    let params = expand(&rest[1..close]);
    let text = rest[close + 1..]
        .trim_start_matches([' ', '\t'])
        .to_string();
    let nums: Vec<&str> = params.split(',').collect();
    let mut vals = Vec::with_capacity(3);
    for n in &nums {
        vals.push(parse_c_long(n).ok_or_else(|| format!("invalid number '{}'", n.trim()))?);
    }
    let (start, step, end) = match vals.as_slice() {
        [end] => {
            let end = *end;
            (
                if end < 0 { -1 } else { 1 },
                if end < 1 { -1 } else { 1 },
                end,
            )
        }
        [start, end] => (*start, if start <= end { 1 } else { -1 }, *end),
        [start, step, end] => {
            if *step == 0 || (start < end && *step < 0) || (start > end && *step > 0) {
                return Err("invalid ~SEQ values".into());
            }
            (*start, *step, *end)
        }
        _ => return Err("~SEQ takes 1 to 3 numbers".into()),
    };
    if hex && (start < 0 || end < 0) {
        return Err("~SEQx is only valid for positive numbers".into());
    }
    let count = (i128::from(end) - i128::from(start)) / i128::from(step) + 1;
    if count > i128::from(MAX_VALUES) {
        return Err(format!(
            "~SEQ would produce {count} lines (limit {MAX_VALUES})"
        ));
    }
    Ok(Generator {
        vars: vec![var.to_string()],
        values: Values::Seq {
            next: i128::from(start),
            step: i128::from(step),
            last: i128::from(end),
            hex,
        },
        text,
    })
}

/// Parses a `~LST(...)` line.
pub(crate) fn parse_lst(
    line: &str,
    expand: &mut dyn FnMut(&str) -> String,
) -> Result<Generator, String> {
    let p = line.strip_prefix("~LST").ok_or("not a ~LST line")?;
    let p = p.trim_start_matches([' ', '\t']);
    let p = p.strip_prefix('(').ok_or("missing '(' after ~LST")?;
    // Find the closing ')' outside {...}.
    let mut depth = 0i32;
    let mut close = None;
    for (i, c) in p.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ')' if depth <= 0 => {
                close = Some(i);
                break;
            }
            _ => {}
        }
    }
    let close = close.ok_or("missing ')'")?;
    let inner = expand(&p[..close]);
    let text = p[close + 1..].trim_start_matches([' ', '\t']).to_string();
    let items = split_top_level(&inner);
    let (vars_item, value_items) = items.split_first().ok_or("empty ~LST")?;
    let vars: Vec<String> = group(vars_item);
    if vars.iter().any(|v| v.is_empty()) {
        return Err("empty variable name in ~LST".into());
    }
    if value_items.is_empty() {
        return Err("~LST needs at least one value".into());
    }
    if value_items.len() as i64 > MAX_VALUES {
        return Err("too many ~LST values".into());
    }
    let mut tuples = Vec::with_capacity(value_items.len());
    for item in value_items {
        let t = group(item);
        if t.len() != vars.len() {
            return Err(format!(
                "~LST value '{}' has {} element(s), expected {}",
                item.trim(),
                t.len(),
                vars.len()
            ));
        }
        tuples.push(t);
    }
    Ok(Generator {
        vars,
        values: Values::List { tuples, idx: 0 },
        text,
    })
}

fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth <= 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn group(item: &str) -> Vec<String> {
    let t = item.trim_matches([' ', '\t']);
    match t.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        Some(inner) => inner
            .split(',')
            .map(|v| v.trim_matches([' ', '\t']).to_string())
            .collect(),
        None => vec![t.to_string()],
    }
}

/// `strtol(s, &end, 0)` with the whole (trimmed) string required to be a
/// number: optional sign, `0x` hex, leading-`0` octal, else decimal.
pub(crate) fn parse_c_long(s: &str) -> Option<i64> {
    let t = s.trim_matches([' ', '\t']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i64::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse::<i64>().ok()?
    };
    Some(if neg { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut g: Generator) -> Vec<Vec<String>> {
        std::iter::from_fn(|| g.next_values()).collect()
    }

    #[test]
    fn seq_forms() {
        let mut id = |s: &str| s.to_string();
        let g = parse_seq("~SEQ(A, 3) x", &mut id).unwrap();
        assert_eq!(g.text, "x");
        assert_eq!(all(g), vec![vec!["1"], vec!["2"], vec!["3"]]);
        let g = parse_seq("~SEQx(A, 0x90, 0x10, 0xc0) y", &mut id).unwrap();
        assert_eq!(all(g), vec![vec!["90"], vec!["a0"], vec!["b0"], vec!["c0"]]);
        let g = parse_seq("~SEQ(A,5,3) y", &mut id).unwrap();
        assert_eq!(all(g), vec![vec!["5"], vec!["4"], vec!["3"]]);
        assert!(parse_seq("~SEQ(A,1,-1,5) y", &mut id).is_err());
    }

    #[test]
    fn lst_forms() {
        let mut id = |s: &str| s.to_string();
        let g = parse_lst("~LST({A,B},{1,2}, {,3}) t", &mut id).unwrap();
        assert_eq!(g.vars, vec!["A", "B"]);
        assert_eq!(all(g), vec![vec!["1", "2"], vec!["", "3"]]);
        assert!(parse_lst("~LST({A,B},{1}) t", &mut id).is_err());
    }
}

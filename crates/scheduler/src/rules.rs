//! Scores, rules and nvpair sets (Pacemaker Explained: "Rules", "Scores").

use std::collections::BTreeMap;

use crate::xml::Element;

/// Pacemaker's INFINITY: scores saturate at ±1,000,000.
pub const INFINITY: i64 = 1_000_000;

/// Parse a score: `INFINITY`, `+INFINITY`, `-INFINITY`, `red`/`yellow`/`green` or an
/// integer (clamped to ±INFINITY). Returns `None` for anything else.
pub fn parse_score(text: &str) -> Option<i64> {
    let t = text.trim();
    match t {
        "INFINITY" | "+INFINITY" | "infinity" | "+infinity" => return Some(INFINITY),
        "-INFINITY" | "-infinity" => return Some(-INFINITY),
        _ => {}
    }
    let t2 = t.strip_prefix('+').unwrap_or(t);
    // Pacemaker reads the leading integer part.
    let end = t2
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && c == '-')))
        .map(|(i, _)| i)
        .unwrap_or(t2.len());
    let num = &t2[..end];
    if num.is_empty() || num == "-" {
        return None;
    }
    let v: i128 = num.parse().ok()?;
    Some(v.clamp(-(INFINITY as i128), INFINITY as i128) as i64)
}

/// Add two scores with Pacemaker's rules: -INFINITY wins over +INFINITY.
pub fn add_scores(a: i64, b: i64) -> i64 {
    if a <= -INFINITY || b <= -INFINITY {
        return -INFINITY;
    }
    if a >= INFINITY || b >= INFINITY {
        return INFINITY;
    }
    (a + b).clamp(-INFINITY, INFINITY)
}

/// Print a score as Pacemaker does.
pub fn score_text(v: i64) -> String {
    if v >= INFINITY {
        "INFINITY".into()
    } else if v <= -INFINITY {
        "-INFINITY".into()
    } else {
        v.to_string()
    }
}

/// Parse a Pacemaker boolean.
pub fn is_true(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "on" | "yes" | "y" | "1"
    )
}

/// What a rule is evaluated against.
#[derive(Debug, Default, Clone)]
pub struct RuleContext<'a> {
    /// Node attributes (including `#uname`, `#id`, `#kind`).
    pub node_attrs: Option<&'a BTreeMap<String, String>>,
    /// Current time, seconds since the epoch.
    pub now: i64,
    /// Resource standard, provider, type for `rsc_expression`.
    pub rsc: Option<(&'a str, &'a str, &'a str)>,
    /// Operation name and interval (ms) for `op_expression`.
    pub op: Option<(&'a str, u64)>,
}

/// Evaluate a `<rule>`: its boolean-op over expressions and nested rules.
pub fn eval_rule(rule: &Element, ctx: &RuleContext<'_>) -> bool {
    let or = rule.attr("boolean-op") == Some("or");
    let mut any = false;
    let mut all = true;
    let mut count = 0;
    for child in &rule.children {
        let r = match child.name.as_str() {
            "expression" => eval_expression(child, ctx),
            "date_expression" => eval_date_expression(child, ctx.now),
            "rule" => eval_rule(child, ctx),
            "rsc_expression" => eval_rsc_expression(child, ctx),
            "op_expression" => eval_op_expression(child, ctx),
            _ => continue,
        };
        count += 1;
        any |= r;
        all &= r;
    }
    if count == 0 {
        return true;
    }
    if or {
        any
    } else {
        all
    }
}

fn eval_rsc_expression(e: &Element, ctx: &RuleContext<'_>) -> bool {
    let Some((class, provider, ty)) = ctx.rsc else {
        return false;
    };
    e.attr("class").is_none_or(|c| c == class)
        && e.attr("provider").is_none_or(|p| p == provider)
        && e.attr("type").is_none_or(|t| t == ty)
}

fn eval_op_expression(e: &Element, ctx: &RuleContext<'_>) -> bool {
    let Some((name, interval)) = ctx.op else {
        return false;
    };
    e.attr("name").is_none_or(|n| n == name)
        && e.attr("interval")
            .is_none_or(|i| parse_interval_ms(i) == Some(interval))
}

/// Evaluate one `<expression>` against node attributes.
fn eval_expression(e: &Element, ctx: &RuleContext<'_>) -> bool {
    let attr = e.attr("attribute").unwrap_or("");
    let op = e.attr("operation").unwrap_or("");
    let empty = BTreeMap::new();
    let attrs = ctx.node_attrs.unwrap_or(&empty);
    let actual = attrs.get(attr).map(String::as_str);
    match op {
        "defined" => return actual.is_some(),
        "not_defined" => return actual.is_none(),
        _ => {}
    }
    let Some(expected) = e.attr("value") else {
        return false;
    };
    let Some(actual) = actual else {
        return op == "ne";
    };
    let ty = e.attr("type").map(str::to_ascii_lowercase);
    let ord = match ty.as_deref() {
        Some("integer") => match (parse_int_prefix(actual), parse_int_prefix(expected)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => None,
        },
        Some("number") => match (actual.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
            (Ok(a), Ok(b)) => a.partial_cmp(&b),
            _ => None,
        },
        Some("version") => Some(compare_versions(actual, expected)),
        Some("string") => Some(actual.cmp(expected)),
        _ => {
            // Default: number if both look like numbers (with "." as float), else string.
            let numeric = matches!(op, "lt" | "lte" | "gt" | "gte");
            match (actual.trim().parse::<f64>(), expected.trim().parse::<f64>()) {
                (Ok(a), Ok(b)) if numeric || (a == b) == (actual == expected) => a.partial_cmp(&b),
                _ => Some(actual.cmp(expected)),
            }
        }
    };
    let Some(ord) = ord else {
        // Unparseable typed values compare as strings.
        return match op {
            "eq" => actual == expected,
            "ne" => actual != expected,
            _ => false,
        };
    };
    use std::cmp::Ordering::*;
    match op {
        "eq" => ord == Equal,
        "ne" => ord != Equal,
        "lt" => ord == Less,
        "lte" => ord != Greater,
        "gt" => ord == Greater,
        "gte" => ord != Less,
        _ => false,
    }
}

fn parse_int_prefix(s: &str) -> Option<i64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<i64>() {
        return Some(v);
    }
    // "3.7" as integer reads the leading integer part.
    let end = t
        .char_indices()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == 0 && (c == '-' || c == '+'))))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    t[..end].parse().ok()
}

fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let pa: Vec<i64> = a.split('.').map(|x| x.parse().unwrap_or(0)).collect();
    let pb: Vec<i64> = b.split('.').map(|x| x.parse().unwrap_or(0)).collect();
    let n = pa.len().max(pb.len());
    for i in 0..n {
        let x = pa.get(i).copied().unwrap_or(0);
        let y = pb.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    std::cmp::Ordering::Equal
}

/// Evaluate a `<date_expression>` at `now`.
fn eval_date_expression(e: &Element, now: i64) -> bool {
    let op = e.attr("operation").unwrap_or("in_range");
    let start = e.attr("start").and_then(parse_iso8601);
    let end = e.attr("end").and_then(parse_iso8601);
    match op {
        "gt" => start.is_some_and(|s| now > s),
        "lt" => end.is_some_and(|en| now < en),
        "in_range" => {
            let end = end.or_else(|| {
                let d = e.child("duration")?;
                Some(add_duration(start?, d))
            });
            start.is_none_or(|s| now >= s) && end.is_none_or(|en| now <= en)
        }
        "date_spec" => e.child("date_spec").is_some_and(|d| eval_date_spec(d, now)),
        _ => false,
    }
}

fn add_duration(start: i64, d: &Element) -> i64 {
    let get = |k: &str| d.attr(k).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let (y, mo, day, h, mi, s) = civil_from_epoch(start);
    let total_months = y * 12 + (mo - 1) + get("months") + get("years") * 12;
    let ny = total_months.div_euclid(12);
    let nmo = total_months.rem_euclid(12) + 1;
    let base = epoch_from_civil(ny, nmo, day, h, mi, s);
    base + get("weeks") * 7 * 86400
        + get("days") * 86400
        + get("hours") * 3600
        + get("minutes") * 60
        + get("seconds")
}

fn in_spec_range(spec: Option<&str>, v: i64) -> bool {
    let Some(spec) = spec else { return true };
    match spec.split_once('-') {
        Some((a, b)) if !a.is_empty() => {
            let lo = a.trim().parse::<i64>().unwrap_or(i64::MIN);
            let hi = b.trim().parse::<i64>().unwrap_or(i64::MAX);
            v >= lo && v <= hi
        }
        _ => spec.trim().parse::<i64>().map(|x| x == v).unwrap_or(false),
    }
}

fn eval_date_spec(d: &Element, now: i64) -> bool {
    let (y, mo, day, h, mi, s) = civil_from_epoch(now);
    let yday = now.div_euclid(86400) - days_from_civil(y, 1, 1) + 1;
    let wday = (now.div_euclid(86400) + 3).rem_euclid(7) + 1; // Monday = 1
    let (wy, week) = iso_week(y, yday, wday);
    in_spec_range(d.attr("years"), y)
        && in_spec_range(d.attr("months"), mo)
        && in_spec_range(d.attr("monthdays"), day)
        && in_spec_range(d.attr("hours"), h)
        && in_spec_range(d.attr("minutes"), mi)
        && in_spec_range(d.attr("seconds"), s)
        && in_spec_range(d.attr("yeardays"), yday)
        && in_spec_range(d.attr("weekdays"), wday)
        && in_spec_range(d.attr("weekyears"), wy)
        && in_spec_range(d.attr("weeks"), week)
}

fn iso_week(y: i64, yday: i64, wday: i64) -> (i64, i64) {
    let week = (yday - wday + 10) / 7;
    if week < 1 {
        let py = y - 1;
        let pdays = days_from_civil(y, 1, 1) - days_from_civil(py, 1, 1);
        return iso_week(py, yday + pdays, wday);
    }
    let ydays = days_from_civil(y + 1, 1, 1) - days_from_civil(y, 1, 1);
    if week == 53 && (ydays - yday) < (4 - wday) {
        return (y + 1, 1);
    }
    (y, week)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn epoch_from_civil(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> i64 {
    days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
}

/// (year, month, day, hour, minute, second) of an epoch time, UTC.
pub fn civil_from_epoch(t: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (y, m, d, secs / 3600, (secs % 3600) / 60, secs % 60)
}

/// Parse ISO 8601 date/time forms Pacemaker accepts: `YYYY-MM-DD`, `YYYY-DDD`
/// (ordinal), `YYYY-Www-D`, followed by `T` or space and `hh:mm[:ss]`, optional `Z` or
/// `±hh:mm` offset.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], t[i + 1..].trim()),
        None => (t, ""),
    };
    let parts: Vec<&str> = date.split('-').collect();
    let days = match parts.as_slice() {
        [y, m, d] if !m.starts_with('W') => {
            days_from_civil(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        [y, w, d] => {
            let y: i64 = y.parse().ok()?;
            let w: i64 = w.strip_prefix('W')?.parse().ok()?;
            let d: i64 = d.parse().ok()?;
            let jan4 = days_from_civil(y, 1, 4);
            let jan4_wday = (jan4 + 3).rem_euclid(7) + 1;
            jan4 - (jan4_wday - 1) + (w - 1) * 7 + (d - 1)
        }
        [y, doy] if doy.len() == 3 => {
            days_from_civil(y.parse().ok()?, 1, 1) + doy.parse::<i64>().ok()? - 1
        }
        [y, m] => days_from_civil(y.parse().ok()?, m.parse().ok()?, 1),
        [y] => days_from_civil(y.parse().ok()?, 1, 1),
        _ => return None,
    };
    let mut secs = 0;
    let mut offset = 0;
    if !rest.is_empty() {
        let (time, zone) = match rest.find(['Z', '+', '-', ' ']) {
            Some(i) => (&rest[..i], rest[i..].trim()),
            None => (rest, ""),
        };
        let tp: Vec<&str> = time.split(':').collect();
        let h: i64 = tp.first()?.parse().ok()?;
        let m: i64 = tp.get(1).map(|x| x.parse().ok()).unwrap_or(Some(0))?;
        let s: i64 = tp
            .get(2)
            .map(|x| x.split('.').next().unwrap_or("0").parse().ok())
            .unwrap_or(Some(0))?;
        secs = h * 3600 + m * 60 + s;
        let zone = zone.trim();
        if !zone.is_empty() && zone != "Z" {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let z = zone.trim_start_matches(['+', '-']);
            let zp: Vec<&str> = z.split(':').collect();
            let zh: i64 = zp.first()?.get(..2.min(zp[0].len()))?.parse().ok()?;
            let zm: i64 = if zp.len() > 1 {
                zp[1].parse().ok()?
            } else if z.len() == 4 {
                z[2..].parse().ok()?
            } else {
                0
            };
            offset = sign * (zh * 3600 + zm * 60);
        }
    }
    Some(days * 86400 + secs - offset)
}

/// Parse an interval (`10s`, `1m`, `1h`, `10000ms`, `P1D`-less plain seconds) to ms.
pub fn parse_interval_ms(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() {
        return Some(0);
    }
    if let Some(iso) = t.strip_prefix("PT") {
        let mut total = 0u64;
        let mut num = String::new();
        for c in iso.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                let v: u64 = num.parse().ok()?;
                num.clear();
                total += match c {
                    'H' => v * 3_600_000,
                    'M' => v * 60_000,
                    'S' => v * 1000,
                    _ => return None,
                };
            }
        }
        return Some(total);
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let v: u64 = t[..split].parse().ok()?;
    let unit = t[split..].trim();
    Some(match unit {
        "" | "s" | "sec" => v * 1000,
        "ms" | "msec" => v,
        "us" | "usec" => v / 1000,
        "m" | "min" => v * 60_000,
        "h" | "hr" => v * 3_600_000,
        _ => return None,
    })
}

/// Unpack every set named `set_name` under `parent` into `out`, in score order (higher
/// first), evaluating their rules. Earlier sets win: existing keys are not overwritten
/// unless `overwrite`.
pub fn unpack_nvpair_sets(
    parent: &Element,
    set_name: &str,
    ctx: &RuleContext<'_>,
    out: &mut BTreeMap<String, String>,
    overwrite: bool,
    idrefs: &BTreeMap<String, Element>,
) {
    let mut sets: Vec<(i64, usize, &Element)> = Vec::new();
    for (i, s) in parent.children_named(set_name).enumerate() {
        let score = s.attr("score").and_then(parse_score).unwrap_or(0);
        sets.push((score, i, s));
    }
    sets.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, set) in sets {
        let set = match set.attr("id-ref") {
            Some(r) => match idrefs.get(r) {
                Some(s) => s,
                None => continue,
            },
            None => set,
        };
        if let Some(rule) = set.child("rule") {
            if !eval_rule(rule, ctx) {
                continue;
            }
        }
        for nv in set.children_named("nvpair") {
            let nv = match nv.attr("id-ref") {
                Some(r) => idrefs.get(r).unwrap_or(nv),
                None => nv,
            };
            let (Some(name), Some(value)) = (nv.attr("name"), nv.attr("value")) else {
                continue;
            };
            if overwrite || !out.contains_key(name) {
                out.insert(name.to_string(), value.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_saturate_and_negative_infinity_wins() {
        assert_eq!(parse_score("INFINITY"), Some(INFINITY));
        assert_eq!(parse_score("-INFINITY"), Some(-INFINITY));
        assert_eq!(parse_score("5000000"), Some(INFINITY));
        assert_eq!(parse_score("abc"), None);
        assert_eq!(add_scores(INFINITY, -INFINITY), -INFINITY);
        assert_eq!(add_scores(999_999, 5), INFINITY);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso8601("1970-01-01"), Some(0));
        assert_eq!(parse_iso8601("2005-020T12:30"), Some(1_106_224_200));
        assert_eq!(parse_iso8601("2014-05-07 00:28:00"), Some(1_399_422_480));
        assert_eq!(
            parse_iso8601("2019-09-20 15:10:52 +01:00"),
            Some(1_568_992_252 - 3600)
        );
        assert_eq!(civil_from_epoch(1_399_422_480), (2014, 5, 7, 0, 28, 0));
    }

    #[test]
    fn intervals() {
        assert_eq!(parse_interval_ms("10s"), Some(10_000));
        assert_eq!(parse_interval_ms("10"), Some(10_000));
        assert_eq!(parse_interval_ms("2m"), Some(120_000));
        assert_eq!(parse_interval_ms("500ms"), Some(500));
        assert_eq!(parse_interval_ms("PT1M"), Some(60_000));
    }
}

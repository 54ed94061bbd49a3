//! Pure date, time and duration parsing: ISO 8601 date-times and durations
//! (Pacemaker Explained, "ISO 8601"), `crm_simulate -t` style
//! "YYYY-MM-DD hh:mm:ss", and Pacemaker interval specs ("10s", "1m", "PT10S").
//! Times without an offset are taken as UTC.

/// An ISO 8601 duration (`<duration>` element or "P1Y2M3DT4H5M6S").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct IsoDuration {
    /// Years.
    pub years: i64,
    /// Months.
    pub months: i64,
    /// Weeks.
    pub weeks: i64,
    /// Days.
    pub days: i64,
    /// Hours.
    pub hours: i64,
    /// Minutes.
    pub minutes: i64,
    /// Seconds.
    pub seconds: i64,
}

impl IsoDuration {
    /// Add this duration to `t` (epoch seconds): years and months move the
    /// calendar date (clamping the day to the month's length), the rest is
    /// exact seconds.
    pub fn add_to(&self, t: i64) -> i64 {
        /// Beyond this many years either way the result saturates (the
        /// calendar arithmetic below stays far from i64 limits).
        const MAX_YEARS: i64 = 1_000_000_000;
        let c = Civil::from_epoch(t);
        let months = self.years.saturating_mul(12).saturating_add(self.months);
        let total_months = (c.year * 12 + (c.month as i64 - 1)).saturating_add(months);
        let year = total_months.div_euclid(12);
        if !(-MAX_YEARS..=MAX_YEARS).contains(&year) {
            return if year < 0 { i64::MIN } else { i64::MAX };
        }
        let month = (total_months.rem_euclid(12) + 1) as u32;
        let day = c.day.min(days_in_month(year, month));
        let base = days_from_civil(year, month, day) * 86_400
            + (c.hour * 3600 + c.minute * 60 + c.second) as i64;
        base.saturating_add(
            self.weeks
                .saturating_mul(7 * 86_400)
                .saturating_add(self.days.saturating_mul(86_400))
                .saturating_add(self.hours.saturating_mul(3600))
                .saturating_add(self.minutes.saturating_mul(60))
                .saturating_add(self.seconds),
        )
    }

    /// Exact length in milliseconds, counting a month as 30 days and a year
    /// as 365 days (how interval specs treat them).
    pub fn approx_ms(&self) -> Option<u64> {
        let secs = self
            .years
            .checked_mul(365 * 86_400)?
            .checked_add(self.months.checked_mul(30 * 86_400)?)?
            .checked_add(self.weeks.checked_mul(7 * 86_400)?)?
            .checked_add(self.days.checked_mul(86_400)?)?
            .checked_add(self.hours.checked_mul(3600)?)?
            .checked_add(self.minutes.checked_mul(60)?)?
            .checked_add(self.seconds)?;
        u64::try_from(secs).ok()?.checked_mul(1000)
    }

    /// Parse "P[nY][nM][nW][nD][T[nH][nM][nS]]".
    pub fn parse(s: &str) -> Option<IsoDuration> {
        let rest = s.trim().strip_prefix(['P', 'p'])?;
        let mut d = IsoDuration::default();
        let mut in_time = false;
        let mut num = String::new();
        let mut any = false;
        for ch in rest.chars() {
            match ch {
                '0'..='9' => num.push(ch),
                'T' | 't' if num.is_empty() && !in_time => in_time = true,
                _ => {
                    let n: i64 = num.parse().ok()?;
                    num.clear();
                    any = true;
                    match (ch.to_ascii_uppercase(), in_time) {
                        ('Y', false) => d.years = n,
                        ('M', false) => d.months = n,
                        ('W', false) => d.weeks = n,
                        ('D', false) => d.days = n,
                        // Pacemaker also reads hours and seconds before
                        // the "T" ("P10S"); only M is ambiguous.
                        ('H', _) => d.hours = n,
                        ('M', true) => d.minutes = n,
                        ('S', _) => d.seconds = n,
                        _ => return None,
                    }
                }
            }
        }
        (num.is_empty() && any).then_some(d)
    }
}

/// Parse a Pacemaker interval/timeout spec into milliseconds: an ISO 8601
/// duration ("PT10S"), or a number with optional unit "ms"/"msec",
/// "us"/"usec" (rounded down), "s"/"sec", "m"/"min", "h"/"hr". A number
/// without a unit is seconds, as in the configuration section.
pub fn parse_interval_ms(s: &str) -> Option<u64> {
    let t = s.trim();
    if t.starts_with(['P', 'p']) {
        return IsoDuration::parse(t)?.approx_ms();
    }
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    if num.is_empty() {
        return None;
    }
    let n: u64 = num.parse().ok()?;
    let unit = unit.trim().to_ascii_lowercase();
    match unit.as_str() {
        "" | "s" | "sec" => n.checked_mul(1000),
        "ms" | "msec" => Some(n),
        "us" | "usec" => Some(n / 1000),
        "m" | "min" => n.checked_mul(60_000),
        "h" | "hr" => n.checked_mul(3_600_000),
        _ => None,
    }
}

/// Format milliseconds as an interval spec that [`parse_interval_ms`] reads
/// back exactly ("10s" or "1500ms").
pub fn format_interval_ms(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year.
    pub year: i64,
    /// Month 1-12.
    pub month: u32,
    /// Day of month 1-31.
    pub day: u32,
    /// Hour 0-23.
    pub hour: u32,
    /// Minute 0-59.
    pub minute: u32,
    /// Second 0-59.
    pub second: u32,
    /// Day of year 1-366.
    pub yearday: u32,
    /// ISO weekday 1 (Monday) - 7 (Sunday).
    pub weekday: u32,
    /// ISO week number 1-53.
    pub iso_week: u32,
    /// ISO week-numbering year.
    pub iso_year: i64,
}

impl Civil {
    /// Break down epoch seconds (UTC).
    pub fn from_epoch(t: i64) -> Civil {
        let days = t.div_euclid(86_400);
        let secs = t.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
        let yearday = (days - days_from_civil(year, 1, 1) + 1) as u32;
        // 1970-01-01 was a Thursday (ISO weekday 4).
        let weekday = ((days + 3).rem_euclid(7) + 1) as u32;
        let (iso_year, iso_week) = iso_week_of(year, yearday, weekday);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs / 60 % 60,
            second: secs % 60,
            yearday,
            weekday,
            iso_week,
            iso_year,
        }
    }
}

fn weeks_in_year(y: i64) -> u32 {
    // A year has 53 ISO weeks if Jan 1 is a Thursday, or a Wednesday in a leap year.
    let jan1 = ((days_from_civil(y, 1, 1) + 3).rem_euclid(7) + 1) as u32;
    if jan1 == 4 || (jan1 == 3 && is_leap(y)) {
        53
    } else {
        52
    }
}

fn iso_week_of(year: i64, yearday: u32, weekday: u32) -> (i64, u32) {
    // ISO 8601: week 1 holds the year's first Thursday.
    let w = (yearday as i64 - weekday as i64 + 10) / 7;
    if w < 1 {
        (year - 1, weeks_in_year(year - 1))
    } else if w as u32 > weeks_in_year(year) {
        (year + 1, 1)
    } else {
        (year, w as u32)
    }
}

fn num(s: &str, len: usize) -> Option<i64> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Parse an ISO 8601 date or date-time into epoch seconds.
///
/// Dates: "YYYY-MM-DD", "YYYYMMDD", "YYYY-DDD" (ordinal), "YYYY-Www-D"
/// (week date). Time after "T" or a space: "hh:mm:ss", "hh:mm", "hhmmss",
/// optional fraction (ignored), then "Z", "±hh:mm", "±hhmm" or "±hh".
pub fn parse_datetime(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = match s.find(['T', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let days = parse_date(date)?;
    let secs = match time {
        None | Some("") => 0,
        Some(t) => parse_time(t)?,
    };
    Some(days * 86_400 + secs)
}

fn parse_date(d: &str) -> Option<i64> {
    let parts: Vec<&str> = d.split('-').collect();
    match parts.as_slice() {
        [y, m, dd] if !m.starts_with(['W', 'w']) => {
            let (y, m, dd) = (num(y, 4)?, num(m, 2)? as u32, num(dd, 2)? as u32);
            ((1..=12).contains(&m) && dd >= 1 && dd <= days_in_month(y, m))
                .then(|| days_from_civil(y, m, dd))
        }
        [y, w, wd] => {
            let y = num(y, 4)?;
            let w = num(&w[1..], 2)?;
            let wd = num(wd, 1)?;
            if !(1..=weeks_in_year(y) as i64).contains(&w) || !(1..=7).contains(&wd) {
                return None;
            }
            let jan4 = days_from_civil(y, 1, 4);
            let jan4_wd = (jan4 + 3).rem_euclid(7) + 1;
            Some(jan4 - (jan4_wd - 1) + (w - 1) * 7 + (wd - 1))
        }
        [y, doy] if doy.len() == 3 => {
            let (y, doy) = (num(y, 4)?, num(doy, 3)?);
            let max = if is_leap(y) { 366 } else { 365 };
            (1..=max)
                .contains(&doy)
                .then(|| days_from_civil(y, 1, 1) + doy - 1)
        }
        [ymd] if ymd.len() == 8 => {
            parse_date(&format!("{}-{}-{}", &ymd[..4], &ymd[4..6], &ymd[6..]))
        }
        _ => None,
    }
}

fn parse_time(t: &str) -> Option<i64> {
    let (clock, offset) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let clock = clock.trim();
    let clock = clock.split(['.', ',']).next()?;
    let fields: Vec<&str> = if clock.contains(':') {
        clock.split(':').collect()
    } else {
        (0..clock.len())
            .step_by(2)
            .map(|i| clock.get(i..i + 2).unwrap_or("x"))
            .collect()
    };
    let mut hms = [0i64; 3];
    if fields.is_empty() || fields.len() > 3 {
        return None;
    }
    for (slot, f) in hms.iter_mut().zip(&fields) {
        *slot = num(f, 2)?;
    }
    if hms[0] > 24 || hms[1] > 59 || hms[2] > 60 {
        return None;
    }
    let mut secs = hms[0] * 3600 + hms[1] * 60 + hms[2];
    let off = offset.trim();
    if !off.is_empty() && !off.eq_ignore_ascii_case("z") {
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let digits: String = off[1..].chars().filter(|c| *c != ':').collect();
        let (h, m) = match digits.len() {
            2 => (num(&digits, 2)?, 0),
            4 => (num(&digits[..2], 2)?, num(&digits[2..], 2)?),
            _ => return None,
        };
        // Local = UTC + offset, so UTC = local - offset.
        secs -= sign * (h * 3600 + m * 60);
    }
    Some(secs)
}

/// Format epoch seconds as "YYYY-MM-DDThh:mm:ssZ" (read back exactly by
/// [`parse_datetime`]).
pub fn format_datetime(t: i64) -> String {
    let c = Civil::from_epoch(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

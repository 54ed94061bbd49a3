//! ISO 8601 dates and durations, interval specs, calendar breakdown.

use vigil_cib::time::{
    format_datetime, format_interval_ms, parse_datetime, parse_interval_ms, Civil, IsoDuration,
};

#[test]
fn calendar_dates() {
    assert_eq!(parse_datetime("1970-01-01"), Some(0));
    assert_eq!(parse_datetime("2000-03-01T00:00:00Z"), Some(951_868_800));
    assert_eq!(parse_datetime("2021-04-12 11:00:00"), Some(1_618_225_200));
    assert_eq!(parse_datetime("2021-04-12T11:00:00Z"), Some(1_618_225_200));
    assert_eq!(parse_datetime("20210412T110000Z"), Some(1_618_225_200));
    assert_eq!(parse_datetime("2021-04-12T11:00"), Some(1_618_225_200));
    assert_eq!(
        parse_datetime("2021-04-12T11:00:00.250Z"),
        Some(1_618_225_200)
    );
}

#[test]
fn offsets_move_to_utc() {
    let utc = parse_datetime("2019-09-20 15:10:52").unwrap();
    assert_eq!(parse_datetime("2019-09-20 15:10:52 +00:00"), Some(utc));
    assert_eq!(parse_datetime("2019-09-20T17:10:52+02:00"), Some(utc));
    assert_eq!(parse_datetime("2019-09-20T17:10:52+0200"), Some(utc));
    assert_eq!(parse_datetime("2019-09-20T13:10:52-02"), Some(utc));
}

#[test]
fn ordinal_and_week_dates() {
    // crm_simulate -t 2005-020T12:30 (scheduler test date-2).
    assert_eq!(
        parse_datetime("2005-020T12:30"),
        parse_datetime("2005-01-20T12:30:00")
    );
    assert_eq!(parse_datetime("2005-001"), parse_datetime("2005-01-01"));
    // 2005-W01-1 is Monday 2005-01-03; 2004-W53-6 is 2005-01-01.
    assert_eq!(parse_datetime("2005-W01-1"), parse_datetime("2005-01-03"));
    assert_eq!(parse_datetime("2004-W53-6"), parse_datetime("2005-01-01"));
}

#[test]
fn invalid_dates_are_rejected() {
    for s in [
        "",
        "2021",
        "2021-13-01",
        "2021-02-30",
        "2021-04-12T25:00",
        "2021-04-12T11:60",
        "2005-367",
        "abc",
        "2021-04-12T11:00+5",
    ] {
        assert_eq!(parse_datetime(s), None, "{s:?}");
    }
    assert_eq!(parse_datetime("2024-02-29"), Some(1_709_164_800));
}

#[test]
fn civil_breakdown() {
    let c = Civil::from_epoch(parse_datetime("2005-01-01T13:14:15Z").unwrap());
    assert_eq!(
        (c.year, c.month, c.day, c.hour, c.minute, c.second),
        (2005, 1, 1, 13, 14, 15)
    );
    assert_eq!(
        (c.weekday, c.yearday, c.iso_year, c.iso_week),
        (6, 1, 2004, 53)
    );
    let c = Civil::from_epoch(parse_datetime("2008-12-29").unwrap());
    assert_eq!((c.weekday, c.iso_year, c.iso_week), (1, 2009, 1));
    let c = Civil::from_epoch(-1);
    assert_eq!(
        (c.year, c.month, c.day, c.hour, c.minute, c.second),
        (1969, 12, 31, 23, 59, 59)
    );
    let c = Civil::from_epoch(parse_datetime("2024-12-31").unwrap());
    assert_eq!(c.yearday, 366);
}

#[test]
fn format_round_trips() {
    for t in [0, 1_618_225_200, -86_401, 4_102_444_800] {
        assert_eq!(parse_datetime(&format_datetime(t)), Some(t));
    }
    assert_eq!(format_datetime(0), "1970-01-01T00:00:00Z");
}

#[test]
fn iso_durations() {
    let d = IsoDuration::parse("P1Y2M3W4DT5H6M7S").unwrap();
    assert_eq!(
        (d.years, d.months, d.weeks, d.days, d.hours, d.minutes, d.seconds),
        (1, 2, 3, 4, 5, 6, 7)
    );
    assert_eq!(IsoDuration::parse("PT10S").unwrap().seconds, 10);
    assert_eq!(IsoDuration::parse("P10S").unwrap().seconds, 10);
    assert_eq!(IsoDuration::parse("P1M").unwrap().months, 1);
    assert_eq!(IsoDuration::parse("PT1M").unwrap().minutes, 1);
    for bad in ["P", "PT", "10S", "P1X", "P1", "PTT1S"] {
        assert_eq!(IsoDuration::parse(bad), None, "{bad:?}");
    }
    // Months move the calendar and clamp to the month's end.
    let jan31 = parse_datetime("2021-01-31T10:00:00Z").unwrap();
    let one_month = IsoDuration {
        months: 1,
        ..IsoDuration::default()
    };
    assert_eq!(
        one_month.add_to(jan31),
        parse_datetime("2021-02-28T10:00:00Z").unwrap()
    );
    let mixed = IsoDuration {
        days: 1,
        hours: 2,
        ..IsoDuration::default()
    };
    assert_eq!(mixed.add_to(0), 93_600);
}

#[test]
fn interval_specs() {
    assert_eq!(parse_interval_ms("10s"), Some(10_000));
    assert_eq!(parse_interval_ms("10"), Some(10_000));
    assert_eq!(parse_interval_ms("1m"), Some(60_000));
    assert_eq!(parse_interval_ms("2min"), Some(120_000));
    assert_eq!(parse_interval_ms("1h"), Some(3_600_000));
    assert_eq!(parse_interval_ms("1hr"), Some(3_600_000));
    assert_eq!(parse_interval_ms("500ms"), Some(500));
    assert_eq!(parse_interval_ms("500msec"), Some(500));
    assert_eq!(parse_interval_ms("2500us"), Some(2));
    assert_eq!(parse_interval_ms("PT10S"), Some(10_000));
    assert_eq!(parse_interval_ms("P40S"), Some(40_000));
    assert_eq!(parse_interval_ms("PT1M30S"), Some(90_000));
    assert_eq!(parse_interval_ms(" 20s "), Some(20_000));
    for bad in ["", "bad", "s", "10x", "-5s", "99999999999999999999"] {
        assert_eq!(parse_interval_ms(bad), None, "{bad:?}");
    }
    for ms in [0, 1, 999, 1000, 60_000, 1500] {
        assert_eq!(parse_interval_ms(&format_interval_ms(ms)), Some(ms));
    }
}

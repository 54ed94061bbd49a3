//! Score parsing, infinity arithmetic and display.

use vigil_cib::{Score, INFINITY};

#[test]
fn parses_infinity_spellings() {
    for s in [
        "INFINITY",
        "+INFINITY",
        "infinity",
        "inf",
        "+inf",
        " INFINITY ",
    ] {
        assert_eq!(Score::parse(s), Ok(Score::INFINITY), "{s}");
    }
    for s in ["-INFINITY", "-infinity", "-inf"] {
        assert_eq!(Score::parse(s), Ok(Score::NEG_INFINITY), "{s}");
    }
}

#[test]
fn parses_numbers_and_clamps() {
    assert_eq!(Score::parse("100").unwrap().value(), 100);
    assert_eq!(Score::parse("+7").unwrap().value(), 7);
    assert_eq!(Score::parse("-25").unwrap().value(), -25);
    assert_eq!(Score::parse("2000000"), Ok(Score::INFINITY));
    assert_eq!(
        Score::parse("-99999999999999999999999"),
        Ok(Score::NEG_INFINITY)
    );
    assert_eq!(Score::parse("99999999999999999999999"), Ok(Score::INFINITY));
}

#[test]
fn rejects_non_scores() {
    for s in ["", "abc", "1.5", "--1", "+", "10s", "INFINITYX"] {
        assert!(Score::parse(s).is_err(), "{s:?} should not parse");
    }
    let msg = Score::parse("abc").unwrap_err().to_string();
    assert!(msg.contains("\"abc\""), "{msg}");
}

#[test]
fn infinity_arithmetic() {
    let s = Score::new;
    assert_eq!(s(5) + s(7), s(12));
    assert_eq!(s(999_999) + s(5), Score::INFINITY);
    assert_eq!(s(-999_999) + s(-5), Score::NEG_INFINITY);
    assert_eq!(Score::INFINITY + s(-5), Score::INFINITY);
    assert_eq!(Score::NEG_INFINITY + s(5), Score::NEG_INFINITY);
    // -INFINITY wins over +INFINITY.
    assert_eq!(Score::INFINITY + Score::NEG_INFINITY, Score::NEG_INFINITY);
    assert_eq!(Score::NEG_INFINITY + Score::INFINITY, Score::NEG_INFINITY);
    assert_eq!(Score::INFINITY - Score::INFINITY, Score::NEG_INFINITY);
    assert_eq!(s(10) - s(3), s(7));
    assert_eq!((-Score::INFINITY).value(), -INFINITY);
}

#[test]
fn displays_like_pacemaker() {
    assert_eq!(Score::INFINITY.to_string(), "INFINITY");
    assert_eq!(Score::NEG_INFINITY.to_string(), "-INFINITY");
    assert_eq!(Score::new(-42).to_string(), "-42");
    assert_eq!(Score::new(0).to_string(), "0");
    assert_eq!(Score::new(5_000_000).to_string(), "INFINITY");
}

#[test]
fn health_colours() {
    let (r, y, g) = (Score::NEG_INFINITY, Score::new(-10), Score::new(0));
    assert_eq!(Score::parse_health("red", r, y, g), Ok(r));
    assert_eq!(Score::parse_health("Yellow", r, y, g), Ok(y));
    assert_eq!(Score::parse_health("green", r, y, g), Ok(g));
    assert_eq!(Score::parse_health("12", r, y, g), Ok(Score::new(12)));
    assert!(Score::parse("red").is_err());
}

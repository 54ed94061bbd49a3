//! Pacemaker scores: integers clamped to ±INFINITY (1 000 000).
//!
//! Pacemaker Explained, "Infinity Math": any value at or beyond 1 000 000 is
//! INFINITY; adding -INFINITY to anything gives -INFINITY, even to +INFINITY.

use std::fmt;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use thiserror::Error;

/// The numeric value Pacemaker uses for INFINITY.
pub const INFINITY: i64 = 1_000_000;

/// A Pacemaker score, always within `-INFINITY..=INFINITY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Score(i64);

/// A string that is not a score.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScoreError {
    /// The text is neither a number nor one of the INFINITY spellings.
    #[error("invalid score {0:?}: expected an integer, INFINITY, +INFINITY or -INFINITY")]
    Invalid(String),
}

impl Score {
    /// +INFINITY.
    pub const INFINITY: Score = Score(INFINITY);
    /// -INFINITY.
    pub const NEG_INFINITY: Score = Score(-INFINITY);
    /// Zero.
    pub const ZERO: Score = Score(0);

    /// A score from an integer, clamped to ±INFINITY.
    pub fn new(v: i64) -> Score {
        Score(v.clamp(-INFINITY, INFINITY))
    }

    /// The integer value (±1 000 000 for the infinities).
    pub fn value(self) -> i64 {
        self.0
    }

    /// Whether this is +INFINITY.
    pub fn is_infinity(self) -> bool {
        self.0 >= INFINITY
    }

    /// Whether this is -INFINITY.
    pub fn is_neg_infinity(self) -> bool {
        self.0 <= -INFINITY
    }

    /// Parse as Pacemaker does: "INFINITY", "+INFINITY", "-INFINITY" (any case,
    /// also "inf"/"+inf"/"-inf"), and optionally signed integers; out-of-range
    /// numbers clamp. The node-health names "red", "yellow", "green" are not
    /// accepted here (they need the cluster's node-health options): see
    /// [`Score::parse_health`].
    pub fn parse(s: &str) -> Result<Score, ScoreError> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        match lower.as_str() {
            "infinity" | "+infinity" | "inf" | "+inf" => return Ok(Score::INFINITY),
            "-infinity" | "-inf" => return Ok(Score::NEG_INFINITY),
            _ => {}
        }
        let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ScoreError::Invalid(s.to_string()));
        }
        match t.parse::<i64>() {
            Ok(v) => Ok(Score::new(v)),
            // Too many digits for i64: still a number, so it clamps.
            Err(_) if t.starts_with('-') => Ok(Score::NEG_INFINITY),
            Err(_) => Ok(Score::INFINITY),
        }
    }

    /// Parse a score that may also be a node-health colour; the colours map to
    /// the given values of `node-health-red`, `node-health-yellow`,
    /// `node-health-green` (Pacemaker Explained, "Tracking Node Health").
    pub fn parse_health(
        s: &str,
        red: Score,
        yellow: Score,
        green: Score,
    ) -> Result<Score, ScoreError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "red" => Ok(red),
            "yellow" => Ok(yellow),
            "green" => Ok(green),
            _ => Score::parse(s),
        }
    }
}

impl FromStr for Score {
    type Err = ScoreError;
    fn from_str(s: &str) -> Result<Score, ScoreError> {
        Score::parse(s)
    }
}

impl From<i64> for Score {
    fn from(v: i64) -> Score {
        Score::new(v)
    }
}

impl Add for Score {
    type Output = Score;
    /// Infinity math: -INFINITY wins over everything, then +INFINITY.
    fn add(self, rhs: Score) -> Score {
        if self.is_neg_infinity() || rhs.is_neg_infinity() {
            Score::NEG_INFINITY
        } else if self.is_infinity() || rhs.is_infinity() {
            Score::INFINITY
        } else {
            Score::new(self.0 + rhs.0)
        }
    }
}

impl Neg for Score {
    type Output = Score;
    fn neg(self) -> Score {
        Score(-self.0)
    }
}

impl Sub for Score {
    type Output = Score;
    /// `a - b` is `a + (-b)` with infinity math, so INFINITY - INFINITY is
    /// -INFINITY.
    fn sub(self, rhs: Score) -> Score {
        self + (-rhs)
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_infinity() {
            f.write_str("INFINITY")
        } else if self.is_neg_infinity() {
            f.write_str("-INFINITY")
        } else {
            write!(f, "{}", self.0)
        }
    }
}

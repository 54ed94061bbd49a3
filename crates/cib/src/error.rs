//! Errors and warnings of the CIB reader, each located by element id and
//! line:column.

use std::fmt;

use thiserror::Error;

/// A 1-based line and column in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub col: u32,
}

impl Pos {
    /// The position of byte `offset` in `text`.
    pub fn of(text: &str, offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let mut cut = offset;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let before = &text[..cut];
        let line = before.matches('\n').count() as u32 + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() as u32 + 1;
        Pos { line, col }
    }
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// `<element id="id">`, or `<element>` when it has no id.
fn tag(element: &str, id: &str) -> String {
    if id.is_empty() {
        format!("<{element}>")
    } else {
        format!("<{element} id=\"{id}\">")
    }
}

/// Why a CIB could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CibError {
    /// The input is not well-formed XML.
    #[error("{pos}: malformed XML: {message}")]
    Xml {
        /// Where the parser stopped.
        pos: Pos,
        /// The XML parser's message.
        message: String,
    },
    /// Elements nest deeper than the reader accepts.
    #[error("{pos}: elements nested deeper than {limit}")]
    TooDeep {
        /// The element that is too deep.
        pos: Pos,
        /// The nesting limit.
        limit: usize,
    },
    /// The document's root is not `<cib>`.
    #[error("{pos}: root element is <{found}>, expected <cib>")]
    NotACib {
        /// Where the root starts.
        pos: Pos,
        /// The root element's name.
        found: String,
    },
    /// A required attribute is absent.
    #[error(
        "{pos}: {} is missing required attribute \"{attribute}\"",
        tag(element, id)
    )]
    MissingAttribute {
        /// Where the element starts.
        pos: Pos,
        /// Element name.
        element: String,
        /// Element id (empty if it has none).
        id: String,
        /// The missing attribute.
        attribute: String,
    },
    /// A required child element is absent.
    #[error("{pos}: {} is missing required child <{child}>", tag(element, id))]
    MissingElement {
        /// Where the element starts.
        pos: Pos,
        /// Element name.
        element: String,
        /// Element id (empty if it has none).
        id: String,
        /// The missing child element.
        child: String,
    },
    /// An attribute value is not allowed.
    #[error(
        "{pos}: {} has invalid {attribute}=\"{value}\": {reason}",
        tag(element, id)
    )]
    InvalidValue {
        /// Where the element starts.
        pos: Pos,
        /// Element name.
        element: String,
        /// Element id (empty if it has none).
        id: String,
        /// Attribute name.
        attribute: String,
        /// The offending value.
        value: String,
        /// What was expected.
        reason: &'static str,
    },
    /// A score attribute is not a score.
    #[error(
        "{pos}: {} has impossible score {attribute}=\"{value}\"",
        tag(element, id)
    )]
    InvalidScore {
        /// Where the element starts.
        pos: Pos,
        /// Element name.
        element: String,
        /// Element id.
        id: String,
        /// Attribute name.
        attribute: String,
        /// The offending value.
        value: String,
    },
    /// Two configuration elements share an id.
    #[error("{pos}: duplicate id \"{id}\" on <{element}> (first used at {first})")]
    DuplicateId {
        /// Where the second element starts.
        pos: Pos,
        /// The id.
        id: String,
        /// The second element's name.
        element: String,
        /// Where the first use starts.
        first: Pos,
    },
    /// An attribute or `id-ref` names something that does not exist.
    #[error(
        "{pos}: {} {attribute}=\"{target}\" names no {expected}",
        tag(element, id)
    )]
    DanglingReference {
        /// Where the referring element starts.
        pos: Pos,
        /// Element name.
        element: String,
        /// Element id.
        id: String,
        /// The referring attribute.
        attribute: String,
        /// The name that does not resolve.
        target: String,
        /// What kind of object was expected.
        expected: &'static str,
    },
}

/// Something the reader skipped or adjusted, where Pacemaker would do the
/// same with a log message instead of failing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the element starts.
    pub pos: Pos,
    /// Element name.
    pub element: String,
    /// Element id (empty if none).
    pub id: String,
    /// What happened.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: <{} id=\"{}\">: {}",
            self.pos, self.element, self.id, self.message
        )
    }
}

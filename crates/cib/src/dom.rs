//! A minimal element tree built with quick-xml; the typed reader works on it.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::error::{CibError, Pos};

/// Deepest element nesting accepted (real CIBs stay below 15).
pub const MAX_DEPTH: usize = 128;

/// One element: name, attributes in document order, child elements, and its
/// byte span in the input.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
    pub start: usize,
    pub end: usize,
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// The element's id, or what it refers to for an `id-ref` element.
    pub fn id(&self) -> &str {
        self.attr("id")
            .or_else(|| self.attr("id-ref"))
            .unwrap_or("")
    }
}

fn xml_err(text: &str, offset: usize, message: impl ToString) -> CibError {
    CibError::Xml {
        pos: Pos::of(text, offset),
        message: message.to_string(),
    }
}

fn open(text: &str, e: &BytesStart<'_>, start: usize) -> Result<Node, CibError> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| xml_err(text, start, err))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = attr_value(&a.value).map_err(|err| xml_err(text, start, err))?;
        attrs.push((key, value));
    }
    Ok(Node {
        name,
        attrs,
        children: Vec::new(),
        start,
        end: start,
    })
}

/// An attribute's value as an XML processor reports it (XML 1.0 §2.11 and
/// §3.3.3, as libxml2 does for Pacemaker): line ends become "\n", then
/// literal tabs and newlines become spaces; character references such as
/// "&#10;" still give the character itself.
fn attr_value(raw: &[u8]) -> Result<String, quick_xml::escape::EscapeError> {
    let raw = String::from_utf8_lossy(raw);
    let normalized: String = raw
        .replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    Ok(quick_xml::escape::unescape(&normalized)?.into_owned())
}

/// Parse `text` into its root element.
pub fn parse(text: &str) -> Result<Node, CibError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| xml_err(text, reader.error_position() as usize, e))?;
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(xml_err(text, before, "content after the root element"));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(CibError::TooDeep {
                        pos: Pos::of(text, before),
                        limit: MAX_DEPTH,
                    });
                }
                stack.push(open(text, &e, before)?);
            }
            Event::Empty(e) => {
                let mut n = open(text, &e, before)?;
                n.end = after;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::End(_) => {
                let mut n = stack
                    .pop()
                    .ok_or_else(|| xml_err(text, before, "unexpected end tag"))?;
                n.end = after;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Text(t) => {
                let raw = t.into_inner();
                if stack.is_empty() && !raw.iter().all(|b| b.is_ascii_whitespace()) {
                    return Err(xml_err(text, before, "text outside the root element"));
                }
            }
            Event::CData(_) if stack.is_empty() => {
                return Err(xml_err(text, before, "CDATA outside the root element"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(xml_err(
            text,
            open.start,
            format!("element <{}> is not closed", open.name),
        ));
    }
    root.ok_or_else(|| xml_err(text, 0, "no root element"))
}

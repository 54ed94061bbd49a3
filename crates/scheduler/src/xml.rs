//! A small owned XML element tree, the scheduler's view of the CIB document.
//!
//! The scheduler needs many raw details of the status section (every `lrm_rsc_op`
//! attribute, rules, nvpair sets), so it reads the document into this tree once and
//! unpacks from there.

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::SchedError;

/// One XML element: name, attributes in document order, child elements.
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// Tag name.
    pub name: String,
    /// Attributes as (name, value), unescaped.
    pub attrs: Vec<(String, String)>,
    /// Child elements in document order (text is dropped).
    pub children: Vec<Element>,
}

impl Element {
    /// Value of attribute `key`, if present.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The `id` attribute or the empty string.
    pub fn id(&self) -> &str {
        self.attr("id").unwrap_or("")
    }

    /// First child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Parse a whole document into its root element.
    pub fn parse(text: &str) -> Result<Element, SchedError> {
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        let mut root: Option<Element> = None;
        loop {
            let pos = reader.buffer_position();
            let ev = reader.read_event().map_err(|e| SchedError::Xml {
                offset: pos,
                message: e.to_string(),
            })?;
            match ev {
                Event::Start(s) | Event::Empty(s) if root.is_some() => {
                    let _ = s;
                    return Err(SchedError::Xml {
                        offset: pos,
                        message: "content after the root element".into(),
                    });
                }
                Event::Start(s) => stack.push(Self::from_start(&s, pos)?),
                Event::Empty(s) => {
                    let el = Self::from_start(&s, pos)?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
                Event::End(_) => {
                    let el = stack.pop().ok_or(SchedError::Xml {
                        offset: pos,
                        message: "unbalanced end tag".into(),
                    })?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(el),
                        None => root = Some(el),
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if !stack.is_empty() {
            return Err(SchedError::Xml {
                offset: reader.buffer_position(),
                message: format!("unclosed element <{}>", stack[stack.len() - 1].name),
            });
        }
        root.ok_or(SchedError::Xml {
            offset: 0,
            message: "empty document".into(),
        })
    }

    fn from_start(s: &quick_xml::events::BytesStart<'_>, pos: u64) -> Result<Element, SchedError> {
        let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in s.attributes() {
            let a = a.map_err(|e| SchedError::Xml {
                offset: pos,
                message: format!("<{name}>: {e}"),
            })?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map_err(|e| SchedError::Xml {
                    offset: pos,
                    message: format!("<{name} {key}>: {e}"),
                })?
                .into_owned();
            attrs.push((key, value));
        }
        Ok(Element {
            name,
            attrs,
            children: Vec::new(),
        })
    }
}

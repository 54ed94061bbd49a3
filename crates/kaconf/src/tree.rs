//! Logical lines to a tree of blocks.
//!
//! A `{` line opens the children of the keyword line just before it; a `}`
//! closes the innermost open block. Unbalanced braces are errors located at
//! the brace (extra `}` or stray `{`) or at the keyword whose block is never
//! closed.

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::lexer::{Line, LineKind};

/// One keyword line with its arguments and optional block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// First word of the line.
    pub keyword: String,
    /// The other words.
    pub args: Vec<String>,
    /// Lines between `{` and `}` following this line, if there was a block.
    pub children: Option<Vec<Node>>,
    /// File the line came from.
    pub file: Arc<Path>,
    /// Line number in `file`.
    pub line: u32,
}

impl Node {
    /// The children, or an empty slice without a block.
    pub fn kids(&self) -> &[Node] {
        self.children.as_deref().unwrap_or(&[])
    }

    /// The line's words as keepalived sees them (keyword first).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.keyword.as_str()).chain(self.args.iter().map(String::as_str))
    }
}

/// Tree building problems.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    /// A `}` without an open block.
    #[error("extra '}}' found")]
    ExtraClose,
    /// A `{` that does not follow a keyword line.
    #[error(
        "unexpected '{{' (no keyword before it); its contents are read as if it were not there"
    )]
    UnexpectedOpen,
    /// A block that is never closed.
    #[error("block '{0}' is missing its closing '}}'")]
    MissingClose(String),
}

struct Open {
    /// `None` for a stray `{` whose contents are flattened into the parent.
    node: Option<Node>,
    kids: Vec<Node>,
    file: Arc<Path>,
    line: u32,
}

/// Builds the block tree; brace errors are appended to `diags`.
pub fn build(lines: Vec<Line>, diags: &mut Vec<Diagnostic>) -> Vec<Node> {
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut last_was_words = false;
    for l in lines {
        let level = match stack.last_mut() {
            Some(o) => &mut o.kids,
            None => &mut root,
        };
        match l.kind {
            LineKind::Words(mut w) => {
                let keyword = w.remove(0);
                level.push(Node {
                    keyword,
                    args: w,
                    children: None,
                    file: l.file,
                    line: l.line,
                });
                last_was_words = true;
            }
            LineKind::Open => {
                let node = if last_was_words { level.pop() } else { None };
                if node.is_none() {
                    diags.push(Diagnostic::error(
                        &*l.file,
                        l.line,
                        TreeError::UnexpectedOpen.to_string(),
                    ));
                }
                stack.push(Open {
                    node,
                    kids: Vec::new(),
                    file: l.file,
                    line: l.line,
                });
                last_was_words = false;
            }
            LineKind::Close => {
                match stack.pop() {
                    Some(o) => close(o, &mut stack, &mut root),
                    None => diags.push(Diagnostic::error(
                        &*l.file,
                        l.line,
                        TreeError::ExtraClose.to_string(),
                    )),
                }
                last_was_words = false;
            }
        }
    }
    while let Some(o) = stack.pop() {
        let (file, line, name) = match &o.node {
            Some(n) => (n.file.clone(), n.line, n.keyword.clone()),
            None => (o.file.clone(), o.line, "{".to_string()),
        };
        diags.push(Diagnostic::error(
            &*file,
            line,
            TreeError::MissingClose(name).to_string(),
        ));
        close(o, &mut stack, &mut root);
    }
    root
}

fn close(o: Open, stack: &mut [Open], root: &mut Vec<Node>) {
    let level = match stack.last_mut() {
        Some(p) => &mut p.kids,
        None => root,
    };
    match o.node {
        Some(mut n) => {
            n.children = Some(o.kids);
            level.push(n);
        }
        None => level.extend(o.kids),
    }
}

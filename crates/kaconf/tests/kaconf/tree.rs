//! Block tree and brace errors.

use std::path::Path;

use vigil_kaconf::lexer::lex;
use vigil_kaconf::{tree, MemFs, Severity};

use crate::common::opts;

fn build(text: &str) -> (Vec<tree::Node>, Vec<vigil_kaconf::Diagnostic>) {
    let fs = MemFs::new().with("/k/c.conf", text);
    let lexed = lex(Path::new("/k/c.conf"), &fs, &opts(None));
    let mut d = lexed.diagnostics;
    let nodes = tree::build(lexed.lines, &mut d);
    (nodes, d)
}

#[test]
fn blocks_nest_with_lines() {
    let (nodes, d) = build("a 1 {\n  b 2\n  c\n  {\n    d\n  }\n}\ne\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(nodes.len(), 2);
    assert_eq!(
        (
            nodes[0].keyword.as_str(),
            nodes[0].args.clone(),
            nodes[0].line
        ),
        ("a", vec!["1".to_string()], 1)
    );
    let kids = nodes[0].kids();
    assert_eq!(kids.len(), 2);
    assert_eq!(
        (
            kids[0].keyword.as_str(),
            kids[0].line,
            kids[0].children.is_none()
        ),
        ("b", 2, true)
    );
    assert_eq!((kids[1].keyword.as_str(), kids[1].line), ("c", 3));
    assert_eq!(kids[1].kids()[0].keyword, "d");
    assert_eq!(kids[1].kids()[0].line, 5);
    assert_eq!((nodes[1].keyword.as_str(), nodes[1].line), ("e", 8));
}

#[test]
fn extra_close_is_located() {
    let (nodes, d) = build("a {\n}\n}\nb\n");
    assert_eq!(nodes.len(), 2);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].severity), (3, Severity::Error));
    assert!(d[0].message.contains("extra '}'"));
}

#[test]
fn missing_close_is_located_at_the_block() {
    let (nodes, d) = build("x\nouter {\n  inner {\n    y\n  }\n");
    assert_eq!(nodes.len(), 2);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].severity), (2, Severity::Error));
    assert!(d[0].message.contains("'outer' is missing"));
    assert_eq!(nodes[1].kids()[0].kids()[0].keyword, "y");
}

#[test]
fn stray_open_is_located_and_contents_kept() {
    let (nodes, d) = build("a {\n}\n{\nb\n}\n");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, 3);
    assert!(d[0].message.contains("unexpected '{'"));
    let names: Vec<&str> = nodes.iter().map(|n| n.keyword.as_str()).collect();
    assert_eq!(names, vec!["a", "b"]);
}

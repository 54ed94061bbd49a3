//! Lexer: comments, quoting, braces, include, conditionals, definitions,
//! generators, and the line numbers they leave behind.

use vigil_kaconf::{MemFs, Severity};

use crate::common::{lines, lines_with};

#[test]
fn comments_quotes_and_braces() {
    let got = lines(
        "# whole line\n\
         ! bang line\n\
         a b # trailing\n\
         c \"d # not a comment\" e ! trailing\n\
         f \\# g\n\
         \n\
         h { i j } k\n\
         l {\n\
         }\n",
    );
    assert_eq!(
        got,
        vec![
            "3: a|b",
            "4: c|d # not a comment|e",
            "5: f|#|g",
            "7: h",
            "7: {",
            "7: i|j",
            "7: }",
            "7: k",
            "8: l",
            "8: {",
            "9: }",
        ]
    );
}

#[test]
fn crlf_and_blank_lines_keep_numbers() {
    assert_eq!(lines("\r\n\r\na\r\n  \t\r\nb"), vec!["3: a", "5: b"]);
}

#[test]
fn unterminated_quote_is_located() {
    let fs = MemFs::new().with("/k/c.conf", "a\nb \"c d\n");
    let (_, d) = lines_with(&fs, "/k/c.conf", None);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].line, d[0].severity), (2, Severity::Error));
    assert!(d[0].message.contains("unterminated quote"), "{}", d[0]);
}

#[test]
fn include_relative_to_including_file_and_line_numbers() {
    let fs = MemFs::new()
        .with("/k/main.conf", "a\ninclude sub/one.conf\nb\n")
        .with("/k/sub/one.conf", "c\ninclude two.conf\nd\n")
        .with("/k/sub/two.conf", "\ne\n");
    let (got, d) = lines_with(&fs, "/k/main.conf", None);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        got,
        vec![
            "/k/main.conf:1: a",
            "/k/sub/one.conf:1: c",
            "/k/sub/two.conf:2: e",
            "/k/sub/one.conf:3: d",
            "/k/main.conf:3: b",
        ]
    );
}

#[test]
fn include_glob_sorted_and_no_match_is_a_warning() {
    let fs = MemFs::new()
        .with(
            "/k/main.conf",
            "include conf.d/*.conf\ninclude none/*.conf\nz\n",
        )
        .with("/k/conf.d/b.conf", "b\n")
        .with("/k/conf.d/a.conf", "a\n")
        .with("/k/conf.d/c.txt", "c\n");
    let (got, d) = lines_with(&fs, "/k/main.conf", None);
    assert_eq!(
        got,
        vec![
            "/k/conf.d/a.conf:1: a",
            "/k/conf.d/b.conf:1: b",
            "/k/main.conf:3: z"
        ]
    );
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].severity, d[0].line), (Severity::Warning, 2));
    assert!(d[0].message.contains("no config files matched"));
}

#[test]
fn include_loop_is_an_error_and_terminates() {
    let fs = MemFs::new()
        .with("/k/a.conf", "x\ninclude b.conf\n")
        .with("/k/b.conf", "y\ninclude a.conf\nw\n");
    let (got, d) = lines_with(&fs, "/k/a.conf", None);
    assert_eq!(
        got,
        vec!["/k/a.conf:1: x", "/k/b.conf:1: y", "/k/b.conf:3: w"]
    );
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].file.to_str(), Some("/k/b.conf"));
    assert_eq!((d[0].line, d[0].severity), (2, Severity::Error));
    assert!(d[0].message.contains("include loop"));
}

#[test]
fn include_depth_is_limited() {
    let mut fs = MemFs::new();
    for i in 0..50 {
        fs.insert(
            format!("/k/f{i}.conf"),
            format!("l{i}\ninclude f{}.conf\n", i + 1),
        );
    }
    let (got, d) = lines_with(&fs, "/k/f0.conf", None);
    let max = vigil_kaconf::lexer::MAX_INCLUDE_DEPTH;
    assert_eq!(got.len(), max);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].message.contains("nested deeper"));
    assert_eq!(
        d[0].file.to_str(),
        Some(format!("/k/f{}.conf", max - 1).as_str())
    );
}

#[test]
fn conditional_lines() {
    let text = "@main a\n@^main b\n@backup c\n@^backup d\n@main\n";
    let fs = MemFs::new().with("/k/c.conf", text);
    let (main, _) = lines_with(&fs, "/k/c.conf", Some("main"));
    assert_eq!(main, vec!["/k/c.conf:1: a", "/k/c.conf:4: d"]);
    let (none, _) = lines_with(&fs, "/k/c.conf", None);
    assert_eq!(none, vec!["/k/c.conf:2: b", "/k/c.conf:4: d"]);
}

#[test]
fn definitions_simple_braced_recursive_and_undefined() {
    let got = lines(
        "$A=alpha\n\
         $B=${A}beta\n\
         x $A ${A}x $B $Ax \"${UNDEF}\" $UNDEF\n\
         $A=gamma\n\
         y $B\n\
         $COND=@main\n\
         $NOSPACE =1\n",
    );
    assert_eq!(
        got,
        vec![
            "3: x|alpha|alphax|alphabeta|$Ax|${UNDEF}|$UNDEF",
            "5: y|gammabeta",
            "7: $NOSPACE|=1"
        ]
    );
}

#[test]
fn definition_can_carry_a_conditional() {
    let fs = MemFs::new().with("/k/c.conf", "$IF_MAIN=@main\n$IF_MAIN priority 240\n");
    let (main, _) = lines_with(&fs, "/k/c.conf", Some("main"));
    assert_eq!(main, vec!["/k/c.conf:2: priority|240"]);
    let (other, _) = lines_with(&fs, "/k/c.conf", Some("backup"));
    assert!(other.is_empty());
}

#[test]
fn multiline_definitions_nested() {
    let got = lines(
        "$RS= \\\n\
         real_server ${N} { \\\n\
           weight 1 \\\n\
         }\n\
         $VS= \\\n\
         vs { \\\n\
           $N=1 \\\n\
           $RS \\\n\
           $N=2 \\\n\
           $RS \\\n\
         }\n\
         $VS\n",
    );
    assert_eq!(
        got,
        vec![
            "12: vs",
            "12: {",
            "12: real_server|1",
            "12: {",
            "12: weight|1",
            "12: }",
            "12: real_server|2",
            "12: {",
            "12: weight|1",
            "12: }",
            "12: }",
        ]
    );
}

#[test]
fn recursive_definition_is_an_error_not_a_hang() {
    let fs = MemFs::new().with("/k/c.conf", "$A=$A x\nkw $A\nnext\n");
    let (got, d) = lines_with(&fs, "/k/c.conf", None);
    assert_eq!(got, vec!["/k/c.conf:3: next"]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, 2);
    assert!(
        d[0].message.contains("does not terminate") || d[0].message.contains("maximum line length")
    );
}

#[test]
fn predefined_definitions() {
    let fs = MemFs::new().with(
        "/k/d/c.conf",
        "p ${_PWD}/x\ni ${_INSTANCE}\nh \"${_HASH}${_BANG}\" x${_HASH} comment\nr ${_RANDOM 5 7}\n",
    );
    let (got, d) = lines_with(&fs, "/k/d/c.conf", Some("node1"));
    assert!(d.is_empty());
    assert_eq!(
        &got[..3],
        [
            "/k/d/c.conf:1: p|/k/d/x",
            "/k/d/c.conf:2: i|node1",
            "/k/d/c.conf:3: h|#!|x"
        ]
    );
    let r: u32 = got[3].rsplit('|').next().unwrap().parse().unwrap();
    assert!((5..=7).contains(&r), "{r}");
}

#[test]
fn seq_generators() {
    let got = lines(
        "\n~SEQ(I, 3) a${I}\n\
         ~SEQ(J, 10, 5, 20) b$J\n\
         ~SEQx(K, 0x9, 0xb) c${K}\n\
         ~SEQ(L, 2, 1) ~SEQ(M, 0, 1) d${L}.${M}\n",
    );
    assert_eq!(
        got,
        vec![
            "2: a1", "2: a2", "2: a3", "3: b10", "3: b15", "3: b20", "4: c9", "4: ca", "4: cb",
            "5: d2.0", "5: d2.1", "5: d1.0", "5: d1.1",
        ]
    );
}

#[test]
fn seq_with_definitions_and_multiline_body() {
    let got = lines(
        "$FROM=1\n\
         $TO=2\n\
         $VI= \\\n\
         inst ${ID} \\\n\
         end ${ID}\n\
         ~SEQ(ID, $FROM, $TO) $VI\n",
    );
    assert_eq!(got, vec!["6: inst|1", "6: end|1", "6: inst|2", "6: end|2"]);
}

#[test]
fn lst_generators() {
    let got = lines(
        "~LST(A, x, y) v$A\n\
         ~LST({A,B}, {1,2}, {,3}) w${A}-${B}\n\
         ~LST(P, 1, 2) ~SEQ(Q, 2) z${P}${Q}\n",
    );
    assert_eq!(
        got,
        vec!["1: vx", "1: vy", "2: w1-2", "2: w-3", "3: z11", "3: z12", "3: z21", "3: z22"]
    );
}

#[test]
fn bad_generators_are_located_errors() {
    let fs = MemFs::new().with(
        "/k/c.conf",
        "ok\n~SEQ(A, 1, -1, 5) x\n~SEQ A\n~LST({A,B},{1}) x\n~SEQx(A,-3,2) x\n",
    );
    let (got, d) = lines_with(&fs, "/k/c.conf", None);
    assert_eq!(got, vec!["/k/c.conf:1: ok"]);
    let located: Vec<u32> = d.iter().map(|d| d.line).collect();
    assert_eq!(located, vec![2, 3, 4, 5]);
    assert!(d.iter().all(|d| d.severity == Severity::Error));
}

#[test]
fn huge_generators_are_refused() {
    let fs = MemFs::new().with(
        "/k/c.conf",
        "~SEQ(A, 1, 1000000000) x\n~SEQ(B,1,1) ~SEQ(C,1,1) y\n",
    );
    let (got, d) = lines_with(&fs, "/k/c.conf", None);
    assert_eq!(got, vec!["/k/c.conf:2: y"]);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].line, 1);
}

#[test]
fn substitution_then_conditional_and_comment() {
    // Measured with keepalived 2.2.7: a line that starts with a conditional
    // after substitution is a conditional line, and a `#` brought in by
    // substitution starts a comment.
    let fs = MemFs::new().with(
        "/k/c.conf",
        "$E=\n$H=${_HASH}\n$E @^main a\n$E\t@main b\n$H c\nd 1${_HASH}2\n$C=@main @^x\n$C e\n",
    );
    let (got, d) = lines_with(&fs, "/k/c.conf", Some("main"));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        got,
        vec!["/k/c.conf:4: b", "/k/c.conf:6: d|1", "/k/c.conf:8: e"]
    );
}

#[test]
fn continuation_outside_definitions_stays_a_word() {
    // keepalived 2.2.7 reports `Unknown keyword 'a\'` and `'\'` here.
    assert_eq!(lines("a \\\n# c \\\n"), vec!["1: a\\", "2: \\"]);
}

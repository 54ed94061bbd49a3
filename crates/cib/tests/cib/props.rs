//! Properties: the reader never panics, on arbitrary text or on mutations
//! of a real CIB, and whatever it accepts round-trips through the writer.

use proptest::prelude::*;
use vigil_cib::{parse_cib, write_cib};

const SEED_FILES: [&str; 2] = [
    "/work/shared/conformance/pacemaker-scheduler/xml/bundle-order-startup-clone.xml",
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cib/data/kitchen_sink.xml"
    ),
];

/// A real CIB from the corpus, or the kitchen sink, which has every construct.
fn seed(kitchen: bool) -> String {
    std::fs::read_to_string(SEED_FILES[usize::from(kitchen)]).unwrap()
}

fn check_round_trip(text: &str) {
    if let Ok(cib) = parse_cib(text) {
        let out = write_cib(&cib);
        let again = parse_cib(&out).unwrap_or_else(|e| panic!("written CIB rejected: {e}\n{out}"));
        assert_eq!(again, cib);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = parse_cib(&s);
    }

    #[test]
    fn xml_like_text_never_panics(s in "(<cib|<configuration|<resources|<primitive id=\"a\"|/>|>|</cib>|</configuration>| epoch=\"1\"| admin_epoch=\"0\"| num_updates=\"0\"|<status>|</status>|&amp;|&#1;|<!--|-->|\"| ){0,40}") {
        let _ = parse_cib(&s);
    }

    #[test]
    fn byte_mutations_of_a_real_cib(kitchen in any::<bool>(), edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = seed(kitchen).into_bytes();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_round_trip(&text);
    }

    #[test]
    fn deletions_and_splices_of_a_real_cib(kitchen in any::<bool>(), cuts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..64), 1..4)) {
        let mut text = seed(kitchen);
        for (at, len) in cuts {
            let mut start = at.index(text.len());
            while !text.is_char_boundary(start) { start -= 1; }
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) { end -= 1; }
            let piece = text[start..end].to_string();
            text.replace_range(start..end, "");
            // Put the piece back somewhere else half the time.
            if len % 2 == 0 {
                let mut at2 = (start * 7 + 13) % (text.len() + 1);
                while !text.is_char_boundary(at2) { at2 -= 1; }
                text.insert_str(at2, &piece);
            }
        }
        check_round_trip(&text);
    }
}

mod model {
    //! Arbitrary models (ids unique, everything else arbitrary) survive
    //! write -> parse unchanged.

    use proptest::prelude::*;
    use vigil_cib::*;

    /// Text with XML's special characters, whitespace and non-ASCII.
    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                "[a-zA-Z0-9 _.:/#-]",
                Just("&".to_string()),
                Just("<".to_string()),
                Just(">".to_string()),
                Just("\"".to_string()),
                Just("'".to_string()),
                Just("\t".to_string()),
                Just("\n".to_string()),
                Just("\r".to_string()),
                Just("é".to_string()),
                Just("ß€😀".to_string()),
            ],
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    fn score() -> impl Strategy<Value = Score> {
        prop_oneof![
            Just(Score::INFINITY),
            Just(Score::NEG_INFINITY),
            (-2_000_000i64..2_000_000).prop_map(Score::new)
        ]
    }

    fn role() -> impl Strategy<Value = Option<Role>> {
        prop::option::of(prop_oneof![
            Just(Role::Stopped),
            Just(Role::Started),
            Just(Role::Unpromoted),
            Just(Role::Promoted)
        ])
    }

    /// Dates between years 1 and 9999.
    fn date() -> impl Strategy<Value = i64> {
        -62_135_596_800i64..253_402_300_799
    }

    fn nvset(prefix: String, kind: NvSetKind) -> impl Strategy<Value = NvSet> {
        (
            prop::option::of(score()),
            prop::collection::vec((text(), text()), 0..4),
        )
            .prop_map(move |(score, pairs)| NvSet {
                id: prefix.clone(),
                kind,
                score,
                rule: None,
                pairs: pairs
                    .into_iter()
                    .enumerate()
                    .map(|(i, (name, value))| NvPair {
                        id: format!("{prefix}-{i}"),
                        name,
                        value,
                        is_ref: false,
                    })
                    .collect(),
                origin: NvSetOrigin::Inline,
            })
    }

    fn op(id: String) -> impl Strategy<Value = Op> {
        (
            text(),
            any::<u64>(),
            role(),
            prop::option::of(0u64..10_000_000_000),
            prop::option::of(any::<bool>()),
        )
            .prop_map(move |(name, interval, role, timeout_ms, enabled)| Op {
                id: id.clone(),
                name,
                // Whole milliseconds that fit when written as seconds or ms.
                interval_ms: interval % 1_000_000_000_000,
                role,
                timeout_ms,
                enabled,
                ..Op::default()
            })
    }

    fn primitive(i: usize) -> impl Strategy<Value = Primitive> {
        let id = format!("rsc{i}");
        (
            text(),
            prop::option::of(text()),
            text(),
            nvset(format!("{id}-meta"), NvSetKind::Meta),
            prop::collection::vec(op(format!("{id}-op")), 0..2),
        )
            .prop_map(move |(class, provider, kind, meta, mut ops)| {
                for (n, o) in ops.iter_mut().enumerate() {
                    o.id = format!("{}-{n}", o.id);
                }
                Primitive {
                    id: id.clone(),
                    class,
                    provider,
                    kind,
                    meta: vec![meta],
                    ops,
                    ..Primitive::default()
                }
            })
    }

    fn location(i: usize, rsc: String) -> impl Strategy<Value = Constraint> {
        let id = format!("loc{i}");
        (
            score(),
            role(),
            text(),
            text(),
            date(),
            date(),
            any::<bool>(),
        )
            .prop_map(move |(score, role, attribute, value, start, end, or)| {
                let attr = Expression::Attribute(AttrExpr {
                    id: format!("{id}-attr"),
                    attribute,
                    operation: AttrOp::Lte,
                    value: Some(value),
                    value_type: Some(ValueType::Version),
                    value_source: None,
                });
                let date = Expression::Date(Box::new(DateExpr {
                    id: format!("{id}-date"),
                    operation: DateOp::InRange,
                    start: Some(start),
                    end: Some(end),
                    duration: None,
                    date_spec: None,
                }));
                Constraint::Location(Location {
                    id: id.clone(),
                    rsc: Some(rsc.clone()),
                    rsc_pattern: None,
                    sets: Vec::new(),
                    node: None,
                    score: None,
                    role,
                    rules: vec![Rule {
                        id: format!("{id}-rule"),
                        score: Some(score),
                        boolean_op: if or { BoolOp::Or } else { BoolOp::And },
                        expressions: vec![attr, date],
                        ..Rule::default()
                    }],
                    resource_discovery: None,
                })
            })
    }

    fn cib() -> impl Strategy<Value = Cib> {
        (
            any::<u32>(),
            nvset("props".into(), NvSetKind::Properties),
            (0usize..3).prop_flat_map(|n| {
                (0..n)
                    .map(primitive)
                    .collect::<Vec<_>>()
                    .prop_flat_map(|prims| {
                        let locs: Vec<_> = prims
                            .iter()
                            .enumerate()
                            .map(|(i, p)| location(i, p.id.clone()))
                            .collect();
                        (Just(prims), locs)
                    })
            }),
            prop::option::of(text()),
            prop::option::of(date()),
        )
            .prop_map(|(epoch, props, (prims, locs), dc, exec)| Cib {
                epoch: u64::from(epoch),
                dc_uuid: dc,
                execution_date: exec,
                validate_with: "pacemaker-3.9".into(),
                configuration: Configuration {
                    crm_config: vec![props],
                    resources: prims.into_iter().map(Resource::Primitive).collect(),
                    constraints: locs,
                    ..Configuration::default()
                },
                ..Cib::default()
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_models_round_trip(cib in cib()) {
            let out = write_cib(&cib);
            let again = parse_cib(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
            prop_assert_eq!(again, cib);
        }
    }
}

proptest! {
    #[test]
    fn calendar_arithmetic_never_panics(
        t in any::<i64>(),
        f in prop::array::uniform7(any::<i64>()),
    ) {
        use vigil_cib::time::{format_datetime, Civil};
        use vigil_cib::{DateSpec, IsoDuration, SpecRange};
        let d = IsoDuration { years: f[0], months: f[1], weeks: f[2], days: f[3], hours: f[4], minutes: f[5], seconds: f[6] };
        let _ = d.add_to(t);
        let _ = d.approx_ms();
        let c = Civil::from_epoch(t);
        prop_assert!((1..=12).contains(&c.month) && (1..=7).contains(&c.weekday) && (1..=53).contains(&c.iso_week));
        let _ = format_datetime(t);
        let all = Some(SpecRange { start: Some(f[0]), end: None });
        let spec = DateSpec { years: all, weeks: all, weekyears: all, ..DateSpec::default() };
        let _ = spec.matches(t);
    }

    #[test]
    fn small_durations_add_exactly(t in -10_000_000_000i64..10_000_000_000, days in 0i64..10_000, secs in 0i64..1_000_000) {
        use vigil_cib::IsoDuration;
        let d = IsoDuration { days, seconds: secs, ..IsoDuration::default() };
        prop_assert_eq!(d.add_to(t), t + days * 86_400 + secs);
    }
}

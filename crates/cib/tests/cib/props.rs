//! Properties: the reader never panics, on arbitrary text or on mutations
//! of a real CIB, and whatever it accepts round-trips through the writer.

use proptest::prelude::*;
use vigil_cib::{parse_cib, write_cib};

const SEED_FILE: &str =
    "/work/shared/conformance/pacemaker-scheduler/xml/bundle-order-startup-clone.xml";

fn seed() -> String {
    std::fs::read_to_string(SEED_FILE).unwrap()
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
    fn byte_mutations_of_a_real_cib(edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = seed().into_bytes();
        for (at, b) in edits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        check_round_trip(&text);
    }

    #[test]
    fn deletions_and_splices_of_a_real_cib(cuts in prop::collection::vec((any::<prop::sample::Index>(), 0usize..64), 1..4)) {
        let mut text = seed();
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

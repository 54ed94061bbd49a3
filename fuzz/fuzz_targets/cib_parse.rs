//! Fuzz the CIB reader: any input must give a CIB or an error, never a
//! panic; an accepted CIB must survive write -> parse unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(cib) = vigil_cib::parse_cib(text) {
        let written = vigil_cib::write_cib(&cib);
        let again = vigil_cib::parse_cib(&written).expect("written CIB must parse");
        assert_eq!(again, cib, "round trip changed the model");
    }
});

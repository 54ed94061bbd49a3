//! Fuzzes the keepalived.conf loader: lexer (include, conditionals,
//! definitions, generators), tree and typed config. Input: the main file,
//! optionally followed by a NUL byte and a second file `inc.conf` that the
//! main file may include. Loading must never panic, and every diagnostic
//! must name a file.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use vigil_kaconf::{load, LoadOptions, MemFs};

fuzz_target!(|data: &[u8]| {
    let (main, inc) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let fs = MemFs::new()
        .with(
            "/f/keepalived.conf",
            String::from_utf8_lossy(main).into_owned(),
        )
        .with("/f/inc.conf", String::from_utf8_lossy(inc).into_owned());
    let opts = LoadOptions {
        config_id: Some("main".into()),
        random_seed: 0,
    };
    let loaded = load(Path::new("/f/keepalived.conf"), &fs, &opts);
    let _ = loaded.config.to_string();
    for d in &loaded.diagnostics {
        assert!(!d.file.as_os_str().is_empty(), "unlocated: {d:?}");
    }
});

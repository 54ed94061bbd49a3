//! What the writer produces is valid by Pacemaker's own RelaxNG schemas
//! (`/usr/share/pacemaker/<validate-with>.rng`, from Debian's pacemaker
//! packages), checked with xmllint for every corpus CIB.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use vigil_cib::{parse_cib, write_cib};

#[test]
fn written_corpus_validates_against_pacemaker_schemas() {
    let dir = std::env::temp_dir().join(format!("vigil-cib-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut by_schema: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    let mut no_schema = Vec::new();
    for f in super::corpus::corpus_files() {
        let cib = parse_cib(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let rng = PathBuf::from(format!("/usr/share/pacemaker/{}.rng", cib.validate_with));
        if !rng.exists() {
            // "none", or a schema newer than the installed Pacemaker.
            no_schema.push(cib.validate_with.clone());
            continue;
        }
        let out = dir.join(f.file_name().unwrap());
        std::fs::write(&out, write_cib(&cib)).unwrap();
        by_schema.entry(rng).or_default().push(out);
    }
    assert!(
        no_schema.len() <= 4,
        "too many CIBs without an installed schema: {no_schema:?}"
    );
    let mut failures = Vec::new();
    for (rng, files) in &by_schema {
        let out = Command::new("xmllint")
            .arg("--noout")
            .arg("--relaxng")
            .arg(rng)
            .args(files)
            .output()
            .expect("xmllint (libxml2-utils) must be installed for this test");
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            failures.extend(
                stderr
                    .lines()
                    .filter(|l| !l.ends_with(" validates"))
                    .map(str::to_string),
            );
        }
    }
    let validated: usize = by_schema.values().map(Vec::len).sum();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(validated >= 610, "only {validated} CIBs checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

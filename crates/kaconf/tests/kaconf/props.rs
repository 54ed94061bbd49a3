//! Property: any soup of configuration tokens loads without panicking, and
//! every diagnostic is located in one of the two files.

use std::path::Path;

use proptest::prelude::*;
use vigil_kaconf::{load, MemFs};

use crate::common::opts;

const TOKENS: &[&str] = &[
    "{",
    "}",
    "\n",
    " ",
    "\t",
    "$A",
    "${A}",
    "$A=",
    "$B= \\\n",
    "@main ",
    "@^main ",
    "~SEQ(A,1,2) ",
    "~SEQx(A,3) ",
    "~LST(A,x,y) ",
    "~LST({A,B},{1,2}) ",
    "\\",
    "\"",
    "'",
    "#",
    "!",
    "include inc.conf",
    "include *.conf",
    "vrrp_instance",
    "global_defs",
    "virtual_ipaddress",
    "virtual_routes",
    "unicast_peer",
    "authentication",
    "198.51.100.1/24",
    "2001:db8::1",
    "virtual_router_id",
    "priority",
    "advert_int",
    "state",
    "MASTER",
    "1",
    "300",
    "0.5",
    "-1",
    "notify_master",
    "auth_pass",
    "dev",
    "via",
    "${_RANDOM 1 3}",
    "${_PWD}",
    "${_HASH}",
    "x",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn token_soup_never_panics(main in soup(), inc in soup()) {
        let fs = MemFs::new().with("/p/keepalived.conf", main).with("/p/inc.conf", inc);
        let l = load(Path::new("/p/keepalived.conf"), &fs, &opts(Some("main")));
        let _ = l.config.to_string();
        for d in &l.diagnostics {
            prop_assert!(d.file.starts_with("/p"), "{d:?}");
            prop_assert!(d.line > 0, "{d:?}");
        }
    }
}

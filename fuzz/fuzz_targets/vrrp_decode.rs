//! Fuzzes the VRRP decoders and the per-instance checks behind them:
//! arbitrary bytes must give an error or an advert, never a panic.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use vigil_vrrp::{decode_ipv4, decode_ipv6, Auth, Instance, InstanceConfig, MCAST_V6};

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = decode_ipv4(data) {
        let _ = p.checksum_ok(false);
        let _ = p.checksum_ok(true);
        let _ = p.ah_ok(b"password");
    }
    let src: Ipv6Addr = "fe80::1".parse().unwrap();
    if let Ok(p) = decode_ipv6(data, src, MCAST_V6, 255) {
        let _ = p.checksum_ok();
    }
    // Through an instance too (auth AH so the ICV path runs).
    let mut cfg = InstanceConfig::new(
        "fuzz",
        51,
        IpAddr::V4(Ipv4Addr::new(198, 51, 100, 5)),
        vec![],
    );
    cfg.auth = Auth::Ah(b"password".to_vec());
    if let Ok(mut i) = Instance::new(cfg) {
        let now = Instant::now();
        i.start(now);
        i.handle_ipv4(now, data);
        while i.poll_action().is_some() {}
    }
});

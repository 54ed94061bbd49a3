//! Fuzzes the VRRP decoders and the per-instance checks behind them:
//! arbitrary bytes must give an error or an advert, never a panic.
#![no_main]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use vigil_vrrp::{
    decode_ipv4, decode_ipv6, Auth, HmacConfig, HmacKey, Instance, InstanceConfig, Version,
    MCAST_V6,
};

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
    // And through auth_hmac instances of both families (trailer parse,
    // window, key lookup, ICV and replay paths).
    for src in [
        IpAddr::V4(Ipv4Addr::new(198, 51, 100, 5)),
        IpAddr::V6("fe80::5".parse::<Ipv6Addr>().unwrap()),
    ] {
        let mut cfg = InstanceConfig::new("fuzz-hmac", 51, src, vec![]);
        cfg.version = Version::V3;
        let key = HmacKey {
            id: 1,
            key: vec![0x5a; 32],
        };
        cfg.auth = Auth::Hmac(HmacConfig::new(vec![key], 1));
        if let Ok(mut i) = Instance::new(cfg) {
            let now = Instant::now();
            i.set_wall_clock(now, Duration::from_secs(1_700_000_000));
            i.start(now);
            match src {
                IpAddr::V4(_) => i.handle_ipv4(now, data),
                IpAddr::V6(_) => i.handle_ipv6(now, data, src6(), MCAST_V6, 255),
            }
            while i.poll_action().is_some() {}
        }
    }
});

fn src6() -> Ipv6Addr {
    "fe80::1".parse().unwrap()
}

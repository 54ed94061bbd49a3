//! The Internet checksum (RFC 1071) and the VRRP variants of it.

use std::net::IpAddr;

use crate::packet::{Version, VRRP_PROTO};

/// A running one's-complement sum (RFC 1071), fed with byte slices.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum(u32);

impl Sum {
    /// Adds `data`; an odd trailing byte is padded with zero (RFC 1071 §4.1).
    /// Slices fed one after the other must have even length except the last.
    pub fn bytes(mut self, data: &[u8]) -> Self {
        let mut chunks = data.chunks_exact(2);
        for c in &mut chunks {
            self.0 += u32::from(u16::from_be_bytes([c[0], c[1]]));
        }
        if let [b] = chunks.remainder() {
            self.0 += u32::from(*b) << 8;
        }
        // Fold early so a long input can never overflow.
        self.0 = (self.0 & 0xffff) + (self.0 >> 16);
        self
    }

    /// Adds one 16-bit word.
    pub fn add_u16(mut self, w: u16) -> Self {
        self.0 += u32::from(w);
        self.0 = (self.0 & 0xffff) + (self.0 >> 16);
        self
    }

    /// The one's complement of the folded sum: the value to put in a
    /// checksum field, or 0 when verifying data that includes its checksum.
    pub fn finish(self) -> u16 {
        let mut s = self.0;
        while s >> 16 != 0 {
            s = (s & 0xffff) + (s >> 16);
        }
        !(s as u16)
    }
}

/// The sum that precedes the VRRP message in its checksum:
/// - VRRPv2 (RFC 3768 §5.3.8): nothing, the sum covers the VRRP message only;
/// - VRRPv3 over IPv6 (RFC 5798 §5.2.8): the IPv6 pseudo-header (RFC 8200 §8.1);
/// - VRRPv3 over IPv4: the IPv4 pseudo-header as keepalived and tcpdump do,
///   unless `v3_checksum_as_v2` (keepalived's option, RFC 9568 §5.2.8 reading).
pub fn pseudo_header(
    version: Version,
    src: IpAddr,
    dst: IpAddr,
    len: usize,
    v3_as_v2: bool,
) -> Sum {
    let sum = Sum::default();
    match (version, src, dst) {
        (Version::V2, _, _) => sum,
        (Version::V3, IpAddr::V4(_), _) if v3_as_v2 => sum,
        (Version::V3, IpAddr::V4(s), IpAddr::V4(d)) => sum
            .bytes(&s.octets())
            .bytes(&d.octets())
            .add_u16(u16::from(VRRP_PROTO))
            .add_u16(len as u16),
        (Version::V3, IpAddr::V6(s), IpAddr::V6(d)) => sum
            .bytes(&s.octets())
            .bytes(&d.octets())
            .add_u16((len >> 16) as u16)
            .add_u16(len as u16)
            .add_u16(u16::from(VRRP_PROTO)),
        // Mixed families cannot happen on the wire; sum the message only.
        _ => sum,
    }
}

/// Checksum of a VRRP message whose checksum field holds zero.
pub fn vrrp_checksum(
    version: Version,
    src: IpAddr,
    dst: IpAddr,
    msg: &[u8],
    v3_as_v2: bool,
) -> u16 {
    pseudo_header(version, src, dst, msg.len(), v3_as_v2)
        .bytes(msg)
        .finish()
}

/// True when `msg` (checksum field included) verifies.
pub fn vrrp_checksum_ok(
    version: Version,
    src: IpAddr,
    dst: IpAddr,
    msg: &[u8],
    v3_as_v2: bool,
) -> bool {
    vrrp_checksum(version, src, dst, msg, v3_as_v2) == 0
}

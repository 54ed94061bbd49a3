//! Pure frame builders and header parsers used by the sockets: no I/O here,
//! so everything is unit-tested byte for byte.

use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a received IPv4 packet was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// Fewer bytes than a minimal IPv4 header (20).
    #[error("IPv4 packet too short: {0} bytes")]
    TooShort(usize),
    /// The version nibble is not 4.
    #[error("not an IPv4 packet: version {0}")]
    Version(u8),
    /// IHL is below 5 or beyond the received bytes.
    #[error("bad IPv4 header length {ihl} words for a {len}-byte packet")]
    HeaderLength {
        /// IHL field (32-bit words).
        ihl: u8,
        /// Bytes received.
        len: usize,
    },
}

/// The fields of an IPv4 header that VRRP reception needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Meta {
    /// Source address.
    pub src: Ipv4Addr,
    /// Destination address.
    pub dst: Ipv4Addr,
    /// Time to live (RFC 5798 §7.1: must be 255).
    pub ttl: u8,
    /// IP protocol number (112 VRRP, 51 AH).
    pub protocol: u8,
    /// Header length in bytes (IHL × 4).
    pub header_len: usize,
}

/// Parses the IPv4 header that a raw IPv4 socket hands back with each packet.
///
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version|  IHL  |Type of Service|          Total Length         |
/// |         Identification        |Flags|      Fragment Offset    |
/// |  Time to Live |    Protocol   |         Header Checksum       |
/// |                       Source Address                          |
/// |                    Destination Address                        |
/// ```
/// (RFC 791 §3.1)
pub fn parse_ipv4_header(pkt: &[u8]) -> Result<Ipv4Meta, HeaderError> {
    if pkt.len() < 20 {
        return Err(HeaderError::TooShort(pkt.len()));
    }
    let version = pkt[0] >> 4;
    if version != 4 {
        return Err(HeaderError::Version(version));
    }
    let ihl = pkt[0] & 0x0f;
    let header_len = usize::from(ihl) * 4;
    if ihl < 5 || header_len > pkt.len() {
        return Err(HeaderError::HeaderLength {
            ihl,
            len: pkt.len(),
        });
    }
    Ok(Ipv4Meta {
        src: Ipv4Addr::new(pkt[12], pkt[13], pkt[14], pkt[15]),
        dst: Ipv4Addr::new(pkt[16], pkt[17], pkt[18], pkt[19]),
        ttl: pkt[8],
        protocol: pkt[9],
        header_len,
    })
}

/// Length of a gratuitous ARP frame: Ethernet header (14) + ARP for IPv4 (28).
pub const GARP_FRAME_LEN: usize = 42;

/// The Ethernet broadcast address.
pub const BROADCAST_MAC: [u8; 6] = [0xff; 6];

/// Builds a gratuitous ARP *request* frame announcing `ip` at `mac`.
///
/// Sender and target protocol address are both the announced address
/// (RFC 5227 §3 "ARP Announcement", RFC 5798 §6.4.2 for VRRP); the
/// Ethernet destination is broadcast. keepalived sends the request form
/// with the target hardware address set to broadcast, and so do we.
///
/// ```text
/// | dst MAC (6) | src MAC (6) | 0x0806 |
/// | htype=1 | ptype=0x0800 | hlen=6 | plen=4 | oper=1 (request) |
/// | sha (6) | spa (4) | tha (6) | tpa (4) |
/// ```
pub fn build_garp(mac: [u8; 6], ip: Ipv4Addr) -> [u8; GARP_FRAME_LEN] {
    let mut f = [0u8; GARP_FRAME_LEN];
    f[0..6].copy_from_slice(&BROADCAST_MAC);
    f[6..12].copy_from_slice(&mac);
    f[12..14].copy_from_slice(&0x0806u16.to_be_bytes()); // ETH_P_ARP
    f[14..16].copy_from_slice(&1u16.to_be_bytes()); // ARPHRD_ETHER
    f[16..18].copy_from_slice(&0x0800u16.to_be_bytes()); // ETH_P_IP
    f[18] = 6;
    f[19] = 4;
    f[20..22].copy_from_slice(&1u16.to_be_bytes()); // ARPOP_REQUEST
    f[22..28].copy_from_slice(&mac);
    f[28..32].copy_from_slice(&ip.octets());
    f[32..38].copy_from_slice(&BROADCAST_MAC);
    f[38..42].copy_from_slice(&ip.octets());
    f
}

/// Length of the ICMPv6 part of an unsolicited Neighbor Advertisement with a
/// target link-layer address option: 24 + 8.
pub const NA_LEN: usize = 32;

/// ICMPv6 type Neighbor Advertisement (RFC 4861 §4.4).
pub const ICMPV6_NEIGHBOR_ADVERT: u8 = 136;

/// Router flag, first bit of the flags word (RFC 4861 §4.4).
pub const NA_FLAG_ROUTER: u8 = 0x80;
/// Solicited flag (RFC 4861 §4.4); never set in an unsolicited NA.
pub const NA_FLAG_SOLICITED: u8 = 0x40;
/// Override flag (RFC 4861 §4.4).
pub const NA_FLAG_OVERRIDE: u8 = 0x20;

/// Builds the ICMPv6 body of an unsolicited Neighbor Advertisement for
/// `target` at `mac`.
///
/// RFC 4861 §7.2.6: unsolicited NAs go to all-nodes with the Solicited flag
/// clear and the Override flag set; the Router flag tells whether the sender
/// is a router (keepalived sets it when IPv6 forwarding is on for the
/// interface). The checksum is left zero: a raw ICMPv6 socket has the kernel
/// fill it in (RFC 3542 §3.1).
///
/// ```text
/// | type=136 | code=0 | checksum |
/// |R|S|O|            reserved    |
/// |       target address (16)    |
/// | opt type=2 | len=1 | MAC (6) |
/// ```
pub fn build_unsolicited_na(target: Ipv6Addr, mac: [u8; 6], router: bool) -> [u8; NA_LEN] {
    let mut b = [0u8; NA_LEN];
    b[0] = ICMPV6_NEIGHBOR_ADVERT;
    b[4] = NA_FLAG_OVERRIDE | if router { NA_FLAG_ROUTER } else { 0 };
    b[8..24].copy_from_slice(&target.octets());
    b[24] = 2; // ND_OPT_TARGET_LINKADDR
    b[25] = 1; // length in units of 8 octets
    b[26..32].copy_from_slice(&mac);
    b
}

/// Parses a MAC address in `aa:bb:cc:dd:ee:ff` form.
pub fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let mut parts = s.split(':');
    for byte in &mut out {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        *byte = u8::from_str_radix(p, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// Formats a MAC address as `aa:bb:cc:dd:ee:ff`.
pub fn format_mac(mac: &[u8; 6]) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAC: [u8; 6] = [0x02, 0x00, 0x5e, 0x10, 0x20, 0x30];

    #[test]
    fn garp_bytes() {
        let f = build_garp(MAC, Ipv4Addr::new(198, 51, 100, 10));
        let expected: [u8; 42] = [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,
            0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 198, 51,
            100, 10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 198, 51, 100, 10,
        ];
        assert_eq!(f, expected);
    }

    #[test]
    fn na_bytes() {
        let t: Ipv6Addr = "2001:db8::10".parse().unwrap();
        let b = build_unsolicited_na(t, MAC, false);
        assert_eq!(&b[0..8], &[136, 0, 0, 0, 0x20, 0, 0, 0]);
        assert_eq!(&b[8..24], &t.octets());
        assert_eq!(&b[24..32], &[2, 1, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30]);
        let r = build_unsolicited_na(t, MAC, true);
        assert_eq!(r[4], 0xa0);
        assert_eq!(r[4] & NA_FLAG_SOLICITED, 0);
    }

    fn header(ihl: u8) -> Vec<u8> {
        let mut h = vec![0u8; usize::from(ihl) * 4];
        h[0] = 0x40 | ihl;
        h[8] = 255;
        h[9] = 112;
        h[12..16].copy_from_slice(&[198, 51, 100, 1]);
        h[16..20].copy_from_slice(&[224, 0, 0, 18]);
        h
    }

    #[test]
    fn ipv4_header_ok() {
        let mut p = header(5);
        p.extend_from_slice(&[0x31, 1, 100, 1]);
        let m = parse_ipv4_header(&p).unwrap();
        assert_eq!(
            m,
            Ipv4Meta {
                src: Ipv4Addr::new(198, 51, 100, 1),
                dst: Ipv4Addr::new(224, 0, 0, 18),
                ttl: 255,
                protocol: 112,
                header_len: 20,
            }
        );
        assert_eq!(parse_ipv4_header(&header(6)).unwrap().header_len, 24);
    }

    #[test]
    fn ipv4_header_errors() {
        assert_eq!(
            parse_ipv4_header(&[0x45; 19]),
            Err(HeaderError::TooShort(19))
        );
        let mut p = header(5);
        p[0] = 0x65;
        assert_eq!(parse_ipv4_header(&p), Err(HeaderError::Version(6)));
        let mut p = header(5);
        p[0] = 0x44;
        assert_eq!(
            parse_ipv4_header(&p),
            Err(HeaderError::HeaderLength { ihl: 4, len: 20 })
        );
        let mut p = header(5);
        p[0] = 0x4f;
        assert_eq!(
            parse_ipv4_header(&p),
            Err(HeaderError::HeaderLength { ihl: 15, len: 20 })
        );
    }

    #[test]
    fn mac_round_trip() {
        assert_eq!(parse_mac("02:00:5e:10:20:30"), Some(MAC));
        assert_eq!(format_mac(&MAC), "02:00:5e:10:20:30");
        assert_eq!(parse_mac("02:00:5e:10:20"), None);
        assert_eq!(parse_mac("02:00:5e:10:20:30:40"), None);
        assert_eq!(parse_mac("02:00:5e:10:20:zz"), None);
        assert_eq!(parse_mac("02:00:5e:10::30"), None);
    }
}

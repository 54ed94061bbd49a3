//! VRRP advertisement decoding: IPv4 whole packets (with optional AH) and
//! IPv6 payloads. Encoding lives in [`crate::encode`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use crate::auth::{self, AH_LEN, AH_PAYLOAD_LEN, AUTH_DATA_LEN, ICV_LEN};
use crate::auth_hmac::{Trailer, TRAILER_LEN};
use crate::checksum::{vrrp_checksum_ok, Sum};
use crate::stats::DropReason;

/// IP protocol number of VRRP (RFC 5798 §5.1.1.3).
pub const VRRP_PROTO: u8 = 112;
/// IP protocol number of IPsec AH (RFC 4302).
pub const AH_PROTO: u8 = 51;
/// TTL / hop limit a VRRP router must send and require (RFC 5798 §5.1.1.3).
pub const VRRP_TTL: u8 = 255;
/// The IPv4 VRRP multicast group 224.0.0.18 (RFC 5798 §5.1.1.2).
pub const MCAST_V4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 18);
/// The IPv6 VRRP multicast group ff02::12 (RFC 5798 §5.1.2.2).
pub const MCAST_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0x12);
/// VRRP header length (both versions), before the address list.
pub const VRRP_HDR_LEN: usize = 8;
/// The only VRRP packet type, ADVERTISEMENT.
pub const TYPE_ADVERT: u8 = 1;

/// VRRP protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// RFC 3768.
    V2,
    /// RFC 5798 / RFC 9568.
    V3,
}

impl Version {
    /// The version nibble.
    pub fn number(self) -> u8 {
        match self {
            Version::V2 => 2,
            Version::V3 => 3,
        }
    }
}

/// Address family of an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// IPv4.
    V4,
    /// IPv6.
    V6,
}

impl Family {
    /// Family of an address.
    pub fn of(a: IpAddr) -> Family {
        match a {
            IpAddr::V4(_) => Family::V4,
            IpAddr::V6(_) => Family::V6,
        }
    }

    /// Bytes per address in the advert's address list.
    pub fn addr_len(self) -> usize {
        match self {
            Family::V4 => 4,
            Family::V6 => 16,
        }
    }
}

/// The authentication field of a VRRPv2 advert as seen on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthField {
    /// Type 0 (and always for VRRPv3).
    None,
    /// Type 1: the 8 bytes of authentication data.
    Pass([u8; AUTH_DATA_LEN]),
    /// Type 2: IPsec AH (VRRPv2 over IPv4 only); the ICV lives in the AH header.
    Ah,
}

/// A decoded VRRP advertisement.
///
/// VRRPv2 (RFC 3768 §5.1):
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Type  | Virtual Rtr ID|   Priority    | Count IP Addrs|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Auth Type   |   Adver Int   |          Checksum             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         IP Address (1)                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            .........                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Authentication Data (1)                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Authentication Data (2)                   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// VRRPv3 (RFC 5798 §5.1, RFC 9568 §5.1):
/// ```text
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version| Type  | Virtual Rtr ID|   Priority    |Count IPvX Addr|
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |(rsvd) |     Max Adver Int     |          Checksum             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       IPvX Address(es)                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advert {
    /// Protocol version.
    pub version: Version,
    /// Virtual router id (1..=255).
    pub vrid: u8,
    /// Sender priority; 0 means "master is stopping".
    pub priority: u8,
    /// v3: Max Adver Int in centiseconds (12 bits); v2: Adver Int seconds × 100.
    pub interval_cs: u16,
    /// The virtual addresses carried.
    pub addrs: Vec<IpAddr>,
    /// Authentication field (v2 only; v3 is always `None`).
    pub auth: AuthField,
}

/// Why a packet could not be decoded. Each maps to a [`DropReason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The buffer is shorter than the header at byte `at` requires.
    #[error("truncated packet: need {need} bytes at offset {at}, have {have}")]
    Truncated {
        /// Offset of the header that does not fit.
        at: usize,
        /// Bytes needed from the start of the buffer.
        need: usize,
        /// Bytes present.
        have: usize,
    },
    /// The IPv4 version nibble is not 4.
    #[error("IP version {0} is not 4")]
    NotIpv4(u8),
    /// The IPv4 header length field is below 5 words.
    #[error("IPv4 header length {0} bytes is below 20")]
    BadIhl(usize),
    /// The IPv4 total length is below the header length or above the buffer.
    #[error("IPv4 total length {total} does not fit header {ihl} / buffer {have}")]
    BadTotalLength {
        /// Total length field.
        total: usize,
        /// Header length.
        ihl: usize,
        /// Buffer length.
        have: usize,
    },
    /// The IPv4 header checksum does not verify.
    #[error("IPv4 header checksum mismatch")]
    IpChecksum,
    /// The packet is an IP fragment.
    #[error("IPv4 fragment (flags/offset {0:#06x})")]
    Fragment(u16),
    /// The IP protocol is neither VRRP (112) nor AH (51).
    #[error("IP protocol {0} is not VRRP (112) or AH (51)")]
    Protocol(u8),
    /// The AH header is not keepalived's (next header 112, payload length 4).
    #[error("AH header: next header {next} payload length {len}")]
    BadAh {
        /// Next header field.
        next: u8,
        /// Payload length field.
        len: u8,
    },
    /// Multicast advert with TTL / hop limit other than 255.
    #[error("TTL/hop limit {0} is not 255 on a multicast advert")]
    Ttl(u8),
    /// VRRP version nibble is not 2 or 3 (or 2 over IPv6).
    #[error("VRRP version {0} not supported here")]
    Version(u8),
    /// VRRP type is not ADVERTISEMENT.
    #[error("VRRP type {0} is not ADVERTISEMENT (1)")]
    Type(u8),
    /// The VRRP message length does not match its address count.
    #[error("VRRP length {len} does not match {count} addresses (expected {expected})")]
    Length {
        /// VRRP message length present.
        len: usize,
        /// Address count field.
        count: u8,
        /// Length the count implies.
        expected: usize,
    },
    /// Advert interval of zero.
    #[error("advert interval is zero")]
    ZeroInterval,
    /// VRRPv2 auth type unknown, or AH type without AH header (or vice versa).
    #[error("auth type {0} invalid here")]
    AuthType(u8),
}

impl DecodeError {
    /// The counter this error is accounted under.
    pub fn reason(&self) -> DropReason {
        match self {
            DecodeError::Truncated { .. }
            | DecodeError::BadTotalLength { .. }
            | DecodeError::Length { .. } => DropReason::PacketLength,
            DecodeError::NotIpv4(_)
            | DecodeError::BadIhl(_)
            | DecodeError::IpChecksum
            | DecodeError::Fragment(_)
            | DecodeError::Protocol(_) => DropReason::IpHeader,
            DecodeError::BadAh { .. } => DropReason::AuthFailure,
            DecodeError::Ttl(_) => DropReason::IpTtl,
            DecodeError::Version(_) => DropReason::InvalidVersion,
            DecodeError::Type(_) => DropReason::InvalidType,
            DecodeError::ZeroInterval => DropReason::AdvertInterval,
            DecodeError::AuthType(_) => DropReason::InvalidAuthType,
        }
    }
}

/// The AH header of a received packet.
///
/// RFC 2402 §2 (as keepalived fills it):
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Next Hdr (112)| Payload Len(4)|          RESERVED             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Security Parameters Index (= IPv4 source address)      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Sequence Number Field                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Authentication Data: HMAC-MD5-96 ICV (12 bytes)      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AhHeader {
    /// Security parameters index; keepalived puts its source address here.
    pub spi: u32,
    /// Sequence number, incremented per packet by the sender.
    pub seq: u32,
    /// The 96-bit ICV.
    pub icv: [u8; ICV_LEN],
}

/// A decoded IPv4 VRRP packet, with what per-instance checks need.
///
/// IPv4 header (RFC 791 §3.1) as VRRP sends it:
/// ```text
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |Version|  IHL  |Type of Service|          Total Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Identification        |Flags|      Fragment Offset    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  TTL (255)    | Protocol 112/51|        Header Checksum       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                       Source Address                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Destination Address                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Advert<'a> {
    /// The advertisement.
    pub advert: Advert,
    /// IP source.
    pub src: Ipv4Addr,
    /// IP destination.
    pub dst: Ipv4Addr,
    /// IP TTL.
    pub ttl: u8,
    /// The IP packet, cut to its total length.
    pub packet: &'a [u8],
    /// IP header length in bytes.
    pub ihl: usize,
    /// The AH header, when protocol is 51.
    pub ah: Option<AhHeader>,
    /// Where the VRRP message lies in `packet` (without an `auth_hmac`
    /// trailer: the IPv4 checksum does not cover it).
    pub vrrp: Range<usize>,
    /// The `auth_hmac` trailer after the message, if present.
    pub trailer: Option<Trailer>,
}

impl Ipv4Advert<'_> {
    /// The VRRP message bytes.
    pub fn vrrp_bytes(&self) -> &[u8] {
        &self.packet[self.vrrp.clone()]
    }

    /// Verifies the VRRP checksum with the instance's variant.
    pub fn checksum_ok(&self, v3_checksum_as_v2: bool) -> bool {
        vrrp_checksum_ok(
            self.advert.version,
            IpAddr::V4(self.src),
            IpAddr::V4(self.dst),
            self.vrrp_bytes(),
            v3_checksum_as_v2,
        )
    }

    /// Verifies the AH ICV with `key` (zero padded password) and that the
    /// SPI is the source address, as keepalived requires. TTL is part of
    /// the ICV for multicast and zeroed for unicast.
    pub fn ah_ok(&self, key: &[u8; AUTH_DATA_LEN]) -> bool {
        let Some(ah) = self.ah else { return false };
        let zero_ttl = !self.dst.is_multicast();
        let icv = auth::ah_icv(key, self.packet, self.ihl, zero_ttl);
        auth::ct_eq(&icv, &ah.icv) && ah.spi == u32::from(self.src)
    }
}

/// A decoded IPv6 VRRP payload (the kernel strips the IPv6 header).
///
/// IPv6 header fields used (RFC 8200 §3): source, destination, hop limit 255,
/// next header 112.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv6Advert<'a> {
    /// The advertisement.
    pub advert: Advert,
    /// IPv6 source (link-local for multicast adverts).
    pub src: Ipv6Addr,
    /// IPv6 destination.
    pub dst: Ipv6Addr,
    /// Hop limit.
    pub hop_limit: u8,
    /// The whole payload: the VRRP message and any `auth_hmac` trailer
    /// (the IPv6 checksum covers both).
    pub payload: &'a [u8],
    /// The `auth_hmac` trailer after the message, if present.
    pub trailer: Option<Trailer>,
}

impl Ipv6Advert<'_> {
    /// The VRRP message without the `auth_hmac` trailer.
    pub fn message(&self) -> &[u8] {
        let cut = if self.trailer.is_some() {
            TRAILER_LEN
        } else {
            0
        };
        &self.payload[..self.payload.len() - cut]
    }

    /// Verifies the VRRPv3 checksum over the IPv6 pseudo-header (RFC 5798 §5.2.8).
    pub fn checksum_ok(&self) -> bool {
        vrrp_checksum_ok(
            self.advert.version,
            IpAddr::V6(self.src),
            IpAddr::V6(self.dst),
            self.payload,
            false,
        )
    }
}

/// A received advert of either family, as the instance consumes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received<'a> {
    /// IPv4 packet.
    V4(Ipv4Advert<'a>),
    /// IPv6 payload.
    V6(Ipv6Advert<'a>),
}

impl Received<'_> {
    /// The advertisement.
    pub fn advert(&self) -> &Advert {
        match self {
            Received::V4(p) => &p.advert,
            Received::V6(p) => &p.advert,
        }
    }

    /// IP source address.
    pub fn src(&self) -> IpAddr {
        match self {
            Received::V4(p) => IpAddr::V4(p.src),
            Received::V6(p) => IpAddr::V6(p.src),
        }
    }

    /// IP destination address.
    pub fn dst(&self) -> IpAddr {
        match self {
            Received::V4(p) => IpAddr::V4(p.dst),
            Received::V6(p) => IpAddr::V6(p.dst),
        }
    }

    /// The `auth_hmac` trailer, if the advert has one.
    pub fn trailer(&self) -> Option<&Trailer> {
        match self {
            Received::V4(p) => p.trailer.as_ref(),
            Received::V6(p) => p.trailer.as_ref(),
        }
    }

    /// The VRRP message without any `auth_hmac` trailer.
    pub fn message(&self) -> &[u8] {
        match self {
            Received::V4(p) => p.vrrp_bytes(),
            Received::V6(p) => p.message(),
        }
    }

    /// Verifies the checksum (the IPv4 variant chosen by `v3_checksum_as_v2`).
    pub fn checksum_ok(&self, v3_checksum_as_v2: bool) -> bool {
        match self {
            Received::V4(p) => p.checksum_ok(v3_checksum_as_v2),
            Received::V6(p) => p.checksum_ok(),
        }
    }
}

fn need(buf: &[u8], at: usize, len: usize) -> Result<(), DecodeError> {
    if buf.len() < at + len {
        return Err(DecodeError::Truncated {
            at,
            need: at + len,
            have: buf.len(),
        });
    }
    Ok(())
}

/// Decodes an IPv4 VRRP packet as a raw socket delivers it (IP header
/// included), checking IP header length, total length, header checksum,
/// fragmentation, protocol, TTL (multicast only: unicast TTL is a
/// per-instance matter), the AH header layout, VRRP version/type, the
/// address count against the length and a zero interval. Exactly 28 bytes
/// after the message are keepalived 2.4's `auth_hmac` trailer
/// ([`Ipv4Advert::trailer`]); verifying it is the instance's business.
pub fn decode_ipv4(buf: &[u8]) -> Result<Ipv4Advert<'_>, DecodeError> {
    need(buf, 0, 20)?;
    let version = buf[0] >> 4;
    if version != 4 {
        return Err(DecodeError::NotIpv4(version));
    }
    let ihl = usize::from(buf[0] & 0x0f) * 4;
    if ihl < 20 {
        return Err(DecodeError::BadIhl(ihl));
    }
    need(buf, 0, ihl)?;
    let total = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
    if total < ihl || total > buf.len() {
        return Err(DecodeError::BadTotalLength {
            total,
            ihl,
            have: buf.len(),
        });
    }
    let packet = &buf[..total];
    if Sum::default().bytes(&packet[..ihl]).finish() != 0 {
        return Err(DecodeError::IpChecksum);
    }
    let frag = u16::from_be_bytes([packet[6], packet[7]]);
    // More-fragments set or a non-zero offset; DF is harmless.
    if frag & 0x3fff != 0 {
        return Err(DecodeError::Fragment(frag));
    }
    let ttl = packet[8];
    let proto = packet[9];
    let src = Ipv4Addr::new(packet[12], packet[13], packet[14], packet[15]);
    let dst = Ipv4Addr::new(packet[16], packet[17], packet[18], packet[19]);
    let (ah, vrrp_start) = match proto {
        VRRP_PROTO => (None, ihl),
        AH_PROTO => {
            need(packet, ihl, AH_LEN)?;
            let h = &packet[ihl..ihl + AH_LEN];
            if h[0] != VRRP_PROTO || h[1] != AH_PAYLOAD_LEN {
                return Err(DecodeError::BadAh {
                    next: h[0],
                    len: h[1],
                });
            }
            let mut icv = [0u8; ICV_LEN];
            icv.copy_from_slice(&h[12..24]);
            let ah = AhHeader {
                spi: u32::from_be_bytes([h[4], h[5], h[6], h[7]]),
                seq: u32::from_be_bytes([h[8], h[9], h[10], h[11]]),
                icv,
            };
            (Some(ah), ihl + AH_LEN)
        }
        p => return Err(DecodeError::Protocol(p)),
    };
    // RFC 3768 §7.1 / RFC 5798 §7.1: TTL must be 255.
    if dst.is_multicast() && ttl != VRRP_TTL {
        return Err(DecodeError::Ttl(ttl));
    }
    let (advert, trailer) = decode_vrrp(&packet[vrrp_start..], Family::V4, ah.is_some())?;
    let end = total - if trailer.is_some() { TRAILER_LEN } else { 0 };
    Ok(Ipv4Advert {
        advert,
        src,
        dst,
        ttl,
        packet,
        ihl,
        ah,
        vrrp: vrrp_start..end,
        trailer,
    })
}

/// Decodes a VRRP payload received over IPv6. Only VRRPv3 runs over IPv6
/// (RFC 5798 §5.2.1); the hop limit must be 255 for multicast
/// (RFC 5798 §7.1).
pub fn decode_ipv6(
    payload: &[u8],
    src: Ipv6Addr,
    dst: Ipv6Addr,
    hop_limit: u8,
) -> Result<Ipv6Advert<'_>, DecodeError> {
    if dst.is_multicast() && hop_limit != VRRP_TTL {
        return Err(DecodeError::Ttl(hop_limit));
    }
    let (advert, trailer) = decode_vrrp(payload, Family::V6, false)?;
    Ok(Ipv6Advert {
        advert,
        src,
        dst,
        hop_limit,
        payload,
        trailer,
    })
}

/// Decodes the VRRP message itself, and the `auth_hmac` trailer when the
/// message is followed by exactly [`TRAILER_LEN`] bytes (keepalived 2.4;
/// never with AH or a VRRPv2 password, which exclude it).
fn decode_vrrp(
    msg: &[u8],
    family: Family,
    has_ah: bool,
) -> Result<(Advert, Option<Trailer>), DecodeError> {
    need(msg, 0, VRRP_HDR_LEN)?;
    let ver = msg[0] >> 4;
    let version = match (ver, family) {
        (2, Family::V4) => Version::V2,
        (3, _) => Version::V3,
        _ => return Err(DecodeError::Version(ver)),
    };
    let ty = msg[0] & 0x0f;
    if ty != TYPE_ADVERT {
        return Err(DecodeError::Type(ty));
    }
    let vrid = msg[1];
    let priority = msg[2];
    let count = msg[3];
    let alen = family.addr_len();
    let trailer = if version == Version::V2 {
        AUTH_DATA_LEN
    } else {
        0
    };
    let expected = VRRP_HDR_LEN + usize::from(count) * alen + trailer;
    let hmac_ok = !has_ah && (version == Version::V3 || msg[4] == 0);
    let hmac = if hmac_ok && msg.len() == expected + TRAILER_LEN {
        Trailer::parse(&msg[expected..])
    } else {
        None
    };
    if hmac.is_none() && msg.len() != expected {
        return Err(DecodeError::Length {
            len: msg.len(),
            count,
            expected,
        });
    }
    let msg = &msg[..expected];
    let (interval_cs, auth) = match version {
        Version::V2 => {
            let auth = match (msg[4], has_ah) {
                (0, false) => AuthField::None,
                (1, false) => {
                    let mut p = [0u8; AUTH_DATA_LEN];
                    p.copy_from_slice(&msg[expected - AUTH_DATA_LEN..]);
                    AuthField::Pass(p)
                }
                (2, true) => AuthField::Ah,
                (t, _) => return Err(DecodeError::AuthType(t)),
            };
            (u16::from(msg[5]) * 100, auth)
        }
        Version::V3 => {
            if has_ah {
                return Err(DecodeError::AuthType(2));
            }
            (
                u16::from_be_bytes([msg[4], msg[5]]) & 0x0fff,
                AuthField::None,
            )
        }
    };
    if interval_cs == 0 {
        return Err(DecodeError::ZeroInterval);
    }
    let addrs = msg[VRRP_HDR_LEN..VRRP_HDR_LEN + usize::from(count) * alen]
        .chunks_exact(alen)
        .map(|c| match family {
            Family::V4 => IpAddr::V4(Ipv4Addr::new(c[0], c[1], c[2], c[3])),
            Family::V6 => {
                let mut o = [0u8; 16];
                o.copy_from_slice(c);
                IpAddr::V6(Ipv6Addr::from(o))
            }
        })
        .collect();
    let advert = Advert {
        version,
        vrid,
        priority,
        interval_cs,
        addrs,
        auth,
    };
    Ok((advert, hmac))
}

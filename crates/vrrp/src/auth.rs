//! VRRPv2 authentication (RFC 2338 §5.3.6; removed by RFC 3768 but still
//! spoken by keepalived): none, simple password, and IPsec AH with
//! HMAC-MD5-96 computed the way keepalived computes it.

use hmac::{Hmac, Mac};
use md5::Md5;

use crate::auth_hmac::HmacConfig;

/// Length of keepalived's authentication data: passwords and AH keys are
/// cut to, or zero padded to, 8 bytes.
pub const AUTH_DATA_LEN: usize = 8;
/// Length of the truncated HMAC-MD5 ICV (RFC 2403: HMAC-MD5-96).
pub const ICV_LEN: usize = 12;
/// Length of the AH header keepalived sends: next header, payload length,
/// reserved, SPI, sequence number and a 12-byte ICV (RFC 2402 §2).
pub const AH_LEN: usize = 24;
/// AH "payload length" field: AH length in 32-bit words minus 2.
pub const AH_PAYLOAD_LEN: u8 = (AH_LEN / 4 - 2) as u8;

/// An instance's authentication setting (keepalived `authentication {}`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Auth {
    /// No authentication (type 0). The only choice for VRRPv3.
    #[default]
    None,
    /// Simple text password (type 1); only the first 8 bytes count.
    Pass(Vec<u8>),
    /// IPsec AH, HMAC-MD5-96 keyed with the password (type 2).
    Ah(Vec<u8>),
    /// keepalived 2.4 `auth_hmac`: an HMAC-SHA256 trailer after the
    /// message (auth type 0 on the wire); VRRPv2 and v3, IPv4 and IPv6.
    Hmac(HmacConfig),
}

impl Auth {
    /// The VRRPv2 "Auth Type" number.
    pub fn type_code(&self) -> u8 {
        match self {
            Auth::None | Auth::Hmac(_) => 0,
            Auth::Pass(_) => 1,
            Auth::Ah(_) => 2,
        }
    }

    /// The password as keepalived stores it: 8 bytes, zero padded.
    pub fn data(&self) -> [u8; AUTH_DATA_LEN] {
        match self {
            Auth::None | Auth::Hmac(_) => [0; AUTH_DATA_LEN],
            Auth::Pass(p) | Auth::Ah(p) => pad_password(p),
        }
    }
}

/// Cuts or zero pads a password to 8 bytes, as keepalived's `auth_pass` does.
pub fn pad_password(p: &[u8]) -> [u8; AUTH_DATA_LEN] {
    let mut out = [0u8; AUTH_DATA_LEN];
    let n = p.len().min(AUTH_DATA_LEN);
    out[..n].copy_from_slice(&p[..n]);
    out
}

/// Computes the AH ICV over an IPv4 packet `ip_header ‖ ah ‖ vrrp`, with
/// the mutable IP fields zeroed as keepalived does (vrrp.c
/// `vrrp_in_chk_ipsecah`): TOS, fragment offset/flags, header checksum, and
/// TTL too when the packet is unicast; the ICV field itself is zeroed.
/// Nothing is copied: the zeroed fields are fed to the MAC piecewise.
///
/// `packet` is the whole IP packet, `ihl` the IP header length in bytes
/// (the AH header starts there), `zero_ttl` true for unicast.
pub fn ah_icv(
    key: &[u8; AUTH_DATA_LEN],
    packet: &[u8],
    ihl: usize,
    zero_ttl: bool,
) -> [u8; ICV_LEN] {
    // RFC 2104 keys shorter than the block are zero padded, so the 8 zero
    // padded bytes give the same MAC as the bare password.
    let mut mac = <Hmac<Md5> as Mac>::new_from_slice(key).expect("HMAC accepts any key length");
    // IPv4 header: version/IHL, TOS(0), total length, id.
    mac.update(&[packet[0], 0, packet[2], packet[3], packet[4], packet[5]]);
    // flags+fragment offset (0), TTL, protocol, header checksum (0).
    let ttl = if zero_ttl { 0 } else { packet[8] };
    mac.update(&[0, 0, ttl, packet[9], 0, 0]);
    // Addresses and options, then the AH header up to the ICV.
    mac.update(&packet[12..ihl + 12]);
    mac.update(&[0u8; ICV_LEN]);
    mac.update(&packet[ihl + AH_LEN..]);
    let full = mac.finalize().into_bytes();
    let mut icv = [0u8; ICV_LEN];
    icv.copy_from_slice(&full[..ICV_LEN]);
    icv
}

/// Constant-time comparison for passwords and ICVs.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

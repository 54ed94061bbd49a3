//! Advertisement encoding with a cached wire image: the bytes are built once
//! and only the fields that change are rewritten for each packet.

use std::net::IpAddr;

use crate::auth::{self, Auth, AH_LEN, AH_PAYLOAD_LEN, AUTH_DATA_LEN};
use crate::checksum::{vrrp_checksum, Sum};
use crate::packet::{Family, Version, AH_PROTO, TYPE_ADVERT, VRRP_HDR_LEN, VRRP_PROTO};

/// IPv4 header length the encoder writes (no options).
const IP_HDR_LEN: usize = 20;
/// TOS keepalived sets: precedence "internetwork control" (0xc0).
const IP_TOS: u8 = 0xc0;

/// The static data an encoder is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncoderConfig {
    /// Protocol version.
    pub version: Version,
    /// Virtual router id.
    pub vrid: u8,
    /// Advert interval in centiseconds (v2: a multiple of 100, at most 25500;
    /// v3: 1..=4095).
    pub interval_cs: u16,
    /// Virtual addresses to carry (same family as `src`), at most 255.
    pub addrs: Vec<IpAddr>,
    /// Authentication (v2 over IPv4 only, else `Auth::None`).
    pub auth: Auth,
    /// Source address (IPv4 header / IPv6 pseudo-header).
    pub src: IpAddr,
    /// Destination: the multicast group or a unicast peer.
    pub dst: IpAddr,
    /// keepalived `v3_checksum_as_v2`: VRRPv3 over IPv4 without pseudo-header.
    pub v3_checksum_as_v2: bool,
    /// IPv4 TTL (255, or keepalived's `unicast_ttl` for unicast).
    pub ttl: u8,
}

/// Why an encoder could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// Source, destination and addresses are not all of one family.
    #[error("address family mismatch: {0}")]
    FamilyMismatch(IpAddr),
    /// More than 255 addresses.
    #[error("{0} addresses, at most 255 fit in an advert")]
    TooManyAddresses(usize),
    /// The interval cannot be expressed in this version's field.
    #[error("advert interval {0} cs cannot be encoded for this version")]
    Interval(u16),
    /// Authentication requested with VRRPv3 or over IPv6.
    #[error("authentication is only defined for VRRPv2 over IPv4")]
    AuthNotSupported,
    /// VRRPv2 over IPv6 is not defined.
    #[error("VRRPv2 is IPv4 only")]
    V2OverIpv6,
    /// Virtual router id 0.
    #[error("virtual router id 0 is invalid")]
    ZeroVrid,
}

/// Produces the wire bytes of one instance's adverts to one destination.
///
/// For IPv4 the whole IP packet is produced (for `IP_HDRINCL` sockets);
/// for IPv6 only the VRRP message (the kernel adds the header). The image
/// is re-encoded only when the priority or destination changes; per packet
/// only the IPv4 id and header checksum, and for AH the sequence number and
/// ICV, are rewritten. No allocation happens after construction.
#[derive(Debug, Clone)]
pub struct AdvertEncoder {
    cfg: EncoderConfig,
    family: Family,
    buf: Vec<u8>,
    vrrp_off: usize,
    cached: Option<u8>,
    ip_id: u16,
    ah_seq: u32,
}

impl AdvertEncoder {
    /// Validates `cfg` and lays out the static parts of the packet.
    pub fn new(cfg: EncoderConfig) -> Result<Self, EncodeError> {
        let family = Family::of(cfg.src);
        for a in cfg.addrs.iter().chain([&cfg.dst]) {
            if Family::of(*a) != family {
                return Err(EncodeError::FamilyMismatch(*a));
            }
        }
        if cfg.vrid == 0 {
            return Err(EncodeError::ZeroVrid);
        }
        if cfg.addrs.len() > 255 {
            return Err(EncodeError::TooManyAddresses(cfg.addrs.len()));
        }
        let interval_ok = match cfg.version {
            Version::V2 => {
                cfg.interval_cs >= 100 && cfg.interval_cs <= 25500 && cfg.interval_cs % 100 == 0
            }
            Version::V3 => (1..=0x0fff).contains(&cfg.interval_cs),
        };
        if !interval_ok {
            return Err(EncodeError::Interval(cfg.interval_cs));
        }
        if cfg.auth != Auth::None && (cfg.version != Version::V2 || family != Family::V4) {
            return Err(EncodeError::AuthNotSupported);
        }
        if cfg.version == Version::V2 && family == Family::V6 {
            return Err(EncodeError::V2OverIpv6);
        }
        let is_ah = matches!(cfg.auth, Auth::Ah(_));
        let vrrp_off = match family {
            Family::V4 => IP_HDR_LEN + if is_ah { AH_LEN } else { 0 },
            Family::V6 => 0,
        };
        let trailer = if cfg.version == Version::V2 {
            AUTH_DATA_LEN
        } else {
            0
        };
        let vrrp_len = VRRP_HDR_LEN + cfg.addrs.len() * family.addr_len() + trailer;
        let mut enc = AdvertEncoder {
            buf: vec![0; vrrp_off + vrrp_len],
            family,
            vrrp_off,
            cached: None,
            ip_id: 0,
            ah_seq: 0,
            cfg,
        };
        enc.layout();
        Ok(enc)
    }

    /// The configuration the encoder was built from.
    pub fn config(&self) -> &EncoderConfig {
        &self.cfg
    }

    /// Writes every field that does not change per packet.
    fn layout(&mut self) {
        let total = self.buf.len();
        let v = self.vrrp_off;
        if self.family == Family::V4 {
            let is_ah = matches!(self.cfg.auth, Auth::Ah(_));
            let b = &mut self.buf;
            b[0] = 0x45;
            b[1] = IP_TOS;
            b[2..4].copy_from_slice(&(total as u16).to_be_bytes());
            b[8] = self.cfg.ttl;
            b[9] = if is_ah { AH_PROTO } else { VRRP_PROTO };
            if let IpAddr::V4(s) = self.cfg.src {
                b[12..16].copy_from_slice(&s.octets());
            }
            if is_ah {
                b[IP_HDR_LEN] = VRRP_PROTO;
                b[IP_HDR_LEN + 1] = AH_PAYLOAD_LEN;
                // keepalived: SPI = source address (vrrp.c vrrp_build_ipsecah).
                b.copy_within(12..16, IP_HDR_LEN + 4);
            }
        }
        self.write_dst();
        let b = &mut self.buf[v..];
        b[0] = (self.cfg.version.number() << 4) | TYPE_ADVERT;
        b[1] = self.cfg.vrid;
        b[3] = self.cfg.addrs.len() as u8;
        match self.cfg.version {
            Version::V2 => {
                b[4] = self.cfg.auth.type_code();
                b[5] = (self.cfg.interval_cs / 100) as u8;
            }
            Version::V3 => b[4..6].copy_from_slice(&(self.cfg.interval_cs & 0x0fff).to_be_bytes()),
        }
        let alen = self.family.addr_len();
        for (i, a) in self.cfg.addrs.iter().enumerate() {
            let at = VRRP_HDR_LEN + i * alen;
            match a {
                IpAddr::V4(a) => b[at..at + 4].copy_from_slice(&a.octets()),
                IpAddr::V6(a) => b[at..at + 16].copy_from_slice(&a.octets()),
            }
        }
        // RFC 2338 §5.3.10: the password, zero padded; AH leaves zeros here.
        if let Auth::Pass(_) = self.cfg.auth {
            let end = b.len();
            b[end - AUTH_DATA_LEN..].copy_from_slice(&self.cfg.auth.data());
        }
    }

    fn write_dst(&mut self) {
        if let IpAddr::V4(d) = self.cfg.dst {
            self.buf[16..20].copy_from_slice(&d.octets());
        }
    }

    /// Changes the destination (e.g. the next unicast peer). Cheap: the
    /// VRRP checksum is redone on the next [`encode`](Self::encode) only
    /// when it depends on the destination.
    pub fn set_destination(&mut self, dst: IpAddr) -> Result<(), EncodeError> {
        if Family::of(dst) != self.family {
            return Err(EncodeError::FamilyMismatch(dst));
        }
        if dst != self.cfg.dst {
            self.cfg.dst = dst;
            self.write_dst();
            self.cached = None;
        }
        Ok(())
    }

    /// [`set_destination`](Self::set_destination) then [`encode`](Self::encode).
    pub fn encode_for(&mut self, priority: u8, dst: IpAddr) -> Result<&[u8], EncodeError> {
        self.set_destination(dst)?;
        Ok(self.encode(priority))
    }

    /// The bytes of the next advert at `priority`.
    pub fn encode(&mut self, priority: u8) -> &[u8] {
        if self.cached != Some(priority) {
            let v = self.vrrp_off;
            self.buf[v + 2] = priority;
            self.buf[v + 6..v + 8].fill(0);
            let ck = vrrp_checksum(
                self.cfg.version,
                self.cfg.src,
                self.cfg.dst,
                &self.buf[v..],
                self.cfg.v3_checksum_as_v2,
            );
            self.buf[v + 6..v + 8].copy_from_slice(&ck.to_be_bytes());
            self.cached = Some(priority);
        }
        if self.family == Family::V4 {
            self.ip_id = self.ip_id.wrapping_add(1);
            self.buf[4..6].copy_from_slice(&self.ip_id.to_be_bytes());
            if let Auth::Ah(_) = &self.cfg.auth {
                self.ah_seq = self.ah_seq.wrapping_add(1);
                let s = IP_HDR_LEN + 8;
                self.buf[s..s + 4].copy_from_slice(&self.ah_seq.to_be_bytes());
                let key = self.cfg.auth.data();
                let unicast = !self.cfg.dst.is_multicast();
                let icv = auth::ah_icv(&key, &self.buf, IP_HDR_LEN, unicast);
                self.buf[s + 4..s + 16].copy_from_slice(&icv);
            }
            self.buf[10..12].fill(0);
            let ck = Sum::default().bytes(&self.buf[..IP_HDR_LEN]).finish();
            self.buf[10..12].copy_from_slice(&ck.to_be_bytes());
        }
        &self.buf
    }

    /// Sets the IPv4 identification used by the next packet minus one
    /// (tests and restarts; keepalived starts at 1).
    pub fn set_ip_id(&mut self, last: u16) {
        self.ip_id = last;
    }

    /// Sets the AH sequence number of the last packet sent.
    pub fn set_ah_seq(&mut self, last: u32) {
        self.ah_seq = last;
    }
}

//! Advertisement encoding with a cached wire image: the bytes are built once
//! and only the fields that change are rewritten for each packet.

use std::net::IpAddr;
use std::time::Duration;

use crate::auth::{self, Auth, AH_LEN, AH_PAYLOAD_LEN, AUTH_DATA_LEN};
use crate::auth_hmac::replay::Sequencer;
use crate::auth_hmac::{
    self as ah, HmacConfigError, MessageMac, EXT_TYPE_SHA256, ICV_OFFSET, PSEUDO_LEN, TRAILER_LEN,
};
use crate::checksum::{pseudo_header, vrrp_checksum, Sum};
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
    /// Authentication: PASS / AH (v2 over IPv4 only), or `auth_hmac`
    /// (any version and family).
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
    /// The `auth_hmac` configuration is unusable.
    #[error(transparent)]
    Hmac(#[from] HmacConfigError),
}

/// Signing state of an encoder with `auth_hmac` (and a mode that signs).
#[derive(Clone)]
struct Signer {
    /// Id of the signing key.
    key_id: u8,
    /// Pseudo-header of our source, version and VRID.
    pseudo: [u8; PSEUDO_LEN],
    /// HMAC keyed and fed with pseudo-header and message, for the cached image.
    mac: Option<MessageMac>,
    /// Sequence numbers.
    seq: Sequencer,
    /// Time window (time mode) for the clock-step reset.
    window: Option<u32>,
    /// IPv6: checksum sum over pseudo-header and message, for the cached image.
    v6_sum: Option<Sum>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("key_id", &self.key_id)
            .field("seq", &self.seq)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
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
    /// Length of the VRRP message (without trailer).
    msg_len: usize,
    signer: Option<Signer>,
    /// Wall clock for the next signed packet, since the Unix epoch.
    wall: Duration,
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
        let legacy_auth = matches!(cfg.auth, Auth::Pass(_) | Auth::Ah(_));
        if legacy_auth && (cfg.version != Version::V2 || family != Family::V4) {
            return Err(EncodeError::AuthNotSupported);
        }
        let signer = match &cfg.auth {
            Auth::Hmac(h) => {
                h.validate()?;
                h.mode.signs().then(|| Signer {
                    key_id: h.active_key,
                    pseudo: ah::pseudo_header(cfg.version, cfg.src, cfg.vrid),
                    mac: None,
                    seq: Sequencer::default(),
                    window: h
                        .time_window_for(Duration::from_millis(u64::from(cfg.interval_cs) * 10)),
                    v6_sum: None,
                })
            }
            _ => None,
        };
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
        let hmac_len = if signer.is_some() { TRAILER_LEN } else { 0 };
        let mut enc = AdvertEncoder {
            buf: vec![0; vrrp_off + vrrp_len + hmac_len],
            family,
            vrrp_off,
            cached: None,
            ip_id: 0,
            ah_seq: 0,
            msg_len: vrrp_len,
            signer,
            wall: Duration::ZERO,
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
            let end = self.msg_len;
            b[end - AUTH_DATA_LEN..end].copy_from_slice(&self.cfg.auth.data());
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

    /// Sets the wall clock (since the Unix epoch) that the next signed
    /// packets take their `auth_hmac` sequence from. Without `auth_hmac`
    /// it has no effect.
    pub fn set_wall_clock(&mut self, unix: Duration) {
        self.wall = unix;
    }

    /// [`set_wall_clock`](Self::set_wall_clock) then [`encode`](Self::encode).
    pub fn encode_at(&mut self, priority: u8, unix: Duration) -> &[u8] {
        self.set_wall_clock(unix);
        self.encode(priority)
    }

    /// Switches the `auth_hmac` signing key (rotation: move `active_key`
    /// once every node knows the new key); the sequence carries on.
    pub fn set_hmac_active_key(&mut self, id: u8) -> Result<(), EncodeError> {
        let Auth::Hmac(h) = &mut self.cfg.auth else {
            return Err(EncodeError::Hmac(HmacConfigError::ActiveKeyMissing(id)));
        };
        if h.key(id).is_none() {
            return Err(EncodeError::Hmac(HmacConfigError::ActiveKeyMissing(id)));
        }
        h.active_key = id;
        if let Some(s) = self.signer.as_mut() {
            s.key_id = id;
            s.mac = None;
        }
        self.cached = None;
        Ok(())
    }

    /// The `auth_hmac` sequence of the last signed packet.
    pub fn hmac_seq(&self) -> Option<u64> {
        self.signer.as_ref().and_then(|s| s.seq.last())
    }

    /// Sets the `auth_hmac` sequence of the last signed packet (restarts, tests).
    pub fn set_hmac_seq(&mut self, last: Option<u64>) {
        if let Some(s) = self.signer.as_mut() {
            s.seq.set_last(last);
        }
    }

    /// The bytes of the next advert at `priority`. With `auth_hmac` the
    /// trailer takes its sequence from the wall clock last set
    /// ([`set_wall_clock`](Self::set_wall_clock)), at least the previous
    /// sequence plus one.
    pub fn encode(&mut self, priority: u8) -> &[u8] {
        if self.cached != Some(priority) {
            let v = self.vrrp_off;
            let m = v + self.msg_len;
            self.buf[v + 2] = priority;
            self.buf[v + 6..v + 8].fill(0);
            // IPv4: the VRRP checksum leaves the trailer out; IPv6: the
            // kernel's covers the whole payload, so with a trailer it is
            // finished per packet from a cached partial sum.
            let signed_v6 = self.signer.is_some() && self.family == Family::V6;
            if !signed_v6 {
                let ck = vrrp_checksum(
                    self.cfg.version,
                    self.cfg.src,
                    self.cfg.dst,
                    &self.buf[v..m],
                    self.cfg.v3_checksum_as_v2,
                );
                self.buf[v + 6..v + 8].copy_from_slice(&ck.to_be_bytes());
            }
            if let (Some(s), Auth::Hmac(h)) = (self.signer.as_mut(), &self.cfg.auth) {
                let key = h.key(s.key_id).map(|k| k.key.as_slice()).unwrap_or(&[]);
                s.mac = Some(ah::message_mac(key, &s.pseudo, &self.buf[v..m]));
                s.v6_sum = signed_v6.then(|| {
                    let len = self.msg_len + TRAILER_LEN;
                    pseudo_header(self.cfg.version, self.cfg.src, self.cfg.dst, len, false)
                        .bytes(&self.buf[v..m])
                });
            }
            self.cached = Some(priority);
        }
        if let Some(s) = self.signer.as_mut() {
            let v = self.vrrp_off;
            let t = v + self.msg_len;
            let seq = s.seq.next(self.wall, s.window);
            let b = &mut self.buf[t..t + TRAILER_LEN];
            b[0] = EXT_TYPE_SHA256;
            b[1] = s.key_id;
            b[2..4].fill(0);
            b[4..12].copy_from_slice(&seq.to_be_bytes());
            let mut prefix = [0u8; ICV_OFFSET];
            prefix.copy_from_slice(&b[..ICV_OFFSET]);
            let mac = s.mac.clone().expect("set with the cached image");
            b[ICV_OFFSET..].copy_from_slice(&ah::finish_icv(mac, &prefix));
            if let Some(sum) = s.v6_sum {
                let ck = sum.bytes(&self.buf[t..t + TRAILER_LEN]).finish();
                self.buf[v + 6..v + 8].copy_from_slice(&ck.to_be_bytes());
            }
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

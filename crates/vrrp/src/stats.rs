//! Per-instance counters, modelled on keepalived's `vrrp_stats` (the
//! counters `keepalived --signum=STATS` prints), plus a few that keepalived
//! only logs.

/// Why a received packet was dropped. Every drop is counted in exactly one
/// [`Stats`] counter through [`Stats::count`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// The packet is shorter or longer than its headers say (IP total
    /// length, VRRP length versus address count).
    PacketLength,
    /// The IP header is malformed: not IPv4, bad header length, bad header
    /// checksum, fragment, or a protocol other than VRRP (112) / AH (51).
    IpHeader,
    /// IP TTL / IPv6 hop limit is not 255 on a multicast advert
    /// (RFC 3768 §7.1, RFC 5798 §7.1).
    IpTtl,
    /// VRRP type is not 1 (ADVERTISEMENT).
    InvalidType,
    /// VRRP version is neither 2 nor 3, or not the version of the instance.
    InvalidVersion,
    /// The virtual router id is not the instance's.
    VridMismatch,
    /// Advert interval is zero, or differs from ours where that matters
    /// (VRRPv2, RFC 3768 §7.1).
    AdvertInterval,
    /// The address list does not match the instance's virtual addresses.
    AddressList,
    /// The authentication type is unknown (not 0, 1 or 2) or inconsistent
    /// with the IP protocol (AH type without an AH header).
    InvalidAuthType,
    /// The authentication type differs from the instance's (including an
    /// `auth_hmac` trailer at an instance without `auth_hmac`).
    AuthTypeMismatch,
    /// Wrong password, wrong AH ICV/SPI, or a replayed AH sequence number.
    AuthFailure,
    /// The VRRP checksum does not verify.
    Checksum,
    /// `auth_hmac` in `enforce` mode and the advert has no trailer.
    HmacMissing,
    /// `auth_hmac` trailer with an unknown scheme or a non-zero reserved field.
    HmacMalformed,
    /// `auth_hmac` trailer seconds outside the time window (or no wall
    /// clock given to judge them).
    HmacStale,
    /// `auth_hmac` trailer names a key id that is not configured.
    HmacUnknownKey,
    /// `auth_hmac` ICV does not verify (wrong key, tampered advert, or a
    /// source/VRID/version other than the signer's).
    HmacBadIcv,
    /// `auth_hmac` sequence number not after the sender's last one.
    HmacReplay,
}

/// keepalived's per-instance VRRP statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Adverts accepted after all checks.
    pub advert_rcvd: u64,
    /// Adverts the instance asked to send (any priority).
    pub advert_sent: u64,
    /// Transitions into MASTER.
    pub became_master: u64,
    /// Transitions out of MASTER.
    pub release_master: u64,
    /// [`DropReason::PacketLength`] drops.
    pub packet_len_err: u64,
    /// [`DropReason::IpHeader`] drops.
    pub ip_header_err: u64,
    /// [`DropReason::AdvertInterval`] drops.
    pub advert_interval_err: u64,
    /// [`DropReason::IpTtl`] drops.
    pub ip_ttl_err: u64,
    /// [`DropReason::InvalidType`] drops.
    pub invalid_type_rcvd: u64,
    /// [`DropReason::InvalidVersion`] drops.
    pub version_err: u64,
    /// [`DropReason::VridMismatch`] drops.
    pub vrid_err: u64,
    /// [`DropReason::AddressList`] drops.
    pub addr_list_err: u64,
    /// [`DropReason::InvalidAuthType`] drops.
    pub invalid_authtype: u64,
    /// [`DropReason::AuthTypeMismatch`] drops.
    pub authtype_mismatch: u64,
    /// [`DropReason::AuthFailure`] drops.
    pub auth_failure: u64,
    /// [`DropReason::Checksum`] drops.
    pub checksum_err: u64,
    /// [`DropReason::HmacMissing`] drops.
    pub hmac_missing: u64,
    /// [`DropReason::HmacMalformed`] drops.
    pub hmac_malformed: u64,
    /// [`DropReason::HmacStale`] drops.
    pub hmac_stale: u64,
    /// [`DropReason::HmacUnknownKey`] drops.
    pub hmac_unknown_key: u64,
    /// [`DropReason::HmacBadIcv`] drops.
    pub hmac_bad_icv: u64,
    /// [`DropReason::HmacReplay`] drops.
    pub hmac_replay: u64,
    /// Priority 0 adverts received (accepted).
    pub pri_zero_rcvd: u64,
    /// Priority 0 adverts sent.
    pub pri_zero_sent: u64,
}

impl Stats {
    /// Counts one dropped packet under its reason.
    pub fn count(&mut self, reason: DropReason) {
        let c = match reason {
            DropReason::PacketLength => &mut self.packet_len_err,
            DropReason::IpHeader => &mut self.ip_header_err,
            DropReason::IpTtl => &mut self.ip_ttl_err,
            DropReason::InvalidType => &mut self.invalid_type_rcvd,
            DropReason::InvalidVersion => &mut self.version_err,
            DropReason::VridMismatch => &mut self.vrid_err,
            DropReason::AdvertInterval => &mut self.advert_interval_err,
            DropReason::AddressList => &mut self.addr_list_err,
            DropReason::InvalidAuthType => &mut self.invalid_authtype,
            DropReason::AuthTypeMismatch => &mut self.authtype_mismatch,
            DropReason::AuthFailure => &mut self.auth_failure,
            DropReason::Checksum => &mut self.checksum_err,
            DropReason::HmacMissing => &mut self.hmac_missing,
            DropReason::HmacMalformed => &mut self.hmac_malformed,
            DropReason::HmacStale => &mut self.hmac_stale,
            DropReason::HmacUnknownKey => &mut self.hmac_unknown_key,
            DropReason::HmacBadIcv => &mut self.hmac_bad_icv,
            DropReason::HmacReplay => &mut self.hmac_replay,
        };
        *c += 1;
    }

    /// Total of all drop counters.
    pub fn dropped(&self) -> u64 {
        self.packet_len_err
            + self.ip_header_err
            + self.ip_ttl_err
            + self.invalid_type_rcvd
            + self.version_err
            + self.vrid_err
            + self.advert_interval_err
            + self.addr_list_err
            + self.invalid_authtype
            + self.authtype_mismatch
            + self.auth_failure
            + self.checksum_err
            + self.hmac_missing
            + self.hmac_malformed
            + self.hmac_stale
            + self.hmac_unknown_key
            + self.hmac_bad_icv
            + self.hmac_replay
    }
}

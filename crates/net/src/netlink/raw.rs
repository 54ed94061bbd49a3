//! Minimal hand parsing of netlink datagrams: splitting a datagram into
//! messages, and a fallback reader for link messages that the
//! netlink-packet-route decoder rejects (kernels newer than the crate add
//! attributes it cannot parse; the daemon must still see carrier changes).

use super::LinkInfo;

/// `struct nlmsghdr` length (RFC 3549 §2.3.2).
const NLMSG_HDRLEN: usize = 16;
/// `struct ifinfomsg` length.
const IFINFO_LEN: usize = 16;
/// RTM_NEWLINK / RTM_DELLINK.
pub(crate) const RTM_NEWLINK: u16 = 16;
pub(crate) const RTM_DELLINK: u16 = 17;
const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFF_UP: u32 = 0x1;
const IFF_RUNNING: u32 = 0x40;

/// One message of a datagram, undecoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawMsg<'a> {
    /// nlmsg_type.
    pub kind: u16,
    /// nlmsg_seq.
    pub seq: u32,
    /// The whole message, header included.
    pub bytes: &'a [u8],
}

/// Splits a datagram into messages; stops at the first malformed length
/// and reports it as `Err` with the offset.
pub(crate) fn split(buf: &[u8]) -> Vec<Result<RawMsg<'_>, String>> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + NLMSG_HDRLEN <= buf.len() {
        let len = u32::from_ne_bytes([buf[off], buf[off + 1], buf[off + 2], buf[off + 3]]) as usize;
        if len < NLMSG_HDRLEN || off + len > buf.len() {
            out.push(Err(format!(
                "netlink message at offset {off} claims {len} bytes of {}",
                buf.len()
            )));
            break;
        }
        let kind = u16::from_ne_bytes([buf[off + 4], buf[off + 5]]);
        let seq = u32::from_ne_bytes([buf[off + 8], buf[off + 9], buf[off + 10], buf[off + 11]]);
        out.push(Ok(RawMsg {
            kind,
            seq,
            bytes: &buf[off..off + len],
        }));
        off += (len + 3) & !3;
    }
    out
}

/// Reads index, flags, name, MAC and MTU from an RTM_NEWLINK/RTM_DELLINK
/// message by hand; `None` if it is too short or has no name.
pub(crate) fn link_fallback(msg: &RawMsg<'_>) -> Option<LinkInfo> {
    let b = msg.bytes.get(NLMSG_HDRLEN..)?;
    if b.len() < IFINFO_LEN {
        return None;
    }
    let index = u32::from_ne_bytes([b[4], b[5], b[6], b[7]]);
    let flags = u32::from_ne_bytes([b[8], b[9], b[10], b[11]]);
    let mut info = LinkInfo {
        index,
        name: String::new(),
        mac: [0; 6],
        up: flags & IFF_UP != 0 && flags & IFF_RUNNING != 0,
        mtu: 0,
    };
    let mut attrs = &b[IFINFO_LEN..];
    while attrs.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([attrs[0], attrs[1]]));
        let kind = u16::from_ne_bytes([attrs[2], attrs[3]]) & 0x3fff;
        if len < 4 || len > attrs.len() {
            break;
        }
        let data = &attrs[4..len];
        match kind {
            IFLA_IFNAME => {
                let end = data.iter().position(|&c| c == 0).unwrap_or(data.len());
                info.name = String::from_utf8_lossy(&data[..end]).into_owned();
            }
            IFLA_ADDRESS if data.len() == 6 => info.mac.copy_from_slice(data),
            IFLA_MTU if data.len() == 4 => {
                info.mtu = u32::from_ne_bytes([data[0], data[1], data[2], data[3]]);
            }
            _ => {}
        }
        attrs = &attrs[((len + 3) & !3).min(attrs.len())..];
    }
    (!info.name.is_empty()).then_some(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut a = ((4 + data.len()) as u16).to_ne_bytes().to_vec();
        a.extend_from_slice(&kind.to_ne_bytes());
        a.extend_from_slice(data);
        while a.len() % 4 != 0 {
            a.push(0);
        }
        a
    }

    fn link_msg(kind: u16, index: u32, flags: u32, attrs: &[Vec<u8>]) -> Vec<u8> {
        let mut body = vec![0u8, 0, 1, 0];
        body.extend_from_slice(&index.to_ne_bytes());
        body.extend_from_slice(&flags.to_ne_bytes());
        body.extend_from_slice(&0u32.to_ne_bytes());
        for a in attrs {
            body.extend_from_slice(a);
        }
        let mut m = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
        m.extend_from_slice(&kind.to_ne_bytes());
        m.extend_from_slice(&0u16.to_ne_bytes());
        m.extend_from_slice(&7u32.to_ne_bytes());
        m.extend_from_slice(&0u32.to_ne_bytes());
        m.extend_from_slice(&body);
        m
    }

    #[test]
    fn splits_and_reads_link_messages() {
        let a = link_msg(
            RTM_DELLINK,
            5,
            IFF_UP | IFF_RUNNING,
            &[
                attr(IFLA_IFNAME, b"vt0\0"),
                attr(IFLA_MTU, &1500u32.to_ne_bytes()),
                attr(99, &[1, 2, 3]), // unknown, odd length: padded
                attr(IFLA_ADDRESS, &[2, 0, 0, 0, 0, 9]),
            ],
        );
        let b = link_msg(RTM_NEWLINK, 6, IFF_UP, &[attr(IFLA_IFNAME, b"vt1\0")]);
        let mut dgram = a.clone();
        dgram.extend_from_slice(&b);
        let msgs = split(&dgram);
        assert_eq!(msgs.len(), 2);
        let m0 = msgs[0].clone().unwrap();
        assert_eq!((m0.kind, m0.seq, m0.bytes.len()), (RTM_DELLINK, 7, a.len()));
        assert_eq!(
            link_fallback(&m0),
            Some(LinkInfo {
                index: 5,
                name: "vt0".into(),
                mac: [2, 0, 0, 0, 0, 9],
                up: true,
                mtu: 1500,
            })
        );
        let l1 = link_fallback(&msgs[1].clone().unwrap()).unwrap();
        assert_eq!((l1.index, l1.name.as_str(), l1.up), (6, "vt1", false));
    }

    #[test]
    fn malformed_lengths_stop_without_panicking() {
        let mut m = link_msg(RTM_NEWLINK, 1, 0, &[attr(IFLA_IFNAME, b"x\0")]);
        m[0] = 200; // longer than the datagram
        let msgs = split(&m);
        assert_eq!(msgs.len(), 1);
        assert!(msgs[0].as_ref().unwrap_err().contains("claims 200 bytes"));
        // A bad attribute length ends the attribute walk; no name, no link.
        let mut m = link_msg(RTM_NEWLINK, 1, 0, &[attr(IFLA_IFNAME, b"x\0")]);
        m[32] = 0xff;
        assert_eq!(link_fallback(&split(&m)[0].clone().unwrap()), None);
        // Truncated ifinfomsg.
        let short = RawMsg {
            kind: RTM_NEWLINK,
            seq: 0,
            bytes: &[0; 20],
        };
        assert_eq!(link_fallback(&short), None);
        assert!(split(&[1, 2, 3]).is_empty());
    }
}

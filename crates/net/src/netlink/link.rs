//! Interface queries: name ↔ index, MAC, MTU, up/down.

use std::io;

use netlink_packet_core::NLM_F_REQUEST;
use netlink_packet_route::link::{LinkAttribute, LinkFlags, LinkMessage};
use netlink_packet_route::RouteNetlinkMessage;

use super::{Netlink, Reply};
use crate::error::NetError;

/// What the daemon needs to know about one interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkInfo {
    /// Interface index.
    pub index: u32,
    /// Interface name.
    pub name: String,
    /// Hardware address (all zero for interfaces without a 6-byte one).
    pub mac: [u8; 6],
    /// Administratively up (IFF_UP) and operationally running (IFF_RUNNING):
    /// a link without carrier is down.
    pub up: bool,
    /// MTU in bytes.
    pub mtu: u32,
}

impl LinkInfo {
    /// Reads a link message (RTM_NEWLINK reply or event); `None` without a name.
    pub fn from_message(msg: &LinkMessage) -> Option<LinkInfo> {
        let mut name = None;
        let mut mac = [0u8; 6];
        let mut mtu = 0;
        for attr in &msg.attributes {
            match attr {
                LinkAttribute::IfName(n) => name = Some(n.clone()),
                LinkAttribute::Address(a) if a.len() == 6 => mac.copy_from_slice(a),
                LinkAttribute::Mtu(m) => mtu = *m,
                _ => {}
            }
        }
        let flags = msg.header.flags;
        Some(LinkInfo {
            index: msg.header.index,
            name: name?,
            mac,
            up: flags.contains(LinkFlags::Up) && flags.contains(LinkFlags::Running),
            mtu,
        })
    }
}

impl Netlink {
    /// The index of the interface called `name` (NotFound if none).
    pub fn link_index(&mut self, name: &str) -> io::Result<u32> {
        Ok(self.link_by_name(name)?.index)
    }

    /// Everything about the interface called `name` (NotFound if none).
    pub fn link_by_name(&mut self, name: &str) -> io::Result<LinkInfo> {
        let mut msg = LinkMessage::default();
        msg.attributes.push(LinkAttribute::IfName(name.to_string()));
        self.get_link(msg, &format!("interface {name}"))
    }

    /// Everything about interface `index` (NotFound if none).
    pub fn link_by_index(&mut self, index: u32) -> io::Result<LinkInfo> {
        let mut msg = LinkMessage::default();
        msg.header.index = index;
        self.get_link(msg, &format!("interface index {index}"))
    }

    /// Every interface of the namespace.
    pub fn links(&mut self) -> io::Result<Vec<LinkInfo>> {
        let replies = self.dump(
            RouteNetlinkMessage::GetLink(LinkMessage::default()),
            "RTM_GETLINK dump",
        )?;
        Ok(replies.iter().filter_map(Reply::link).collect())
    }

    fn get_link(&mut self, msg: LinkMessage, what: &str) -> io::Result<LinkInfo> {
        let request = format!("RTM_GETLINK {what}");
        let replies =
            match self.exchange(RouteNetlinkMessage::GetLink(msg), NLM_F_REQUEST, &request) {
                Ok(r) => r,
                Err(e) if super::is_errno(&e, libc::ENODEV) => {
                    return Err(NetError::NotFound {
                        what: what.to_string(),
                    }
                    .into())
                }
                Err(e) => return Err(e),
            };
        replies.iter().find_map(Reply::link).ok_or_else(|| {
            NetError::NotFound {
                what: what.to_string(),
            }
            .into()
        })
    }
}

//! The rtnetlink side of VMACs: list links with their kind and parent,
//! create a private-mode macvlan, set a link up, delete a link.

use std::io;

use netlink_packet_core::{NLM_F_CREATE, NLM_F_EXCL};
use netlink_packet_route::link::{
    InfoData, InfoKind, InfoMacVlan, LinkAttribute, LinkFlags, LinkInfo as NlLinkInfo, LinkMessage,
    MacVlanMode,
};
use netlink_packet_route::RouteNetlinkMessage;

use crate::netlink::{is_errno, Reply};
use crate::Netlink;

/// What a link dump says about one interface, as far as VMACs care.
#[derive(Debug, Clone)]
pub(crate) struct LinkDetail {
    /// Interface index.
    pub index: u32,
    /// Interface name.
    pub name: String,
    /// MAC address.
    pub mac: [u8; 6],
    /// IFLA_INFO_KIND is `macvlan`.
    pub macvlan: bool,
    /// IFLA_LINK: the lower device.
    pub parent: Option<u32>,
}

/// Every interface with what matters for VMACs.
pub(crate) fn link_details(nl: &mut Netlink) -> io::Result<Vec<LinkDetail>> {
    let replies = nl.dump(
        RouteNetlinkMessage::GetLink(LinkMessage::default()),
        "RTM_GETLINK dump",
    )?;
    let mut out = Vec::new();
    for r in &replies {
        match r {
            Reply::Route(RouteNetlinkMessage::NewLink(m)) => {
                let Some(info) = crate::LinkInfo::from_message(m) else {
                    continue;
                };
                let mut macvlan = false;
                let mut parent = None;
                for a in &m.attributes {
                    match a {
                        LinkAttribute::Link(p) => parent = Some(*p),
                        LinkAttribute::LinkInfo(infos) => {
                            macvlan = infos
                                .iter()
                                .any(|i| matches!(i, NlLinkInfo::Kind(InfoKind::MacVlan)));
                        }
                        _ => {}
                    }
                }
                out.push(LinkDetail {
                    index: info.index,
                    name: info.name,
                    mac: info.mac,
                    macvlan,
                    parent,
                });
            }
            // Read by the fallback parser: kind unknown, so never taken for a VMAC.
            Reply::Link(info) => out.push(LinkDetail {
                index: info.index,
                name: info.name.clone(),
                mac: info.mac,
                macvlan: false,
                parent: None,
            }),
            Reply::Route(_) => {}
        }
    }
    Ok(out)
}

/// RTM_NEWLINK for a private-mode macvlan (keepalived's vrrp_vmac.c).
pub(crate) fn create_macvlan(
    nl: &mut Netlink,
    name: &str,
    parent: u32,
    mac: [u8; 6],
) -> io::Result<()> {
    let mut msg = LinkMessage::default();
    msg.attributes.push(LinkAttribute::IfName(name.to_string()));
    msg.attributes.push(LinkAttribute::Link(parent));
    msg.attributes.push(LinkAttribute::Address(mac.to_vec()));
    msg.attributes.push(LinkAttribute::LinkInfo(vec![
        NlLinkInfo::Kind(InfoKind::MacVlan),
        NlLinkInfo::Data(InfoData::MacVlan(vec![InfoMacVlan::Mode(
            MacVlanMode::Private,
        )])),
    ]));
    let what = format!(
        "RTM_NEWLINK macvlan {name} ({}) on ifindex {parent}",
        crate::packet::format_mac(&mac)
    );
    nl.request(
        RouteNetlinkMessage::NewLink(msg),
        NLM_F_CREATE | NLM_F_EXCL,
        &what,
    )?;
    Ok(())
}

/// Sets IFF_UP on `index`.
pub(crate) fn set_up(nl: &mut Netlink, index: u32, name: &str) -> io::Result<()> {
    let mut msg = LinkMessage::default();
    msg.header.index = index;
    msg.header.flags = LinkFlags::Up;
    msg.header.change_mask = LinkFlags::Up;
    nl.request(
        RouteNetlinkMessage::SetLink(msg),
        0,
        &format!("RTM_SETLINK {name} up"),
    )?;
    Ok(())
}

/// RTM_DELLINK; `Ok(false)` if the interface was already gone.
pub(crate) fn delete_link(nl: &mut Netlink, index: u32, name: &str) -> io::Result<bool> {
    let mut msg = LinkMessage::default();
    msg.header.index = index;
    match nl.request(
        RouteNetlinkMessage::DelLink(msg),
        0,
        &format!("RTM_DELLINK {name} (index {index})"),
    ) {
        Ok(_) => Ok(true),
        Err(e) if is_errno(&e, libc::ENODEV) => Ok(false),
        Err(e) => Err(e),
    }
}

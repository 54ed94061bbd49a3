//! Integration tests of vigil-net. Pure message-building tests run anywhere;
//! the rest run in lab network namespaces as root (see `support`).

#[path = "net/accept.rs"]
mod accept;
#[path = "net/announce.rs"]
mod announce;
#[path = "net/messages.rs"]
mod messages;
#[path = "net/monitor.rs"]
mod monitor;
#[path = "net/netlink.rs"]
mod netlink;
#[path = "net/support.rs"]
mod support;
#[path = "net/vmac.rs"]
mod vmac;
#[path = "net/vrrp_socket.rs"]
mod vrrp_socket;

//! vigil-vrrp

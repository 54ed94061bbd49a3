//! Integration tests of vigil-vrrp (one test binary; modules in `vrrp/`).

#[path = "vrrp/common.rs"]
mod common;
#[path = "vrrp/decode_errors.rs"]
mod decode_errors;
#[path = "vrrp/hmac_props.rs"]
mod hmac_props;
#[path = "vrrp/hmac_scenarios.rs"]
mod hmac_scenarios;
#[path = "vrrp/hmac_vectors.rs"]
mod hmac_vectors;
#[path = "vrrp/instance_checks.rs"]
mod instance_checks;
#[path = "vrrp/proptests.rs"]
mod proptests;
#[path = "vrrp/scenarios.rs"]
mod scenarios;
#[path = "vrrp/sync_group.rs"]
mod sync_group;
#[path = "vrrp/vectors.rs"]
mod vectors;

//! Integration tests of vigil-vrrp (one test binary; modules in `vrrp/`).

#[path = "vrrp/common.rs"]
mod common;
#[path = "vrrp/decode_errors.rs"]
mod decode_errors;
#[path = "vrrp/instance_checks.rs"]
mod instance_checks;
#[path = "vrrp/proptests.rs"]
mod proptests;
#[path = "vrrp/scenarios.rs"]
mod scenarios;
#[path = "vrrp/vectors.rs"]
mod vectors;

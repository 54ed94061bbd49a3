//! Tests of `vigil keepalived`'s runtime interfaces (`src/keepalived/status/`) and of
//! `vigil status` (`src/status_cmd.rs`). The vigil package is a binary, so the modules
//! are compiled into this test binary by path; they depend on nothing else in the daemon.

#![allow(dead_code)]

#[path = "../src/keepalived/status/mod.rs"]
pub mod status;
/// Mirrors the binary's module path for `status_cmd.rs`.
mod keepalived {
    pub use super::status;
}
#[path = "../src/status_cmd.rs"]
mod status_cmd;

#[path = "status/api.rs"]
mod api;
#[path = "status/fixtures.rs"]
mod fixtures;
#[path = "status/golden.rs"]
mod golden;
#[path = "status/http.rs"]
mod http;
#[path = "status/render.rs"]
mod render;

//! Integration tests of vigil-track (one test binary; modules in `track/`).

#[path = "track/common.rs"]
mod common;
#[path = "track/file.rs"]
mod file;
#[path = "track/priority.rs"]
mod priority;
#[path = "track/process.rs"]
mod process;
#[path = "track/runner.rs"]
mod runner;
#[path = "track/script.rs"]
mod script;

//! Integration tests of vigil-scheduler: one binary, modules under `tests/scheduler/`.

#[path = "scheduler/conformance.rs"]
mod conformance;
#[path = "scheduler/behaviour.rs"]
mod behaviour;

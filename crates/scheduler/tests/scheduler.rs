//! Integration tests of vigil-scheduler: one binary, modules under `tests/scheduler/`.

#[path = "scheduler/behaviour.rs"]
mod behaviour;
#[path = "scheduler/conformance.rs"]
mod conformance;

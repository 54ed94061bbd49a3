//! vigil-cib integration tests: one binary, modules under `tests/cib/`.

#[path = "cib/corpus.rs"]
mod corpus;
#[path = "cib/errors.rs"]
mod errors;
#[path = "cib/golden.rs"]
mod golden;
#[path = "cib/kitchen.rs"]
mod kitchen;
#[path = "cib/props.rs"]
mod props;
#[path = "cib/rules.rs"]
mod rules;
#[path = "cib/schema.rs"]
mod schema;
#[path = "cib/score.rs"]
mod score;
#[path = "cib/simulate.rs"]
mod simulate;
#[path = "cib/time.rs"]
mod time;
#[path = "cib/writer.rs"]
mod writer;

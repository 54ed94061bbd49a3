//! Integration tests of vigil-kaconf (one test binary; modules below).

#[path = "kaconf/common.rs"]
mod common;
#[path = "kaconf/config.rs"]
mod config;
#[path = "kaconf/corpus.rs"]
mod corpus;
#[path = "kaconf/dump.rs"]
mod dump;
#[path = "kaconf/lexer.rs"]
mod lexer;
#[path = "kaconf/props.rs"]
mod props;
#[path = "kaconf/tracking.rs"]
mod tracking;
#[path = "kaconf/tree.rs"]
mod tree;

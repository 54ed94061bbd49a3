//! vigil-net

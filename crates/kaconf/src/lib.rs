//! vigil-kaconf

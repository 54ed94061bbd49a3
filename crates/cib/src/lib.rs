//! vigil-cib

//! vigil-lab

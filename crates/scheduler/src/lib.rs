//! vigil-scheduler

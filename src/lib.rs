//! Workspace-level package for the Aspect ATS crates.
//!
//! This package is not published. It owns the runnable `examples/` and the
//! cross-crate integration tests in `tests/`; the libraries live in `crates/`.
#![forbid(unsafe_code)]

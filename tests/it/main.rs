//! The one integration test binary: a module per feature.

mod core;
mod hardening;
mod safety;
mod support;

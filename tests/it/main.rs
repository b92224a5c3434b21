//! The one integration test binary: a module per feature.

mod core;
mod hardening;
mod properties;
mod safety;
mod support;

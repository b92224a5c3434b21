//! The one integration test binary: a module per feature.

mod core;
mod hardening;
mod import;
mod properties;
mod safety;
mod seeds_hardening;
mod support;

//! The one integration test binary: a module per feature.

mod core;
mod hardening;
mod import;
mod links;
mod opendata;
mod properties;
mod safety;
mod serve;
mod support;

//! The one integration test binary: a module per feature.

mod core;
mod formats;
mod hardening;
mod import;
mod links;
mod opendata;
mod properties;
mod safety;
mod seeds_hardening;
mod serve;
mod support;
mod theme;

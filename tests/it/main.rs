//! The one integration test binary: a module per feature.

mod core;
mod fetch;
mod formats;
mod hardening;
mod import;
mod init;
mod links;
mod loopback;
mod opendata;
mod paths;
mod properties;
mod review;
mod safety;
mod seeds_hardening;
mod serve;
mod support;
mod theme;

//! The one integration test binary: a module per feature.

mod core;
mod import;
mod links;
mod opendata;
mod support;

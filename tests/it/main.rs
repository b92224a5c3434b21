//! The one integration test binary: a module per feature.

mod core;
mod links;
mod opendata;
mod support;

//! The one integration test binary: a module per feature.

mod core;
mod support;
mod theme;

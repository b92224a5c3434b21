//! The integration tests: one binary, a module per feature.

mod links;
mod opendata;

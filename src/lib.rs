//! praxis: a static site generator for catalogues of municipal good practices.
//!
//! The pipeline: `seeds/ -import-> content/*.md -load-> entries -index-> catalogue
//! -render-> pages -write-> public/`.

pub mod config;
pub mod diag;
pub mod entry;
pub mod import;
pub mod regions;
pub mod slug;

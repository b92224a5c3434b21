//! praxis: a static site generator for catalogues of municipal good practices.
//!
//! The pipeline: `seeds/ -import-> content/*.md -load-> entries -index-> catalogue
//! -render-> pages -write-> public/`.

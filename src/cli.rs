//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// praxis: builds a catalogue of municipal good practices from Markdown entries.
#[derive(Debug, Parser)]
#[command(name = "praxis", version, about)]
pub struct Cli {
    /// The site root: the folder holding site.toml, content/, seeds/ and themes/.
    /// Like every path on the command line, relative to the current folder.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Print only problems.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lay out a new catalogue, ready to build, in DIR (default: --root, the current folder).
    Init {
        /// The folder for the new catalogue; created when missing.
        dir: Option<PathBuf>,
        /// Also fill a folder that has files; existing files are never replaced.
        #[arg(long)]
        force: bool,
    },
    /// Build the site into the output folder (imports new seeds first).
    Build {
        /// Output folder (default: `output` in site.toml, "public", in the site root).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Absolute address the site is served from; overrides site.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Print the time each stage took.
        #[arg(long)]
        timings: bool,
        /// Do not import new seeds before building.
        #[arg(long)]
        no_import: bool,
    },
    /// Check everything a build checks, without writing anything.
    Check {
        /// List the entries with fields still under review.
        #[arg(long)]
        review: bool,
    },
    /// Write a skeleton entry and print its path.
    New {
        /// Title of the new entry.
        title: String,
    },
    /// Turn raw texts in seeds/ into entries in content/.
    Import {
        /// Folder of raw texts (default: seeds/ in the site root).
        #[arg(long)]
        seeds: Option<PathBuf>,
        /// Folder for entries (default: content/ in the site root).
        #[arg(long)]
        content: Option<PathBuf>,
        /// Re-import entries an editor changed, after writing a backup.
        #[arg(long)]
        force: bool,
        /// Fetch these web pages into seeds/ first (each once; see docs/import.md).
        #[arg(long, value_name = "URL", num_args = 1..)]
        url: Vec<String>,
        /// Fetch the new items of this RSS or Atom feed first; may be repeated.
        #[arg(long, value_name = "URL")]
        feed: Vec<String>,
        /// Do not follow the feeds listed in site.toml (`[[import.feed]]`).
        #[arg(long)]
        offline: bool,
    },
    /// Build, serve on 127.0.0.1 and rebuild on every change.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Print the time each stage of every rebuild took.
        #[arg(long)]
        timings: bool,
    },
}

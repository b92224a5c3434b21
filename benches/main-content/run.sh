#!/usr/bin/env bash
# Compares main-content extraction on tests/fixtures/pages (see docs/import.md):
# the html.rs before extraction (taken from git), the current rules, dom_smoothie.
# SHOW=1 prints each text. Needs git history and a crates registry for dom_smoothie.
set -euo pipefail
cd "$(dirname "$0")"
git show 42c311c:src/import/html.rs > src/html_old.rs
cargo run --quiet

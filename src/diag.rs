//! Problems found in the user's files, reported as `path:line:col`, the source line,
//! a caret and a hint on what to change.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the run, warnings are printed and the run goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    /// 1-based file line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, shown under the location.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Places the diagnostic at a byte offset of `text`, the whole file.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, col) = line_col(text, offset);
        self.at(text, line, col)
    }

    /// Places the diagnostic at a 1-based line and column of `text`, the whole file.
    pub fn at(mut self, text: &str, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of a byte offset; offsets past the end or
/// inside a character are clamped.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = display_path(&self.path);
        match (self.line, self.col) {
            (0, _) => write!(f, "{path}: {kind}: {}", self.message)?,
            (l, 0) => write!(f, "{path}:{l}: {kind}: {}", self.message)?,
            (l, c) => write!(f, "{path}:{l}:{c}: {kind}: {}", self.message)?,
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            write!(f, "\n{pad} |\n{gutter} | {src}")?;
            if self.col > 0 {
                let indent: String = src
                    .chars()
                    .take(self.col - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n{pad} | {indent}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// Paths are shown with forward slashes and without a leading `./`; a path in the
/// current folder is shown relative to it, as the editor typed it.
pub fn display_path(path: &Path) -> String {
    let here = std::env::current_dir().ok();
    let path = match here.as_deref().map(|h| path.strip_prefix(h)) {
        Some(Ok(rel)) if rel.as_os_str().is_empty() => Path::new("."),
        Some(Ok(rel)) => rel,
        _ => path,
    };
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Sorts diagnostics by file, line and column so reports are stable.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "a = 1\nöü = x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        // byte 10 is after "öü" (4 bytes) and a space
        assert_eq!(line_col(text, 11), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }

    #[test]
    fn renders_location_source_caret_and_hint() {
        let text = "+++\ntitle = 3\n+++\n";
        let d = Diagnostic::error("content/a.md", "`title` must be text")
            .at(text, 2, 9)
            .hint("write it in quotes");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:9: error: `title` must be text\n  |\n2 | title = 3\n  |         ^\n  = help: write it in quotes"
        );
    }
}

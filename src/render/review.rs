//! Pages only `praxis serve` shows: the review page listing every open review item
//! with its evidence, and entry pages with the fields under review highlighted.
//! A build never renders them (they are no [`Job`]), so the published site and
//! serve's copy of it stay byte for byte the same; serve keeps these apart.

use serde::Serialize;

use super::views::entry_path;
use super::{Job, Output, Renderer, page_file, template_error};
use crate::diag::Diagnostic;
use crate::review::{FieldValue, OpenEntry};

/// Where serve shows the review page: under its own `/__praxis/` prefix, which no
/// page of a site uses.
pub const REVIEW_PATH: &str = "__praxis/review/";
/// The template of the review page.
pub const REVIEW_TEMPLATE: &str = "review.html";

/// An open entry as templates see it.
#[derive(Debug, Serialize)]
struct OpenView<'a> {
    file: &'a str,
    title: &'a str,
    /// The entry page, relative to the site root.
    path: String,
    fields: Vec<FieldView<'a>>,
    /// The fields under review, to mark them in the facts box.
    names: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct FieldView<'a> {
    field: &'a str,
    /// The field's name in the site's language.
    label: String,
    values: &'a [FieldValue],
}

impl Renderer<'_> {
    fn open_view<'o>(&self, e: &'o OpenEntry) -> OpenView<'o> {
        OpenView {
            file: &e.file,
            title: &e.title,
            path: entry_path(&e.slug),
            fields: e
                .fields
                .iter()
                .map(|f| FieldView {
                    field: &f.field,
                    label: self.s(&format!("field_{}", f.field), &f.field),
                    values: &f.values,
                })
                .collect(),
            names: e.fields.iter().map(|f| f.field.as_str()).collect(),
        }
    }

    /// The review page: every entry of `open` with its fields and their evidence.
    pub fn render_review(&self, open: &[OpenEntry]) -> Result<Output, Diagnostic> {
        if !self.theme.files.contains_key(REVIEW_TEMPLATE) {
            return Err(Diagnostic::warning(
                self.theme.dir.join("templates").join(REVIEW_TEMPLATE),
                "the theme has no review page template; the review page is not shown",
            )
            .hint("`praxis init --force` adds the files a newer praxis ships to themes/default without replacing yours"));
        }
        let title = self.s("review_page_title", "Zu prüfen");
        let home = super::views::Link::new(self.s("home", "Start"), "");
        let mut ctx = self.base_context(REVIEW_PATH, "review", &title, vec![home]);
        let items: Vec<OpenView> = open.iter().map(|e| self.open_view(e)).collect();
        ctx.insert("items", &items);
        ctx.insert(
            "open_fields",
            &open.iter().map(|e| e.fields.len()).sum::<usize>(),
        );
        self.render_with(REVIEW_PATH, REVIEW_TEMPLATE, ctx)
    }

    /// Entry `i`'s page with `open` (its fields under review) shown with their
    /// evidence and marked in the facts box.
    pub fn render_entry_in_review(&self, i: usize, open: &OpenEntry) -> Result<Output, Diagnostic> {
        let (path, template, mut ctx) = self.context(&Job::Entry(i));
        ctx.insert("review_open", &self.open_view(open));
        ctx.insert("review_page", REVIEW_PATH);
        self.render_with(&path, template, ctx)
    }

    fn render_with(
        &self,
        path: &str,
        template: &str,
        ctx: tera::Context,
    ) -> Result<Output, Diagnostic> {
        let bytes = self
            .contexts
            .render_bytes(&self.theme.tera, template, ctx, super::PAGE_CAPACITY)
            .map_err(|e| template_error(self.theme, &e, template))?;
        Ok(Output {
            path: page_file(path.to_string()),
            bytes,
        })
    }
}

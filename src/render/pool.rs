//! Reused template contexts.
//!
//! Tera wants an owned [`Context`] per render, and `Context::insert` converts every
//! value through serde. The site-wide values (`site`, `t`) are the same on every page
//! and were converted 14,000 times for a 10,000-entry catalogue. Here they are put into
//! a context once per worker; a page adds its own keys, renders, and takes them out
//! again. Values already prepared as JSON go in by move, without conversion.

use std::sync::Mutex;

use serde::Serialize;
use serde_json::{Map, Value};
use tera::{Context, Tera};

/// Contexts that already hold the site-wide values.
pub(crate) struct ContextPool {
    prototype: Context,
    free: Mutex<Vec<Context>>,
}

impl ContextPool {
    pub(crate) fn new(site: &Value, strings: &impl Serialize) -> Self {
        let mut prototype = Context::new();
        prototype.insert("site", site);
        Self::with_prototype(prototype, strings)
    }

    /// A pool whose contexts start as `prototype` plus the UI strings as `t`.
    pub(crate) fn with_prototype(mut prototype: Context, strings: &impl Serialize) -> Self {
        prototype.insert("t", strings);
        ContextPool {
            prototype,
            free: Mutex::new(Vec::new()),
        }
    }

    /// The site-wide values every context starts with.
    pub(crate) fn prototype(&self) -> &Context {
        &self.prototype
    }

    /// Renders `template` with the page's own values added to the site-wide ones.
    pub(crate) fn render(
        &self,
        tera: &Tera,
        template: &str,
        page: Context,
    ) -> tera::Result<String> {
        let bytes = self.render_bytes(tera, template, page, 0)?;
        // Tera writes only what its templates and values hold: UTF-8 text
        String::from_utf8(bytes).map_err(|e| tera::Error::msg(e.to_string()))
    }

    /// [`ContextPool::render`] into bytes, with room for `capacity` of them from the
    /// start: a page of 15 KB would otherwise be copied a few times as it grows, and
    /// checked once more to be UTF-8.
    pub(crate) fn render_bytes(
        &self,
        tera: &Tera,
        template: &str,
        page: Context,
        capacity: usize,
    ) -> tera::Result<Vec<u8>> {
        let mut ctx = self
            .free
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_else(|| self.prototype.clone());
        let mut out = Vec::with_capacity(capacity);
        let Value::Object(values) = page.into_json() else {
            tera.render_to(template, &ctx, &mut out)?;
            return Ok(out);
        };
        let keys: Vec<String> = values.keys().cloned().collect();
        // from_value only fails for non-objects, and this is an object
        if let Ok(page) = Context::from_value(Value::Object(values)) {
            ctx.extend(page);
        }
        let result = tera.render_to(template, &ctx, &mut out);
        for k in &keys {
            ctx.remove(k);
        }
        // a page may have replaced a site-wide key; then the context is not reused
        if keys.iter().all(|k| k != "site" && k != "t")
            && let Ok(mut free) = self.free.lock()
        {
            free.push(ctx);
        }
        result.map(|()| out)
    }
}

/// Puts a prepared JSON value into a context without converting it again.
pub(crate) fn insert_value(ctx: &mut Context, key: &str, value: Value) {
    let mut map = Map::new();
    map.insert(key.to_string(), value);
    if let Ok(c) = Context::from_value(Value::Object(map)) {
        ctx.extend(c);
    }
}

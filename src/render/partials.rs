//! `partial(name="…", …)`, a template function: renders the template `name` once
//! per distinct set of arguments and hands the same markup to every page that asks
//! for it again. The site header and footer are the same on thousands of pages but
//! cost a third of a page's template time when each page works them out anew.
//!
//! A partial sees `site`, `t` and its own arguments, never the calling page: what it
//! shows of the page must be passed in, and that is also what tells two calls apart.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock, RwLock, Weak};

use serde_json::Value;
use tera::{Context, Tera};

/// The name templates call the function by.
pub const FUNCTION: &str = "partial";

/// The state behind a theme's `partial` function.
#[derive(Default)]
pub struct Partials {
    state: Arc<State>,
}

#[derive(Default)]
struct State {
    /// The theme's templates, to render partials with.
    tera: OnceLock<Tera>,
    /// `site` and `t` of the build under way; None outside page rendering.
    base: RwLock<Option<Arc<Context>>>,
    /// Arguments (as JSON) → rendered markup, for the build under way.
    rendered: Mutex<HashMap<String, Value>>,
    /// Copies of `base` to render in: copying `site` anew on every miss cost more
    /// than a partial of a few links saves.
    free: Mutex<Vec<Context>>,
}

impl Partials {
    /// The function to register on the theme's Tera. It holds its state weakly: the
    /// Tera it renders with holds the function too.
    pub fn function(&self) -> impl tera::Function + use<> {
        PartialFn(Arc::downgrade(&self.state))
    }

    /// The finished templates to render partials with, the function registered.
    pub fn set_templates(&self, tera: Tera) {
        // a theme's templates are set once, right after loading
        let _ = self.state.tera.set(tera);
    }

    /// Starts the pages of a build: partials see `base` (its `site` and `t`), and
    /// nothing rendered for an earlier build is reused. None ends it.
    pub fn begin(&self, base: Option<Context>) {
        if let Ok(mut b) = self.state.base.write() {
            *b = base.map(Arc::new);
        }
        if let Ok(mut r) = self.state.rendered.lock() {
            r.clear();
        }
        if let Ok(mut f) = self.state.free.lock() {
            f.clear();
        }
    }
}

struct PartialFn(Weak<State>);

impl tera::Function for PartialFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(Value::String(name)) = args.get("name") else {
            return Err(tera::Error::msg(
                "partial() needs the template's name: partial(name=\"header.html\", …)",
            ));
        };
        let state = self
            .0
            .upgrade()
            .ok_or_else(|| tera::Error::msg("partial(): the theme is no longer loaded"))?;
        // sorted, so the same arguments always give the same key
        let sorted: BTreeMap<&String, &Value> = args.iter().collect();
        let key = serde_json::to_string(&sorted).map_err(tera::Error::json)?;
        if let Some(done) = state
            .rendered
            .lock()
            .ok()
            .and_then(|r| r.get(&key).cloned())
        {
            return Ok(done);
        }
        let base = state
            .base
            .read()
            .ok()
            .and_then(|b| b.clone())
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "partial(name=\"{name}\") works in page templates only, not in card.html"
                ))
            })?;
        let tera = state
            .tera
            .get()
            .ok_or_else(|| tera::Error::msg("partial(): the theme is still loading"))?;
        let mut ctx = state
            .free
            .lock()
            .ok()
            .and_then(|mut f| f.pop())
            .unwrap_or_else(|| (*base).clone());
        let own: Vec<&String> = args.keys().filter(|k| *k != "name").collect();
        for k in &own {
            ctx.insert(k.as_str(), &args[*k]);
        }
        // rendered without holding a lock: a partial may call partials itself
        let result = tera.render(name, &ctx);
        for k in &own {
            ctx.remove(k);
        }
        // an argument may have replaced `site` or `t`; such a copy is not reused
        if own.iter().all(|k| *k != "site" && *k != "t")
            && let Ok(mut f) = state.free.lock()
        {
            f.push(ctx);
        }
        let markup = Value::String(result?);
        if let Ok(mut r) = state.rendered.lock() {
            r.insert(key, markup.clone());
        }
        Ok(markup)
    }

    fn is_safe(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)]) -> (Tera, Partials) {
        let partials = Partials::default();
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.register_function(FUNCTION, partials.function());
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        partials.set_templates(tera.clone());
        (tera, partials)
    }

    fn base(title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("site", &serde_json::json!({ "title": title }));
        ctx.insert("t", &serde_json::json!({ "home": "Start" }));
        ctx
    }

    #[test]
    fn a_partial_sees_site_t_and_its_arguments_and_is_not_escaped_again() {
        let (tera, partials) = theme(&[
            (
                "head.html",
                "<b>{{ site.title }}</b> {{ t.home }} {{ kind }}{% if page %}!{% endif %}",
            ),
            (
                "page.html",
                "{{ partial(name=\"head.html\", kind=page.kind) }}",
            ),
        ]);
        partials.begin(Some(base("A & B")));
        let mut ctx = base("A & B");
        ctx.insert("page", &serde_json::json!({ "kind": "entry" }));
        let html = tera.render("page.html", &ctx).unwrap();
        assert_eq!(html, "<b>A &amp; B</b> Start entry");
    }

    #[test]
    fn calls_with_other_arguments_or_in_another_build_render_again() {
        let (tera, partials) = theme(&[
            ("n.html", "{{ site.title }}:{{ n }}"),
            ("page.html", "{{ partial(name=\"n.html\", n=n) }}"),
        ]);
        let page = |n: u32| {
            let mut ctx = base("ignored");
            ctx.insert("n", &n);
            tera.render("page.html", &ctx).unwrap()
        };
        partials.begin(Some(base("one")));
        assert_eq!(page(1), "one:1");
        assert_eq!(page(2), "one:2");
        assert_eq!(page(1), "one:1");
        partials.begin(Some(base("two")));
        assert_eq!(page(1), "two:1");
    }

    #[test]
    fn a_partial_sees_only_the_arguments_of_its_own_call() {
        let (tera, partials) = theme(&[
            ("a.html", "{% if n %}n{% endif %}{% if m %}m{% endif %}"),
            ("n.html", "{{ partial(name=\"a.html\", n=1) }}"),
            ("m.html", "{{ partial(name=\"a.html\", m=1) }}"),
        ]);
        partials.begin(Some(base("x")));
        assert_eq!(tera.render("n.html", &Context::new()).unwrap(), "n");
        assert_eq!(tera.render("m.html", &Context::new()).unwrap(), "m");
    }

    #[test]
    fn outside_a_build_or_without_a_name_the_error_says_what_to_do() {
        let (tera, partials) = theme(&[
            ("n.html", "x"),
            ("page.html", "{{ partial(name=\"n.html\") }}"),
            ("nameless.html", "{{ partial(file=\"n.html\") }}"),
        ]);
        let chain = |e: tera::Error| {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                text += &format!(": {s}");
                source = s.source();
            }
            text
        };
        partials.begin(None);
        let err = chain(tera.render("page.html", &Context::new()).unwrap_err());
        assert!(err.contains("page templates only"), "{err}");
        partials.begin(Some(base("x")));
        let err = chain(tera.render("nameless.html", &Context::new()).unwrap_err());
        assert!(err.contains("needs the template's name"), "{err}");
    }
}

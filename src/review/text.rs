//! The review items as `praxis check --review` prints them: per entry its file and
//! open fields, per value the evidence as `seed:line` with the phrase, the rule and
//! the other candidates. Plain text, one fact a line, stable for the same input.

use std::fmt::Write as _;

use super::{FieldValue, OpenEntry};

/// The listing of `open`, ending with the count.
pub fn listing(open: &[OpenEntry]) -> String {
    let mut out = String::new();
    for e in open {
        let names: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        let _ = writeln!(out, "{}: review {}", e.file, names.join(", "));
        for f in &e.fields {
            if f.values.is_empty() {
                let _ = writeln!(out, "  {}: (no value)", f.field);
            }
            for v in &f.values {
                value(&mut out, &f.field, v);
            }
        }
    }
    let _ = writeln!(
        out,
        "{} {} with fields to review",
        open.len(),
        if open.len() == 1 { "entry" } else { "entries" }
    );
    out
}

fn value(out: &mut String, field: &str, v: &FieldValue) {
    let _ = writeln!(out, "  {field} = {}", v.value);
    let Some(ev) = &v.evidence else {
        let _ = writeln!(
            out,
            "    no evidence: set or changed by hand, or imported before evidence was kept"
        );
        return;
    };
    let place = if ev.line > 0 {
        format!("{}:{}", ev.seed, ev.line)
    } else {
        ev.seed.clone()
    };
    if ev.phrase.is_empty() {
        let _ = writeln!(out, "    {place}");
    } else {
        let _ = writeln!(out, "    {place}: \"{}\"", ev.phrase);
    }
    let _ = writeln!(out, "    rule: {}", ev.rule);
    if !ev.alternatives.is_empty() {
        let _ = writeln!(out, "    also seen: {}", ev.alternatives.join(", "));
    }
}

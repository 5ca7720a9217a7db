//! The compiled templates of a recipients file: each group's subject and
//! body (plain-text tera templates, never escaped: the text/plain part is
//! not markup) and the mail's HTML part, `message.html` (embedded here,
//! autoescaped, so nothing from the file or the reports can become markup).
//!
//! They are compiled once, in one tera engine, while
//! [`Recipients::parse`](super::recipients::Recipients::parse) reads the
//! file: a template that does not compile is a fault of the file, so it
//! stops the run before anything is written, naming the group and the
//! template. After that the mail step only renders.

use anyhow::anyhow;
use tera::{Context, Tera, TeraResult};

const MESSAGE_HTML: &str = include_str!("message.html");

/// The HTML part's name in the engine (`.html`: tera autoescapes it).
const HTML: &str = "message.html";

/// `.txt`: tera does not escape these.
fn subject_name(group: &str) -> String {
    format!("group/{group}/subject.txt")
}

fn body_name(group: &str) -> String {
    format!("group/{group}/body.txt")
}

/// The subject and body templates of every group, and the HTML part.
#[derive(Debug, Clone)]
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Compiles the HTML part and each group's `(name, subject, body)`.
    /// Fails on the first template that does not compile, naming its group
    /// and whether it is the subject or the body.
    pub fn compile<'a>(groups: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> anyhow::Result<Templates> {
        let mut tera = Tera::new();
        tera.add_raw_template(HTML, MESSAGE_HTML).map_err(|e| anyhow!("message.html: {e:#}"))?;
        for (group, subject, body) in groups {
            tera.add_raw_template(&subject_name(group), subject)
                .map_err(|e| anyhow!("group「{group}」の subject テンプレート: {e:#}"))?;
            tera.add_raw_template(&body_name(group), body)
                .map_err(|e| anyhow!("group「{group}」の body テンプレート: {e:#}"))?;
        }
        Ok(Templates { tera })
    }

    /// The group's subject, as the template gives it (not yet trimmed).
    pub fn subject(&self, group: &str, ctx: &Context) -> TeraResult<String> {
        self.tera.render(&subject_name(group), ctx)
    }

    /// The group's body, as the template gives it.
    pub fn body(&self, group: &str, ctx: &Context) -> TeraResult<String> {
        self.tera.render(&body_name(group), ctx)
    }

    /// The HTML part (`message.html`), escaped.
    pub fn html(&self, ctx: &Context) -> TeraResult<String> {
        self.tera.render(HTML, ctx)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn each_group_renders_its_own_text_unescaped_and_the_html_part_escaped() {
        let t =
            Templates::compile([("ministry", "件名 {{ x }}", "本文 {{ x }}"), ("center", "C {{ x }}", "c")]).unwrap();
        let mut ctx = Context::new();
        ctx.insert("x", "<&>");
        assert_eq!(t.subject("ministry", &ctx).unwrap(), "件名 <&>");
        assert_eq!(t.body("ministry", &ctx).unwrap(), "本文 <&>");
        assert_eq!(t.subject("center", &ctx).unwrap(), "C <&>");
        assert!(t.subject("prefecture", &ctx).is_err(), "no such group");

        let mut ctx = Context::new();
        ctx.insert("subject", "<b>件名</b>");
        ctx.insert("blocks", &Vec::<String>::new());
        let html = t.html(&ctx).unwrap();
        assert!(
            html.contains("<title>&lt;b&gt;件名&lt;&#x2F;b&gt;</title>") || html.contains("<title>&lt;b&gt;"),
            "{html}"
        );
    }

    #[test]
    fn a_template_that_does_not_compile_names_its_group_and_part() {
        let err = Templates::compile([("ministry", "s", "b"), ("center", "s", "{% if %}")]).unwrap_err();
        assert!(err.to_string().starts_with("group「center」の body テンプレート"), "{err:#}");
        let err = Templates::compile([("ministry", "{{ corner | no_such_filter }}", "b")]).unwrap_err();
        assert!(err.to_string().starts_with("group「ministry」の subject テンプレート"), "{err:#}");
    }
}

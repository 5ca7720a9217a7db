//! The recipients file (TOML): the sender, the organisations mail may go to
//! (the domain allow-list), the headline KPIs of the mail summary, and one
//! `[[group]]` per mail with its To/CC/BCC, attachments and subject/body
//! templates. `corner-kpi recipients` prints the commented example
//! (`examples/recipients.toml`, embedded here).
//!
//! [`Recipients::parse`] is pure and checks the file's shape: unknown keys,
//! missing fields, the sender, the organisations, duplicate group names and
//! template syntax stop everything (exit 2 before the run writes anything).
//! The file is parsed once per run and its templates are compiled then
//! ([`Templates`]); the mail step only reads the resulting [`Recipients`].
//! What can be wrong with one group's recipients or attachments is left to
//! [`super::checks`], which refuses that group alone and names the line.

use super::address::{Mailbox, check_domain, domain_matches, parse_mailbox};
use super::templates::Templates;
use anyhow::{Context, anyhow, bail};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The commented example printed by `corner-kpi recipients`.
pub const EXAMPLE_RECIPIENTS_TOML: &str = include_str!("../../examples/recipients.toml");

/// The headline KPIs when the file names none.
pub const DEFAULT_HEADLINE: &[&str] =
    &["dispatch.sessions", "dispatch.person_days", "outreach.school.sessions", "coordinator.visits"];

/// Who a group's mail is for, which decides the reports it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 厚生労働省: ministry.xlsx, ministry.html.
    Ministry,
    /// 中央技能振興センター: center.xlsx, center.html, kpis.json.
    Center,
    /// The corner's own organisation: any report, data-quality.xlsx included.
    Internal,
}

impl Audience {
    pub fn key(self) -> &'static str {
        match self {
            Audience::Ministry => "ministry",
            Audience::Center => "center",
            Audience::Internal => "internal",
        }
    }
}

/// An organisation mail may be sent to, with its domains.
#[derive(Debug, Clone)]
pub struct Organisation {
    pub name: String,
    /// `example.jp` (that domain only) or `*.example.jp` (its subdomains).
    pub domains: Vec<String>,
    /// The corner's own organisation.
    pub internal: bool,
}

/// A value of the file with the line it is on (for messages).
#[derive(Debug, Clone)]
pub struct AtLine<T> {
    pub value: T,
    pub line: usize,
}

/// One report file to attach, and the name to show it under (without date
/// and extension, which are always added).
#[derive(Debug, Clone)]
pub struct AttachmentSpec {
    pub file: String,
    pub name: Option<String>,
    pub line: usize,
}

/// One mail.
#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    pub label: Option<String>,
    pub audience: Audience,
    pub to: Vec<AtLine<String>>,
    pub cc: Vec<AtLine<String>>,
    pub bcc: Vec<AtLine<String>>,
    pub attachments: Vec<AttachmentSpec>,
    /// Lets several outside organisations see each other in To/CC (shown in the checklist).
    pub allow_outside_in_to_cc: bool,
    pub line: usize,
}

/// `[smtp]`: where `--send` delivers (never credentials).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpFile {
    pub host: String,
    pub port: Option<u16>,
}

/// A parsed, shape-checked recipients file with its templates compiled.
/// Only [`Recipients::parse`] makes one.
#[derive(Debug, Clone)]
pub struct Recipients {
    /// The file's name, for messages.
    pub source: String,
    pub sender: Mailbox,
    pub smtp: Option<SmtpFile>,
    pub organisations: Vec<Organisation>,
    pub headline: Vec<String>,
    pub groups: Vec<Group>,
    /// Every group's subject and body, compiled.
    templates: Templates,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    sender: RawSender,
    smtp: Option<SmtpFile>,
    #[serde(default)]
    organisation: Vec<RawOrganisation>,
    headline: Option<Vec<String>>,
    #[serde(default)]
    group: Vec<Spanned<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSender {
    name: Option<String>,
    address: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganisation {
    name: Spanned<String>,
    domains: Vec<Spanned<String>>,
    #[serde(default)]
    internal: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    name: Spanned<String>,
    label: Option<String>,
    audience: Option<Audience>,
    #[serde(default)]
    to: Vec<Spanned<String>>,
    #[serde(default)]
    cc: Vec<Spanned<String>>,
    #[serde(default)]
    bcc: Vec<Spanned<String>>,
    #[serde(default)]
    attachments: Vec<Spanned<RawAttachment>>,
    subject: String,
    body: String,
    #[serde(default)]
    allow_outside_in_to_cc: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAttachment {
    File(String),
    Named(NamedAttachment),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamedAttachment {
    file: String,
    name: Option<String>,
}

/// `line N: ` for a byte offset.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Recipients {
    /// The embedded example.
    pub fn example() -> anyhow::Result<Recipients> {
        Recipients::parse(EXAMPLE_RECIPIENTS_TOML, "examples/recipients.toml")
    }

    /// Reads and parses a recipients file (UTF-8, a BOM is allowed).
    pub fn from_file(path: &Path) -> anyhow::Result<Recipients> {
        let text = std::fs::read_to_string(path).with_context(|| {
            format!("送付先ファイル {} を読めません (cannot read the recipients file)", path.display())
        })?;
        Recipients::parse(&text, &path.display().to_string())
    }

    /// Parses and shape-checks recipients text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> anyhow::Result<Recipients> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let fail = |line: usize, msg: String| anyhow!("送付先ファイル {source}: line {line}: {msg}");
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| line_at(text, s.start));
            fail(line, e.message().trim().to_string())
        })?;

        let mut organisations: Vec<Organisation> = Vec::new();
        for o in raw.organisation {
            let line = line_at(text, o.name.span().start);
            let name = o.name.into_inner().trim().to_string();
            if name.is_empty() {
                bail!(fail(line, "[[organisation]] の name が空です".into()));
            }
            if organisations.iter().any(|x| x.name == name) {
                bail!(fail(line, format!("organisation「{name}」が2回あります")));
            }
            if o.domains.is_empty() {
                bail!(fail(line, format!("organisation「{name}」に domains がありません")));
            }
            let mut domains = Vec::new();
            for d in o.domains {
                let dl = line_at(text, d.span().start);
                let d = d.into_inner().trim().to_ascii_lowercase();
                check_domain(d.strip_prefix("*.").unwrap_or(&d)).map_err(|e| fail(dl, e))?;
                if let Some(other) = organisations.iter().find(|x| x.domains.contains(&d)) {
                    bail!(fail(dl, format!("ドメイン {d} は organisation「{}」にもあります", other.name)));
                }
                if domains.contains(&d) {
                    bail!(fail(dl, format!("ドメイン {d} が2回あります")));
                }
                domains.push(d);
            }
            organisations.push(Organisation { name, domains, internal: o.internal });
        }
        if organisations.is_empty() {
            bail!(fail(1, "[[organisation]] がありません: 送ってよい組織とそのドメインを書いてください".into()));
        }

        let sender_line = line_at(text, raw.sender.address.span().start);
        let mut sender = parse_mailbox(raw.sender.address.get_ref()).map_err(|e| fail(sender_line, e))?;
        if sender.name.is_none() {
            sender.name = raw.sender.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
        }
        match organisation_of(&organisations, sender.domain()) {
            Some(o) if o.internal => {}
            _ => bail!(fail(
                sender_line,
                format!("送信元 {} のドメインが internal = true の organisation にありません", sender.address)
            )),
        }

        let headline: Vec<String> = match raw.headline {
            Some(h) => h.into_iter().map(|s| s.trim().to_string()).collect(),
            None => DEFAULT_HEADLINE.iter().map(|s| s.to_string()).collect(),
        };

        let mut groups: Vec<Group> = Vec::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        for g in raw.group {
            let line = line_at(text, g.span().start);
            let g = g.into_inner();
            let name_line = line_at(text, g.name.span().start);
            let name = g.name.into_inner().trim().to_string();
            check_group_name(&name).map_err(|e| fail(name_line, e))?;
            if groups.iter().any(|x| x.name == name) {
                bail!(fail(name_line, format!("group「{name}」が2回あります")));
            }
            let audience = match (g.audience, name.as_str()) {
                (Some(a), _) => a,
                (None, "ministry") => Audience::Ministry,
                (None, "center") => Audience::Center,
                (None, _) => bail!(fail(
                    name_line,
                    format!("group「{name}」: audience = \"ministry\" | \"center\" | \"internal\" を書いてください")
                )),
            };
            if g.subject.trim().is_empty() || g.body.trim().is_empty() {
                bail!(fail(line, format!("group「{name}」: subject と body を書いてください")));
            }
            let at = |list: Vec<Spanned<String>>| -> Vec<AtLine<String>> {
                list.into_iter()
                    .map(|s| AtLine { line: line_at(text, s.span().start), value: s.into_inner() })
                    .collect()
            };
            let attachments = g
                .attachments
                .into_iter()
                .map(|a| {
                    let line = line_at(text, a.span().start);
                    match a.into_inner() {
                        RawAttachment::File(file) => AttachmentSpec { file, name: None, line },
                        RawAttachment::Named(n) => AttachmentSpec { file: n.file, name: n.name, line },
                    }
                })
                .collect();
            groups.push(Group {
                name,
                label: g.label.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
                audience,
                to: at(g.to),
                cc: at(g.cc),
                bcc: at(g.bcc),
                attachments,
                allow_outside_in_to_cc: g.allow_outside_in_to_cc,
                line,
            });
            sources.push((g.subject, g.body));
        }
        if groups.is_empty() {
            bail!(fail(1, "[[group]] がありません".into()));
        }
        // Template syntax is part of the file's shape: compiled here, once.
        let templates = Templates::compile(
            groups.iter().zip(&sources).map(|(g, (subject, body))| (g.name.as_str(), subject.as_str(), body.as_str())),
        )
        .map_err(|e| anyhow!("送付先ファイル {source}: {e:#}"))?;
        Ok(Recipients {
            source: source.to_string(),
            sender,
            smtp: raw.smtp,
            organisations,
            headline,
            groups,
            templates,
        })
    }

    /// The groups' subject and body templates, compiled when the file was parsed.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The organisation a domain belongs to, if it is on the allow-list.
    pub fn organisation_of(&self, domain: &str) -> Option<&Organisation> {
        organisation_of(&self.organisations, domain)
    }
}

fn organisation_of<'a>(orgs: &'a [Organisation], domain: &str) -> Option<&'a Organisation> {
    orgs.iter().find(|o| o.domains.iter().any(|d| domain_matches(domain, d)))
}

/// A group name becomes part of a file name (`<name>_<date>.eml`) on Windows too.
fn check_group_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("[[group]] の name が空です".into());
    }
    if name.starts_with('.') || name.chars().count() > 40 {
        return Err(format!("group 名「{name}」は . で始まるか長すぎます（40文字まで）"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || "\\/:*?\"<>| ".contains(*c)) {
        return Err(format!("group 名「{name}」に使えない文字「{c}」があります（ファイル名になります）"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_with_two_groups() {
        let r = Recipients::example().unwrap();
        let names: Vec<&str> = r.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["ministry", "center"]);
        assert_eq!(r.groups[0].audience, Audience::Ministry);
        assert!(r.organisations.iter().any(|o| o.internal));
        assert!(r.organisation_of(r.sender.domain()).unwrap().internal);
        assert!(r.smtp.is_some());
    }

    fn minimal(extra: &str) -> String {
        format!(
            "[sender]\naddress = \"me@corner.example.jp\"\n\n[[organisation]]\nname = \"us\"\ndomains = [\"corner.example.jp\"]\ninternal = true\n\n{extra}"
        )
    }

    const GROUP: &str = "[[group]]\nname = \"ministry\"\nto = [\"a@corner.example.jp\"]\nattachments = [\"ministry.xlsx\"]\nsubject = \"s\"\nbody = \"b\"\n";

    #[test]
    fn shape_errors_name_the_line() {
        let err = Recipients::parse(&minimal(&format!("{GROUP}colour = \"red\"\n")), "r.toml").unwrap_err();
        assert!(err.to_string().contains("line ") && err.to_string().contains("colour"), "{err}");

        let bad_sender = minimal(GROUP).replace("me@corner.example.jp", "me＠corner.example.jp");
        let err = Recipients::parse(&bad_sender, "r.toml").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("全角"), "{err}");

        let outside_sender = minimal(GROUP).replace("me@corner.example.jp", "me@gmail.example.com");
        let err = Recipients::parse(&outside_sender, "r.toml").unwrap_err().to_string();
        assert!(err.contains("internal"), "{err}");

        let twice = minimal(&format!("{GROUP}\n{GROUP}"));
        assert!(Recipients::parse(&twice, "r.toml").unwrap_err().to_string().contains("2回"));

        let no_audience = minimal(&GROUP.replace("\"ministry\"", "\"prefecture\""));
        assert!(Recipients::parse(&no_audience, "r.toml").unwrap_err().to_string().contains("audience"));

        let bad_name = minimal(&GROUP.replace("\"ministry\"", "\"a/b\""));
        assert!(Recipients::parse(&bad_name, "r.toml").unwrap_err().to_string().contains("使えない文字"));

        let bad_template = minimal(&GROUP.replace("subject = \"s\"", "subject = \"{{ corner \""));
        let err = Recipients::parse(&bad_template, "r.toml").unwrap_err();
        assert!(format!("{err:#}").contains("ministry"), "{err:#}");

        assert!(Recipients::parse(&minimal(""), "r.toml").unwrap_err().to_string().contains("[[group]]"));
    }

    #[test]
    fn templates_are_compiled_by_parse_and_a_bad_one_fails_there_naming_its_group() {
        let center = |body: &str| {
            GROUP.replace("\"ministry\"", "\"center\"").replace("\"s\"", "\"{{ corner }} 宛\"").replace("\"b\"", body)
        };
        // Compiled once: the parsed value renders, nothing compiles later.
        let r = Recipients::parse(&minimal(&format!("{GROUP}\n{}", center("\"b\""))), "r.toml").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("corner", "コーナー");
        assert_eq!(r.templates().subject("ministry", &ctx).unwrap(), "s");
        assert_eq!(r.templates().subject("center", &ctx).unwrap(), "コーナー 宛");
        assert_eq!(r.templates().body("center", &ctx).unwrap(), "b");

        // The second group's body does not compile (an unknown filter): the
        // whole file fails at parse, naming the file, the group and the part.
        let bad = minimal(&format!("{GROUP}\n{}", center("\"{{ corner | no_such_filter }}\"")));
        let err = format!("{:#}", Recipients::parse(&bad, "r.toml").unwrap_err());
        assert!(err.starts_with("送付先ファイル r.toml: group「center」の body テンプレート"), "{err}");
        assert!(err.contains("no_such_filter"), "{err}");
    }

    #[test]
    fn a_bom_from_windows_notepad_is_accepted() {
        let r = Recipients::parse(&format!("\u{feff}{}", minimal(GROUP)), "r.toml").unwrap();
        assert_eq!(r.groups[0].to[0].line, 11);
        assert_eq!(r.headline, DEFAULT_HEADLINE);
    }
}

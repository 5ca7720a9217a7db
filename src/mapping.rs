//! The header mapping: which column headers name each field of each record
//! type, and the aliases of each category value.
//!
//! The embedded default is `defaults/mapping.toml` (printable with
//! `corner-kpi mapping`). A user file has the same shape; a record type,
//! field or category value it leaves out keeps the default, so a one-line
//! file adding an alias works. Keys are checked against the schema table, so
//! a typo is an error, not a silently ignored line.

use crate::schema::{DatasetId, FieldKind};
use crate::text::{normalise_header, normalise_label};
use anyhow::Context;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// How category labels are compared: NFKC, no spaces, ASCII case ignored
/// (`web`, `Web` and `WEB` are one label).
fn label_key(label: &str) -> String {
    normalise_label(label).to_lowercase()
}

/// The embedded default mapping text.
pub const DEFAULT_MAPPING_TOML: &str = include_str!("defaults/mapping.toml");

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DatasetEntry {
    #[serde(default)]
    fields: BTreeMap<String, Vec<String>>,
    /// Field key → canonical value (with its place in the file) → aliases.
    #[serde(default)]
    categories: BTreeMap<String, BTreeMap<toml::Spanned<String>, toml::Value>>,
}

/// Header names and category aliases for one record type.
#[derive(Debug, Clone)]
pub struct DatasetMapping {
    pub id: DatasetId,
    /// Field key → header names, canonical first.
    pub headers: BTreeMap<&'static str, Vec<String>>,
    /// Field key → canonical values in the schema's order, each with its aliases.
    pub categories: BTreeMap<&'static str, Vec<(String, Vec<String>)>>,
    /// Field key → (normalised label → canonical value).
    lookup: BTreeMap<&'static str, BTreeMap<String, String>>,
    /// Normalised header → field key.
    header_lookup: BTreeMap<String, &'static str>,
    /// Field key → the first header a user's mapping file lists for it (the
    /// corner's own word for the column), for the fields the file names.
    preferred: BTreeMap<&'static str, String>,
}

impl DatasetMapping {
    /// The canonical header of a field (shown in reports).
    pub fn header<'a>(&'a self, field: &'a str) -> &'a str {
        self.headers.get(field).and_then(|h| h.first()).map_or(field, String::as_str)
    }

    /// The header a blank input workbook (`corner-kpi template`) writes for a
    /// field: the first name a user's mapping file lists for it, else the
    /// canonical header. Either way a header the reader recognises.
    pub fn template_header<'a>(&'a self, field: &'a str) -> &'a str {
        self.preferred.get(field).map_or_else(|| self.header(field), String::as_str)
    }

    /// The field a header cell names, if any (after normalisation).
    ///
    /// A header that names no field as written is tried once more without a
    /// trailing unit (`受講者数 人` → `受講者数`), since units are often typed
    /// into headers without brackets.
    pub fn field_for_header(&self, normalised_header: &str) -> Option<&'static str> {
        const UNITS: [&str; 14] =
            ["人日", "人", "名", "回", "件", "円", "時間", "日", "校", "社", "か所", "箇所", "ヶ所", "ケ所"];
        if let Some(f) = self.header_lookup.get(normalised_header) {
            return Some(f);
        }
        UNITS.iter().find_map(|u| {
            normalised_header
                .strip_suffix(u)
                .filter(|rest| !rest.is_empty())
                .and_then(|rest| self.header_lookup.get(rest).copied())
        })
    }

    /// The canonical value of a category label, if the label is known.
    pub fn canonical(&self, field: &str, label: &str) -> Option<&str> {
        self.lookup.get(field)?.get(&label_key(label)).map(String::as_str)
    }

    /// The canonical values of a category field, in the schema's order.
    pub fn values(&self, field: &str) -> Vec<&str> {
        self.categories.get(field).map(|v| v.iter().map(|(c, _)| c.as_str()).collect()).unwrap_or_default()
    }
}

/// The mapping of all record types.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub datasets: Vec<DatasetMapping>,
}

impl Mapping {
    /// The embedded default mapping (parsed once per process: a roll-up
    /// asks for it once per corner).
    pub fn embedded() -> Mapping {
        static EMBEDDED: std::sync::OnceLock<Mapping> = std::sync::OnceLock::new();
        EMBEDDED
            .get_or_init(|| Mapping::parse(DEFAULT_MAPPING_TOML, "(embedded)").expect("the embedded mapping is valid"))
            .clone()
    }

    pub fn from_file(path: &Path) -> anyhow::Result<Mapping> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read mapping file {}", path.display()))?;
        Mapping::parse(&text, &path.display().to_string())
    }

    /// Parses a mapping over the embedded default: what `text` names
    /// replaces the default's entry, the rest is kept.
    pub fn parse(text: &str, source_name: &str) -> anyhow::Result<Mapping> {
        let user: BTreeMap<String, DatasetEntry> = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_at(text, s.start)).unwrap_or_default();
            anyhow::anyhow!("mapping {source_name}: {line}{}", e.message())
        })?;
        let mut defaults: BTreeMap<String, DatasetEntry> = if text == DEFAULT_MAPPING_TOML {
            BTreeMap::new()
        } else {
            toml::from_str(DEFAULT_MAPPING_TOML).expect("the embedded mapping parses")
        };
        for key in user.keys() {
            if DatasetId::from_key(key).is_none() {
                anyhow::bail!(
                    "mapping {source_name}: unknown record type [{key}] (known: {})",
                    DatasetId::ALL.map(DatasetId::key).join(", ")
                );
            }
        }
        let mut user = user;
        let mut datasets = Vec::new();
        for id in DatasetId::ALL {
            let schema = id.schema();
            let mut entry = defaults.remove(id.key()).unwrap_or_default();
            let mut preferred = BTreeMap::new();
            if let Some(u) = user.remove(id.key()) {
                // A user's header names are added to the defaults (a one-line
                // file adding one alias keeps every other name).
                for (k, v) in u.fields {
                    if let (Some(spec), Some(first)) = (schema.field(&k), v.first()) {
                        preferred.insert(spec.key, first.clone());
                    }
                    let names = entry.fields.entry(k).or_default();
                    for n in v {
                        if !names.contains(&n) {
                            names.push(n);
                        }
                    }
                }
                for (k, values) in u.categories {
                    // The canonical values are fixed (the KPIs count by them):
                    // a user file may give a value new aliases, never add one.
                    if let Some(spec) = schema.field(&k).filter(|f| f.kind == FieldKind::Category) {
                        for canon in values.keys() {
                            if !spec.values.contains(&canon.get_ref().as_str()) {
                                anyhow::bail!(
                                    "mapping {source_name}: {}[{}.categories.{k}] \"{}\" is not a value of {}.{k}: \
                                     the values are fixed ({}), because the figures count by them. \
                                     To read \"{}\" as one of them, list it as an alias: {} = [\"{}\"]",
                                    line_at(text, canon.span().start),
                                    id.key(),
                                    canon.get_ref(),
                                    id.key(),
                                    spec.values.join(", "),
                                    canon.get_ref(),
                                    spec.values[0],
                                    canon.get_ref(),
                                );
                            }
                        }
                    }
                    // Likewise a value's aliases are added to its defaults.
                    let slot = entry.categories.entry(k).or_default();
                    for (canon, aliases) in values {
                        match (slot.get_mut(&canon), aliases) {
                            (Some(toml::Value::Array(have)), toml::Value::Array(more)) => {
                                for a in more {
                                    if !have.contains(&a) {
                                        have.push(a);
                                    }
                                }
                            }
                            (_, aliases) => {
                                slot.insert(canon, aliases);
                            }
                        }
                    }
                }
            }
            let mut headers = BTreeMap::new();
            let mut header_lookup = BTreeMap::new();
            for (key, names) in entry.fields {
                let spec = schema.field(&key).with_context(|| {
                    format!(
                        "mapping {source_name}: [{}.fields] has no field \"{key}\" (fields: {})",
                        id.key(),
                        schema.fields.iter().map(|f| f.key).collect::<Vec<_>>().join(", ")
                    )
                })?;
                if names.is_empty() {
                    anyhow::bail!("mapping {source_name}: {}.fields.{key} lists no header", id.key());
                }
                for n in &names {
                    let norm = normalise_header(n);
                    if let Some(other) = header_lookup.insert(norm.clone(), spec.key)
                        && other != spec.key
                    {
                        anyhow::bail!(
                            "mapping {source_name}: header \"{n}\" names both {}.{other} and {}.{key}",
                            id.key(),
                            id.key()
                        );
                    }
                }
                headers.insert(spec.key, names);
            }
            for f in schema.fields {
                if !headers.contains_key(f.key) {
                    anyhow::bail!("mapping {source_name}: {}.fields.{} is missing", id.key(), f.key);
                }
            }
            let mut categories = BTreeMap::new();
            let mut lookup = BTreeMap::new();
            for (key, values) in entry.categories {
                let spec = schema.field(&key).filter(|f| f.kind == FieldKind::Category).with_context(|| {
                    format!("mapping {source_name}: {}.categories.{key} is not a category field", id.key())
                })?;
                let mut map = BTreeMap::new();
                let mut list = Vec::new();
                for (canon, aliases) in values {
                    let canon = canon.into_inner();
                    if !spec.values.contains(&canon.as_str()) {
                        anyhow::bail!(
                            "mapping {source_name}: {}.categories.{key}: \"{canon}\" is not a value of the record type (values: {})",
                            id.key(),
                            spec.values.join(", ")
                        );
                    }
                    let aliases: Vec<String> = match aliases {
                        toml::Value::Array(a) => a
                            .into_iter()
                            .map(|v| match v {
                                toml::Value::String(s) => Ok(s),
                                other => Err(other),
                            })
                            .collect::<Result<_, _>>()
                            .map_err(|v| {
                                anyhow::anyhow!(
                                    "mapping {source_name}: {}.categories.{key}.{canon}: alias {v} is not a string",
                                    id.key()
                                )
                            })?,
                        other => anyhow::bail!(
                            "mapping {source_name}: {}.categories.{key}.{canon} should be a list of aliases, not {other}",
                            id.key()
                        ),
                    };
                    for label in std::iter::once(&canon).chain(aliases.iter()) {
                        if let Some(other) = map.insert(label_key(label), canon.clone())
                            && other != canon
                        {
                            anyhow::bail!(
                                "mapping {source_name}: {}.categories.{key}: label \"{label}\" names both \"{other}\" and \"{canon}\"; keep it under one of them",
                                id.key()
                            );
                        }
                    }
                    list.push((canon, aliases));
                }
                for v in spec.values {
                    if !list.iter().any(|(c, _)| c == v) {
                        map.insert(label_key(v), (*v).to_string());
                        list.push(((*v).to_string(), Vec::new()));
                    }
                }
                list.sort_by_key(|(c, _)| spec.values.iter().position(|v| v == c));
                categories.insert(spec.key, list);
                lookup.insert(spec.key, map);
            }
            for f in schema.fields.iter().filter(|f| f.kind == FieldKind::Category) {
                if !categories.contains_key(f.key) {
                    anyhow::bail!("mapping {source_name}: {}.categories.{} is missing", id.key(), f.key);
                }
            }
            datasets.push(DatasetMapping { id, headers, categories, lookup, header_lookup, preferred });
        }
        Ok(Mapping { datasets })
    }

    pub fn dataset(&self, id: DatasetId) -> &DatasetMapping {
        self.datasets.iter().find(|d| d.id == id).expect("every dataset is mapped")
    }
}

/// `line N: ` of a byte offset into a mapping text.
fn line_at(text: &str, offset: usize) -> String {
    let upto = text.get(..offset).unwrap_or(text);
    format!("line {}: ", upto.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_mapping_covers_every_field_and_category() {
        let m = Mapping::embedded();
        let d = m.dataset(DatasetId::Dispatches);
        assert_eq!(d.header("trainees"), "受講者数");
        assert_eq!(d.canonical("dest_type", "工業高校"), Some("工業高校等"));
        assert_eq!(d.canonical("dest_type", " 企業 "), Some("中小企業"));
        assert_eq!(d.canonical("instructor_type", "マイスター"), Some("ものづくりマイスター"));
        assert_eq!(d.canonical("dest_type", "NPO"), None);
        assert_eq!(d.field_for_header("派遣日"), Some("date"));
        assert_eq!(d.field_for_header("受講者数人"), Some("trainees"));
        assert_eq!(d.field_for_header("受講者"), None);
        let meetings = m.dataset(DatasetId::Meetings);
        assert_eq!(meetings.canonical("format", "web"), Some("WEB"));
        assert_eq!(meetings.canonical("format", "ｗｅｂ"), Some("WEB"));
        assert_eq!(meetings.values("format"), ["対面", "WEB", "併用"], "file order is kept");
    }

    #[test]
    fn a_user_file_adds_an_alias_and_keeps_the_rest() {
        let m = Mapping::parse(
            "[dispatches.fields]\ndate = [\"実施日\", \"指導年月日\"]\n[dispatches.categories.dest_type]\n\"中小企業\" = [\"企業\", \"事業所\"]\n",
            "user.toml",
        )
        .unwrap();
        let d = m.dataset(DatasetId::Dispatches);
        assert_eq!(d.field_for_header("指導年月日"), Some("date"));
        assert_eq!(d.field_for_header("受講者数"), Some("trainees"));
        assert_eq!(d.canonical("dest_type", "事業所"), Some("中小企業"));
        assert_eq!(d.canonical("dest_type", "学校"), Some("工業高校等"));
    }

    #[test]
    fn a_user_file_that_adds_a_canonical_value_is_refused_with_its_line() {
        let text = "# my aliases\n[dispatches.categories.dest_type]\n\"中小企業\" = [\"事業所\"]\n\"NPO法人\" = []\n";
        let e = format!("{:#}", Mapping::parse(text, "user.toml").unwrap_err());
        assert!(e.contains("line 4: "), "{e}");
        assert!(e.contains("\"NPO法人\" is not a value of dispatches.dest_type"), "{e}");
        assert!(e.contains("中小企業, 業界団体, 工業高校等, 公共施設等"), "{e}");
        assert!(e.contains("alias"), "the fix is named: {e}");
        // The same file with the new label as an alias of a fixed value is fine.
        let ok = "[dispatches.categories.dest_type]\n\"中小企業\" = [\"事業所\", \"NPO法人\"]\n";
        let m = Mapping::parse(ok, "user.toml").unwrap();
        assert_eq!(m.dataset(DatasetId::Dispatches).canonical("dest_type", "NPO法人"), Some("中小企業"));
    }

    #[test]
    fn a_users_aliases_add_to_the_defaults_never_replace_them() {
        let m = Mapping::parse(
            "[dispatches.categories.dest_type]\n\"業界団体\" = [\"組合\"]\n[dispatches.fields]\ntrainees = [\"受講生数\"]\n",
            "user.toml",
        )
        .unwrap();
        let d = m.dataset(DatasetId::Dispatches);
        for label in ["組合", "団体", "商工会", "協同組合", "業界団体"] {
            assert_eq!(d.canonical("dest_type", label), Some("業界団体"), "{label}");
        }
        for header in ["受講生数", "受講者数", "受講人数", "参加者数"] {
            assert_eq!(d.field_for_header(header), Some("trainees"), "{header}");
        }
        assert_eq!(d.header("trainees"), "受講者数", "the canonical header stays first");
        assert_eq!(d.template_header("trainees"), "受講生数", "a template writes the corner's own word");
        assert_eq!(d.template_header("date"), "実施日", "and the canonical header elsewhere");
        assert_eq!(Mapping::embedded().dataset(DatasetId::Dispatches).template_header("trainees"), "受講者数");
    }

    #[test]
    fn a_label_given_to_two_values_is_refused_naming_both() {
        // 学校 is already a default alias of 工業高校等.
        let e =
            Mapping::parse("[dispatches.categories.dest_type]\n\"中小企業\" = [\"学校\"]\n", "user.toml").unwrap_err();
        let e = format!("{e:#}");
        assert!(e.contains("user.toml") && e.contains("dest_type"), "{e}");
        assert!(e.contains("\"学校\"") && e.contains("中小企業") && e.contains("工業高校等"), "{e}");
        assert!(Mapping::parse("[dispatches.categories.dest_type]\n\"工業高校等\" = [\"学校\"]\n", "u.toml").is_ok());
    }

    #[test]
    fn a_user_file_that_names_only_some_values_keeps_every_value() {
        let m = Mapping::parse("[meetings.categories.format]\n\"併用\" = [\"混合\"]\n", "user.toml").unwrap();
        let d = m.dataset(DatasetId::Meetings);
        assert_eq!(d.values("format"), ["対面", "WEB", "併用"]);
        assert_eq!(d.canonical("format", "混合"), Some("併用"));
        assert_eq!(d.canonical("format", "オンライン"), Some("WEB"), "the default aliases stay");
    }

    #[test]
    fn unknown_field_or_dataset_is_an_error() {
        let e = Mapping::parse("[dispatches.fields]\ndaet = [\"x\"]\n", "u.toml").unwrap_err();
        assert!(format!("{e:#}").contains("no field \"daet\""), "{e:#}");
        let e = Mapping::parse("[dispatch.fields]\ndate = [\"x\"]\n", "u.toml").unwrap_err();
        assert!(format!("{e:#}").contains("unknown record type [dispatch]"), "{e:#}");
    }
}

//! The layers of the library, checked on every `cargo test`: each module of
//! `src/` imports only from its own layer or the layers below it in
//! [`LAYERS`], and no modules import each other in a circle. The table is
//! the documented architecture (the README's "How it is built" shows it):
//! a new module is placed in it, or this test fails.
//!
//! What counts as an import: every `crate::x` path in code (`use
//! crate::x::…`, `use crate::{x, y::z}`, `crate::x::f()` in an expression),
//! and a `super::` chain that climbs out of a module to the crate root. The
//! module is the first segment (`x`); a path whose first segment is no module
//! in the table (a function or re-export of the crate root) fails too.
//! Comments, doc comments and string literals are not code. `src/lib.rs`
//! (the root, which only declares the modules) and `src/main.rs` (the
//! binary, a crate of its own that uses `corner_kpi::`) are not read.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

/// The layers, bottom first: (what the layer is, its modules). A module
/// imports from its own layer (never in a circle) and the layers below.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "base: words, dates, definitions, the personal-values policy, the request",
        &[
            "text",
            "fiscal",
            "timing",
            "format",
            "excel_style",
            "schema",
            "catalogue",
            "mapping",
            "plan",
            "personal",
            "config",
        ],
    ),
    ("ingest: files → raw cells with their places", &["ingest"]),
    ("normalise: raw cells → typed frames, the ledger, masking", &["normalise"]),
    ("kpi: plan × frames → figures, each status decided", &["kpi"]),
    ("kpis_json: the types of kpis.json", &["kpis_json"]),
    ("rollup: corners → the national model", &["rollup"]),
    ("publish: atomic sets, the output guard", &["publish"]),
    ("report: figures and the national model → files", &["report"]),
    ("mail and template: report sets → drafts; blank input workbooks", &["mail", "template"]),
    ("app: the commands, the stages in order", &["app"]),
    ("cli: arguments → an Action", &["cli"]),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

fn layer_name(i: usize) -> String {
    format!("layer {} ({})", i + 1, LAYERS[i].0)
}

/// One `crate::…` reference.
#[derive(Debug, Clone, PartialEq)]
struct Import {
    file: String,
    line: usize,
    /// The importing top-level module.
    from: String,
    /// The first segment after `crate::` (or the root a `super::` chain reaches).
    to: String,
    /// The path as written, `crate::report::generator` (a group shows its member).
    path: String,
}

/// `src/report/national/json.rs` → `["report", "national", "json"]`,
/// `src/report/mod.rs` → `["report"]`.
fn module_path(rel: &str) -> Vec<String> {
    let rel = rel.strip_prefix("src/").unwrap_or(rel).trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The source with comments and the insides of string and character
/// literals blanked (line breaks kept, so line numbers stay true).
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let keep_lines = |out: &mut String, s: &[char]| out.extend(s.iter().filter(|&&ch| ch == '\n'));
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    let mut i = 0;
    while i < c.len() {
        let rest = &c[i..];
        if rest.starts_with(&['/', '/']) {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            let (start, mut depth) = (i, 0);
            while i < c.len() {
                if c[i..].starts_with(&['/', '*']) {
                    depth += 1;
                    i += 2;
                } else if c[i..].starts_with(&['*', '/']) {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            keep_lines(&mut out, &c[start..i]);
        } else if let Some(hashes) = raw_string_at(&c, i) {
            // r"…", r#"…"#, br"…": up to the quote and as many #.
            let start = i;
            i = c[i..].iter().position(|&ch| ch == '"').map_or(c.len(), |p| i + p + 1);
            let close: Vec<char> = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            while i < c.len() && !c[i..].starts_with(&close) {
                i += 1;
            }
            i = (i + close.len()).min(c.len());
            keep_lines(&mut out, &c[start..i]);
            out.push_str("\"\"");
        } else if c[i] == '"' {
            let start = i;
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i = (i + 1).min(c.len());
            keep_lines(&mut out, &c[start..i.min(c.len())]);
            out.push_str("\"\"");
        } else if c[i] == '\'' && (i == 0 || !ident(c[i - 1]) || (c[i - 1] == 'b' && (i < 2 || !ident(c[i - 2])))) {
            // '\n', '"', 'x' are characters; 'a (no closing quote) a lifetime.
            if c.get(i + 1) == Some(&'\\') {
                i += 3;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push('\'');
                i += 1;
            }
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// `Some(number of #)` when a raw string literal starts at `i`.
fn raw_string_at(c: &[char], i: usize) -> Option<usize> {
    let ident = |ch: char| ch.is_alphanumeric() || ch == '_';
    if i > 0 && ident(c[i - 1]) {
        return None;
    }
    let mut j = i;
    if c.get(j) == Some(&'b') || c.get(j) == Some(&'c') {
        j += 1;
    }
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    let hashes = c[j..].iter().take_while(|&&ch| ch == '#').count();
    (c.get(j + hashes) == Some(&'"')).then_some(hashes)
}

#[derive(Debug, PartialEq)]
enum Tok {
    Ident(String),
    Path,
    Punct(char),
}

/// Identifiers, `::` and single punctuation, each with its line.
fn tokens(code: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(c[start..i].iter().collect()), line));
        } else if c[i..].starts_with(&[':', ':']) {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

/// The `crate::` references of one file (`rel`: its path, `src/…`).
fn imports(rel: &str, src: &str) -> Vec<Import> {
    let file_path = module_path(rel);
    let from = file_path[0].clone();
    let toks = tokens(&code_only(src));
    let ident = |k: usize| match toks.get(k) {
        Some((Tok::Ident(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let is = |k: usize, t: &Tok| toks.get(k).is_some_and(|(x, _)| x == t);
    // The inline modules (`mod tests { … }`) open at this point: (brace depth inside).
    let mut inline: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut k = 0;
    while k < toks.len() {
        let line = toks[k].1;
        match &toks[k].0 {
            Tok::Punct('{') => {
                depth += 1;
                if k >= 2 && ident(k - 2) == Some("mod") && ident(k - 1).is_some() {
                    inline.push(depth);
                }
            }
            Tok::Punct('}') => {
                if inline.last() == Some(&depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(w) if w == "crate" && is(k + 1, &Tok::Path) && !(k > 0 && is(k - 1, &Tok::Punct('$'))) => {
                out.extend(targets(&toks, k + 2).into_iter().map(|(to, path)| Import {
                    file: rel.to_string(),
                    line,
                    from: from.clone(),
                    to,
                    path: format!("crate::{path}"),
                }));
            }
            Tok::Ident(w) if w == "super" && is(k + 1, &Tok::Path) && !(k > 0 && is(k - 1, &Tok::Path)) => {
                let mut supers = 0;
                let mut j = k;
                while ident(j) == Some("super") && is(j + 1, &Tok::Path) {
                    supers += 1;
                    j += 2;
                }
                // From a module `file_path.len() + inline.len()` deep, that
                // many `super` reach the crate root.
                if supers == file_path.len() + inline.len() {
                    out.extend(targets(&toks, j).into_iter().map(|(to, path)| Import {
                        file: rel.to_string(),
                        line,
                        from: from.clone(),
                        to,
                        path: format!("{}{path}", "super::".repeat(supers)),
                    }));
                }
                k = j;
                continue;
            }
            _ => {}
        }
        k += 1;
    }
    out
}

/// What a path names from token `k` on (just after `crate::`): `x::y` →
/// (`x`, `x::y`); a group `{x, y::z}` → each member's first segment.
fn targets(toks: &[(Tok, usize)], k: usize) -> Vec<(String, String)> {
    let path_from = |mut k: usize| {
        let mut segs = Vec::new();
        while let Some((Tok::Ident(s), _)) = toks.get(k) {
            segs.push(s.clone());
            if toks.get(k + 1).map(|t| &t.0) != Some(&Tok::Path) {
                break;
            }
            k += 2;
        }
        segs.join("::")
    };
    match toks.get(k).map(|t| &t.0) {
        Some(Tok::Ident(s)) => vec![(s.clone(), path_from(k))],
        Some(Tok::Punct('{')) => {
            let mut out = Vec::new();
            let (mut depth, mut at_start) = (0, true);
            for (j, (t, _)) in toks.iter().enumerate().skip(k) {
                match t {
                    Tok::Punct('{') => {
                        depth += 1;
                        at_start = depth == 1;
                    }
                    Tok::Punct('}') => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Tok::Punct(',') if depth == 1 => at_start = true,
                    Tok::Ident(s) if at_start && depth == 1 => {
                        out.push((s.clone(), path_from(j)));
                        at_start = false;
                    }
                    _ => {}
                }
            }
            out
        }
        _ => Vec::new(),
    }
}

/// Everything wrong with the imports of `files` ((path `src/…`, source)):
/// a module not in the table, a path to no module, an import from a layer
/// above, and every circle between modules.
fn violations(files: &[(String, String)]) -> Vec<String> {
    let mut why = Vec::new();
    let mut all = Vec::new();
    for (rel, src) in files {
        let module = &module_path(rel)[0];
        if layer_of(module).is_none() && !why.iter().any(|w: &String| w.contains(&format!("module `{module}`"))) {
            why.push(format!(
                "{rel}: module `{module}` is in no layer: add it to LAYERS in tests/architecture.rs (and to the README's layers)"
            ));
        }
        all.extend(imports(rel, src));
    }
    let mut edges: BTreeMap<(String, String), &Import> = BTreeMap::new();
    for i in &all {
        if i.to == i.from {
            continue;
        }
        let at = format!("{}:{}: {} imports `{}`", i.file, i.line, i.from, i.path);
        match (layer_of(&i.from), layer_of(&i.to)) {
            (_, None) => why.push(format!(
                "{at}, which is no module of the layer table (an item of the crate root?): import it from the module that defines it"
            )),
            (Some(f), Some(t)) if t > f => why.push(format!(
                "{at}: {} is in {}, above {}'s {}; move what is shared below both",
                i.to,
                layer_name(t),
                i.from,
                layer_name(f)
            )),
            _ => {}
        }
        edges.entry((i.from.clone(), i.to.clone())).or_insert(i);
    }
    why.extend(circles(&edges));
    why
}

/// Each circle of the module graph, once, as its imports (file and line of
/// the first import along each edge).
fn circles(edges: &BTreeMap<(String, String), &Import>) -> Vec<String> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        next.entry(from).or_default().push(to);
    }
    // The shortest way back from `start` to itself, if any.
    let way_back = |start: &str| -> Option<Vec<String>> {
        let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
        let mut queue: VecDeque<&str> = VecDeque::from([start]);
        while let Some(m) = queue.pop_front() {
            for &n in next.get(m).into_iter().flatten() {
                if n == start {
                    let mut cycle = vec![m.to_string()];
                    let mut at = m;
                    while at != start {
                        at = came_from[at];
                        cycle.push(at.to_string());
                    }
                    cycle.reverse();
                    return Some(cycle);
                }
                if !came_from.contains_key(n) {
                    came_from.insert(n, m);
                    queue.push_back(n);
                }
            }
        }
        None
    };
    let mut seen: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    let mut out = Vec::new();
    for start in next.keys() {
        let Some(cycle) = way_back(start) else { continue };
        if !seen.insert(cycle.iter().cloned().collect()) {
            continue;
        }
        let steps: Vec<String> = cycle
            .iter()
            .zip(cycle.iter().cycle().skip(1))
            .map(|(a, b)| {
                let i = edges[&(a.clone(), b.clone())];
                format!("{}:{}: {a} imports `{}`", i.file, i.line, i.path)
            })
            .collect();
        out.push(format!("import circle {} → {}:\n    {}", cycle.join(" → "), cycle[0], steps.join("\n    ")));
    }
    out
}

/// Every `.rs` file under `dir`, as (`src/…` path, text), in path order.
fn sources(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            sources(root, &p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            if rel != "src/lib.rs" && rel != "src/main.rs" {
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
}

#[test]
fn modules_import_only_from_their_layer_or_below_and_never_in_a_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(root, &root.join("src"), &mut files);
    assert!(files.len() > 50, "read the sources: {}", files.len());
    let mut why = violations(&files);
    let present: BTreeSet<String> = files.iter().map(|(rel, _)| module_path(rel)[0].clone()).collect();
    for (_, modules) in LAYERS {
        for m in *modules {
            if !present.contains(*m) {
                why.push(format!("LAYERS names `{m}`, which is no module under src/: take it out of the table"));
            }
        }
    }
    assert!(why.is_empty(), "the layers of tests/architecture.rs are broken:\n  {}", why.join("\n  "));
}

fn file(rel: &str, src: &str) -> (String, String) {
    (rel.to_string(), src.to_string())
}

#[test]
fn every_form_of_a_crate_path_is_an_import_and_comments_and_strings_are_not() {
    let src = r##"
//! Renders [`crate::report::doc`] // crate::mail in a comment
use crate::{fiscal, kpi::{Figures, Status}, text as t};
/* crate::app in a block /* nested */ comment */
fn f() -> String {
    let _ = '"'; let _ = '\''; let _: &'static str = "crate::app";
    let _ = r#"crate::cli "quoted""#;
    crate::format::generator()
}
macro_rules! m { () => { $crate::cli::x() } }
"##;
    let got: Vec<(String, String, usize)> =
        imports("src/kpi/mod.rs", src).into_iter().map(|i| (i.to, i.path, i.line)).collect();
    let want = [("fiscal", "crate::fiscal", 3), ("kpi", "crate::kpi", 3), ("text", "crate::text", 3)]
        .into_iter()
        .chain([("format", "crate::format::generator", 8)])
        .map(|(a, b, l)| (a.to_string(), b.to_string(), l))
        .collect::<Vec<_>>();
    assert_eq!(got, want);
}

#[test]
fn a_super_chain_that_reaches_the_crate_root_is_an_import() {
    // Three deep: three `super` reach the root; two stay inside `report`.
    let src = "use super::super::super::checked;\nuse super::super::doc::Doc;\n";
    let got = imports("src/report/national/json.rs", src);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].to.as_str(), got[0].path.as_str()), ("checked", "super::super::super::checked"));
    // Inside an inline module one more is needed.
    let src = "fn a1() {}\n#[cfg(test)]\nmod tests {\n    use super::a1;\n    use super::super::rollup::x;\n}\n";
    let got = imports("src/ingest/mod.rs", src);
    assert_eq!(got.iter().map(|i| (i.to.as_str(), i.line)).collect::<Vec<_>>(), [("rollup", 5)]);
}

#[test]
fn an_upward_import_a_root_item_a_circle_and_an_unplaced_module_are_named_with_file_and_line() {
    let why = violations(&[
        file("src/rollup/mod.rs", "use crate::kpi;\n\nfn w() { crate::report::write_national_set(); }\n"),
        file("src/rollup/corner.rs", "fn c() { crate::checked(); }\n"),
        file("src/mail/mod.rs", "use crate::template::x;\n"),
        file("src/template/mod.rs", "use crate::mail::y;\n"),
        file("src/gadget.rs", "use crate::text;\n"),
    ]);
    let all = why.join("\n");
    assert!(
        why.iter().any(|w| w.starts_with("src/rollup/mod.rs:3: rollup imports `crate::report::write_national_set`")
            && w.contains("layer 8")),
        "{all}"
    );
    assert!(why.iter().any(|w| w.starts_with("src/rollup/corner.rs:1: rollup imports `crate::checked`")), "{all}");
    assert!(
        why.iter().any(|w| w.starts_with("import circle mail → template → mail")
            && w.contains("src/mail/mod.rs:1: mail imports `crate::template::x`")
            && w.contains("src/template/mod.rs:1: template imports `crate::mail::y`")),
        "{all}"
    );
    assert!(why.iter().any(|w| w.starts_with("src/gadget.rs: module `gadget` is in no layer")), "{all}");
    assert_eq!(why.len(), 4, "{all}");
}

//! The HTML writer: any [`Doc`] → one self-contained page (inline CSS and
//! SVG, no script, nothing fetched), rendered with tera 2 from the templates
//! in `templates/`, embedded at compile time. It knows pages, tables and
//! charts, nothing of KPIs.
//!
//! The templates see only the view structs below, every value already a
//! string. Autoescape is on for every template (their names end in `.html`);
//! the only values marked `safe` are the SVG charts, which `svg/` builds
//! with all their text escaped. Workbook text is never marked safe.

use super::doc::{Block, Cell, Doc, Role, RowKind, Table};
use super::svg;
use crate::format;
use crate::text::clean;
use anyhow::{Context as _, anyhow};
use serde::Serialize;
use std::path::{Path, PathBuf};
use tera::{Context, Tera};

/// The templates, by the name they are registered under.
const TEMPLATES: &[(&str, &str)] = &[
    ("report.html", include_str!("../../../templates/report.html")),
    ("partials/style.html", include_str!("../../../templates/partials/style.html")),
    ("partials/table.html", include_str!("../../../templates/partials/table.html")),
    ("partials/block.html", include_str!("../../../templates/partials/block.html")),
];

/// The template engine, with every template loaded: the embedded ones, each
/// replaced by the file of the same name in `overrides` when it has one
/// (`report.html`, `partials/style.html` …; `corner-kpi html-templates`
/// writes the embedded ones there to start from).
pub fn engine(overrides: Option<&Path>) -> anyhow::Result<Tera> {
    let mut tera = Tera::new();
    tera.add_raw_templates(TEMPLATES.iter().copied()).map_err(|e| anyhow!("report templates: {e:#}"))?;
    let Some(dir) = overrides else { return Ok(tera) };
    if !dir.is_dir() {
        anyhow::bail!(
            "HTML のひな形フォルダー {} がありません。corner-kpi html-templates --output {} で作ってから編集してください",
            dir.display(),
            dir.display()
        );
    }
    for (name, _) in TEMPLATES {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!("HTML のひな形 {} を読めません（UTF-8 のテキストにしてください）", path.display())
        })?;
        tera.add_raw_template(name, &text)
            .map_err(|e| anyhow!("HTML のひな形 {} に誤りがあります: {e:#}", path.display()))?;
    }
    // Every template checked now, not at the first page rendered.
    let mut ctx = Context::new();
    ctx.insert("d", &DocView::example());
    tera.render("report.html", &ctx)
        .map_err(|e| anyhow!("HTML のひな形 {} で報告書を作れません: {e:#}", dir.display()))?;
    Ok(tera)
}

/// Writes the embedded templates into `dir` (made if missing), refusing to
/// replace a file already there. Returns the files written.
pub fn write_templates(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let paths: Vec<PathBuf> = TEMPLATES.iter().map(|(name, _)| dir.join(name)).collect();
    if let Some(there) = paths.iter().find(|p| p.exists()) {
        anyhow::bail!("{} がすでにあります。別のフォルダーを指定するか、消してからやり直してください", there.display());
    }
    for ((_, text), path) in TEMPLATES.iter().zip(&paths) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(paths)
}

/// The page of a document.
pub fn write(tera: &Tera, doc: &Doc) -> anyhow::Result<String> {
    let mut ctx = Context::new();
    ctx.insert("d", &DocView::of(doc));
    tera.render("report.html", &ctx).map_err(|e| anyhow!("cannot render {}: {e:#}", doc.title))
}

#[derive(Serialize)]
struct DocView {
    /// `厚生労働省 御中`, or empty.
    addressee: String,
    title: String,
    corner: String,
    /// `2023年10月31日（令和5年10月31日）現在`.
    as_of: String,
    generated: String,
    generator: String,
    footer_note: String,
    sections: Vec<SectionView>,
}

#[derive(Serialize)]
struct SectionView {
    id: String,
    title: String,
    appendix: bool,
    /// Printed on landscape pages (wide tables).
    landscape: bool,
    blocks: Vec<BlockView>,
}

/// One block; `kind` says which of the other fields is used.
#[derive(Serialize)]
struct BlockView {
    kind: &'static str,
    text: String,
    table: Option<TableView>,
    items: Vec<ItemView>,
    svg: String,
}

#[derive(Serialize)]
struct TableView {
    head: Vec<HeadView>,
    rows: Vec<RowView>,
    /// `ほか N 件は center.xlsx を参照してください。`, or empty.
    more: String,
    /// A key/value table (two columns, the first a heading).
    compact: bool,
    /// Short enough to keep on one printed page.
    small: bool,
    /// `false`: the page shows only `more` (the workbook has the rows).
    shown: bool,
}

#[derive(Serialize)]
struct HeadView {
    lines: Vec<String>,
    class: &'static str,
}

#[derive(Serialize)]
struct RowView {
    class: &'static str,
    cells: Vec<CellView>,
}

#[derive(Serialize)]
struct CellView {
    text: String,
    class: String,
    colspan: usize,
    /// Shown as a status pill.
    pill: bool,
    /// A progress bar: the achieved width and the pace line, in percent of
    /// the cell (`55.9`), with the tone.
    bar: Option<BarView>,
}

#[derive(Serialize)]
struct BarView {
    width: String,
    pace: String,
    tone: &'static str,
}

#[derive(Serialize)]
struct ItemView {
    word: String,
    tone: &'static str,
    title: String,
    text: String,
}

impl DocView {
    /// A page without sections, to check edited templates before a run.
    fn example() -> DocView {
        DocView {
            addressee: String::new(),
            title: "確認".into(),
            corner: String::new(),
            as_of: String::new(),
            generated: String::new(),
            generator: String::new(),
            footer_note: String::new(),
            sections: Vec::new(),
        }
    }

    fn of(doc: &Doc) -> DocView {
        DocView {
            addressee: doc.addressee.as_ref().map(|a| format!("{} 御中", clean(a))).unwrap_or_default(),
            title: clean(&doc.title).into_owned(),
            corner: clean(&doc.corner).into_owned(),
            as_of: format!("{}現在", format::date_prose(doc.as_of)),
            generated: format::datetime(doc.generated_at),
            generator: doc.generator.clone(),
            footer_note: doc.footer_note.clone(),
            sections: doc
                .sections
                .iter()
                .map(|s| SectionView {
                    id: s.id.to_string(),
                    title: clean(&s.title).into_owned(),
                    appendix: s.appendix,
                    // On paper, only tables of ten columns or more need the width.
                    landscape: s.tables().any(|t| t.columns.iter().filter(|c| c.role != Role::Machine).count() >= 10),
                    blocks: s.blocks.iter().map(block_view).collect(),
                })
                .collect(),
        }
    }
}

fn block_view(b: &Block) -> BlockView {
    let mut v = BlockView { kind: "", text: String::new(), table: None, items: Vec::new(), svg: String::new() };
    match b {
        Block::Paragraph(t) => (v.kind, v.text) = ("paragraph", clean(t).into_owned()),
        Block::Note(t) => (v.kind, v.text) = ("note", clean(t).into_owned()),
        Block::Nothing(t) => (v.kind, v.text) = ("nothing", clean(t).into_owned()),
        Block::Table(t) => (v.kind, v.table) = ("table", Some(table_view(t))),
        Block::List(items) => {
            v.kind = "list";
            v.items = items
                .iter()
                .map(|i| ItemView {
                    word: clean(&i.status.word).into_owned(),
                    tone: i.status.tone.class(),
                    title: clean(&i.title).into_owned(),
                    text: clean(&i.text).into_owned(),
                })
                .collect();
        }
        Block::Series(c) => (v.kind, v.svg) = ("chart", svg::cumulative::chart(c)),
        Block::Timeline(c) => (v.kind, v.svg) = ("timeline", svg::timeline::chart(c)),
    }
    v
}

fn table_view(t: &Table) -> TableView {
    let shown: Vec<usize> = (0..t.columns.len()).filter(|&i| t.columns[i].role != Role::Machine).collect();
    let head = shown
        .iter()
        .map(|&i| {
            let c = &t.columns[i];
            HeadView {
                lines: c.heading.lines().map(|l| clean(l).into_owned()).collect(),
                class: match c.role {
                    Role::Wide => "label",
                    Role::Note => "label remark",
                    Role::Plain | Role::Machine => "",
                },
            }
        })
        .collect();
    let limit = t.html_limit.unwrap_or(usize::MAX);
    let data_rows = t.rows.iter().filter(|r| r.kind == RowKind::Data).count();
    let mut rows = Vec::new();
    let mut data_seen = 0;
    for r in &t.rows {
        if r.kind == RowKind::Data {
            data_seen += 1;
            if data_seen > limit {
                continue;
            }
        }
        let class = match r.kind {
            RowKind::Data => "",
            RowKind::Group => "group",
            RowKind::Subtotal => "subtotal",
            RowKind::Total => "total",
        };
        let cells = if r.kind == RowKind::Group {
            let text = r.cells.iter().map(cell_text).find(|s| !s.is_empty()).unwrap_or_default();
            vec![CellView { text, class: "label".into(), colspan: shown.len(), pill: false, bar: None }]
        } else {
            shown
                .iter()
                .map(|&i| {
                    let role = t.columns[i].role;
                    r.cells.get(i).map_or_else(
                        || CellView { text: String::new(), class: String::new(), colspan: 1, pill: false, bar: None },
                        |c| cell_view(c, role),
                    )
                })
                .collect()
        };
        rows.push(RowView { class, cells });
    }
    let more = match (&t.more, data_rows > limit) {
        (Some(book), true) => {
            format!("ほか {} 件は {book} を参照してください。", format::int((data_rows - limit) as i64))
        }
        _ => String::new(),
    };
    let small = rows.len() <= 16;
    let visible = limit > 0;
    let rows = if visible { rows } else { Vec::new() };
    let more = if !visible && data_rows > 0 {
        format!(
            "この一覧（{} 行）は {} にあります。",
            format::int(data_rows as i64),
            t.more.as_deref().unwrap_or("ブック")
        )
    } else {
        more
    };
    TableView { head, rows, more, compact: shown.len() == 2, small, shown: visible }
}

fn cell_text(c: &Cell) -> String {
    clean(&c.shown()).into_owned()
}

fn cell_view(c: &Cell, role: Role) -> CellView {
    let wide = matches!(role, Role::Wide | Role::Note);
    let text = cell_text(c);
    let mut v = CellView { text, class: String::new(), colspan: 1, pill: false, bar: None };
    v.class = match c {
        Cell::Empty => String::new(),
        Cell::Text(_) | Cell::Link(_) if role == Role::Note => "label remark".into(),
        Cell::Text(_) | Cell::Link(_) if wide => "label".into(),
        Cell::Text(_) | Cell::Link(_) => "text".into(),
        Cell::Strong(_) if wide => "label strong".into(),
        Cell::Strong(_) => "num strong".into(),
        Cell::Count(None) | Cell::Decimal(None) | Cell::Percent(None) | Cell::Signed(None) | Cell::Yen(None) => {
            "num dash".into()
        }
        Cell::Count(_) | Cell::Decimal(_) | Cell::Percent(_) | Cell::Signed(_) | Cell::Yen(_) => "num".into(),
        Cell::Date(_) | Cell::Month(_) => "nowrap".into(),
        Cell::Status(s) => {
            v.pill = true;
            format!("st {}", s.tone.class())
        }
        Cell::Progress(p) => {
            let pct = |x: Option<f64>| x.map_or("0".to_string(), |x| format!("{:.1}", (x * 100.0).clamp(0.0, 100.0)));
            v.bar = Some(BarView { width: pct(p.achievement), pace: pct(p.pace), tone: p.tone.class() });
            "bar".into()
        }
    };
    v
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::report::fixture::fixture;
    use crate::report::{center, ministry};

    fn page(doc: &Doc) -> String {
        write(&engine(None).unwrap(), doc).unwrap()
    }

    #[test]
    fn templates_written_out_and_edited_replace_the_embedded_ones_and_the_rest_stay() {
        let dir = tempfile::tempdir().unwrap();
        let written = write_templates(dir.path()).unwrap();
        assert_eq!(written.len(), TEMPLATES.len());
        for ((_, text), path) in TEMPLATES.iter().zip(&written) {
            assert_eq!(&std::fs::read_to_string(path).unwrap(), text, "{}", path.display());
        }
        assert!(write_templates(dir.path()).unwrap_err().to_string().contains("すでにあります"), "never overwrites");
        // An edited page, with the partials left as they were written.
        let report = dir.path().join("report.html");
        let edited = std::fs::read_to_string(&report).unwrap().replace("</body>", "<p>センター用の版</p></body>");
        std::fs::write(&report, edited).unwrap();
        std::fs::remove_file(dir.path().join("partials/table.html")).unwrap();
        let doc = ministry(&fixture().input());
        let html = write(&engine(Some(dir.path())).unwrap(), &doc).unwrap();
        assert!(html.contains("<p>センター用の版</p>"));
        assert!(html.contains("<table"), "the missing partial is the embedded one");
        assert_eq!(html.replace("<p>センター用の版</p>", ""), page(&doc));
    }

    #[test]
    fn a_broken_or_missing_template_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nai");
        assert!(format!("{:#}", engine(Some(&missing)).unwrap_err()).contains("corner-kpi html-templates"));
        std::fs::write(dir.path().join("report.html"), "<html>{{ d.title </html>").unwrap();
        let e = format!("{:#}", engine(Some(dir.path())).unwrap_err());
        assert!(e.contains("report.html") && e.contains("誤り"), "{e}");
        std::fs::write(dir.path().join("report.html"), "<html>{{ d.no_such.field }}</html>").unwrap();
        let e = format!("{:#}", engine(Some(dir.path())).unwrap_err());
        assert!(e.contains("作れません"), "checked before a run: {e}");
    }

    #[test]
    fn reports_have_no_script_and_nothing_external() {
        let fx = fixture();
        for html in [page(&ministry(&fx.input())), page(&center(&fx.input()))] {
            let lower = html.to_lowercase();
            for bad in ["<script", "<link", "<img", "src=", "url(", "@import"] {
                assert!(!lower.contains(bad), "{bad}");
            }
            assert!(lower.contains("@page"));
            assert!(html.contains("2023年10月31日（令和5年10月31日）現在"));
            assert!(html.contains("<svg"));
            assert!(html.contains("1,600"), "thousands separators");
            assert!(!html.contains("2023-10-31"), "no ISO date in the text");
        }
    }

    #[test]
    fn page_one_is_the_headline_block_then_what_is_not_on_track() {
        let fx = fixture();
        let html = page(&ministry(&fx.input()));
        let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
        assert!(at("id=\"headline\"") < at("id=\"attention\""));
        assert!(at("id=\"attention\"") < at("id=\"legend\""));
        assert!(at("id=\"legend\"") < at("id=\"kpis\""));
        let headline = &html[at("id=\"headline\"")..at("id=\"attention\"")];
        assert!(headline.contains("ものづくりマイスター派遣回数"), "{headline}");
        assert!(
            headline.contains("class=\"track\"") && headline.contains("class=\"pace\""),
            "a bar with its pace line"
        );
        let attention = &html[at("id=\"attention\"")..at("id=\"legend\"")];
        assert!(attention.contains("計画比 \u{2212}7 回。年度末見込み 258 回（目標 270 回）。"), "{attention}");
    }

    #[test]
    fn workbook_text_is_escaped() {
        let mut fx = fixture();
        fx.quality.rejected[0].reason = "<img src=x onerror=alert(1)>".into();
        fx.plan.items[0].text = "<script>alert(1)</script>を掲示".into();
        let html = page(&center(&fx.input()));
        assert!(!html.to_lowercase().contains("<script"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "escaped, not dropped");
    }

    #[test]
    fn the_center_report_carries_the_extra_sections_and_the_ministry_report_no_rows() {
        let fx = fixture();
        let html = page(&center(&fx.input()));
        for id in ["by_trade", "by_region", "visits", "competitions", "meisters", "findings", "later", "quality"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        let m = page(&ministry(&fx.input()));
        assert!(!m.contains("除外した行"), "the ministry report carries aggregates only");
        assert!(!m.contains("id=\"quality\""));
    }

    #[test]
    fn a_long_list_points_to_the_workbook_for_the_rest() {
        let mut t = Table::new(vec![crate::report::doc::Column::plain("n")]).limit_html(2, "center.xlsx");
        for i in 0..5 {
            t.row(vec![Cell::int(i)]);
        }
        let v = table_view(&t);
        assert_eq!(v.rows.len(), 2);
        assert_eq!(v.more, "ほか 3 件は center.xlsx を参照してください。");
    }
}

//! Any report as plain text ([`Doc::dump`]), and the text every cell shows
//! ([`Cell::shown`]), which the HTML writer and the dump share (the workbook
//! shows the same through its number formats).

use super::doc::{Block, Cell, Doc, RowKind, SheetPlace};

impl Doc {
    /// The document as plain text, one line per paragraph or table row,
    /// every cell as the reports show it: for snapshot tests and for reading
    /// a report in a terminal. Charts are summarised, not drawn.
    pub fn dump(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(s, "# {}", self.title);
        for sec in &self.sections {
            let sheet = match &sec.sheet {
                SheetPlace::New(n) => format!(" [{n}]"),
                SheetPlace::Same => String::new(),
            };
            let _ = writeln!(s, "\n## {} {}{sheet}", sec.id, sec.title);
            for b in &sec.blocks {
                match b {
                    Block::Paragraph(t) => {
                        let _ = writeln!(s, "P {t}");
                    }
                    Block::Note(t) => {
                        let _ = writeln!(s, "N {t}");
                    }
                    Block::Nothing(t) => {
                        let _ = writeln!(s, "- {t}");
                    }
                    Block::List(items) => {
                        for i in items {
                            let _ = writeln!(s, "* [{}] {}: {}", i.status.word, i.title, i.text);
                        }
                    }
                    Block::Series(c) => {
                        let last = c.actual.iter().flatten().last().copied();
                        let _ = writeln!(
                            s,
                            "~ chart {} ({}): actual to date {}, target {}",
                            c.title,
                            c.unit,
                            crate::format::count(last),
                            crate::format::count(c.target)
                        );
                    }
                    Block::Timeline(t) => {
                        let _ = writeln!(s, "~ timeline of {} events", t.events.len());
                    }
                    Block::Table(t) => {
                        let heads: Vec<String> = t.columns.iter().map(|c| c.heading.replace('\n', "")).collect();
                        let _ = writeln!(s, "| {} |", heads.join(" | "));
                        for r in &t.rows {
                            let mark = match r.kind {
                                RowKind::Data => "",
                                RowKind::Group => "G ",
                                RowKind::Subtotal => "S ",
                                RowKind::Total => "T ",
                            };
                            let cells: Vec<String> = r.cells.iter().map(Cell::shown).collect();
                            let _ = writeln!(s, "{mark}| {} |", cells.join(" | "));
                        }
                    }
                }
            }
        }
        s
    }
}

impl Cell {
    /// The text a cell shows (the HTML writer's text; a workbook shows the
    /// same through its number formats).
    pub fn shown(&self) -> String {
        use crate::format;
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Strong(s) => s.clone(),
            Cell::Count(x) => format::count(*x),
            Cell::Decimal(x) => format::decimal1(*x),
            Cell::Percent(x) => format::percent(*x),
            Cell::Signed(x) => x.map_or_else(|| format::DASH.to_string(), format::signed),
            Cell::Yen(x) => format::yen(*x),
            Cell::Date(d) => format::opt_date(*d),
            Cell::Month(d) => format::month(chrono::Datelike::year(d), chrono::Datelike::month(d)),
            Cell::Status(s) => s.word.clone(),
            Cell::Progress(p) => format::percent(p.achievement),
            Cell::Link(l) => l.text.clone(),
        }
    }
}

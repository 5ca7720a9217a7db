//! The report model: a report is a [`Doc`] of [`Section`]s, each a list of
//! [`Block`]s — paragraphs, typed [`Table`]s, charts. Sections are built once
//! (in `sections/`) and know the KPIs but no output format; the writers
//! (`excel`, `html`) turn any `Doc` into their format and know nothing of
//! KPIs. A cell says what a value *is* (a count, a percent, a date, a
//! status), never how it looks.

use chrono::NaiveDate;

/// One report file's content.
#[derive(Debug, Clone)]
pub struct Doc {
    /// `厚生労働省`, `中央技能振興センター`, or `None` (the staff's own workbook).
    pub addressee: Option<String>,
    /// `令和5年度 …推進計画 進捗状況報告`.
    pub title: String,
    pub corner: String,
    pub as_of: NaiveDate,
    /// Local time of the run (footers).
    pub generated_at: chrono::NaiveDateTime,
    /// `corner-kpi 0.1.0`.
    pub generator: String,
    /// The closing note of the HTML footer (what the report holds and not).
    pub footer_note: String,
    pub sections: Vec<Section>,
}

/// Where a section goes in a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SheetPlace {
    /// A sheet of its own, with this name (at most 31 characters).
    New(String),
    /// Below the section before it, on the same sheet.
    Same,
}

/// A titled part of a report.
#[derive(Debug, Clone)]
pub struct Section {
    /// Stable id (`headline`, `kpis`, …): HTML anchor, tests.
    pub id: &'static str,
    pub title: String,
    pub sheet: SheetPlace,
    /// Print the workbook sheet in landscape (wide tables).
    pub landscape: bool,
    /// An appendix: printed from a new page in HTML.
    pub appendix: bool,
    pub blocks: Vec<Block>,
}

impl Section {
    /// A section on a sheet of its own named `sheet`.
    pub fn new(id: &'static str, title: impl Into<String>, sheet: impl Into<String>) -> Section {
        Section {
            id,
            title: title.into(),
            sheet: SheetPlace::New(sheet.into()),
            landscape: false,
            appendix: false,
            blocks: Vec::new(),
        }
    }

    /// A section below the one before it, on the same sheet.
    pub fn below(id: &'static str, title: impl Into<String>) -> Section {
        Section {
            id,
            title: title.into(),
            sheet: SheetPlace::Same,
            landscape: false,
            appendix: false,
            blocks: Vec::new(),
        }
    }

    pub fn landscape(mut self) -> Section {
        self.landscape = true;
        self
    }

    pub fn appendix(mut self) -> Section {
        self.appendix = true;
        self
    }

    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    pub fn with(mut self, block: Block) -> Section {
        self.blocks.push(block);
        self
    }

    /// [`Section::with`] for a block that may be absent.
    pub fn with_all(mut self, block: Option<Block>) -> Section {
        self.blocks.extend(block);
        self
    }

    /// The tables of the section, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

/// One part of a section.
#[derive(Debug, Clone)]
pub enum Block {
    /// A sentence or two for the reader.
    Paragraph(String),
    /// A smaller explanatory note (how a figure is counted).
    Note(String),
    /// The one line an empty section shows instead of a table.
    Nothing(String),
    Table(Table),
    /// Items each with a status word and a plain sentence (the KPIs not on track).
    List(Vec<ListItem>),
    /// A cumulative line chart (SVG in HTML, a native chart in Excel).
    Series(SeriesChart),
    /// The fiscal-year timeline (SVG in HTML; in Excel its table says it).
    Timeline(TimelineChart),
}

/// An item of a [`Block::List`].
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    pub status: Status,
    pub title: String,
    pub text: String,
}

/// A table of typed cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Rows the HTML shows at most (the workbooks always list all); the
    /// rest is pointed to with `more`.
    pub html_limit: Option<usize>,
    /// Where the rows past `html_limit` are (`center.xlsx`).
    pub more: Option<String>,
    /// The workbook puts a filter on the table and freezes its header
    /// (the main table of its sheet).
    pub filter: bool,
}

impl Table {
    pub fn new(columns: Vec<Column>) -> Table {
        Table { columns, rows: Vec::new(), html_limit: None, more: None, filter: false }
    }

    /// Adds a data row.
    pub fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row { kind: RowKind::Data, cells });
    }

    /// Adds a row of another kind (group heading, subtotal, total).
    pub fn push(&mut self, kind: RowKind, cells: Vec<Cell>) {
        self.rows.push(Row { kind, cells });
    }

    pub fn filtered(mut self) -> Table {
        self.filter = true;
        self
    }

    /// Lists at most `limit` rows in HTML, pointing to `workbook` for the rest.
    pub fn limit_html(mut self, limit: usize, workbook: &str) -> Table {
        self.html_limit = Some(limit);
        self.more = Some(workbook.to_string());
        self
    }

    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|r| r.kind == RowKind::Group)
    }
}

/// A column: its heading and what it is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The heading; `\n` where it may break (never mid-word).
    pub heading: String,
    pub role: Role,
}

/// How a column is treated by the writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An ordinary column.
    Plain,
    /// Long text (labels, reasons): wide, wraps.
    Wide,
    /// A remark: wraps early, so it never widens the table much.
    Note,
    /// For machines (the English KPI id): the workbook keeps it at the far
    /// right outside the print area; HTML leaves it out.
    Machine,
}

impl Column {
    pub fn plain(heading: &str) -> Column {
        Column { heading: heading.to_string(), role: Role::Plain }
    }
    pub fn wide(heading: &str) -> Column {
        Column { heading: heading.to_string(), role: Role::Wide }
    }
    pub fn note(heading: &str) -> Column {
        Column { heading: heading.to_string(), role: Role::Note }
    }
    pub fn machine(heading: &str) -> Column {
        Column { heading: heading.to_string(), role: Role::Machine }
    }
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    Data,
    /// A heading row inside the table (its first cell spans the row).
    Group,
    Subtotal,
    Total,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

/// A typed cell. The writers decide how each kind looks; the value stays
/// what it is (a workbook gets real numbers and dates).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text from the plan, a workbook or this program (cleaned by the writer).
    Text(String),
    /// Text shown bold (the figure a row is about).
    Strong(String),
    /// A whole-number figure (a fraction is rounded for display, kept in the workbook).
    Count(Option<f64>),
    /// A figure with one decimal, where the fraction means something.
    Decimal(Option<f64>),
    /// A ratio shown as a percentage (`0.559` → `55.9%`).
    Percent(Option<f64>),
    /// A difference with its sign (whole numbers).
    Signed(Option<f64>),
    Yen(Option<i64>),
    Date(Option<NaiveDate>),
    /// The first of a month, shown as the month.
    Month(NaiveDate),
    Status(Status),
    /// Progress toward a target, with the pace line (the 主要指標 block).
    Progress(Progress),
    /// A place in the drop folder, linked when the workbook can open it.
    Link(Link),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    pub fn strong(s: impl Into<String>) -> Cell {
        Cell::Strong(s.into())
    }
    pub fn count(n: impl Into<f64>) -> Cell {
        Cell::Count(Some(n.into()))
    }
    pub fn int(n: i64) -> Cell {
        Cell::Count(Some(n as f64))
    }
}

/// A status as the reader sees it: a word and its tone. The word always
/// carries the meaning; the tone only colours it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub word: String,
    pub tone: Tone,
}

impl Status {
    pub fn new(word: impl Into<String>, tone: Tone) -> Status {
        Status { word: word.into(), tone }
    }
}

/// The colour family of a status (decided with the KPI's verdict).
pub use crate::kpi::verdict::Tone;

/// Progress of a KPI toward its target at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// actual ÷ target.
    pub achievement: Option<f64>,
    /// expected to date ÷ target: where the pace line stands.
    pub pace: Option<f64>,
    pub tone: Tone,
}

/// A place in the drop folder (file, sheet, cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    /// Path of the workbook relative to the report set's folder (with `/`).
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

/// A cumulative line chart of one KPI: actual against the plan, month ends
/// from April.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesChart {
    pub title: String,
    pub unit: String,
    pub target: Option<f64>,
    /// The fiscal year's months (year, month), April first: always twelve.
    pub months: Vec<(i32, u32)>,
    /// Cumulative actual at each month's end (or the as-of date); `None` after.
    pub actual: Vec<Option<f64>>,
    /// Cumulative plan at each month's end.
    pub plan: Vec<Option<f64>>,
    /// The previous fiscal year's cumulative actual at each month's end
    /// (the grey line); empty when there is none.
    pub previous: Vec<Option<f64>>,
    /// The as-of date (the actual line ends there).
    pub as_of: NaiveDate,
}

/// The year's dated events on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineChart {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub as_of: NaiveDate,
    pub events: Vec<TimelineMark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineMark {
    pub date: NaiveDate,
    pub label: String,
    pub kind: MarkKind,
    pub state: MarkState,
}

/// What kind of event a mark is (its shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Competition,
    Council,
    Training,
}

/// Where an event stands at the as-of date (its fill). Only records make an
/// event held: a competition's date is the plan's, so once it has passed it
/// is a plan date (the qualifier's a deadline), never held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkState {
    /// A council meeting or training session in the records.
    Held,
    /// A date still to come.
    Planned,
    /// A competition day of the plan that has passed.
    PlanDate,
    /// A deadline of the plan that has passed.
    Deadline,
    /// A planned due date that passed with no record.
    Missed,
}

impl MarkState {
    /// The word shown next to the event.
    pub fn word(self) -> &'static str {
        match self {
            MarkState::Held => "実施",
            MarkState::Planned => "予定",
            MarkState::PlanDate => "大会日",
            MarkState::Deadline => "期限日",
            MarkState::Missed => "未実施",
        }
    }

    pub fn tone(self) -> Tone {
        match self {
            MarkState::Held => Tone::Good,
            MarkState::Planned => Tone::Muted,
            MarkState::PlanDate | MarkState::Deadline => Tone::Info,
            MarkState::Missed => Tone::Bad,
        }
    }

    pub fn status(self) -> Status {
        Status::new(self.word(), self.tone())
    }
}

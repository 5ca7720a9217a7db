//! `corner-kpi template --fiscal-year N --output DIR`: blank input workbooks
//! for one fiscal year, one book per record type, that the reader recognises
//! exactly and that refuse most typing mistakes.
//!
//! Each book has two sheets: 記入のしかた ([`instructions`]: short Japanese
//! instructions, recognised by the reader as not data) and the data sheet
//! ([`sheet`]: a title row with the corner and the year, the header row the
//! mapping's reader recognises, and [`DATA_ROWS`] rows of formats and data
//! validation built from the schema by [`columns`] and [`validation`]).
//!
//! One book per record type, because different people keep different
//! records (the coordinator the visits, the office the registry) and the
//! reader takes any number of books from the drop folder. Every book is
//! read back with the reader before anything is written ([`verify`]), and
//! the set is added to the folder whole or not at all, never replacing a
//! file ([`crate::publish::atomic::publish_new_files`]): a folder may hold
//! last year's filled-in books.

mod columns;
mod describe;
mod instructions;
mod sheet;
mod validation;

pub use columns::{Rule, WAREKI_DATE_FORMAT};
pub use instructions::SHEET_NAME as INSTRUCTIONS_SHEET;
pub use sheet::{DATA_ROWS, HEADER_ROW};

use crate::config::{Source, TemplateConfig};
use crate::excel_style::base;
use crate::fiscal::FiscalYear;
use crate::ingest::Detection;
use crate::mapping::Mapping;
use crate::plan::Plan;
use crate::publish::atomic::{NewFilesError, fail_at_from_env, publish_new_files};
use crate::schema::DatasetId;
use anyhow::{Context, anyhow, bail};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook};
use std::fmt::Write as _;
use std::path::PathBuf;

/// One workbook of the set.
#[derive(Debug, Clone)]
pub struct Book {
    pub id: DatasetId,
    /// File name (`1_派遣実績_令和8年度.xlsx`).
    pub file: String,
    pub bytes: Vec<u8>,
}

/// The file name of a record type's book: its place in the schema table
/// (so the books list in the order the instructions give), its Japanese
/// name and the year.
pub fn file_name(fy: FiscalYear, id: DatasetId) -> String {
    let n = DatasetId::ALL.iter().position(|d| *d == id).map_or(0, |i| i + 1);
    format!("{n}_{}_{}.xlsx", id.label_ja(), fy.label_ja())
}

/// The blank workbooks of fiscal year `fy` for `corner`, with the headers
/// of `mapping`, one per record type in the schema's order.
pub fn books(fy: FiscalYear, corner: &str, mapping: &Mapping) -> anyhow::Result<Vec<Book>> {
    let names: Vec<(DatasetId, String)> = DatasetId::ALL.iter().map(|id| (*id, file_name(fy, *id))).collect();
    names
        .iter()
        .map(|(id, file)| {
            let bytes = book_bytes(fy, corner, *id, file, &names, mapping)
                .with_context(|| format!("cannot build the workbook {file}"))?;
            Ok(Book { id: *id, file: file.clone(), bytes })
        })
        .collect()
}

fn book_bytes(
    fy: FiscalYear,
    corner: &str,
    id: DatasetId,
    file: &str,
    books: &[(DatasetId, String)],
    mapping: &Mapping,
) -> anyhow::Result<Vec<u8>> {
    let st = Styles::new();
    let columns = columns::columns(id, mapping.dataset(id), fy);
    let year = fy.label_ja();
    let mut wb = Workbook::new();
    wb.set_default_format(&base(), 18, 72)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{year} {}（記入用）", id.label_ja()))
            .set_company(corner)
            .set_author("corner-kpi template"),
    );
    let about = instructions::About { corner, fy, id, file, sheet: id.label_ja(), columns: &columns, books };
    instructions::write_instructions(wb.add_worksheet(), &st, &about)?;
    let heading = sheet::Heading { corner, year: &year, id, name: id.label_ja() };
    sheet::write_data_sheet(wb.add_worksheet(), &st, &heading, &columns)?;
    Ok(wb.save_to_buffer()?)
}

/// Reads every book back with the reader and `mapping`: the data sheet must
/// be recognised as its record type with every field's column, and the
/// instructions sheet as instructions. A corner's mapping whose headers
/// would make a sheet read as another record type (or as two) is refused
/// here, naming the book, before anything is written.
pub fn verify(books: &[Book], mapping: &Mapping, mapping_name: &str) -> anyhow::Result<()> {
    let fix = "見出しの対応表で、その記録の各列の最初の見出しを、ほかの記録の見出しと重ならない名前にしてください";
    for b in books {
        let sheets = crate::ingest::workbook::read_workbook(&b.file, &b.bytes, "xlsx", mapping).map_err(|reason| {
            anyhow!("internal error: the reader cannot open the new workbook {}: {reason}", b.file)
        })?;
        let fields = b.id.schema().fields.len();
        let mut data_sheets = 0;
        for s in &sheets {
            let place = format!("{} の「{}」シート", b.file, s.sheet);
            match &s.detection {
                Detection::Dataset { dataset, columns, .. } if *dataset == b.id && columns.len() == fields => {
                    data_sheets += 1;
                }
                Detection::Dataset { dataset, columns, .. } if *dataset == b.id => bail!(
                    "見出しの対応表 {mapping_name} の見出しで作ると、{place} の {} 列のうち {} 列しか読めません。{fix}",
                    fields,
                    columns.len()
                ),
                Detection::Dataset { dataset, .. } => bail!(
                    "見出しの対応表 {mapping_name} の見出しで作ると、{place} が「{}」ではなく「{}」として読まれます。{fix}",
                    b.id.label_ja(),
                    dataset.label_ja()
                ),
                Detection::Ambiguous { candidates, .. } => bail!(
                    "見出しの対応表 {mapping_name} の見出しで作ると、{place} が {} のどれか決められません。{fix}",
                    candidates.iter().map(|d| d.label_ja()).collect::<Vec<_>>().join("・")
                ),
                Detection::Ignored { reason } if s.sheet == INSTRUCTIONS_SHEET => {
                    if *reason != crate::ingest::header::instructions_reason() {
                        bail!("internal error: {place} is not read as instructions: {reason}");
                    }
                }
                Detection::Ignored { reason } => {
                    bail!(
                        "見出しの対応表 {mapping_name} の見出しで作ると、{place} が記録の表として読めません（{reason}）。{fix}"
                    )
                }
            }
        }
        if data_sheets != 1 {
            bail!("internal error: {} has {data_sheets} data sheets", b.file);
        }
    }
    Ok(())
}

/// What `corner-kpi template` wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub dir: PathBuf,
    pub fiscal_year: FiscalYear,
    pub corner: String,
    /// File names, in order.
    pub files: Vec<String>,
    /// The mapping file whose headers were used, if not the embedded one.
    pub mapping: Option<PathBuf>,
}

impl Written {
    /// A few lines for the terminal.
    pub fn display(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "記入用ブック {} 冊を {} に作りました（{}、{}）:",
            self.files.len(),
            self.dir.display(),
            self.corner,
            self.fiscal_year.label_ja()
        );
        for f in &self.files {
            let _ = writeln!(s, "  {f}");
        }
        let _ = writeln!(
            s,
            "記入したブックを集計に使うフォルダーに置き、corner-kpi run --input <フォルダー> --plan <{}の計画> で報告書を作ります。",
            self.fiscal_year.label_ja()
        );
        if let Some(m) = &self.mapping {
            let _ = writeln!(
                s,
                "見出しは {} に合わせています。集計のときも --mapping {} を付けてください。",
                m.display(),
                m.display()
            );
        }
        s
    }
}

/// `corner-kpi template`: builds the books, checks them with the reader,
/// and adds them to the output folder (all or none; an existing file of the
/// same name is never replaced: the run then writes nothing and says which).
pub fn write(config: &TemplateConfig) -> anyhow::Result<Written> {
    let plan = match &config.plan {
        Source::Embedded => Plan::embedded(),
        Source::File(p) => Plan::from_file(p)?,
    };
    let (mapping, mapping_name) = match &config.mapping {
        Source::Embedded => (Mapping::embedded(), "(embedded)".to_string()),
        Source::File(p) => (Mapping::from_file(p)?, p.display().to_string()),
    };
    let fy = config.fiscal_year.unwrap_or(plan.fiscal_year);
    let dir = config.output.clone().unwrap_or_else(|| PathBuf::from(format!("templates-{}", fy.year())));
    let books = books(fy, &plan.corner, &mapping)?;
    verify(&books, &mapping, &mapping_name)?;
    let files: Vec<(String, Vec<u8>)> = books.into_iter().map(|b| (b.file, b.bytes)).collect();
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    match publish_new_files(&dir, &files, fail_at_from_env().as_deref()) {
        Ok(_) => Ok(Written {
            dir,
            fiscal_year: fy,
            corner: plan.corner,
            files: names,
            mapping: match &config.mapping {
                Source::Embedded => None,
                Source::File(p) => Some(p.clone()),
            },
        }),
        Err(NewFilesError::Exist(there)) => bail!(
            "{} には同じ名前のブックがすでにあります（{}）。記入済みのブックかもしれないため、上書きせず、何も書いていません。\
             別のフォルダーを --output で指定するか、そのブックを別の場所へ移してから、もう一度実行してください",
            dir.display(),
            there.join("、")
        ),
        Err(NewFilesError::Write(e)) => {
            Err(e.context(format!("{} に記入用ブックを書けません（何も書いていません）", dir.display())))
        }
    }
}

/// Header/footer text: `&` doubled (it starts a code there).
fn hf(s: &str) -> String {
    crate::text::clean(s).replace('&', "&&")
}

/// The cell formats of the books (the reports' Japanese font).
pub(crate) struct Styles {
    title: Format,
    data_title: Format,
    subtitle: Format,
    hint: Format,
    heading: Format,
    paragraph: Format,
    table_header: Format,
    table_cell: Format,
    header_required: Format,
    header_optional: Format,
}

impl Styles {
    fn new() -> Styles {
        let boxed = |f: Format| f.set_border(FormatBorder::Thin).set_border_color(0x8EA9C1);
        let header = |f: Format| boxed(f.set_bold().set_text_wrap().set_align(FormatAlign::Center));
        Styles {
            title: base().set_font_size(14).set_bold(),
            data_title: base().set_font_size(14).set_bold().set_text_wrap(),
            subtitle: base().set_font_size(11),
            hint: base().set_font_size(9).set_font_color(0x444444).set_text_wrap(),
            heading: base().set_font_size(12).set_bold().set_font_color(0x1F4E78),
            paragraph: base().set_text_wrap().set_align(FormatAlign::Top),
            table_header: boxed(base().set_bold().set_background_color(0xDDEBF7)),
            table_cell: boxed(base().set_text_wrap().set_align(FormatAlign::Top)),
            header_required: header(base().set_background_color(0x1F4E78).set_font_color(0xFFFFFF)),
            header_optional: header(base().set_background_color(0xDDEBF7).set_font_color(0x1F1F1F)),
        }
    }

    /// The format of a column's data cells.
    fn data(&self, num_format: Option<&str>) -> Format {
        match num_format {
            Some(n) => base().set_num_format(n),
            None => base(),
        }
    }
}

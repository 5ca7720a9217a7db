//! The bundled samples against the generator's own records: every KPI, every
//! sheet's counts, every rejected cell, conflict, duplicate and warning, every
//! row that did not happen, every repeat without a number and copied sheet,
//! and every finding, at an as-of date before the national competition
//! (2023-10-31) and at the year end; and FY2022, whose 派遣番号 repeat
//! FY2023's, counted in its own year, its rows listed apart (過年度).

use chrono::{Datelike, NaiveDate};
use corner_kpi::kpi::Figures;
use corner_kpi::mapping::Mapping;
use corner_kpi::normalise::{Normalised, WarningKind};
use corner_kpi::plan::Plan;
use corner_kpi_samples::{
    ExpectedWarning, ExpectedWarningKind, Fate, Place, SampleSet, expected_not_held, expected_sheets,
    expected_warnings, expected_warnings_at, sample_set,
};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("input-samples")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const AS_OF: [(i32, u32, u32); 2] = [(2023, 10, 31), (2024, 3, 31)];

/// The samples read once (reading is the same for every as-of date).
fn normalised() -> &'static Normalised {
    static N: OnceLock<Normalised> = OnceLock::new();
    N.get_or_init(|| {
        let mapping = Mapping::embedded();
        let ingested = corner_kpi::ingest::ingest(&samples_dir(), &mapping, false).unwrap();
        corner_kpi::normalise::normalise(ingested, &mapping).unwrap()
    })
}

/// The ledger once a run at `as_of` with the embedded FY2023 plan has
/// settled it (予定 past its date, competition rows without a year).
fn settled(as_of: NaiveDate) -> corner_kpi::normalise::Quality {
    let mut n = Normalised { quality: normalised().quality.clone(), ..Normalised::default() };
    n.settle(Plan::embedded().fiscal_year, as_of);
    n.quality
}

fn figures(as_of: NaiveDate) -> Figures {
    corner_kpi::kpi::compute(&Plan::embedded(), &Mapping::embedded(), &normalised().datasets, as_of).unwrap()
}

fn set() -> &'static SampleSet {
    static S: OnceLock<SampleSet> = OnceLock::new();
    S.get_or_init(sample_set)
}

#[test]
fn every_kpi_equals_the_generators_count_at_both_dates() {
    for (y, m, day) in AS_OF {
        let as_of = d(y, m, day);
        let fig = figures(as_of);
        let truth = set().kpi_actuals(as_of);
        assert_eq!(truth.len(), fig.kpis.len(), "every KPI id has a ground truth");
        for (id, expected) in truth {
            let k = fig.kpis.iter().find(|k| k.id == id).unwrap_or_else(|| panic!("{id} missing"));
            assert_eq!(k.actual, Some(expected), "{id} at {as_of}");
        }
    }
}

#[test]
fn every_sheet_reconciles_with_the_generators_layout() {
    let q = &normalised().quality;
    let expected = expected_sheets();
    assert_eq!(q.sheets.len(), expected.len());
    for e in expected {
        let s = q
            .sheets
            .iter()
            .find(|s| s.file == e.file && s.sheet == e.sheet)
            .unwrap_or_else(|| panic!("{} / {} not read", e.file, e.sheet));
        let label = format!("{} / {}", e.file, e.sheet);
        assert_eq!(s.dataset.map(|d| d.key()), e.dataset, "{label}");
        if e.dataset.is_none() {
            assert!(s.note.is_some(), "{label}: ignored sheets say why");
            continue;
        }
        assert_eq!(s.header_row, e.header_row, "{label}");
        assert_eq!(
            (s.rows_read, s.accepted, s.rejected, s.skipped_blank, s.skipped_total, s.skipped_duplicate, s.not_held),
            (
                e.rows_read as usize,
                e.accepted as usize,
                e.rejected as usize,
                e.skipped_blank as usize,
                e.skipped_total as usize,
                e.skipped_duplicate as usize,
                e.not_held as usize
            ),
            "{label}"
        );
        assert!(s.reconciles(), "{label}");
        // A copied sheet says so, and is listed with the sheet it copies.
        let copy =
            q.sheet_copies.iter().find(|c| c.file == e.file && c.sheet == e.sheet).map(|c| (&c.of_file, &c.of_sheet));
        assert_eq!(copy, e.copy_of.as_ref().map(|of| (&e.file, of)), "{label}");
        assert_eq!(s.note.is_some(), e.copy_of.is_some(), "{label}: {:?}", s.note);
    }
    assert_eq!(q.sheet_copies.len(), expected_sheets().iter().filter(|e| e.copy_of.is_some()).count());
    let skipped: BTreeSet<String> = q
        .files
        .iter()
        .filter(|f| matches!(f.outcome, corner_kpi::ingest::FileOutcome::Skipped { .. }))
        .map(|f| f.file.clone())
        .collect();
    let expected: BTreeSet<String> = corner_kpi_samples::expected_skipped_files().into_iter().collect();
    assert_eq!(skipped, expected);
}

/// (file, sheet, row, column) of every record the generator planted as bad.
fn planted_rejections(s: &SampleSet) -> BTreeSet<(String, String, u32, String)> {
    let mut out = BTreeSet::new();
    let mut add = |fate: &Fate, p: &Place| {
        if let Some(column) = fate.rejected_column() {
            out.insert((p.file.clone(), p.sheet.clone(), p.row, column.to_string()));
        }
    };
    s.dispatches.iter().for_each(|r| add(&r.fate, &r.place));
    s.outreach.iter().for_each(|r| add(&r.fate, &r.place));
    s.meisters.iter().for_each(|r| add(&r.fate, &r.place));
    s.trainings.iter().for_each(|r| add(&r.fate, &r.place));
    s.competitions.iter().for_each(|r| add(&r.fate, &r.place));
    s.meetings.iter().for_each(|r| add(&r.fate, &r.place));
    s.visits.iter().for_each(|r| add(&r.fate, &r.place));
    s.incidents.iter().for_each(|r| add(&r.fate, &r.place));
    out
}

#[test]
fn every_planted_bad_row_is_rejected_at_its_cell_and_nothing_else() {
    let q = &normalised().quality;
    let got: BTreeSet<(String, String, u32, String)> = q
        .rejected
        .iter()
        .map(|r| {
            let row: u32 = r.cell.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap();
            (r.file.clone(), r.sheet.clone(), row, r.column.clone())
        })
        .collect();
    assert_eq!(got, planted_rejections(set()));
    for r in &q.rejected {
        assert!(!r.reason.is_empty() && r.reason.chars().count() < 300, "{}", r.reason);
    }
    // Duplicates: every planted duplicate, with the kept row's place.
    let planted: BTreeSet<(String, String, u32)> = set()
        .dispatches
        .iter()
        .filter(|r| matches!(r.fate, Fate::Duplicate { .. }))
        .map(|r| (r.place.file.clone(), r.place.sheet.clone(), r.place.row))
        .collect();
    let got: BTreeSet<(String, String, u32)> = q
        .duplicates
        .iter()
        .map(|dup| {
            let row: u32 = dup.skipped.cell.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap();
            (dup.skipped.file.clone(), dup.skipped.sheet.clone(), row)
        })
        .collect();
    assert_eq!(got, planted);
}

fn row_of(cell: &str) -> u32 {
    cell.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap()
}

fn at(p: &Place) -> (String, String, u32) {
    (p.file.clone(), p.sheet.clone(), p.row)
}

/// (file, sheet, cell, kind key, what) of a warning the generator expects.
type WarningKey = (String, String, String, &'static str, String);

fn expected_keys(warnings: &[ExpectedWarning]) -> BTreeSet<WarningKey> {
    warnings
        .iter()
        .map(|w| {
            let (kind, what) = match &w.kind {
                ExpectedWarningKind::Field { column } => ("field", column.to_string()),
                ExpectedWarningKind::DateOutsideSheetYear { date, sheet_year } => {
                    ("date_outside_sheet_year", format!("{date} / {sheet_year}"))
                }
                ExpectedWarningKind::Check(c) => (c.key(), c.key().to_string()),
            };
            (w.file.clone(), w.sheet.clone(), w.cell.clone(), kind, what)
        })
        .collect()
}

fn listed_keys(q: &corner_kpi::normalise::Quality) -> BTreeSet<WarningKey> {
    let got: BTreeSet<WarningKey> = q
        .warnings
        .iter()
        .map(|w| {
            let what = match &w.kind {
                WarningKind::Field => w.column.clone(),
                WarningKind::DateOutsideSheetYear { date, sheet_year } => format!("{date} / {sheet_year}"),
                WarningKind::Check(c) => c.key().to_string(),
            };
            (w.file.clone(), w.sheet.clone(), w.cell.clone(), w.kind.key(), what)
        })
        .collect();
    assert_eq!(got.len(), q.warnings.len(), "no warning twice");
    got
}

#[test]
fn every_warning_is_one_the_generator_expects_and_every_expected_one_is_listed() {
    let q = &normalised().quality;
    let expected = expected_keys(&expected_warnings());
    assert_eq!(listed_keys(q), expected);
    assert!(expected.iter().any(|w| w.3 == "field") && expected.iter().any(|w| w.3 == "date_outside_sheet_year"));
    // Every check item of the office conventions that does not depend on
    // the as-of date is planted at least once.
    for kind in [
        "remarks_word",
        "partly_struck",
        "zero_attendance",
        "repeat_without_number",
        "equal_rows_in_sheet",
        "count_with_note",
    ] {
        assert!(expected.iter().any(|w| w.3 == kind), "{kind} planted");
    }
    // A run at either date adds the 予定 rows past their day (and nothing
    // else: every competition row's year is named).
    for (y, m, day) in AS_OF {
        let as_of = d(y, m, day);
        let q = settled(as_of);
        let expected = expected_keys(&expected_warnings_at(as_of));
        assert_eq!(listed_keys(&q), expected, "at {as_of}");
        assert!(expected.iter().any(|w| w.3 == "planned_past_date"), "at {as_of}");
        assert!(q.year_unnamed.is_empty(), "{:?}", q.year_unnamed);
    }
    for w in &q.warnings {
        assert!(!w.reason.is_empty() && w.reason.chars().count() < 300, "{}", w.reason);
    }
    // A warned row is never rejected (it counts, or its check says why not).
    let rejected: BTreeSet<(String, String, u32)> =
        q.rejected.iter().map(|r| (r.file.clone(), r.sheet.clone(), row_of(&r.cell))).collect();
    for w in &q.warnings {
        assert!(!rejected.contains(&(w.file.clone(), w.sheet.clone(), row_of(&w.cell))), "{w:?}");
    }
}

/// (file, sheet, cell, kind key) of a not-held row.
type NotHeldKey = (String, String, String, &'static str);

#[test]
fn every_planted_row_that_did_not_happen_is_listed_at_its_cell_with_its_kind_and_no_other_row_is() {
    let q = &normalised().quality;
    let planted = expected_not_held();
    let expected: BTreeSet<NotHeldKey> =
        planted.iter().map(|n| (n.file.clone(), n.sheet.clone(), n.cell.clone(), n.kind.key())).collect();
    let got: BTreeSet<NotHeldKey> =
        q.not_held.iter().map(|n| (n.file.clone(), n.sheet.clone(), n.cell.clone(), n.kind.key())).collect();
    assert_eq!(got.len(), q.not_held.len(), "no row listed twice");
    assert_eq!(got, expected);
    assert_eq!(q.not_held_rows(), planted.len(), "each counted once in its sheet");
    // Each with the date its row holds (none where the date cell says 中止),
    // and that date's fiscal year (else the sheet's).
    for n in &q.not_held {
        let p = planted.iter().find(|p| (&p.file, &p.sheet, &p.cell) == (&n.file, &n.sheet, &n.cell)).unwrap();
        assert_eq!(n.date, p.date, "{n:?}");
        let fy = |d: NaiveDate| if d.month() >= 4 { d.year() } else { d.year() - 1 };
        assert_eq!(n.fiscal_year, Some(p.date.map_or(2023, fy)), "{n:?}");
    }
    // Every way a row says so is planted: 状況 中止 and 予定, 備考, a date
    // cell of 中止, struck through in an .xlsx and in an .ods, nobody came.
    let kinds: BTreeSet<&str> = expected.iter().map(|n| n.3).collect();
    for kind in ["cancelled", "planned", "remarks", "date_word", "struck_through", "zero_attendance"] {
        assert!(kinds.contains(kind), "{kind} planted");
    }
    for ext in [".xlsx", ".ods"] {
        assert!(expected.iter().any(|n| n.3 == "struck_through" && n.0.ends_with(ext)), "struck through in {ext}");
    }
    // None of them counts anywhere: no duplicate, rejection or warning but
    // the checks of nobody coming and of 予定 past its date.
    let rows: BTreeSet<(String, String, u32)> =
        q.not_held.iter().map(|n| (n.file.clone(), n.sheet.clone(), row_of(&n.cell))).collect();
    for r in &q.rejected {
        assert!(!rows.contains(&(r.file.clone(), r.sheet.clone(), row_of(&r.cell))), "{r:?}");
    }
    for dup in &q.duplicates {
        assert!(!rows.contains(&(dup.skipped.file.clone(), dup.skipped.sheet.clone(), row_of(&dup.skipped.cell))));
    }
}

#[test]
fn a_postponed_row_and_the_held_row_of_its_number_are_one_session_not_a_conflict() {
    let s = set();
    let postponed: Vec<&corner_kpi_samples::DispatchRecord> = s
        .dispatches
        .iter()
        .filter(|r| matches!(r.fate, Fate::NotHeld { kind: corner_kpi_samples::NotHeldKind::Remarks, .. }))
        .collect();
    assert!(!postponed.is_empty());
    let q = &normalised().quality;
    for p in postponed {
        let no = p.dispatch_no.as_deref().expect("the postponed row keeps its number");
        let held: Vec<_> = s
            .dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && r.dispatch_no.as_deref() == Some(no) && r.date.year() == 2023)
            .filter(|r| r.date.month() >= 4)
            .collect();
        assert_eq!(held.len(), 1, "{no}");
        assert_ne!(held[0].date, p.date);
        assert!(q.rejected.iter().all(|r| r.key.as_deref() != Some(no)), "{no} is no conflict");
        assert!(
            q.duplicates.iter().all(|d| row_of(&d.skipped.cell) != p.place.row || d.skipped.sheet != p.place.sheet)
        );
    }
}

#[test]
fn repeats_without_a_number_and_a_copied_sheet_are_skipped_and_days_make_sessions() {
    let q = &normalised().quality;
    let s = set();
    // Each row pasted into another book is skipped at its place and checked.
    let pasted: Vec<&corner_kpi_samples::DispatchRecord> =
        s.dispatches.iter().filter(|r| matches!(r.fate, Fate::RepeatWithoutNumber { .. })).collect();
    assert!(pasted.len() >= 2, "a few rows pasted");
    for r in &pasted {
        let Fate::RepeatWithoutNumber { kept } = &r.fate else { unreachable!() };
        assert!(kept.file != r.place.file && r.dispatch_no.is_none());
        let w = q
            .warnings
            .iter()
            .find(|w| {
                w.kind.key() == "repeat_without_number"
                    && (w.file.clone(), w.sheet.clone(), row_of(&w.cell)) == at(&r.place)
            })
            .unwrap_or_else(|| panic!("{:?} not checked", r.place));
        assert!(w.reason.contains(&kept.sheet), "{}", w.reason);
    }
    // Two equal rows of one sheet both count.
    let equal = expected_warnings()
        .into_iter()
        .filter(|w| matches!(w.kind, ExpectedWarningKind::Check(corner_kpi_samples::CheckKind::EqualRowsInSheet)))
        .count();
    assert_eq!(equal, 1);
    // The copied sheet: every row skipped, none read into the frames.
    let copies: Vec<_> = expected_sheets().into_iter().filter(|e| e.copy_of.is_some()).collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0].sheet, format!("{} (2)", copies[0].copy_of.as_deref().unwrap()));
    assert_eq!(q.sheet_copies[0].rows as u32, copies[0].skipped_duplicate);
    let df = &normalised().datasets[&corner_kpi::schema::DatasetId::Dispatches];
    let sheets = df.column("_sheet").unwrap().str().unwrap().clone();
    assert!(sheets.iter().all(|s| s != Some(copies[0].sheet.as_str())));
    // A row over several days is one frame row per session beyond the first.
    let further: usize = s.dispatches.iter().filter(|r| r.fate.is_accepted()).map(|r| r.sessions().len() - 1).sum();
    assert!(s.dispatches.iter().any(|r| r.days > 1) && s.dispatches.iter().any(|r| r.last_day.is_some()));
    assert_eq!(q.further_days, further);
    assert_eq!(
        df.height(),
        s.dispatches.iter().filter(|r| r.fate.is_accepted()).map(|r| r.sessions().len()).sum::<usize>()
    );
}

#[test]
fn last_years_rows_are_listed_apart_and_never_count_this_year() {
    let q = &normalised().quality;
    let s = set();
    let fy = |d: NaiveDate| if d.month() >= 4 { d.year() } else { d.year() - 1 };
    // The rejected rows of FY2022 (by their date, or the year their sheet
    // names): listed with that year, apart from this year's.
    let past: BTreeSet<(String, String, u32)> = s
        .competitions
        .iter()
        .filter(|r| r.fate.rejected_column().is_some() && r.fiscal_year.is_some_and(|y| y < 2023))
        .map(|r| at(&r.place))
        .chain(
            s.dispatches
                .iter()
                .filter(|r| r.fate.rejected_column().is_some() && fy(r.date) < 2023)
                .map(|r| at(&r.place)),
        )
        .collect();
    assert!(!past.is_empty(), "a rejected row of last year's list");
    let got: BTreeSet<(String, String, u32)> = q
        .rejected
        .iter()
        .filter(|r| corner_kpi::normalise::quality::is_past(r.fiscal_year, 2023))
        .map(|r| (r.file.clone(), r.sheet.clone(), row_of(&r.cell)))
        .collect();
    assert_eq!(got, past);
    assert_eq!(q.rejected_from(2023), q.rejected.len() - past.len());
    // Last year's competition list names its year only in its title: its
    // entries are FY2022's, in the frame with that year.
    let listed: Vec<_> = s.competitions.iter().filter(|r| r.place.file.starts_with("過年度/")).collect();
    assert!(listed.len() >= 5 && listed.iter().all(|r| r.fiscal_year == Some(2022)));
    let df = &normalised().datasets[&corner_kpi::schema::DatasetId::Competitions];
    let files = df.column("_file").unwrap().str().unwrap().clone();
    let years = df.column("fiscal_year").unwrap().i32().unwrap().clone();
    for (f, y) in files.iter().zip(years.iter()) {
        if f.is_some_and(|f| f.starts_with("過年度/")) {
            assert_eq!(y, Some(2022));
        }
    }
}

#[test]
fn a_conflicting_repeat_is_rejected_naming_the_number_and_the_fields_that_differ() {
    let q = &normalised().quality;
    let s = set();
    // (place, fate) of every planted conflict, with the counted fields of its scope.
    let dispatch_fields: &[&str] = &["実施日", "派遣先区分", "派遣先名", "職種", "受講者数", "区分"];
    let registry_fields: &[&str] = &["職種", "認定日", "氏名", "地区", "講習受講日", "登録解除日", "最終活動日"];
    let mut planted: Vec<(&Place, &Fate, &[&str])> = Vec::new();
    planted.extend(s.dispatches.iter().map(|r| (&r.place, &r.fate, dispatch_fields)));
    planted.extend(s.meisters.iter().map(|r| (&r.place, &r.fate, registry_fields)));
    planted.retain(|(_, f, _)| matches!(f, Fate::Conflict { .. }));
    assert_eq!(planted.len(), 2, "a 派遣番号 conflict and a 認定番号 conflict");
    assert_eq!(q.conflicts(), planted.len());
    for (place, fate, counted) in planted {
        let Fate::Conflict { column, number, kept, differing } = fate else { unreachable!() };
        let r = q
            .rejected
            .iter()
            .find(|r| (r.file.clone(), r.sheet.clone(), row_of(&r.cell)) == at(place))
            .unwrap_or_else(|| panic!("{place:?} not rejected"));
        assert_eq!(r.column, *column, "{place:?}");
        let with = r.conflicts_with.as_ref().expect("a conflict names the row kept");
        assert_eq!((with.file.clone(), with.sheet.clone(), row_of(&with.cell)), at(kept));
        assert!(r.reason.contains(number.as_str()), "{}", r.reason);
        for field in differing {
            assert!(r.reason.contains(field), "{field} not named: {}", r.reason);
        }
        // The equal counted fields are not named (a header may still occur
        // inside a longer one that is, or inside the kept row's file name).
        for f in counted.iter().filter(|f| !differing.contains(f)) {
            let inside = differing.iter().chain([column]).any(|t| t.contains(f)) || kept.file.contains(f);
            assert!(inside || !r.reason.contains(f), "{f} named though equal: {}", r.reason);
        }
        assert!(!r.reason.contains("指導時間"), "指導時間 is not a counted field: {}", r.reason);
        // A conflict is not a duplicate.
        assert!(q.duplicates.iter().all(|d| (
            d.skipped.file.clone(),
            d.skipped.sheet.clone(),
            row_of(&d.skipped.cell)
        ) != at(place)));
    }
}

/// A plan for FY2022 with the dispatch KPIs only (linear).
fn fy2022_plan() -> Plan {
    let mut text = String::from("[plan]\nname = \"令和4年度\"\ncorner = \"山口\"\nfiscal_year = 2022\n");
    for id in [
        "dispatch.sessions",
        "dispatch.person_days",
        "dispatch.sme_groups.sessions",
        "dispatch.schools.sessions",
        "skilled.sessions",
        "skilled.trainees",
    ] {
        text.push_str(&format!(
            "\n[[kpi]]\nid = \"{id}\"\nlabel = \"{id}\"\nunit = \"回\"\ndirection = \"at_least\"\ntarget = 100\n"
        ));
    }
    Plan::parse(&text, "fy2022").unwrap()
}

#[test]
fn numbers_repeated_across_fiscal_years_are_two_sessions_each_counted_in_its_own_year() {
    let q = &normalised().quality;
    let s = set();
    let fy = |d: NaiveDate| if d.month() >= 4 { d.year() } else { d.year() - 1 };
    // Numbers that accepted sessions of both years carry.
    let numbers = |year: i32| -> BTreeSet<&str> {
        s.dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && fy(r.date) == year)
            .filter_map(|r| r.dispatch_no.as_deref())
            .collect()
    };
    let both: BTreeSet<&str> = numbers(2022).intersection(&numbers(2023)).copied().collect();
    assert!(both.len() >= 80, "{}", both.len());
    let cross: Vec<&corner_kpi_samples::DispatchRecord> = s
        .dispatches
        .iter()
        .filter(|r| r.fate.is_accepted() && r.dispatch_no.as_deref().is_some_and(|n| both.contains(n)))
        .collect();
    let skipped: BTreeSet<(String, String, u32)> = q
        .duplicates
        .iter()
        .map(|d| (d.skipped.file.clone(), d.skipped.sheet.clone(), row_of(&d.skipped.cell)))
        .collect();
    let rejected: BTreeSet<(String, String, u32)> =
        q.rejected.iter().map(|r| (r.file.clone(), r.sheet.clone(), row_of(&r.cell))).collect();
    for r in &cross {
        assert!(!skipped.contains(&at(&r.place)), "{:?} {:?} listed as a duplicate", r.dispatch_no, r.place);
        assert!(!rejected.contains(&at(&r.place)), "{:?} {:?} rejected", r.dispatch_no, r.place);
    }
    // Each year's figures count that year's sessions: FY2022 (the 過年度
    // book and the late rows of 上期 4月) against a FY2022 plan …
    let as_of = d(2023, 3, 31);
    let fig = corner_kpi::kpi::compute(&fy2022_plan(), &Mapping::embedded(), &normalised().datasets, as_of).unwrap();
    let truth: std::collections::BTreeMap<&str, f64> = s.kpi_actuals(as_of).into_iter().collect();
    for k in &fig.kpis {
        assert_eq!(k.actual, Some(truth[k.id.as_str()]), "{} in FY2022", k.id);
    }
    let sessions = truth["dispatch.sessions"];
    assert_eq!(
        sessions,
        s.dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && fy(r.date) == 2022 && r.instructor_type == "ものづくりマイスター")
            .count() as f64
    );
    assert!(sessions >= 80.0, "{sessions}");
    // … and FY2023 its own (every_kpi_equals_the_generators_count_at_both_dates).
}

#[test]
fn merged_skilled_category_rows_of_the_ods_count_as_skilled_sessions() {
    let s = set();
    let ods: Vec<&corner_kpi_samples::DispatchRecord> =
        s.dispatches.iter().filter(|r| r.place.file.ends_with(".ods")).collect();
    assert!(ods.len() >= 4 && ods.iter().all(|r| r.instructor_type == "熟練技能者" && r.fate.is_accepted()));
    let merged =
        expected_sheets().into_iter().find(|e| e.file == ods[0].place.file).map(|e| e.data_merges).unwrap_or_default();
    assert!(merged.iter().any(|m| m.last_row - m.first_row >= 3), "区分 merged over several rows: {merged:?}");
    // Every row of the .ods read as 熟練技能者 (none fell back to the default).
    let df = &normalised().datasets[&corner_kpi::schema::DatasetId::Dispatches];
    let files = df.column("_file").unwrap().str().unwrap().clone();
    let types = df.column("instructor_type").unwrap().str().unwrap().clone();
    let read: Vec<Option<&str>> = files
        .iter()
        .zip(types.iter())
        .filter(|(f, _)| *f == Some(ods[0].place.file.as_str()))
        .map(|(_, t)| t)
        .collect();
    assert_eq!(read.len(), ods.len());
    assert!(read.iter().all(|t| *t == Some("熟練技能者")), "{read:?}");
    for (y, m, day) in AS_OF {
        let as_of = d(y, m, day);
        let fig = figures(as_of);
        let truth: std::collections::BTreeMap<&str, f64> = s.kpi_actuals(as_of).into_iter().collect();
        for id in ["skilled.sessions", "skilled.trainees", "dispatch.sessions"] {
            let k = fig.kpis.iter().find(|k| k.id == id).unwrap();
            assert_eq!(k.actual, Some(truth[id]), "{id} at {as_of}");
        }
    }
}

#[test]
fn monthly_dispatch_sessions_equal_the_records_month_by_month() {
    let as_of = d(2023, 10, 31);
    let fig = figures(as_of);
    let series = fig.monthly.iter().find(|m| m.kpi_id == "dispatch.sessions").unwrap();
    let mut cumulative = 0.0;
    for p in &series.months {
        let first = d(p.year, p.month, 1);
        if first > as_of {
            assert_eq!((p.actual, p.cumulative_actual), (None, None));
            continue;
        }
        // Each session in the month of its day (a range over a month end
        // splits, 日数 N is N sessions).
        let n = set()
            .dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && r.instructor_type == "ものづくりマイスター")
            .flat_map(|r| r.sessions())
            .filter(|date| {
                *date >= first && *date <= as_of && (date.year(), date.month()) == (first.year(), first.month())
            })
            .count() as f64;
        cumulative += n;
        assert_eq!(p.actual, Some(n), "{}-{}", p.year, p.month);
        assert_eq!(p.cumulative_actual, Some(cumulative));
    }
    // The plan line reaches the target at the year end.
    assert_eq!(series.months[11].cumulative_plan, Some(270.0));
}

fn finding<'a>(fig: &'a Figures, rule: &str) -> Option<&'a corner_kpi::kpi::findings::Finding> {
    fig.findings.iter().find(|f| f.rule == rule)
}

#[test]
fn findings_list_what_the_samples_planted_and_nothing_else() {
    let s = set();
    for (y, m, day) in AS_OF {
        let as_of = d(y, m, day);
        let fig = figures(as_of);
        let in_fy = |date: NaiveDate| date >= d(2023, 4, 1) && date <= as_of;
        let mut expected_rules = BTreeSet::new();

        // Sessions outside 1–3 hours.
        let long: BTreeSet<u32> = s
            .dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && in_fy(r.date) && r.hours.is_some_and(|h| !(1.0..=3.0).contains(&h)))
            .map(|r| r.place.row)
            .collect();
        if !long.is_empty() {
            expected_rules.insert("session_length");
            let f = finding(&fig, "session_length").expect("session_length");
            assert_eq!(f.items.iter().map(|i| i.row.unwrap()).collect::<BTreeSet<_>>(), long);
        }
        // 受講手当 above zero.
        let paid = s
            .trainings
            .iter()
            .filter(|r| r.fate.is_accepted() && in_fy(r.date) && r.allowance_yen.unwrap_or(0) > 0)
            .count();
        if paid > 0 {
            expected_rules.insert("attendance_allowance");
            assert_eq!(finding(&fig, "attendance_allowance").expect("allowance").count, paid);
        }
        // Qualifier fee other than the plan's 8,900 yen.
        let fees = s
            .competitions
            .iter()
            .filter(|r| r.fate.is_accepted() && r.event == "技能五輪予選" && r.fiscal_year.is_none_or(|y| y == 2023))
            .filter(|r| r.fee_yen.is_some_and(|f| f != 8900))
            .count();
        if fees > 0 {
            expected_rules.insert("qualifier_fee");
            assert_eq!(finding(&fig, "qualifier_fee").expect("fee").count, fees);
        }
        // Late incident reports (blank or more than one day after).
        let late = s
            .incidents
            .iter()
            .filter(|r| r.fate.is_accepted() && in_fy(r.date))
            .filter(|r| r.reported_on.is_none_or(|rep| (rep - r.date).num_days() > 1))
            .count();
        if late > 0 {
            expected_rules.insert("late_incident_report");
            assert_eq!(finding(&fig, "late_incident_report").expect("late").count, late);
        }
        // Untrained meisters instructing.
        let untrained: BTreeSet<&str> = s
            .meisters
            .iter()
            .filter(|m| m.fate.is_accepted() && m.trained_on.is_none())
            .map(|m| m.meister_no.as_str())
            .collect();
        let led = s
            .dispatches
            .iter()
            .filter(|r| r.fate.is_accepted() && r.instructor_type == "ものづくりマイスター")
            .filter(|r| r.meister_no.as_deref().is_some_and(|n| untrained.contains(n)))
            .flat_map(|r| r.sessions())
            .filter(|date| in_fy(*date))
            .count();
        if led > 0 {
            expected_rules.insert("untrained_instructing");
            assert_eq!(finding(&fig, "untrained_instructing").expect("untrained").count, led);
        }
        // Deregistration candidates, by number.
        let inactive: BTreeSet<String> = s.inactive_meisters(as_of).into_iter().collect();
        if !inactive.is_empty() {
            expected_rules.insert("deregistration_candidate");
            let f = finding(&fig, "deregistration_candidate").expect("candidates");
            let got: BTreeSet<String> = f.items.iter().map(|i| i.meister_no.clone().unwrap()).collect();
            assert_eq!(got, inactive, "at {as_of}");
        }
        // Requesters over the yearly cap (20 companies/groups, 10 schools).
        let mut per: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
        for r in s.dispatches.iter().filter(|r| r.fate.is_accepted()) {
            *per.entry((r.requester.as_str(), r.dest_type)).or_default() +=
                r.sessions().into_iter().filter(|date| in_fy(*date)).count();
        }
        let over = per
            .iter()
            .filter(|((_, t), n)| match *t {
                "工業高校等" => **n > 10,
                "公共施設等" => false,
                _ => **n > 20,
            })
            .count();
        if over > 0 {
            expected_rules.insert("requester_cap");
            assert_eq!(finding(&fig, "requester_cap").expect("caps").count, over);
        }
        let got: BTreeSet<&str> = fig.findings.iter().map(|f| f.rule).collect();
        assert_eq!(got, expected_rules, "at {as_of}");
        // Findings name meisters by number only.
        for f in &fig.findings {
            for item in &f.items {
                for name in corner_kpi_samples::pii_values() {
                    assert!(!item.detail.contains(&name), "{name} in a finding");
                }
            }
        }
    }
}

#[test]
fn the_binary_on_the_bundled_samples_gives_the_generators_figures_and_no_personal_value() {
    let dir = crate::harness::Dir::new();
    for (as_of, code) in [("2023-10-31", 1), ("2024-03-31", 1)] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_corner-kpi"))
            .args(["run", "--as-of", as_of, "--input"])
            .arg(samples_dir())
            .arg("--output")
            .arg(dir.output())
            .env("CI", "1")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{}", String::from_utf8_lossy(&out.stderr));
        // The binary's kpis.json carries the generator's figures too.
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.output().join("2023").join(as_of).join("kpis.json")).unwrap(),
        )
        .unwrap();
        let date = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
        for (id, expected) in set().kpi_actuals(date) {
            let k = json["kpis"].as_array().unwrap().iter().find(|k| k["id"] == id).unwrap();
            assert_eq!(k["actual"].as_f64(), Some(expected), "{id} at {as_of}");
            assert_ne!(k["status"], "no_data", "{id}");
        }
        // Every row that did not happen is listed there too, and none of
        // last year's rows raises the exit status.
        assert_eq!(json["not_held"].as_array().unwrap().len(), expected_not_held().len());
        let past = json["rejected"].as_array().unwrap().iter().filter(|r| r["past_year"] == true).count();
        assert!(past >= 1, "last year's rejected row is listed apart");
        let terminal = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        for name in corner_kpi_samples::pii_values() {
            assert!(!terminal.contains(&name), "{name} on the terminal");
        }
    }
    let texts = crate::pipeline::output_texts(&dir);
    assert!(texts.iter().filter(|(f, _)| f.contains(".xlsx!")).count() > 10, "xlsx parts were scanned");
    let names = corner_kpi_samples::pii_values();
    assert!(names.len() >= 10, "the samples plant names in every PII column");
    for (file, bytes) in &texts {
        let text = String::from_utf8_lossy(bytes);
        for name in &names {
            assert!(!text.contains(name.as_str()), "{name} found in {file}");
        }
    }
}

//! A hand-kept dispatch sheet with every kind of layout and value mess,
//! read through ingest → normalise → kpi; the expected figures are counted
//! by hand from the rows written here.

use crate::harness::{Dir, V, V::*, fill, xlsx};
use chrono::NaiveDate;
use corner_kpi::kpi::{Figures, Status};
use corner_kpi::mapping::Mapping;
use corner_kpi::normalise::Normalised;
use corner_kpi::plan::Plan;
use corner_kpi::schema::DatasetId;
use rust_xlsxwriter::{Format, Workbook};

fn s(x: &str) -> V {
    Str(x.to_string())
}

/// The October sheet: 10 rows below the header (rows 4..13 in Excel).
fn october() -> Vec<Vec<V>> {
    vec![
        vec![S("令和5年度 ものづくりマイスター派遣実績一覧（10月）")],
        vec![],
        vec![
            S("通し番号"),
            S("指導日"),
            S("派遣先\n区分"),
            S("派遣先名"),
            S("職種"),
            S("受講者数\n（人）"),
            S("区分"),
            S("指導者氏名"),
            S("派遣番号"),
            S("備考"),
        ],
        // 4: meister, SME, real date cell
        vec![
            N(1.0),
            D(2023, 10, 2),
            S("企業"),
            S("A社"),
            S("機械加工"),
            N(12.0),
            S("マイスター"),
            S("山田 太郎"),
            S("1001"),
        ],
        // 5: blank 区分 → meister by default; wareki short form; count with unit
        vec![N(2.0), S("R5.10.3"), S("工業高校"), S("B高校"), S("電気工事"), S("15人"), E, S("鈴木 花子"), S("1002")],
        // 6: skilled worker; full-width wareki and digits
        vec![
            N(3.0),
            S("令和５年１０月５日"),
            S("学校"),
            S("B高校"),
            S("電気工事"),
            S("１２"),
            S("熟練技能者等"),
            E,
            S("1003"),
        ],
        // 7: blank row (only the pre-filled serial number)
        vec![N(4.0)],
        // 8: a plain serial number as the date (45209 = 2023-10-10)
        vec![N(5.0), N(45209.0), S("商工会"), S("C会"), S("溶接"), N(8.0), S("マイスター"), E, S("1004")],
        // 9: unknown category label → rejected
        vec![N(6.0), s("2023/10/11"), S("NPO"), S("D"), S("溶接"), N(5.0), S("マイスター"), E, S("1005")],
        // 10: impossible date → rejected
        vec![N(7.0), s("2023/9/31"), S("企業"), S("E社"), S("溶接"), N(5.0), S("マイスター"), E, S("1006")],
        // 11: repeated 派遣番号 1001 → duplicate, counted once
        vec![N(8.0), D(2023, 10, 2), S("企業"), S("A社"), S("機械加工"), N(12.0), S("マイスター"), E, S("1001")],
        // 12: after the as-of date 2023-10-31: accepted, not counted
        vec![N(9.0), D(2023, 11, 2), S("公共施設"), S("F館"), S("木工"), N(30.0), S("マイスター"), E, S("1007")],
        // 13: total row
        vec![S("合計"), E, E, E, E, N(84.0)],
    ]
}

pub fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("10月").unwrap();
    fill(ws, &october());
    ws.merge_range(0, 0, 0, 9, "令和5年度 ものづくりマイスター派遣実績一覧（10月）", &Format::new()).unwrap();

    // A second month with columns in another order and a date merged over
    // two sessions (both count on 2023-04-20).
    let ws = wb.add_worksheet();
    ws.set_name("4月").unwrap();
    fill(
        ws,
        &[
            vec![S("受講者数(名)"), S("職種"), S("実施日 "), S("派遣先名"), S("派遣先区分")],
            vec![N(10.0), S("旋盤"), E, S("G社"), S("中小企業")],
            vec![N(6.0), S("旋盤"), E, S("G社"), S("中小企業")],
            vec![S("計"), E, E, E, E],
        ],
    );
    ws.merge_range(1, 2, 2, 2, "2023/4/20", &Format::new()).unwrap();

    // A sheet that is no record type.
    let ws = wb.add_worksheet();
    ws.set_name("記入例").unwrap();
    fill(ws, &[vec![S("この表の書き方")], vec![S("実施日は 2023/8/1 の形で")]]);
    wb.save_to_buffer().unwrap()
}

fn run(dir: &Dir, as_of: NaiveDate) -> (Normalised, Figures) {
    let mapping = Mapping::embedded();
    let plan = Plan::embedded();
    let ingested = corner_kpi::ingest::ingest(&dir.input(), &mapping, false).unwrap();
    let norm = corner_kpi::normalise::normalise(ingested, &mapping).unwrap();
    let fig = corner_kpi::kpi::compute(&plan, &mapping, &norm.datasets, as_of).unwrap();
    (norm, fig)
}

fn actual(f: &Figures, id: &str) -> Option<f64> {
    f.kpis.iter().find(|k| k.id == id).unwrap().actual
}

#[test]
fn messy_dispatch_sheet_gives_hand_counted_figures() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let (norm, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    let q = &norm.quality;

    let oct = q.sheets.iter().find(|s| s.sheet == "10月").unwrap();
    assert_eq!(oct.dataset, Some(DatasetId::Dispatches));
    assert_eq!(oct.header_row, Some(3));
    assert_eq!(
        (oct.rows_read, oct.accepted, oct.rejected, oct.skipped_blank, oct.skipped_total, oct.skipped_duplicate),
        (10, 5, 2, 1, 1, 1)
    );
    let apr = q.sheets.iter().find(|s| s.sheet == "4月").unwrap();
    assert_eq!((apr.rows_read, apr.accepted, apr.skipped_total), (3, 2, 1));
    let example = q.sheets.iter().find(|s| s.sheet == "記入例").unwrap();
    assert_eq!(example.dataset, None);
    assert!(example.note.is_some());
    assert!(q.sheets.iter().all(|s| s.reconciles()));

    let cells: Vec<(&str, &str)> = q.rejected.iter().map(|r| (r.cell.as_str(), r.column.as_str())).collect();
    assert_eq!(cells, [("C9", "派遣先区分"), ("B10", "実施日")]);
    assert!(q.rejected[0].reason.contains("NPO"), "{}", q.rejected[0].reason);
    assert_eq!(q.duplicates.len(), 1);
    assert_eq!((q.duplicates[0].skipped.cell.as_str(), q.duplicates[0].kept.cell.as_str()), ("I11", "I4"));

    // Meister sessions: Oct rows 4, 5, 8 and the two April sessions.
    assert_eq!(actual(&fig, "dispatch.sessions"), Some(5.0));
    assert_eq!(actual(&fig, "dispatch.person_days"), Some(12.0 + 15.0 + 8.0 + 10.0 + 6.0));
    assert_eq!(actual(&fig, "dispatch.sme_groups.sessions"), Some(4.0));
    assert_eq!(actual(&fig, "dispatch.schools.sessions"), Some(1.0));
    assert_eq!(actual(&fig, "dispatch.public.sessions"), Some(0.0));
    assert_eq!(actual(&fig, "skilled.sessions"), Some(1.0));
    assert_eq!(actual(&fig, "skilled.trainees"), Some(12.0));
    // No outreach sheet at all: no data, not zero.
    assert_eq!(actual(&fig, "outreach.school.sessions"), None);
    let k = fig.kpis.iter().find(|k| k.id == "outreach.school.sessions").unwrap();
    assert_eq!(k.verdict.status, Status::NoData);

    assert_eq!(fig.after_as_of.len(), 1);
    assert_eq!(fig.after_as_of[0].row, 12);

    let sessions = fig.monthly.iter().find(|m| m.kpi_id == "dispatch.sessions").unwrap();
    assert_eq!(sessions.months[0].actual, Some(2.0)); // April
    assert_eq!(sessions.months[6].actual, Some(3.0)); // October
    assert_eq!(sessions.months[6].cumulative_actual, Some(5.0));
    assert_eq!(sessions.months[7].actual, None); // November: after the as-of date

    // Personal names were read (to be kept out of outputs), never stored.
    assert!(norm.pii.contains("山田 太郎") && norm.pii.contains("山田太郎"));
    let df = &norm.datasets[&DatasetId::Dispatches];
    assert!(df.column("instructor_name").is_err());
}

#[test]
fn the_november_row_counts_from_the_november_report_on() {
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let (_, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 11, 30).unwrap());
    assert_eq!(actual(&fig, "dispatch.sessions"), Some(6.0));
    assert_eq!(actual(&fig, "dispatch.public.sessions"), Some(1.0));
    assert!(fig.after_as_of.is_empty());
}

#[test]
fn a_council_meeting_due_and_not_held_stays_on_the_timeline_as_planned() {
    // Only dispatches in the folder: both council due dates are plan dates
    // with no record; the June one has passed by October.
    let dir = Dir::new();
    dir.write("派遣実績.xlsx", &workbook());
    let (_, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    let council: Vec<_> = fig.timeline.iter().filter(|e| e.kind == "council").collect();
    assert_eq!(council.len(), 2);
    assert!(council.iter().all(|e| e.planned));
    assert_eq!(council[0].date, NaiveDate::from_ymd_opt(2023, 6, 30).unwrap());
}

#[test]
fn a_qualifier_without_a_required_trade_is_a_finding() {
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("県予選").unwrap();
    fill(
        ws,
        &[
            vec![S("大会"), S("参加区分"), S("職種"), S("所属"), S("参加手数料"), S("辞退")],
            vec![S("予選"), S("選手"), S("電気溶接"), S("K社"), N(8900.0), E],
            vec![S("予選"), S("選手"), S("電工"), S("L高校"), N(8900.0), E],
            // A withdrawn entry does not hold a trade.
            vec![S("予選"), S("選手"), S("西洋料理"), S("M校"), N(8900.0), S("○")],
        ],
    );
    dir.write("予選.xlsx", &wb.save_to_buffer().unwrap());
    let (_, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    assert_eq!(actual(&fig, "qualifier.trades"), Some(2.0));
    assert_eq!(actual(&fig, "competition.withdrawals"), Some(1.0));
    let f = fig.findings.iter().find(|f| f.rule == "qualifier_trade_missing").expect("finding");
    assert_eq!(f.count, 1);
    assert!(f.items[0].detail.contains("西洋料理"), "{}", f.items[0].detail);
    assert!(fig.findings.iter().all(|f| f.rule != "qualifier_fee"));
}

#[test]
fn only_meisters_certified_over_three_years_ago_can_be_inactive() {
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("台帳").unwrap();
    fill(
        ws,
        &[
            vec![S("認定番号"), S("職種"), S("認定日"), S("講習受講日"), S("最終活動日"), S("登録解除日")],
            // Certified long ago, last active 2019: inactive.
            vec![S("35-101"), S("旋盤"), D(2015, 5, 1), D(2015, 9, 1), D(2019, 6, 1), E],
            // Certified long ago, active within three years: not inactive.
            vec![S("35-102"), S("溶接"), D(2015, 5, 1), D(2015, 9, 1), D(2021, 12, 1), E],
            // Certified last year, no activity yet: too new to be inactive.
            vec![S("35-103"), S("塗装"), D(2022, 6, 1), E, E, E],
            // Long inactive but already deregistered this year: counted there instead.
            vec![S("35-104"), S("木工"), D(2012, 5, 1), D(2012, 9, 1), D(2016, 1, 1), D(2023, 7, 1)],
        ],
    );
    dir.write("台帳.xlsx", &wb.save_to_buffer().unwrap());
    let (_, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    assert_eq!(actual(&fig, "meister.inactive_3y"), Some(1.0));
    assert_eq!(actual(&fig, "meister.deregistered"), Some(1.0));
    let f = fig.findings.iter().find(|f| f.rule == "deregistration_candidate").unwrap();
    let nos: Vec<_> = f.items.iter().map(|i| i.meister_no.as_deref().unwrap()).collect();
    assert_eq!(nos, ["35-101"]);
}

/// A template pre-numbered in its 派遣番号 column (R5-002 … R5-005 typed
/// ahead, nothing else yet): those rows are blank, not rejected; a row with
/// a number and anything else of the record type is read as a row.
#[test]
fn rows_holding_only_a_pre_filled_dispatch_number_are_blank() {
    let dir = Dir::new();
    let header = vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数"), S("派遣番号")];
    let mut rows = vec![header, vec![D(2023, 5, 9), S("企業"), S("A社"), S("溶接"), N(4.0), S("R5-001")]];
    for n in 2..=5 {
        rows.push(vec![E, E, E, E, E, Str(format!("R5-{n:03}"))]);
    }
    // A number with a count but no date: a row someone began, so rejected.
    rows.push(vec![E, E, E, E, N(3.0), S("R5-006")]);
    dir.write("派遣.xlsx", &xlsx(&[("派遣", rows)]));
    let (norm, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    let sheet = &norm.quality.sheets[0];
    assert_eq!(
        (sheet.rows_read, sheet.accepted, sheet.rejected, sheet.skipped_blank),
        (6, 1, 1, 4),
        "{:?}",
        norm.quality.rejected
    );
    assert!(sheet.reconciles());
    assert_eq!(actual(&fig, "dispatch.sessions"), Some(1.0));
}

/// An error value (#N/A from a lookup formula) in a personal column is no
/// one's name: it is said as an error of that field (a warning, as the
/// column is optional), and the same #N/A in another field's reason is
/// shown as it is, not masked as personal.
#[test]
fn an_error_value_in_a_name_column_is_a_field_warning_not_a_personal_value() {
    use corner_kpi::ingest::{ColumnMatch, Detection, Ingested, RawCell, RawRow, RawSheet};
    let heads = [("date", "実施日"), ("dest_type", "派遣先区分"), ("requester", "派遣先名"), ("trade", "職種")];
    let mut columns: Vec<ColumnMatch> = heads
        .iter()
        .enumerate()
        .map(|(i, (f, h))| ColumnMatch { field: f, col: i as u32, header: (*h).to_string() })
        .collect();
    columns.push(ColumnMatch { field: "trainees", col: 4, header: "受講者数".into() });
    columns.push(ColumnMatch { field: "instructor_name", col: 5, header: "指導者氏名".into() });
    let row = |r: u32, trade: RawCell| RawRow {
        row: r,
        cells: vec![
            RawCell::Text("2023/5/9".into()),
            RawCell::Text("企業".into()),
            RawCell::Text("A社".into()),
            trade,
            RawCell::Int(4),
            RawCell::Error("#N/A".into()),
        ],
        first: Some(RawCell::Text("2023/5/9".into())),
        strike: Default::default(),
    };
    let sheet = RawSheet {
        file: "派遣.xlsx".into(),
        sheet: "派遣".into(),
        hidden: false,
        is_1904: false,
        detection: Detection::Dataset { dataset: DatasetId::Dispatches, header_row: 0, columns },
        rows: vec![row(1, RawCell::Text("溶接".into())), row(2, RawCell::Error("#N/A".into()))],
        blank_rows: 0,
        titles: Vec::new(),
    };
    let n = corner_kpi::normalise::normalise(Ingested { files: Vec::new(), sheets: vec![sheet] }, &Mapping::embedded())
        .unwrap();
    assert!(!n.pii.contains("#N/A"), "{:?}", n.pii);
    let q = &n.quality;
    assert_eq!((q.sheets[0].accepted, q.sheets[0].rejected), (1, 1));
    assert!(q.rejected[0].reason.contains("#N/A"), "{}", q.rejected[0].reason);
    let on_name: Vec<_> = q.warnings.iter().filter(|w| w.column == "指導者氏名").collect();
    assert_eq!(on_name.len(), 1, "{:?}", q.warnings);
    assert!(on_name[0].reason.contains("#N/A"));
}

/// One sheet holding several months, each under its own heading and with the
/// header repeated: the headings and the repeated header hold no record and
/// are skipped (as blank rows), never rejected; a row that only looks like
/// one (a date, or a second text beside the month) is still read.
#[test]
fn month_headings_and_a_repeated_header_between_the_months_are_not_records() {
    let dir = Dir::new();
    let header = || vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数\n（人）")];
    let rows = vec![
        vec![S("4月")],
        header(),
        vec![D(2023, 4, 3), S("企業"), S("A社"), S("旋盤"), N(5.0)],
        vec![],
        vec![S("【5月分】")],
        vec![S("実施日"), S("派遣先 区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![D(2023, 5, 8), S("企業"), S("A社"), S("旋盤"), N(6.0)],
        vec![S("令和5年6月")],
        vec![D(2023, 6, 12), S("学校"), S("B高校"), S("溶接"), N(7.0)],
        // Not headings: a month beside other text, a date alone.
        vec![S("7月"), S("企業")],
        vec![D(2023, 7, 3)],
    ];
    dir.write("派遣.xlsx", &xlsx(&[("上期", rows)]));
    let (norm, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    let s = &norm.quality.sheets[0];
    assert_eq!(s.header_row, Some(2));
    assert_eq!((s.rows_read, s.accepted, s.rejected, s.skipped_blank), (9, 3, 2, 4), "{:?}", norm.quality.rejected);
    assert!(s.reconciles());
    assert_eq!(actual(&fig, "dispatch.sessions"), Some(3.0));
    assert_eq!(actual(&fig, "dispatch.person_days"), Some(18.0));
}

/// A row of units in brackets under the header ((年/月/日), （人）) is a
/// heading, not a record: skipped as blank, never rejected.
#[test]
fn a_units_row_under_the_header_is_not_a_record() {
    let dir = Dir::new();
    let rows = vec![
        vec![S("実施日"), S("派遣先区分"), S("派遣先名"), S("職種"), S("受講者数")],
        vec![S("(年/月/日)"), E, E, E, S("（人）")],
        vec![D(2023, 5, 8), S("企業"), S("A社"), S("旋盤"), N(6.0)],
        // One bracketed note beside real values is data, and is read as such.
        vec![D(2023, 5, 9), S("企業"), S("(株)B"), S("旋盤"), N(2.0)],
    ];
    dir.write("派遣.xlsx", &xlsx(&[("5月", rows)]));
    let (norm, fig) = run(&dir, NaiveDate::from_ymd_opt(2023, 10, 31).unwrap());
    let s = &norm.quality.sheets[0];
    assert_eq!((s.rows_read, s.accepted, s.rejected, s.skipped_blank), (3, 2, 0, 1));
    assert_eq!(actual(&fig, "dispatch.person_days"), Some(8.0));
}

//! Revisions (前回報告からの修正): a month once reported should not change
//! silently. The previous report set of the fiscal year says what it
//! reported month by month, with a ledger of the rows behind it (place,
//! month and a fingerprint of each row's non-personal values); this run
//! counts the same months again, as of the same date, and every month whose
//! figure differs is a revision, explained by the rows added, removed or
//! changed since.
//!
//! Pure: the previous set is read by the caller (`report::previous`).

use super::monthly::{LedgerRow, Monthly};
use crate::plan::Plan;
use crate::schema::DatasetId;
use chrono::NaiveDate;
use foldhash::{HashMap, HashMapExt};
use serde::Serialize;
use std::collections::BTreeMap;

/// What an earlier report set reported, as read back from its kpis.json.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousSet {
    /// The set's folder name (its as-of date, `2023-10-31`).
    pub folder: String,
    pub as_of: NaiveDate,
    /// When it was made (`2023-11-02T09:15:00`), as its kpis.json says.
    pub generated_at: Option<String>,
    /// The program and version that made it (`corner-kpi 0.1.0`), as its
    /// kpis.json says; `None` when it says none.
    pub generator: Option<String>,
    /// KPI id → month (`2023-09`) → figure; `None` when the set was made by
    /// a version that wrote no monthly figures.
    pub monthly: Option<BTreeMap<String, BTreeMap<String, f64>>>,
    /// The rows behind its figures (empty when it has no ledger).
    pub ledger: Vec<LedgerRow>,
}

/// How a row differs from the previous set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    /// The id in kpis.json (`added`, `removed`, `changed`).
    pub fn key(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Change::Added => "追加",
            Change::Removed => "削除",
            Change::Changed => "変更",
        }
    }
}

/// A row that explains a revision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RowChange {
    pub change: Change,
    pub file: String,
    pub sheet: String,
    pub cell: String,
}

/// One month of one KPI whose figure changed since it was reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// (year, month).
    pub month: (i32, u32),
    pub kpi: String,
    pub label: String,
    pub unit: String,
    /// What the previous set reported (`None`: the record type had no sheet then).
    pub reported: Option<f64>,
    /// What the same month counts now, as of the previous set's date
    /// (`None`: the record type has no sheet now).
    pub now: Option<f64>,
    pub rows: Vec<RowChange>,
}

/// The revisions of a run against the previous set of its fiscal year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Revisions {
    /// The set compared against; `None` when there is no earlier set.
    pub against: Option<PreviousRef>,
    /// `false` when the earlier set holds no monthly figures to compare.
    pub comparable: bool,
    pub list: Vec<Revision>,
}

/// The earlier set a run was compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousRef {
    pub folder: String,
    pub as_of: NaiveDate,
    pub generated_at: Option<String>,
    /// `corner-kpi 0.1.0`, as the set's kpis.json says (`None`: it says none).
    pub generator: Option<String>,
}

impl PreviousRef {
    /// The version of corner-kpi that made the set (`0.0.9`, or 「版不明」
    /// when its kpis.json names none), when it is not this version; `None`
    /// when this version made it.
    pub fn other_version(&self) -> Option<&str> {
        match self.generator.as_deref() {
            Some(g) if g == crate::format::generator() => None,
            Some(g) => Some(g.strip_prefix("corner-kpi ").unwrap_or(g)),
            None => Some("版不明"),
        }
    }

    /// The sentence the reports and the terminal show when another version
    /// made the set (counting rules may differ): `when` names the set
    /// (「前回報告（2023年4月30日（令和5年4月30日）現在）」).
    pub fn other_version_note(&self, when: &str) -> Option<String> {
        self.other_version()
            .map(|v| format!("{when}は別の版の corner-kpi（{v}）で作られたため、集計のきまりが違う場合があります"))
    }
}

/// Compares the previous set with this run's figures counted as of the
/// previous set's date (`now`, from [`super::monthly::monthly`]) and this
/// run's ledger to that date (`now_ledger`).
pub fn compare(plan: &Plan, previous: &PreviousSet, now: &Monthly, now_ledger: &[LedgerRow]) -> Revisions {
    let against = Some(PreviousRef {
        folder: previous.folder.clone(),
        as_of: previous.as_of,
        generated_at: previous.generated_at.clone(),
        generator: previous.generator.clone(),
    });
    let Some(reported) = &previous.monthly else {
        return Revisions { against, comparable: false, list: Vec::new() };
    };
    let changes = row_changes(&previous.ledger, now_ledger);
    let mut list = Vec::new();
    for k in &plan.kpis {
        let then = reported.get(&k.id);
        let current = now.kpis.get(&k.id);
        if then.is_none() && current.is_none() {
            continue;
        }
        for &month in &now.months {
            let key = super::monthly::month_key(month);
            let was = then.and_then(|m| m.get(&key)).copied();
            // A month the earlier set counted is 0 there when it lists the KPI at all.
            let was = was.or_else(|| then.map(|_| 0.0));
            let is = now.get(&k.id, month).or_else(|| current.map(|_| 0.0));
            let differs = match (was, is) {
                (Some(a), Some(b)) => (a - b).abs() > 1e-9,
                (None, Some(b)) | (Some(b), None) => b != 0.0,
                (None, None) => false,
            };
            if !differs {
                continue;
            }
            let dataset = current.map(|c| c.dataset).or_else(|| dataset_of(&k.id));
            let rows = dataset
                .and_then(|d| changes.get(&d))
                .map(|rows| {
                    rows.iter()
                        .filter(|(months, _)| months.is_empty() || months.contains(&Some(month)))
                        .map(|(_, r)| r.clone())
                        .collect()
                })
                .unwrap_or_default();
            list.push(Revision {
                month,
                kpi: k.id.clone(),
                label: k.label.clone(),
                unit: k.unit.clone(),
                reported: was,
                now: is,
                rows,
            });
        }
    }
    list.sort_by(|a, b| a.month.cmp(&b.month).then_with(|| plan_order(plan, &a.kpi).cmp(&plan_order(plan, &b.kpi))));
    Revisions { against, comparable: true, list }
}

fn plan_order(plan: &Plan, id: &str) -> usize {
    plan.kpis.iter().position(|k| k.id == id).unwrap_or(usize::MAX)
}

/// The record type of a dated KPI that has no sheet now (the catalogue's).
fn dataset_of(id: &str) -> Option<DatasetId> {
    crate::catalogue::def(id).map(|k| k.dataset)
}

/// A differing row with the months it touches (before and now; empty for
/// registry rows, which touch every registry figure).
type Touched = (Vec<Option<(i32, u32)>>, RowChange);

/// Rows that differ between two ledgers, per record type, each with the
/// months it touches (before and now; empty for registry rows, which touch
/// every registry figure).
///
/// Rows are matched first by fingerprint (a row that only moved, because a
/// row above it was inserted or deleted, is unchanged), preferring the same
/// place; the rest are paired by place (changed) or left over (added now,
/// removed since).
fn row_changes(before: &[LedgerRow], now: &[LedgerRow]) -> BTreeMap<DatasetId, Vec<Touched>> {
    type Key<'a> = (DatasetId, u64);
    let mut by_fp: HashMap<Key<'_>, (Vec<&LedgerRow>, Vec<&LedgerRow>)> = HashMap::new();
    for r in before {
        by_fp.entry((r.dataset, r.fingerprint)).or_default().0.push(r);
    }
    for r in now {
        by_fp.entry((r.dataset, r.fingerprint)).or_default().1.push(r);
    }
    let place = |r: &LedgerRow| (r.dataset, r.file.clone(), r.sheet.clone(), r.cell.clone());
    let mut gone: Vec<&LedgerRow> = Vec::new();
    let mut new: Vec<&LedgerRow> = Vec::new();
    for (_, (mut b, mut n)) in by_fp {
        // Same fingerprint, same place: unchanged.
        b.retain(|x| match n.iter().position(|y| place(x) == place(y)) {
            Some(i) => {
                n.remove(i);
                false
            }
            None => true,
        });
        // Same fingerprint elsewhere: moved, unchanged.
        let k = b.len().min(n.len());
        gone.extend(b.drain(k..));
        new.extend(n.drain(k..));
    }
    let mut out: BTreeMap<DatasetId, Vec<Touched>> = BTreeMap::new();
    let mut new_at: HashMap<_, &LedgerRow> = new.iter().map(|r| (place(r), *r)).collect();
    let row = |change, r: &LedgerRow| RowChange {
        change,
        file: r.file.clone(),
        sheet: r.sheet.clone(),
        cell: r.cell.clone(),
    };
    let months = |rs: &[&LedgerRow]| -> Vec<Option<(i32, u32)>> {
        if rs.iter().any(|r| r.month.is_none()) { Vec::new() } else { rs.iter().map(|r| r.month).collect() }
    };
    for r in gone {
        match new_at.remove(&place(r)) {
            Some(n) => out.entry(r.dataset).or_default().push((months(&[r, n]), row(Change::Changed, n))),
            None => out.entry(r.dataset).or_default().push((months(&[r]), row(Change::Removed, r))),
        }
    }
    for (_, n) in new_at {
        out.entry(n.dataset).or_default().push((months(&[n]), row(Change::Added, n)));
    }
    for rows in out.values_mut() {
        rows.sort_by(|a, b| a.1.cmp(&b.1));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::kpi::monthly::MonthlyKpi;

    fn lr(cell: &str, month: u32, fp: u64) -> LedgerRow {
        LedgerRow {
            dataset: DatasetId::Dispatches,
            file: "a.xlsx".into(),
            sheet: "派遣".into(),
            cell: cell.into(),
            month: Some((2023, month)),
            fingerprint: fp,
        }
    }

    fn previous(monthly: &[(&str, &str, f64)], ledger: Vec<LedgerRow>) -> PreviousSet {
        let mut m: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
        for (k, month, v) in monthly {
            m.entry(k.to_string()).or_default().insert(month.to_string(), *v);
        }
        PreviousSet {
            folder: "2023-10-31".into(),
            as_of: NaiveDate::from_ymd_opt(2023, 10, 31).unwrap(),
            generated_at: None,
            generator: Some(crate::format::generator()),
            monthly: Some(m),
            ledger,
        }
    }

    fn now(values: &[(&str, [f64; 3])]) -> Monthly {
        Monthly {
            as_of: NaiveDate::from_ymd_opt(2023, 10, 31),
            months: vec![(2023, 8), (2023, 9), (2023, 10)],
            kpis: values
                .iter()
                .map(|(k, v)| (k.to_string(), MonthlyKpi { dataset: DatasetId::Dispatches, values: v.to_vec() }))
                .collect(),
        }
    }

    #[test]
    fn a_moved_row_is_unchanged_an_edited_one_changed_and_the_rest_added_or_removed() {
        // A5 deleted (August); the rows below it moved up one; A9 edited in
        // place; a new row at A20 (September).
        let before = vec![lr("A5", 8, 1), lr("A6", 8, 2), lr("A7", 9, 3), lr("A9", 9, 4)];
        let after = vec![lr("A5", 8, 2), lr("A6", 9, 3), lr("A9", 9, 40), lr("A20", 9, 5)];
        let c = row_changes(&before, &after);
        let rows: Vec<(Change, &str)> =
            c[&DatasetId::Dispatches].iter().map(|(_, r)| (r.change, r.cell.as_str())).collect();
        assert_eq!(rows, [(Change::Added, "A20"), (Change::Removed, "A5"), (Change::Changed, "A9")]);
    }

    #[test]
    fn a_changed_month_is_a_revision_with_its_rows_and_an_unchanged_one_is_not() {
        let plan = Plan::embedded();
        let prev = previous(
            &[
                ("dispatch.sessions", "2023-08", 2.0),
                ("dispatch.sessions", "2023-09", 2.0),
                ("dispatch.sessions", "2023-10", 1.0),
            ],
            vec![lr("A5", 8, 1), lr("A6", 8, 2), lr("A7", 9, 3), lr("A8", 9, 4), lr("A9", 10, 6)],
        );
        let current = now(&[("dispatch.sessions", [1.0, 3.0, 1.0])]);
        let ledger = vec![lr("A5", 8, 2), lr("A6", 9, 3), lr("A7", 9, 4), lr("A8", 10, 6), lr("A30", 9, 7)];
        let r = compare(&plan, &prev, &current, &ledger);
        assert!(r.comparable);
        type Got<'a> = (u32, Option<f64>, Option<f64>, Vec<(Change, &'a str)>);
        let got: Vec<Got<'_>> = r
            .list
            .iter()
            .map(|v| (v.month.1, v.reported, v.now, v.rows.iter().map(|x| (x.change, x.cell.as_str())).collect()))
            .collect();
        assert_eq!(
            got,
            [
                (8, Some(2.0), Some(1.0), vec![(Change::Removed, "A5")]),
                (9, Some(2.0), Some(3.0), vec![(Change::Added, "A30")]),
            ]
        );
        assert_eq!(r.against.unwrap().folder, "2023-10-31");
    }

    #[test]
    fn a_set_without_monthly_figures_is_not_comparable() {
        let plan = Plan::embedded();
        let mut prev = previous(&[], Vec::new());
        prev.monthly = None;
        let r = compare(&plan, &prev, &now(&[("dispatch.sessions", [1.0, 1.0, 1.0])]), &[]);
        assert!(!r.comparable);
        assert!(r.list.is_empty());
    }

    #[test]
    fn a_record_type_that_appeared_since_is_a_revision_where_it_counts() {
        let plan = Plan::embedded();
        let prev = previous(&[("dispatch.sessions", "2023-08", 1.0)], Vec::new());
        let current = now(&[("dispatch.sessions", [1.0, 0.0, 0.0]), ("training.sessions", [0.0, 1.0, 0.0])]);
        let r = compare(&plan, &prev, &current, &[]);
        let got: Vec<(&str, u32, Option<f64>, Option<f64>)> =
            r.list.iter().map(|v| (v.kpi.as_str(), v.month.1, v.reported, v.now)).collect();
        assert_eq!(got, [("training.sessions", 9, None, Some(1.0))]);
    }

    #[test]
    fn a_set_made_by_another_version_is_named_with_that_version() {
        let set = |generator: Option<String>| PreviousRef {
            folder: "2023-04-30".into(),
            as_of: NaiveDate::from_ymd_opt(2023, 4, 30).unwrap(),
            generated_at: None,
            generator,
        };
        assert_eq!(set(Some(crate::format::generator())).other_version(), None);
        assert_eq!(set(Some(crate::format::generator())).other_version_note("前回報告"), None);
        assert_eq!(set(Some("corner-kpi 0.0.9".into())).other_version(), Some("0.0.9"));
        assert_eq!(set(None).other_version(), Some("版不明"), "a set that names no version");
        assert_eq!(
            set(Some("corner-kpi 0.0.9".into())).other_version_note("前回報告（2023-04-30）").as_deref(),
            Some(
                "前回報告（2023-04-30）は別の版の corner-kpi（0.0.9）で作られたため、集計のきまりが違う場合があります"
            )
        );
    }
}

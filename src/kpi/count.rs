//! The catalogue's counting rules run over the records ([`crate::catalogue`]):
//! the rules of one record type and period in one query, the joins apart.

use super::programme;
use crate::catalogue::{Count, Ctx, Join, KpiDef, Period};
use crate::schema::DatasetId;
use polars::prelude::*;
use std::collections::BTreeMap;

/// The rows of a record type a period counts.
fn rows_of(dataset: DatasetId, df: &DataFrame, period: Period, ctx: &Ctx) -> LazyFrame {
    let mut lf = df.clone().lazy();
    // An outreach frame made without 日数 (every event one day).
    if dataset == DatasetId::Outreach && df.column("days").is_err() {
        lf = lf.with_column(lit(NULL).cast(DataType::Int64).alias("days"));
    }
    match (period, dataset.schema().date_field) {
        (Period::Dated, Some(date)) => lf.filter(crate::catalogue::dated_between(date, ctx.from, ctx.until)),
        (Period::Entries, _) => lf.filter(col("fiscal_year").is_null().or(col("fiscal_year").eq(lit(ctx.fiscal_year)))),
        (Period::Dated | Period::Registry | Period::Snapshot, _) => lf,
    }
}

/// (id, record type, value) of each KPI of `defs` whose record types the
/// folder has, counted over `ctx`'s period. `until` of a snapshot is its date.
pub fn count<'d>(
    defs: impl IntoIterator<Item = &'d KpiDef>,
    data: &BTreeMap<DatasetId, DataFrame>,
    ctx: &Ctx,
) -> PolarsResult<Vec<(&'static str, DatasetId, f64)>> {
    let mut groups: Vec<(DatasetId, Period, Vec<&KpiDef>)> = Vec::new();
    let mut joins: Vec<&KpiDef> = Vec::new();
    for d in defs {
        match d.count {
            Count::Expr(_) => match groups.iter_mut().find(|(ds, p, _)| *ds == d.dataset && *p == d.period) {
                Some((_, _, g)) => g.push(d),
                None => groups.push((d.dataset, d.period, vec![d])),
            },
            Count::Join(_) => joins.push(d),
        }
    }
    let mut out = Vec::new();
    for (dataset, period, defs) in groups {
        let Some(df) = data.get(&dataset) else { continue };
        let exprs = defs
            .iter()
            .map(|d| match d.count {
                Count::Expr(rule) => rule(ctx),
                Count::Join(_) => lit(0),
            })
            .collect();
        let values = super::frame::scalars(rows_of(dataset, df, period, ctx), exprs)?;
        out.extend(defs.iter().zip(values).map(|(d, v)| (d.id, dataset, v)));
    }
    for d in joins {
        let Count::Join(join) = d.count else { continue };
        let value = match join {
            Join::UntrainedDispatches => match (data.get(&DatasetId::Dispatches), data.get(&DatasetId::Meisters)) {
                (Some(dispatches), Some(registry)) => {
                    programme::untrained_sessions(dispatches, registry, ctx.from, ctx.until)?.height() as f64
                }
                _ => continue,
            },
            Join::InactiveMeisters => match last_activity(data, ctx.until)? {
                Some(last) => programme::inactive_count(&last, ctx.until)?,
                None => continue,
            },
        };
        out.push((d.id, d.dataset, value));
    }
    Ok(out)
}

/// Each registered meister's last activity up to `until` (when there is a registry).
pub fn last_activity(
    data: &BTreeMap<DatasetId, DataFrame>,
    until: chrono::NaiveDate,
) -> PolarsResult<Option<DataFrame>> {
    let Some(reg) = data.get(&DatasetId::Meisters) else { return Ok(None) };
    let frames: Vec<&DataFrame> =
        [DatasetId::Dispatches, DatasetId::Outreach].iter().filter_map(|d| data.get(d)).collect();
    programme::last_activity(reg, programme::activity(&frames, until)?, until).map(Some)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use crate::schema::DatasetId;
    use chrono::NaiveDate;
    use polars::prelude::DataFrame;

    /// Dispatch rows (date, hours) of one sheet, through normalise.
    fn dispatches(rows: &[(&str, f64)]) -> std::collections::BTreeMap<DatasetId, DataFrame> {
        use crate::ingest::{ColumnMatch, Detection, Ingested, RawCell, RawRow, RawSheet};
        let heads = [("date", "実施日"), ("dest_type", "派遣先区分"), ("requester", "派遣先名"), ("trade", "職種")];
        let mut columns: Vec<ColumnMatch> = heads
            .iter()
            .enumerate()
            .map(|(i, (f, h))| ColumnMatch { field: f, col: i as u32, header: (*h).to_string() })
            .collect();
        columns.push(ColumnMatch { field: "trainees", col: 4, header: "受講者数".into() });
        columns.push(ColumnMatch { field: "hours", col: 5, header: "指導時間".into() });
        let rows = rows
            .iter()
            .enumerate()
            .map(|(i, (date, hours))| RawRow {
                row: i as u32 + 1,
                cells: vec![
                    RawCell::Text((*date).into()),
                    RawCell::Text("企業".into()),
                    RawCell::Text(format!("A{i}社")),
                    RawCell::Text("旋盤".into()),
                    RawCell::Int(4),
                    RawCell::Float(*hours),
                ],
                first: Some(RawCell::Text((*date).into())),
                strike: Default::default(),
            })
            .collect();
        let sheet = RawSheet {
            file: "派遣.xlsx".into(),
            sheet: "派遣".into(),
            hidden: false,
            is_1904: false,
            detection: Detection::Dataset { dataset: DatasetId::Dispatches, header_row: 0, columns },
            rows,
            blank_rows: 0,
            titles: Vec::new(),
        };
        let ingested = Ingested { files: Vec::new(), sheets: vec![sheet] };
        crate::normalise::normalise(ingested, &crate::mapping::Mapping::embedded()).expect("normalised").datasets
    }

    #[test]
    fn a_kpi_added_to_the_catalogue_alone_is_in_the_plan_check_the_monthly_figures_and_the_revisions() {
        use crate::kpi::monthly::{ledger, monthly};
        use crate::kpi::revisions::{PreviousSet, compare};
        let id = "dispatch.long.sessions";
        let entry = |id: &str| {
            format!(
                "\n[[kpi]]\nid = \"{id}\"\nlabel = \"長時間の派遣回数\"\nunit = \"回\"\nsection = \"4(2)ア\"\ndirection = \"info\"\n"
            )
        };
        let plan_text = format!("{}{}", crate::plan::DEFAULT_PLAN_TOML, entry(id));
        // The plan check knows it (and still refuses an id no entry has).
        let plan = crate::plan::Plan::parse(&plan_text, "plan.toml").expect("a known id");
        let unknown = format!("{}{}", crate::plan::DEFAULT_PLAN_TOML, entry("dispatch.nope"));
        assert!(crate::plan::Plan::parse(&unknown, "plan.toml").is_err());
        // Monthly figures: May has one long session, June two, July none.
        let data = dispatches(&[("2023/5/9", 3.0), ("2023/5/10", 1.0), ("2023/6/1", 2.5), ("2023/6/2", 3.0)]);
        let d = |m, day| NaiveDate::from_ymd_opt(2023, m, day).expect("valid");
        let now = monthly(&plan, &data, d(7, 31)).expect("counted");
        let months: Vec<f64> =
            [(2023, 4), (2023, 5), (2023, 6), (2023, 7)].iter().map(|m| now.get(id, *m).unwrap_or(-1.0)).collect();
        assert_eq!(months, [0.0, 1.0, 2.0, 0.0]);
        // Revisions: a set that reported one long session in June finds the change and its rows.
        let reported: std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>> =
            [(id.to_string(), [("2023-06".to_string(), 1.0)].into_iter().collect())].into_iter().collect();
        let previous = PreviousSet {
            folder: "2023-07-31".into(),
            as_of: d(7, 31),
            generated_at: None,
            generator: None,
            monthly: Some(reported),
            ledger: Vec::new(),
        };
        let rows = ledger(&data, crate::fiscal::FiscalYear::of(d(7, 31)), d(7, 31)).expect("ledger");
        let r = compare(&plan, &previous, &now, &rows);
        let june = r.list.iter().find(|v| v.kpi == id && v.month == (2023, 6)).expect("June is a revision");
        assert_eq!((june.reported, june.now), (Some(1.0), Some(2.0)));
        assert!(!june.rows.is_empty(), "its rows are found in its record type");
    }
}

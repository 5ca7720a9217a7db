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

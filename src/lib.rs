//! corner-kpi: monthly progress reports of a regional skills-promotion corner
//! (地域技能振興コーナー) from the Excel workbooks its staff keep.
//!
//! The stages, in the order a run calls them, with a plain data type between
//! each: [`ingest`] (files → [`ingest::Ingested`], raw rows with cell
//! positions) → [`normalise`] ([`normalise::Normalised`]: typed polars
//! DataFrames per record type, the data-quality ledger and the personal
//! values read) → [`kpi`] (plan × data → [`kpi::Figures`], each KPI's status
//! decided there) → [`report`] (figures → xlsx/html and [`kpis_json`], put in
//! place by [`publish`] once the personal-information guard has passed) →
//! with `--mail`, [`mail`] (the checked drafts of a written set). [`rollup`]
//! counts many corners as their own runs would and makes the national model,
//! which [`report`] renders with the same writers. [`template`] writes the
//! blank input workbooks from the same schema and mapping the reader uses.
//!
//! [`app`] holds the commands that call the stages in that order; `main.rs`
//! only parses the arguments ([`cli`] → [`config::Action`]) and exits with
//! the status [`app::execute`] gives. Below every stage: [`text`],
//! [`fiscal`], [`format`](mod@format), [`schema`], [`catalogue`] (every KPI:
//! its record type, unit and counting rule), [`mapping`], [`plan`], [`personal`]
//! (which values are personal, which words exempt), [`timing`], [`config`],
//! [`excel_style`].
//! Every module imports only from its own layer or below (the table is in
//! `tests/architecture.rs`, and the README's "How it is built" shows it).

pub mod app;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod excel_style;
pub mod fiscal;
pub mod format;
pub mod ingest;
pub mod kpi;
pub mod kpis_json;
pub mod mail;
pub mod mapping;
pub mod normalise;
pub mod personal;
pub mod plan;
pub mod publish;
pub mod report;
pub mod rollup;
pub mod schema;
pub mod template;
pub mod text;
pub mod timing;

// The entry points as they have always been named.
pub use app::{RUN_LOG, RunSummary, mail_existing, run};
pub use config::{AsOf, Config, MailConfig, ReportSet, Source};
pub use normalise::checked;

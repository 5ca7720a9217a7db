//! The one integration-test binary (every file under tests/ would link
//! polars again): modules below share the harness.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod conventions;
mod harness;
mod hostile;
mod kpis_json_contract;
mod mail;
mod memory;
mod merged_cells;
mod messy_sheets;
mod named_inputs;
mod new_year;
mod no_silent_moves;
mod pipeline;
mod report_sections;
mod rollup;
mod samples;
mod snapshots;
mod template;

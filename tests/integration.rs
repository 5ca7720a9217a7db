//! The one integration-test binary (every file under tests/ would link
//! polars again): modules below share the harness.

mod harness;
mod messy_sheets;
mod pipeline;
mod samples;

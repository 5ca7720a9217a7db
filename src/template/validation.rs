//! A column's [`Rule`] as Excel data validation (rust_xlsxwriter's
//! `DataValidation`): drop-down lists, whole numbers ≥ 0, numbers in a range,
//! dates in a range, each with the column's input message and a "stop" error
//! dialog that refuses the value; and the input message alone for a header.

use super::columns::{Column, Rule};
use anyhow::Context;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, DataValidationRule};

/// The validation of a column's data cells. Blank cells are always allowed
/// (an optional field may stay empty; a required one is the reader's to
/// report, since Excel cannot ask for a value).
pub fn data_validation(c: &Column) -> anyhow::Result<DataValidation> {
    let at = || format!("the data validation of column {}", c.header);
    let v = DataValidation::new();
    let v = match &c.rule {
        Rule::Date { from, to, .. } => v.allow_date(DataValidationRule::Between(*from, *to)),
        Rule::Whole => v.allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
        Rule::Decimal { min, max } => v.allow_decimal_number(DataValidationRule::Between(*min, *max)),
        Rule::List(values) => v.allow_list_strings(values.as_slice()).with_context(at)?,
        Rule::Any => v.allow_any_value(),
    };
    let v = v
        .ignore_blank(true)
        .set_input_title(&c.prompt_title)
        .with_context(at)?
        .set_input_message(&c.prompt)
        .with_context(at)?;
    if c.rule == Rule::Any {
        return Ok(v);
    }
    v.set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title(&c.error_title)
        .with_context(at)?
        .set_error_message(&c.error)
        .with_context(at)
}

/// The header cell's input message: what goes in the column (any value may
/// stay, the header is text).
pub fn header_prompt(c: &Column) -> anyhow::Result<DataValidation> {
    let at = || format!("the input message of header {}", c.header);
    DataValidation::new()
        .allow_any_value()
        .set_input_title(&c.prompt_title)
        .with_context(at)?
        .set_input_message(&c.prompt)
        .with_context(at)
}

//! The look every workbook we write starts from: the Japanese default font
//! and the base cell format. The report's workbooks (`report::excel`) and
//! the blank input workbooks (`template`) both build on it, so it sits
//! below both.

use rust_xlsxwriter::{Format, FormatAlign};

/// The default font of every workbook (Japanese; charset 128 = SHIFTJIS).
pub const FONT: &str = "ＭＳ Ｐゴシック";
pub const FONT_CHARSET: u8 = 128;

/// The default font at 11 points, centred vertically: every other format is
/// this one with more set.
pub fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_charset(FONT_CHARSET)
        .set_font_size(11)
        .set_align(FormatAlign::VerticalCenter)
}

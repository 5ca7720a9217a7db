//! The cell formats of the report's workbooks, on the shared base
//! ([`crate::excel_style`]: the Japanese default font): boxed table cells, number formats that keep values real numbers and dates, and one
//! colour pair per status tone (the word is always written too, so grey
//! print loses nothing).

pub use crate::excel_style::{FONT, FONT_CHARSET, base};
use crate::report::doc::Tone;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, FormatUnderline};

fn boxed(f: Format) -> Format {
    f.set_border(FormatBorder::Thin).set_border_color(0xBFC5CC)
}

/// How a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emphasis {
    Normal,
    Subtotal,
    Total,
}

pub struct Styles {
    pub title: Format,
    pub subtitle: Format,
    pub heading: Format,
    pub note: Format,
    pub paragraph: Format,
    pub header: Format,
    pub group: Format,
    pub link: Format,
    /// Indexed by [`Emphasis`] as 0, 1, 2.
    text: [Format; 3],
    wrap: [Format; 3],
    strong: [Format; 3],
    count: [Format; 3],
    decimal: [Format; 3],
    percent: [Format; 3],
    signed: [Format; 3],
    yen: [Format; 3],
    date: [Format; 3],
    month: [Format; 3],
    dash: [Format; 3],
    good: Format,
    warn: Format,
    bad: Format,
    info: Format,
    muted: Format,
}

fn three(f: impl Fn() -> Format) -> [Format; 3] {
    let subtotal = |x: Format| x.set_bold().set_background_color(0xF5F7FA);
    let total = |x: Format| x.set_bold().set_background_color(0xEEF1F5).set_border_top(FormatBorder::Double);
    [f(), subtotal(f()), total(f())]
}

impl Styles {
    pub fn new() -> Styles {
        let num = |code: &'static str| move || boxed(base().set_num_format(code).set_align(FormatAlign::Right));
        let status = |bg: u32, fg: u32| {
            boxed(base().set_background_color(bg).set_font_color(fg).set_bold()).set_align(FormatAlign::Center)
        };
        Styles {
            title: base().set_font_size(15).set_bold(),
            subtitle: base().set_font_size(11),
            heading: base().set_font_size(12).set_bold().set_font_color(0x16365F),
            note: base().set_font_size(10).set_font_color(0x555555).set_text_wrap().set_align(FormatAlign::Top),
            paragraph: base().set_text_wrap().set_align(FormatAlign::Top),
            header: boxed(base().set_bold().set_background_color(0xDCE3EC).set_text_wrap())
                .set_align(FormatAlign::Center),
            group: boxed(base().set_bold().set_background_color(0xF0F3F7).set_font_color(0x16365F)),
            link: boxed(base().set_font_color(0x1F5FA8).set_underline(FormatUnderline::Single)),
            text: three(|| boxed(base())),
            wrap: three(|| boxed(base().set_text_wrap())),
            strong: three(|| boxed(base().set_bold())),
            count: three(num("#,##0")),
            decimal: three(num("#,##0.0")),
            percent: three(num("0.0%")),
            signed: three(num("+#,##0;\"\u{2212}\"#,##0;\"±\"0")),
            yen: three(num("#,##0\"円\"")),
            date: three(|| boxed(base().set_num_format("yyyy\"年\"m\"月\"d\"日\"").set_align(FormatAlign::Left))),
            month: three(|| boxed(base().set_num_format("yyyy\"年\"m\"月\"").set_align(FormatAlign::Left))),
            dash: three(|| boxed(base().set_font_color(0x888888)).set_align(FormatAlign::Center)),
            good: status(0xDFF3E0, 0x1B5E20),
            warn: status(0xFFF0C2, 0x7A4F00),
            bad: status(0xFBDCD9, 0x9F1D14),
            info: status(0xE3EEFB, 0x16365F),
            muted: status(0xECEFF1, 0x50575E),
        }
    }

    pub fn tone(&self, t: Tone) -> &Format {
        match t {
            Tone::Good => &self.good,
            Tone::Warn => &self.warn,
            Tone::Bad => &self.bad,
            Tone::Info => &self.info,
            Tone::Muted => &self.muted,
        }
    }

    pub fn text(&self, e: Emphasis, wrap: bool) -> &Format {
        if wrap { &self.wrap[e as usize] } else { &self.text[e as usize] }
    }
    pub fn strong(&self, e: Emphasis) -> &Format {
        &self.strong[e as usize]
    }
    pub fn count(&self, e: Emphasis) -> &Format {
        &self.count[e as usize]
    }
    pub fn decimal(&self, e: Emphasis) -> &Format {
        &self.decimal[e as usize]
    }
    pub fn percent(&self, e: Emphasis) -> &Format {
        &self.percent[e as usize]
    }
    pub fn signed(&self, e: Emphasis) -> &Format {
        &self.signed[e as usize]
    }
    pub fn yen(&self, e: Emphasis) -> &Format {
        &self.yen[e as usize]
    }
    pub fn date(&self, e: Emphasis) -> &Format {
        &self.date[e as usize]
    }
    pub fn month(&self, e: Emphasis) -> &Format {
        &self.month[e as usize]
    }
    pub fn dash(&self, e: Emphasis) -> &Format {
        &self.dash[e as usize]
    }
}

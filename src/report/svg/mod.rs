//! The charts of the HTML reports as inline SVG, drawn in Rust so the
//! reports need no script, image or font from anywhere: the cumulative chart
//! of a KPI ([`cumulative::chart`]) and the fiscal-year timeline of dated
//! events ([`timeline::chart`]). Every piece of text is escaped here, because
//! the template inserts the result unescaped.

pub mod cumulative;
pub mod timeline;

pub(crate) const W: f64 = 720.0;
pub(crate) const AS_OF: &str = "#b3261e";
pub(crate) const FONT: &str = "'Hiragino Kaku Gothic ProN','Hiragino Sans','Yu Gothic','YuGothic','Meiryo','Noto Sans CJK JP','Noto Sans JP',sans-serif";

/// A count axis: a whole-number step (1, 2, 5 × 10ⁿ; 25 × 10ⁿ from 25 on)
/// and the maximum, for about five ticks covering `max`. Counts never get
/// fractional ticks (an axis of 0, 3, 5, 8 reads as nonsense).
pub fn count_axis(max: f64) -> (f64, f64) {
    if !(max.is_finite() && max > 0.0) {
        return (1.0, 5.0);
    }
    let raw = max / 5.0;
    let mag = 10f64.powf(raw.log10().floor()).max(1.0);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .filter(|s| s.fract() == 0.0)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (step, (max / step).ceil() * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_axes_have_whole_number_steps() {
        assert_eq!(count_axis(283.5), (100.0, 300.0));
        assert_eq!(count_axis(1680.0), (500.0, 2000.0));
        assert_eq!(count_axis(10.5), (5.0, 15.0), "魅力講座: 0, 5, 10, 15 — never 0, 3, 5, 8");
        assert_eq!(count_axis(0.0), (1.0, 5.0));
        assert_eq!(count_axis(3.0), (1.0, 3.0));
        assert_eq!(count_axis(130.0), (50.0, 150.0));
        assert_eq!(count_axis(112.0), (25.0, 125.0));
        for max in [0.4, 1.0, 2.2, 7.0, 10.5, 13.0, 17.0, 42.0, 96.0, 400.0, 1648.0] {
            let (step, top) = count_axis(max);
            assert_eq!(step.fract(), 0.0, "{max}");
            assert!(top >= max && top / step <= 6.0, "{max}: {step} {top}");
        }
    }
}

//! The personal-information incident register: two incidents of the year,
//! each reported to the client.

use super::sheet::{SheetBuilder, title};
use super::{d, files};
use crate::layout::{BookKind, BookLayout, Cell, DateFmt};
use crate::model::{Fate, IncidentRecord, SampleSet};

pub(crate) const INCIDENT_SUMMARIES: [&str; 2] = [
    "講習会の案内メールを送信する際、宛先をBCCではなくTOに入力し、受講予定者8名のメールアドレスが相互に表示された。全員に削除を依頼。",
    "マイスター派遣の依頼書（担当者名・電話番号記載）を別の企業へFAX誤送信。先方に廃棄を依頼し、同日中に廃棄を確認。",
];

pub(super) fn incidents_book(set: &mut SampleSet) -> BookLayout {
    let cols: &[(&str, &str)] = &[
        ("No.", "seq"),
        ("発生日", "date"),
        ("種別", "kind"),
        ("概要", "summary"),
        ("報告日\n（委託者へ）", "reported_on"),
        ("対応状況", "status"),
    ];
    let top = vec![title(0, "個人情報の取扱いに関する事故等 記録簿", cols.len())];
    let mut sb =
        SheetBuilder::new(files::INCIDENTS, "記録簿", "incidents", top, 2, cols, &[5.0, 12.0, 12.0, 60.0, 12.0, 10.0]);
    let rows = [
        (d(2023, 7, 12), "メール", "メール誤送付", d(2023, 7, 15), INCIDENT_SUMMARIES[0]),
        (d(2024, 1, 22), "FAX誤送信", "FAX誤送信", d(2024, 1, 22), INCIDENT_SUMMARIES[1]),
    ];
    for (i, (date, label, kind, reported, summary)) in rows.into_iter().enumerate() {
        let cells = vec![
            ("seq", Cell::Num(i as f64 + 1.0)),
            ("date", Cell::Date(date, DateFmt::Slash)),
            ("kind", Cell::text(label)),
            ("summary", Cell::text(summary)),
            ("reported_on", Cell::Date(reported, DateFmt::Slash)),
            ("status", Cell::text("対応済")),
        ];
        let place = sb.record(cells);
        set.incidents.push(IncidentRecord {
            date,
            kind,
            reported_on: Some(reported),
            summary: Some(summary.to_string()),
            fate: Fate::Accepted,
            place,
        });
    }
    BookLayout {
        path: files::INCIDENTS.into(),
        kind: BookKind::Xlsx,
        created: d(2023, 4, 3),
        sheets: vec![sb.finish()],
    }
}

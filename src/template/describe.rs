//! What staff write in each column, in their words: one short Japanese
//! sentence per field of the schema, what one row of each record type is,
//! and how wide a text column should be. The input messages of the headers
//! and the column list of the instructions sheet are built from these.
//!
//! A field missing here still gets a template column (a message from its
//! kind alone), so adding a record type to the schema never breaks
//! `corner-kpi template`; a unit test keeps the table complete.

use crate::schema::DatasetId;

/// What one row of a record type is (`1行に1回の派遣`).
pub fn one_row(id: DatasetId) -> &'static str {
    match id {
        DatasetId::Dispatches => "1行に1回の派遣（指導1回）",
        DatasetId::Outreach => "1行に1回の魅力発信の行事",
        DatasetId::Meisters => "1行に1人のものづくりマイスター",
        DatasetId::Trainings => "1行に1回の講習会",
        DatasetId::Competitions => "1行に1人の参加者（選手または指導者）",
        DatasetId::Meetings => "1行に1回の会議",
        DatasetId::Visits => "1行に1回の訪問",
        DatasetId::Incidents => "1行に1件のインシデント",
    }
}

/// A note on the record type that staff need before they start, if any.
pub fn book_note(id: DatasetId) -> Option<&'static str> {
    match id {
        DatasetId::Meisters => Some(
            "台帳は年度をまたいで使います。前の年度までの台帳があれば、その行をこのブックに写すか、前の台帳をそのまま使い続けてください。\
             同じ認定番号が2つの台帳にあると、内容が同じなら1人として数え、内容が違えば「確認が必要」になります。",
        ),
        DatasetId::Competitions => Some(
            "大会の開催日は計画ファイルにあります（このブックには書きません）。年度の列は空欄で構いません（空欄はこのブックの年度として数えます）。",
        ),
        DatasetId::Dispatches => Some(
            "派遣番号は年度ごとの通し番号です。同じ番号の行が2つあると、内容が同じなら1回として数え、内容が違えば「確認が必要」になります。",
        ),
        DatasetId::Incidents => Some(
            "概要は個人情報として扱い、報告書には出ません。氏名・宛先などは書かず、何が起きたかを短く書いてください。",
        ),
        DatasetId::Outreach | DatasetId::Trainings | DatasetId::Meetings | DatasetId::Visits => None,
    }
}

/// What goes in a field's column, and the width of a text column (in
/// half-width characters; `0` for other kinds, which are sized by kind).
pub fn field(id: DatasetId, key: &str) -> Option<(&'static str, usize)> {
    let found = match (id, key) {
        (DatasetId::Dispatches, "date") => ("派遣して指導した日。", 0),
        (DatasetId::Dispatches, "dest_type") => ("派遣先の種類。", 0),
        (DatasetId::Dispatches, "requester") => {
            ("派遣を依頼した企業・団体・学校の名前。同じ先はいつも同じ書き方で。", 30)
        }
        (DatasetId::Dispatches, "trade") => ("指導した職種（例: 電気溶接、機械加工）。", 14),
        (DatasetId::Dispatches, "trainees") => ("この回の受講者の人数。", 0),
        (DatasetId::Dispatches, "instructor_type") => ("指導した人の区分。", 0),
        (DatasetId::Dispatches, "meister_no") => ("指導したマイスターの認定番号（台帳と同じ書き方で）。", 14),
        (DatasetId::Dispatches, "instructor_name") => ("指導した人の氏名。", 16),
        (DatasetId::Dispatches, "hours") => ("指導した時間（時間単位）。1〜3時間が目安です。", 0),
        (DatasetId::Dispatches, "dispatch_no") => ("コーナーの派遣番号（年度ごとの通し番号）。", 12),
        (DatasetId::Dispatches, "region") => ("派遣先の地区。", 0),

        (DatasetId::Outreach, "date") => ("行事を実施した日。", 0),
        (DatasetId::Outreach, "kind") => ("対象の区分。", 0),
        (DatasetId::Outreach, "place") => {
            ("実施した学校・施設の名前。同じ所はいつも同じ書き方で（か所数を数えます）。", 30)
        }
        (DatasetId::Outreach, "participants") => ("参加した人数（児童・生徒・教員・保護者の合計）。", 0),
        (DatasetId::Outreach, "trade") => ("職種や内容（例: 木工、ロボット製作）。", 16),
        (DatasetId::Outreach, "meister_no") => ("協力したマイスターの認定番号。", 14),

        (DatasetId::Meisters, "meister_no") => ("マイスターの認定番号。1人に1つ。", 14),
        (DatasetId::Meisters, "trade") => ("認定された職種。", 14),
        (DatasetId::Meisters, "certified_on") => ("認定された日。", 0),
        (DatasetId::Meisters, "name") => ("マイスターの氏名。", 16),
        (DatasetId::Meisters, "region") => ("活動する地区。", 0),
        (DatasetId::Meisters, "trained_on") => ("指導技法等講習を受けた日。まだなら空欄。", 0),
        (DatasetId::Meisters, "deregistered_on") => ("登録を解除した日。登録中なら空欄。", 0),
        (DatasetId::Meisters, "last_activity_on") => {
            ("最後に活動した日（このフォルダーの記録より前のもの。分かれば）。", 0)
        }

        (DatasetId::Trainings, "date") => ("講習会を開いた日。", 0),
        (DatasetId::Trainings, "term") => ("講習の区分。", 0),
        (DatasetId::Trainings, "attendees") => ("受講した人数。", 0),
        (DatasetId::Trainings, "travel_yen") => ("支給した交通費の合計（円）。", 0),
        (DatasetId::Trainings, "allowance_yen") => ("受講手当（円）。支給しないので通常は空欄。", 0),

        (DatasetId::Competitions, "event") => ("参加する大会。", 0),
        (DatasetId::Competitions, "role") => ("選手か指導者か。", 0),
        (DatasetId::Competitions, "trade") => ("競技の職種。", 14),
        (DatasetId::Competitions, "org") => ("所属する企業・学校の名前。同じ所はいつも同じ書き方で。", 30),
        (DatasetId::Competitions, "name") => ("参加者の氏名。", 16),
        (DatasetId::Competitions, "withdrawn") => ("辞退したら ○。", 0),
        (DatasetId::Competitions, "travel_yen") => ("旅費の助成額（円）。", 0),
        (DatasetId::Competitions, "tool_transport_yen") => ("工具の運搬費（円）。", 0),
        (DatasetId::Competitions, "fee_yen") => ("技能五輪予選の参加手数料（円）。計画の金額と同じはずです。", 0),
        (DatasetId::Competitions, "fiscal_year") => ("大会の年度。空欄はこのブックの年度。", 0),

        (DatasetId::Meetings, "date") => ("会議を開いた日。", 0),
        (DatasetId::Meetings, "round") => ("会議の回（例: 第1回）。", 12),
        (DatasetId::Meetings, "format") => ("開催の形式。", 0),
        (DatasetId::Meetings, "attending_orgs") => ("出席した構成団体の数。", 0),

        (DatasetId::Visits, "date") => ("訪問した日。", 0),
        (DatasetId::Visits, "coordinator") => ("訪問したコーディネーターの氏名。", 16),
        (DatasetId::Visits, "visited") => ("訪問した企業・団体の名前。", 30),
        (DatasetId::Visits, "region") => ("訪問先の地区。", 0),
        (DatasetId::Visits, "trade") => ("話をした職種。", 14),
        (DatasetId::Visits, "candidates") => ("見つかったマイスター候補者の人数。", 0),

        (DatasetId::Incidents, "date") => ("インシデントが起きた日。", 0),
        (DatasetId::Incidents, "kind") => ("インシデントの種別。", 0),
        (DatasetId::Incidents, "reported_on") => ("委託者へ報告した日。まだなら空欄（遅れとして数えます）。", 0),
        (DatasetId::Incidents, "summary") => ("何が起きたかを短く。氏名・宛先は書かない。", 44),

        (_, "status") => {
            ("実施したか。空欄は実施。中止・延期・予定の行は数えません（予定は、実施したら「実施」に）。", 0)
        }
        (_, "remarks") => ("メモ。「中止」「延期→7/5」のように中止・延期の語で始めると、その行は数えません。", 30),
        (DatasetId::Dispatches, "days") => {
            ("同じ内容で続けて指導した日数。空欄は1日。日数の回数として数えます（受講者数×日数が延べ人数）。", 0)
        }
        (DatasetId::Outreach, "days") => ("行事の日数。空欄は1日。回数は1回、参加者数×日数を延べ人数に数えます。", 0),
        _ => return None,
    };
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_schema_is_described() {
        for id in DatasetId::ALL {
            for f in id.schema().fields {
                assert!(field(id, f.key).is_some(), "{id}.{} has no description", f.key);
            }
        }
    }
}

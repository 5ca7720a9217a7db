//! data-quality.xlsx 概要: which folder was read, where every row went (the
//! accepted rows split so rows not counted are never read as counted), and
//! how to fix what is listed on the other sheets.

use super::quality::counts_table;
use crate::report::ReportInput;
use crate::report::doc::{Block, Section};

pub fn build(input: &ReportInput) -> Section {
    let mut s = Section::new("dq_summary", "読み込みの概要", "概要");
    if let Some(dir) = input.input_dir {
        s.push(Block::Paragraph(format!(
            "入力フォルダー：{dir}（各シートの「場所」のリンクは、この報告書フォルダーから見た相対パスでブックのそのセルを開きます。Excel 形式以外のブックは、ブックだけを開きます）"
        )));
    }
    s.with(Block::Table(counts_table(input))).with(Block::Note(
        "直し方：「除外した行」は理由を読んでブックを直し、もう一度実行します。見出しや区分の書き方が違うだけなら、別名を登録できます：\
         corner-kpi mapping > mapping.toml で既定の対応表を書き出し、別名を書き足して、corner-kpi run --mapping mapping.toml で渡します（区分の値そのものは追加できません）。\
         「確認が必要な行」は集計に含めていますが、入力の誤りでないか確かめてください。"
            .into(),
    ))
}

//! Command-line arguments (clap) and their translation into a validated
//! request ([`Action`], holding a [`Config`] or another command's own).
//! Nothing past this module sees clap types.

use crate::config::{
    Action, AsOf, Config, MailConfig, MailRequest, ReportSet, RollupConfig, Source, TemplateConfig,
    last_complete_month_end,
};
use chrono::NaiveDate;
use clap::{ArgGroup, Args, Parser, Subcommand};
use std::path::PathBuf;

/// 地域技能振興コーナーの月次実績報告を、職員が付けている Excel ブックから作ります。
///
/// Monthly progress reports for a regional skills-promotion corner, made from
/// the Excel workbooks its staff keep. With no arguments, in a folder that
/// holds input-samples/ (this repository), it runs on those samples with the
/// embedded FY2023 Yamaguchi plan and writes the reports to output/.
#[derive(Debug, Parser)]
#[command(name = "corner-kpi", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 報告書を作る: read the drop folder and write the report set (default).
    Run(RunArgs),
    /// 計画（目標値）の既定ファイルを表示する: print the embedded plan as TOML to copy and edit;
    /// with --fiscal-year, rolled forward to that year.
    Plan(PlanArgs),
    /// 見出しの対応表の既定ファイルを表示する: print the embedded header mapping as TOML.
    Mapping,
    /// 記入用ブックを作る: blank input workbooks for a fiscal year, one per record type,
    /// with the headers the reader recognises, drop-down lists and input checks.
    Template(TemplateArgs),
    /// 既存の報告書のメール下書きを作る（--send で送る）: check and draft (and send) the mail of a report set.
    Mail(MailArgs),
    /// 送付先ファイルの記入例を表示する: print a commented example recipients file.
    Recipients,
    /// 全国集計: 各コーナーのフォルダーを集計し national.xlsx / .html / .json を作る.
    /// The national roll-up of a folder with one sub-folder per corner.
    Rollup(RollupArgs),
    /// 報告書 HTML のひな形を書き出す: write the embedded HTML templates into a folder to
    /// edit and pass back with --html-templates.
    HtmlTemplates(HtmlTemplatesArgs),
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// 年度を繰り越す: 2026 = 令和8年度. Roll the plan forward to this fiscal year
    /// (dates to the same month and day, era names, competition numbers; targets kept)
    #[arg(long = "fiscal-year", value_name = "YYYY")]
    pub fiscal_year: Option<i32>,
    /// 繰り越す元の計画ファイル. The plan to roll forward [default: the embedded plan]
    #[arg(long, value_name = "FILE", requires = "fiscal_year")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 年度: 2026 = 令和8年度. The fiscal year the workbooks are for
    /// [default: the fiscal year of --plan]
    #[arg(long = "fiscal-year", value_name = "YYYY", required_unless_present = "plan")]
    pub fiscal_year: Option<i32>,
    /// 出力先フォルダー（なければ作ります。同じ名前のファイルがあれば何も書きません）.
    /// Folder for the workbooks [default: templates-<YYYY>]
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 計画ファイル（タイトルのコーナー名に使います）. Plan TOML [default: embedded plan]
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// 見出しの対応表: 各列の見出しに、ファイルが最初に挙げる名前を使います.
    /// Header mapping TOML [default: embedded]
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RollupArgs {
    /// コーナーごとのフォルダー（ブックと plan.toml、または kpis.json）を置いたフォルダー.
    /// Folder with one sub-folder per corner
    #[arg(long, short = 'i', value_name = "DIR")]
    pub input: PathBuf,
    /// 報告月（その月末現在）: 2023-12, or `previous`.
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "as_of")]
    pub month: Option<String>,
    /// 基準日: 2023-12-15.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// 出力先フォルダー. The set goes to <DIR>/<fiscal year>/<as-of date>/ [default: output]
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 進捗バーと要約を表示しない. No progress bar, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// 編集した HTML のひな形のフォルダー（`corner-kpi html-templates` で作る）.
    /// Edited HTML templates for national.html [default: embedded]
    #[arg(long = "html-templates", value_name = "DIR")]
    pub html_templates: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct RunArgs {
    /// ブックを置いたフォルダー（サブフォルダーも読みます）. Folder with the workbooks
    /// [default: ./input-samples, only when the working folder has one]
    #[arg(long, short = 'i', value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// 計画ファイル（`corner-kpi plan` の出力を編集したもの）. Plan TOML [default: embedded FY2023 Yamaguchi plan]
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// 見出しの対応表（`corner-kpi mapping` の出力を編集したもの）. Header mapping TOML [default: embedded]
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// 報告月（その月末現在）: 2023-10, or `previous` for the last complete month.
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "as_of")]
    pub month: Option<String>,
    /// 基準日（任意の日）: 2023-10-15.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// 出力先フォルダー. Reports go to <DIR>/<fiscal year>/<as-of date>/ [default: output]
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// 進捗バーと要約を表示しない. No progress bar, no summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// 送付先ファイル: 報告書を添付したメールの下書きと確認リストを <報告書>/mail/ に作る.
    /// Recipients TOML (`corner-kpi recipients` prints an example): write checked .eml drafts
    #[arg(long, value_name = "FILE")]
    pub mail: Option<PathBuf>,
    /// 確認に通った下書きを SMTP（STARTTLS）で送る. Send the checked drafts (needs --mail;
    /// server and credentials: CORNER_KPI_SMTP_* environment variables)
    #[arg(long, requires = "mail")]
    pub send: bool,
    /// 編集した HTML のひな形のフォルダー（`corner-kpi html-templates` で作る）.
    /// Edited HTML templates for the .html reports [default: embedded]
    #[arg(long = "html-templates", value_name = "DIR")]
    pub html_templates: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HtmlTemplatesArgs {
    /// 書き出し先フォルダー（なければ作ります。同じ名前のファイルがあれば何も書きません）.
    /// Folder for the templates
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("set").required(true).args(["report", "month", "as_of"])))]
pub struct MailArgs {
    /// 送付先ファイル. Recipients TOML (`corner-kpi recipients` prints an example)
    #[arg(value_name = "RECIPIENTS")]
    pub recipients: PathBuf,
    /// 報告書フォルダー（output/2023/2023-10-31 など）. The report set to mail
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// 報告月: 2023-10, or `previous`. The set <output>/<fiscal year>/<month end>/
    #[arg(long, value_name = "YYYY-MM", conflicts_with = "as_of")]
    pub month: Option<String>,
    /// 基準日: 2023-10-15. The set <output>/<fiscal year>/<date>/
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// 出力先フォルダー（--month / --as-of のとき）. [default: output]
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "report")]
    pub output: Option<PathBuf>,
    /// 報告書を作ったときのフォルダー（添付に氏名がないか確かめるため読み直します）.
    /// [default: ./input-samples, only when the working folder has one]
    #[arg(long, short = 'i', value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// 見出しの対応表. Header mapping TOML [default: embedded]
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// 確認に通った下書きを SMTP（STARTTLS）で送る. Send the checked drafts
    #[arg(long)]
    pub send: bool,
    /// 進捗バーと確認リストを表示しない. No progress bar, no checklist on the terminal.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A command line that could not be understood (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

impl Cli {
    pub fn into_action(self, today: NaiveDate) -> Result<Action, UsageError> {
        match self.command {
            None => Ok(Action::Run(RunArgs::default().into_config(today)?)),
            Some(Command::Run(args)) => Ok(Action::Run(args.into_config(today)?)),
            Some(Command::Plan(a)) => Ok(Action::PrintPlan { fiscal_year: a.fiscal_year, from: a.from }),
            Some(Command::Mapping) => Ok(Action::PrintMapping),
            Some(Command::Template(a)) => {
                let fiscal_year = match a.fiscal_year {
                    None => None,
                    Some(y) => Some(crate::fiscal::FiscalYear::new(y).ok_or_else(|| {
                        UsageError(format!(
                            "--fiscal-year {y} は年度として読めません。2026（令和8年度）のように 1990〜2200 の年を指定してください"
                        ))
                    })?),
                };
                Ok(Action::Template(TemplateConfig {
                    fiscal_year,
                    plan: a.plan.map_or(Source::Embedded, Source::File),
                    mapping: a.mapping.map_or(Source::Embedded, Source::File),
                    output: a.output,
                }))
            }
            Some(Command::Mail(args)) => Ok(Action::Mail(args.into_config(today)?)),
            Some(Command::Recipients) => Ok(Action::PrintRecipients),
            Some(Command::Rollup(args)) => {
                let as_of = parse_as_of(args.month.as_deref(), args.as_of.as_deref(), today)?;
                Ok(Action::Rollup(RollupConfig {
                    input: args.input,
                    output: args.output.unwrap_or_else(|| PathBuf::from("output")),
                    as_of,
                    today,
                    progress: !args.quiet,
                    html_templates: args.html_templates,
                }))
            }
            Some(Command::HtmlTemplates(a)) => Ok(Action::WriteHtmlTemplates(a.output)),
        }
    }
}

impl RunArgs {
    fn into_config(self, today: NaiveDate) -> Result<Config, UsageError> {
        let as_of = parse_as_of(self.month.as_deref(), self.as_of.as_deref(), today)?;
        Ok(Config {
            input: self.input.map_or_else(|| default_input("ブックを置いたフォルダー"), Ok)?,
            plan: self.plan.map_or(Source::Embedded, Source::File),
            mapping: self.mapping.map_or(Source::Embedded, Source::File),
            as_of,
            output: self.output.unwrap_or_else(|| PathBuf::from("output")),
            progress: !self.quiet,
            today,
            mail: self.mail.map(|recipients| MailRequest { recipients, send: self.send }),
            html_templates: self.html_templates,
        })
    }
}

impl MailArgs {
    fn into_config(self, today: NaiveDate) -> Result<MailConfig, UsageError> {
        let report = match (self.report, parse_as_of(self.month.as_deref(), self.as_of.as_deref(), today)?) {
            (Some(dir), _) => ReportSet::Dir(dir),
            (None, AsOf::Date(as_of)) => {
                ReportSet::Date { output: self.output.unwrap_or_else(|| PathBuf::from("output")), as_of }
            }
            (None, AsOf::Default) => {
                return Err(UsageError("--report DIR か --month / --as-of で報告書を指定してください".into()));
            }
        };
        Ok(MailConfig {
            request: MailRequest { recipients: self.recipients, send: self.send },
            report,
            input: self.input.map_or_else(|| default_input("報告書を作ったときのブックのフォルダー"), Ok)?,
            mapping: self.mapping.map_or(Source::Embedded, Source::File),
            progress: !self.quiet,
        })
    }
}

/// `--month` (`previous` = the last complete month) or `--as-of`.
fn parse_as_of(month: Option<&str>, as_of: Option<&str>, today: NaiveDate) -> Result<AsOf, UsageError> {
    Ok(match (month, as_of) {
        (Some("previous"), _) => AsOf::Date(last_complete_month_end(today)),
        (Some(m), _) => AsOf::Date(parse_month(m)?),
        (None, Some(d)) => AsOf::Date(NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
            UsageError(format!("--as-of \"{d}\" は日付として読めません。2023-10-15 の形で指定してください"))
        })?),
        (None, None) => AsOf::Default,
    })
}

/// The folder of the bundled samples, read without `--input` when the
/// working folder holds it (`cargo run` in the repository).
pub const SAMPLES_DIR: &str = "input-samples";

/// The input folder without `--input`: `./input-samples` only when it exists
/// in the working folder. No path compiled into the binary is ever read, so
/// a run elsewhere never silently reads the samples of the source tree.
/// `what` names the folder `--input` wants (ブックを置いたフォルダー).
fn default_input(what: &str) -> Result<PathBuf, UsageError> {
    let here = PathBuf::from(SAMPLES_DIR);
    if here.is_dir() {
        return Ok(here);
    }
    Err(UsageError(format!(
        "入力フォルダーが指定されていません。--input に、{what}を指定してください（このフォルダーに {SAMPLES_DIR}/ はありません）"
    )))
}

fn parse_month(m: &str) -> Result<NaiveDate, UsageError> {
    let bad =
        || UsageError(format!("--month \"{m}\" は月として読めません。2023-10 の形か previous を指定してください"));
    let (y, mo) = m.trim().split_once('-').ok_or_else(bad)?;
    let (y, mo): (i32, u32) = (y.parse().map_err(|_| bad())?, mo.parse().map_err(|_| bad())?);
    crate::fiscal::month_end(y, mo).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn action(args: &[&str]) -> Result<Action, UsageError> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        Cli::try_parse_from(args).unwrap().into_action(today)
    }

    #[test]
    fn month_means_its_last_day_and_previous_the_last_complete_month() {
        let Ok(Action::Run(c)) = action(&["corner-kpi", "run", "--month", "2024-02"]) else { panic!() };
        assert_eq!(c.as_of, AsOf::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()));
        let Ok(Action::Run(c)) = action(&["corner-kpi", "run", "--month", "previous"]) else { panic!() };
        assert_eq!(c.as_of, AsOf::Date(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()));
        let Ok(Action::Run(c)) = action(&["corner-kpi", "run", "--as-of", "2023-10-15"]) else { panic!() };
        assert_eq!(c.as_of, AsOf::Date(NaiveDate::from_ymd_opt(2023, 10, 15).unwrap()));
        let Ok(Action::Run(c)) = action(&["corner-kpi"]) else { panic!() };
        assert_eq!(c.as_of, AsOf::Default);
        assert!(action(&["corner-kpi", "run", "--month", "2023-13"]).is_err());
        assert!(action(&["corner-kpi", "run", "--as-of", "10/15"]).is_err());
    }

    #[test]
    fn previous_in_april_is_march_of_the_fiscal_year_before() {
        let april = NaiveDate::from_ymd_opt(2027, 4, 10).unwrap();
        let Ok(Action::Run(c)) =
            Cli::try_parse_from(["corner-kpi", "run", "--month", "previous"]).unwrap().into_action(april)
        else {
            panic!()
        };
        let march = NaiveDate::from_ymd_opt(2027, 3, 31).unwrap();
        assert_eq!(c.as_of, AsOf::Date(march));
        assert_eq!(crate::fiscal::FiscalYear::of(march).year(), 2026, "FY2026's last month");
        let Ok(Action::PrintPlan { fiscal_year, from }) =
            Cli::try_parse_from(["corner-kpi", "plan", "--fiscal-year", "2026", "--from", "p.toml"])
                .unwrap()
                .into_action(april)
        else {
            panic!()
        };
        assert_eq!((fiscal_year, from), (Some(2026), Some(PathBuf::from("p.toml"))));
        assert!(Cli::try_parse_from(["corner-kpi", "plan", "--from", "p.toml"]).is_err(), "--from needs --fiscal-year");
    }

    #[test]
    fn template_needs_a_year_or_a_plan() {
        let Ok(Action::Template(t)) = action(&["corner-kpi", "template", "--fiscal-year", "2026", "-o", "記入用"])
        else {
            panic!()
        };
        assert_eq!(t.fiscal_year.map(|f| f.year()), Some(2026));
        assert_eq!((t.plan, t.output), (Source::Embedded, Some(PathBuf::from("記入用"))));
        let Ok(Action::Template(t)) = action(&["corner-kpi", "template", "--plan", "p.toml", "--mapping", "m.toml"])
        else {
            panic!()
        };
        assert_eq!((t.fiscal_year, t.output), (None, None), "the plan's year, the default folder");
        assert_eq!(t.mapping, Source::File("m.toml".into()));
        assert!(Cli::try_parse_from(["corner-kpi", "template"]).is_err(), "which year?");
        assert!(action(&["corner-kpi", "template", "--fiscal-year", "26"]).is_err(), "a two-digit year");
    }

    #[test]
    fn mail_is_a_run_option_and_a_subcommand_on_an_existing_set() {
        let Ok(Action::Run(c)) =
            action(&["corner-kpi", "run", "--month", "previous", "--mail", "送付先 一覧.toml", "--send"])
        else {
            panic!()
        };
        assert_eq!(c.mail, Some(MailRequest { recipients: "送付先 一覧.toml".into(), send: true }));
        assert_eq!(c.as_of, AsOf::Date(NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()));
        assert!(Cli::try_parse_from(["corner-kpi", "run", "--send"]).is_err(), "--send needs --mail");

        let Ok(Action::Mail(m)) = action(&["corner-kpi", "mail", "r.toml", "--month", "2023-10", "-o", "出力 先"])
        else {
            panic!()
        };
        assert_eq!(m.report.dir(), PathBuf::from("出力 先").join("2023").join("2023-10-31"));
        assert!(!m.request.send);
        let Ok(Action::Mail(m)) = action(&["corner-kpi", "mail", "r.toml", "--report", "x/2024/2024-03-31", "--send"])
        else {
            panic!()
        };
        assert_eq!(m.report, ReportSet::Dir("x/2024/2024-03-31".into()));
        assert!(m.request.send);
        assert!(Cli::try_parse_from(["corner-kpi", "mail", "r.toml"]).is_err(), "which set?");
        assert!(Cli::try_parse_from(["corner-kpi", "mail", "r.toml", "--report", "d", "--month", "2023-10"]).is_err());
        assert!(matches!(action(&["corner-kpi", "recipients"]), Ok(Action::PrintRecipients)));
    }
}

//! The `corner-kpi` binary: parse arguments, call the library, map the
//! outcome to an exit status (0 clean, 1 reports written with rejections,
//! 2 nothing written, or a mail group refused / not sent).

use clap::Parser;
use corner_kpi::cli::{Action, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    // One line per panic, no backtrace: a reader panic on a hostile file is
    // caught and reported as an unreadable file; the line only says where.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!("corner-kpi: 内部エラー（{at}）。該当ファイルは読み込めなかったものとして続けます");
    }));
    let cli = Cli::parse();
    let today = chrono::Local::now().date_naive();
    let action = match cli.into_action(today) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("corner-kpi: {e}");
            return ExitCode::from(2);
        }
    };
    match action {
        Action::PrintPlan { fiscal_year: None, .. } => {
            print!("{}", corner_kpi::plan::DEFAULT_PLAN_TOML);
            ExitCode::SUCCESS
        }
        Action::PrintPlan { fiscal_year: Some(year), from } => {
            match corner_kpi::plan::roll::from_file(from.as_deref(), year) {
                Ok(text) => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("corner-kpi: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Action::PrintMapping => {
            print!("{}", corner_kpi::mapping::DEFAULT_MAPPING_TOML);
            ExitCode::SUCCESS
        }
        Action::Template(config) => match corner_kpi::template::write(&config) {
            Ok(written) => {
                print!("{}", written.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("corner-kpi: {e:#}");
                ExitCode::from(2)
            }
        },
        Action::WriteHtmlTemplates(dir) => match corner_kpi::report::write_html_templates(&dir) {
            Ok(written) => {
                for p in written {
                    println!("{}", p.display());
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("corner-kpi: {e:#}");
                ExitCode::from(2)
            }
        },
        Action::PrintRecipients => {
            print!("{}", corner_kpi::mail::recipients::EXAMPLE_RECIPIENTS_TOML);
            ExitCode::SUCCESS
        }
        Action::Mail(config) => match corner_kpi::mail_existing(&config) {
            Ok(outcome) => {
                if config.progress {
                    print!("{}", outcome.checklist);
                }
                for e in &outcome.errors {
                    eprintln!("corner-kpi: {e}");
                }
                ExitCode::from(outcome.exit_code())
            }
            Err(e) => {
                eprintln!("corner-kpi: {e:#}");
                ExitCode::from(2)
            }
        },
        Action::Rollup(config) => match corner_kpi::rollup::rollup(&config) {
            Ok(summary) => {
                if config.progress {
                    print!("{}", summary.display());
                }
                if summary.exit_code() != 0 {
                    eprintln!(
                        "corner-kpi: 全国集計を作成しました。欠測 {}・失敗 {} のコーナーがあります（national.xlsx の「読み込み状況」）",
                        summary.missing, summary.failed
                    );
                }
                ExitCode::from(summary.exit_code())
            }
            Err(e) => {
                eprintln!("corner-kpi: {e:#}");
                ExitCode::from(2)
            }
        },
        Action::Run(config) => match corner_kpi::run(&config) {
            Ok(summary) => {
                if config.progress {
                    print!("{}", summary.display());
                    if let Some(Ok(mail)) = &summary.mail {
                        print!("\n{}", mail.checklist);
                    }
                }
                for e in summary.mail_errors() {
                    eprintln!("corner-kpi: {e}");
                }
                if let Some(line) = summary.check_line() {
                    eprintln!("corner-kpi: {line}");
                }
                ExitCode::from(summary.exit_code())
            }
            Err(e) => {
                eprintln!("corner-kpi: {e:#}");
                ExitCode::from(2)
            }
        },
    }
}

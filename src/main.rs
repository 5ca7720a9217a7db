//! The `corner-kpi` binary: parse the arguments ([`corner_kpi::cli`]), run
//! the command ([`corner_kpi::app`]), print what it says and exit with its
//! status (0 clean, 1 reports written with rejections, 2 nothing written,
//! or a mail group refused / not sent).

use clap::Parser;
use corner_kpi::app::{self, Outcome};
use corner_kpi::cli::Cli;
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
    let outcome = match cli.into_action(today) {
        Ok(action) => app::execute(action),
        Err(e) => Outcome::failed(e.to_string()),
    };
    print!("{}", outcome.stdout);
    for line in &outcome.stderr {
        eprintln!("corner-kpi: {line}");
    }
    // For the memory tests and benchmarks: the process's peak resident size.
    if std::env::var_os(app::PEAK_ENV).is_some()
        && let Some(kb) = app::peak_rss_kb()
    {
        eprintln!("peak_rss_kb={kb}");
    }
    ExitCode::from(outcome.exit)
}

//! The `corner-kpi` binary: parse arguments, call the library, map the
//! outcome to an exit status (0 clean, 1 reports written with rejections,
//! 2 nothing written).

use clap::Parser;
use corner_kpi::cli::{Action, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
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
        Action::PrintPlan => {
            print!("{}", corner_kpi::plan::DEFAULT_PLAN_TOML);
            ExitCode::SUCCESS
        }
        Action::PrintMapping => {
            print!("{}", corner_kpi::mapping::DEFAULT_MAPPING_TOML);
            ExitCode::SUCCESS
        }
        Action::Run(config) => match corner_kpi::run(&config) {
            Ok(summary) => {
                if config.progress {
                    print!("{}", summary.display());
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

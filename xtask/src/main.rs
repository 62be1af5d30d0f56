//! `cargo xtask <task>`: see the library's docs for the tasks.

use std::process::ExitCode;

use xtask::{bench, catalogue, check_services, codegen, import};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen::Options::parse(rest).and_then(|o| codegen::codegen(&o)),
        Some("import-tccli") => import::Options::parse(rest).and_then(|o| import::import_tccli(&o)),
        Some("import-catalogue") => {
            catalogue::Options::parse(rest).and_then(|o| catalogue::import_catalogue(&o))
        }
        Some("check-services") => {
            check_services::Options::parse(rest).and_then(|o| check_services::check_services(&o))
        }
        Some("bench") => bench::Options::parse(rest).and_then(|o| bench::bench(&o)),
        Some("help" | "--help" | "-h") => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{}", usage());
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn usage() -> String {
    [
        codegen::USAGE,
        import::USAGE,
        catalogue::USAGE,
        check_services::USAGE,
        bench::USAGE,
    ]
    .join("\n\n")
}

//! The `rectify` binary: parse the command line and run it. All the work is in the library.

use clap::Parser;

fn main() {
    let cli = match rectify::cli::args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => rectify::cli::exit_on_clap_error(e),
    };
    let code = rectify::cli::run(cli);
    std::process::exit(code);
}

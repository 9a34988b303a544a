//! The `rectify` binary: parse the command line and run it. All the work is in the library.

use clap::Parser;

fn main() {
    let cli = rectify::cli::args::Cli::parse();
    let code = rectify::cli::run(cli);
    std::process::exit(code);
}

//! The `rectify` binary: parse the command line and run it. All the work is in the library.

use clap::Parser;

fn main() {
    ignore_file_size_signal();
    let cli = match rectify::cli::args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => rectify::cli::exit_on_clap_error(e),
    };
    let code = rectify::cli::run(cli);
    std::process::exit(code);
}

/// Under a file size limit (`ulimit -f`) the kernel kills a writer with SIGXFSZ before it can
/// say anything. Ignored, the write fails with EFBIG instead, and the store turns that into a
/// message and leaves the ledger as it was (tests/fault_injection.rs).
fn ignore_file_size_signal() {
    // SAFETY: setting a signal to SIG_IGN before any thread starts touches no memory of ours.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

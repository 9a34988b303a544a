//! The spreadsheet importer on CSV bytes (`exchange::import`): reading (`read::read`) and
//! planning against the demo ledger (`import::plan`: header detection, cell parsing, name
//! resolution, every rule). A bad file or row is an error or a row error with a message, never
//! a panic. Bytes that begin like a workbook (`PK`, the xls magic) go down those readers too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

thread_local! {
    static SCRATCH: RefCell<rectify_fuzz::Scratch> = RefCell::new(rectify_fuzz::Scratch::new());
}

fuzz_target!(|data: &[u8]| {
    SCRATCH.with(|s| {
        let scratch = s.borrow();
        let path = scratch.file("台账.csv", data);
        rectify_fuzz::check_import(&path);
    });
});

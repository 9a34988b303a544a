//! The spreadsheet importer on workbooks. A fuzzer mutating a zip mostly breaks its checksums,
//! so unless the input already is a zip (`PK…`, passed as is) the target builds a valid xlsx
//! around it: the input, split at the first NUL, becomes the worksheet XML and the shared
//! strings. What calamine makes of it is then read and planned against the demo ledger.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::cell::RefCell;

thread_local! {
    static SCRATCH: RefCell<rectify_fuzz::Scratch> = RefCell::new(rectify_fuzz::Scratch::new());
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let (sheet, strings) = match data.iter().position(|b| *b == 0) {
            Some(i) => (&data[..i], Some(&data[i + 1..])),
            None => (data, None),
        };
        rectify_fuzz::xlsx_around(sheet, strings)
    };
    SCRATCH.with(|s| {
        let scratch = s.borrow();
        let path = scratch.file("台账.xlsx", &bytes);
        rectify_fuzz::check_import(&path);
    });
});

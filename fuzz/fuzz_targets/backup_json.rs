//! JSON backups (`exchange::backup`): any bytes as the file `rectify restore` reads, and what
//! reads restored into a fresh directory. Every line of every journal is verified before
//! anything is written; a refusal carries a message and leaves no journal behind.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::exchange::backup;
use std::cell::RefCell;

thread_local! {
    static SCRATCH: RefCell<rectify_fuzz::Scratch> = RefCell::new(rectify_fuzz::Scratch::new());
}

fuzz_target!(|data: &[u8]| {
    SCRATCH.with(|s| {
        let scratch = s.borrow();
        let path = scratch.file("backup.json", data);
        match backup::read(&path) {
            Ok(b) => {
                let dir = scratch.path().join("restored");
                let _ = std::fs::remove_dir_all(&dir);
                match backup::restore(&b, &dir, "fuzz") {
                    Ok(_) => {}
                    Err(msg) => {
                        rectify_fuzz::assert_clear(&msg);
                        // All or nothing: a refused restore leaves no journal behind.
                        let written = std::fs::read_dir(dir.join("journal"))
                            .map(|d| d.count())
                            .unwrap_or(0);
                        assert_eq!(written, 0, "a refused restore left journals: {}", msg.zh);
                    }
                }
                let _ = std::fs::remove_dir_all(&dir);
            }
            Err(msg) => rectify_fuzz::assert_clear(&msg),
        }
    });
});

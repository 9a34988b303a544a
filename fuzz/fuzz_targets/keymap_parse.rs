//! The keymap files (`tui::keymap`): any bytes as the file `rectify keymap check` validates,
//! as a `--keymap` file, and as the user's override file on top of each preset. Errors must
//! carry a message; the app must always get a working keymap. Key notation alone goes through
//! `parse_key`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::tui::keymap::{self, Keymap};
use std::cell::RefCell;

thread_local! {
    static SCRATCH: RefCell<rectify_fuzz::Scratch> = RefCell::new(rectify_fuzz::Scratch::new());
}

fuzz_target!(|data: &[u8]| {
    SCRATCH.with(|s| {
        let scratch = s.borrow();
        let path = scratch.file("keymap.toml", data);
        if let Err(errors) = keymap::check_file(&path) {
            assert!(!errors.is_empty());
            for e in &errors {
                rectify_fuzz::assert_clear(&e.msg);
                let _ = e.to_string();
            }
        }
        let (map, errors) = Keymap::load(&path.display().to_string(), None);
        for e in &errors {
            rectify_fuzz::assert_clear(&e.msg);
        }
        assert!(!map.name().is_empty());
        for preset in keymap::preset_names() {
            let (_, errors) = Keymap::load(preset, Some(&path));
            for e in &errors {
                rectify_fuzz::assert_clear(&e.msg);
            }
        }
        if let Ok(text) = std::str::from_utf8(data) {
            match keymap::parse_key(text) {
                Ok(keys) => {
                    for k in &keys {
                        let _ = keymap::key_text(k);
                    }
                }
                Err(msg) => rectify_fuzz::assert_clear(&msg),
            }
        }
    });
});

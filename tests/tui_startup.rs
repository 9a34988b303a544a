//! Start-up on a cached 总览 (`tui::app_startup`): the first frame may show the 总览 kept at the
//! last exit, before the findings are loaded, but only while it is exactly the 总览 of the
//! ledger as it stands; once loaded the screen must not change. Anything that moved the ledger,
//! the day or the 口径 since, or a damaged cache file, means loading first, as before.

mod common;

use common::store_env::new_store_dir;
use common::tui_env::{buffer_text, script_keys, test_today};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rectify::ledger::Ledger;
use rectify::store::SledStore;
use rectify::tui::app::{App, AppEvent};
use rectify::tui::keymap::Keymap;
use rectify::tui::overview_cache;
use rectify::tui::theme::Theme;
use std::path::Path;

fn open_app(path: &Path, today: chrono::NaiveDate) -> App<SledStore> {
    rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
    let ledger = Ledger::new(SledStore::open(path, "审计员甲").expect("open store"));
    let (keymap, _) = Keymap::load("default", None);
    let theme = Theme::new(false, rectify::config::Theme::Auto);
    App::new_deferred(ledger, keymap, theme, path.into(), "审计员甲".into(), today).expect("app")
}

fn screen(app: &mut App<SledStore>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal
        .draw(|frame| rectify::tui::render::render(app, frame))
        .expect("draw");
    buffer_text(terminal.backend().buffer())
}

fn keys(app: &mut App<SledStore>, script: &str) {
    for key in script_keys(script) {
        app.handle_event(AppEvent::Key(key));
    }
}

/// A demo store, opened once in full (as a first start does) and left with its 总览 cached.
/// Returns the 总览 that start showed.
fn demo_store_with_cache(path: &Path) -> String {
    let mut ledger = Ledger::new(SledStore::open(path, "审计员甲").expect("open store"));
    ledger
        .create_batch(rectify::demo::story::demo_records(test_today()))
        .expect("demo loads");
    drop(ledger);
    let mut app = open_app(path, test_today());
    assert!(
        app.cached_overview().is_none(),
        "a new store has no cached 总览"
    );
    assert!(app.finish_loading());
    let shown = screen(&mut app);
    app.save_overview();
    assert!(path.join(overview_cache::FILE).exists());
    shown
}

#[test]
fn the_cached_overview_is_what_the_loaded_ledger_shows() {
    let (_dir, path) = new_store_dir();
    let full = demo_store_with_cache(&path);
    assert!(full.contains("整改率"), "the 总览 is shown:\n{full}");

    let mut app = open_app(&path, test_today());
    let overview = app.cached_overview().expect("the cache is current");
    app.show_cached_overview(overview);
    assert!(app.loading());
    assert!(
        app.snap.findings.is_empty(),
        "the first frame comes before the findings"
    );
    let first = screen(&mut app);
    assert_eq!(
        first, full,
        "the first frame is the 总览 of the whole ledger"
    );

    assert!(app.finish_loading());
    assert!(!app.loading());
    assert!(!app.snap.findings.is_empty());
    assert_eq!(screen(&mut app), full, "loading changes nothing on screen");
    // And the 总览 works as ever: Enter opens the findings behind the first number.
    keys(&mut app, "<enter>");
    let listed = screen(&mut app);
    let first_number = &*app.snap.findings[0].finding.number;
    assert!(listed.contains(first_number), "{listed}");
}

#[test]
fn a_change_to_the_ledger_since_the_cache_is_never_shown_stale() {
    let (_dir, path) = new_store_dir();
    let before = demo_store_with_cache(&path);

    // Another session (here the ledger directly) adds a finding after the cache was kept.
    let mut app = open_app(&path, test_today());
    assert!(app.finish_loading());
    let project = app.snap.projects[0].id;
    let lead = app.snap.units[0].id;
    drop(app);
    let mut ledger = Ledger::new(SledStore::open(&path, "审计员乙").expect("open store"));
    let day = test_today() - chrono::Duration::days(60);
    let f = common::finding(project, lead, "2099-01", day, day);
    ledger.create(f).expect("a new, overdue finding");
    drop(ledger);

    let mut app = open_app(&path, test_today());
    assert!(
        app.cached_overview().is_none(),
        "the journal moved: the cached 总览 is stale"
    );
    assert!(app.finish_loading());
    let after = screen(&mut app);
    assert_ne!(after, before, "the new finding counts");
    app.save_overview();
    drop(app);

    // The next start shows the new figures at once.
    let mut app = open_app(&path, test_today());
    let overview = app.cached_overview().expect("kept at the last exit");
    app.show_cached_overview(overview);
    assert_eq!(screen(&mut app), after);
}

#[test]
fn another_day_or_caliber_or_a_damaged_file_means_loading_first() {
    let (_dir, path) = new_store_dir();
    demo_store_with_cache(&path);

    let app = open_app(&path, test_today().succ_opt().expect("a next day"));
    assert!(
        app.cached_overview().is_none(),
        "statuses move with the day: yesterday's 总览 is not today's"
    );
    drop(app);

    let mut app = open_app(&path, test_today());
    app.set_caliber("partial=yes").expect("a valid 口径");
    assert!(
        app.cached_overview().is_none(),
        "another 口径 counts differently"
    );
    drop(app);

    for garbage in [&b""[..], b"\x00\x01garbage", &[0xff; 4096][..]] {
        std::fs::write(path.join(overview_cache::FILE), garbage).expect("damage the cache");
        let mut app = open_app(&path, test_today());
        assert!(app.cached_overview().is_none());
        assert!(app.finish_loading());
        assert!(screen(&mut app).contains("整改率"));
        // Leaving keeps a good one again.
        app.save_overview();
        drop(app);
        let app = open_app(&path, test_today());
        assert!(app.cached_overview().is_some());
    }
}

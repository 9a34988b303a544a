//! Finding things in the terminal app: the finder (pinyin included), the filter line with its
//! error pointer, and saved views, through the real key handling.

mod common;

use common::tui_env::TuiEnv;
use rectify::tui::app::Mode;
use rectify::tui::saved_views::Views;
use rectify::tui::view::Selected;

fn selected_finding(env: &TuiEnv) -> rectify::ledger::FindingRow {
    match env.app.selected() {
        Some(Selected::Finding(id)) => env.app.snap.finding(id).cloned().expect("the finding"),
        other => panic!("expected a finding under the cursor, got {other:?}"),
    }
}

#[test]
fn the_finder_takes_pinyin_initials_and_enter_shows_the_record() {
    for preset in ["default", "vim", "emacs"] {
        let mut env = TuiEnv::new(preset, true);
        let open = if preset == "emacs" { "<ctrl-s>" } else { "/" };
        // czj = 区财政局: the first hit is the unit itself; the next ones are its findings.
        env.keys(open).keys("czj");
        let screen = env.screen(120, 40);
        assert!(screen.contains("区财政局"), "{preset}:\n{screen}");
        env.keys("<down><enter>");
        assert!(
            matches!(env.app.mode, Mode::Normal),
            "{preset}: the finder closed"
        );
        let row = selected_finding(&env);
        let lead = row.finding.lead_unit().expect("a lead unit");
        assert_eq!(env.app.snap.unit_name(lead), "财政局", "{preset}");
        let screen = env.screen(120, 40);
        assert!(
            screen.contains(&*row.finding.title),
            "{preset}: the record is shown\n{screen}"
        );
    }
}

#[test]
fn a_full_pinyin_query_finds_a_project_and_enter_opens_its_panel() {
    let mut env = TuiEnv::new("default", true);
    env.keys("/zhuanxiangzhaiquan");
    let screen = env.screen(120, 40);
    assert!(screen.contains("专项债券"), "{screen}");
    env.keys("<enter>");
    assert!(env.app.selected().is_some());
    let screen = env.screen(120, 40);
    assert!(screen.contains("专项债券"), "{screen}");
}

#[test]
fn the_filter_line_narrows_the_findings_and_points_at_a_mistake() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3f+超期<enter>");
    let shown = env.app.items();
    let overdue = env
        .app
        .snap
        .findings
        .iter()
        .filter(|r| r.status.overdue)
        .count();
    assert_eq!(shown.len(), overdue);
    assert!(overdue > 0);
    let screen = env.screen(120, 40);
    assert!(screen.contains("筛选：+超期"), "{screen}");
    // A bad amount: the line stays open, the message names it, a caret points at it.
    env.keys("f<ctrl-u>金额>abc<enter>");
    assert!(matches!(env.app.mode, Mode::Prompt(_)));
    let screen = env.screen(120, 40);
    assert!(screen.contains("无法识别的金额"), "{screen}");
    assert!(screen.contains("^^^"), "{screen}");
    // Esc keeps the filter that was in force; an empty filter clears it.
    env.keys("<esc>");
    assert_eq!(env.app.items().len(), overdue);
    env.keys("f<ctrl-u><enter>");
    assert_eq!(env.app.items().len(), env.app.snap.findings.len());
}

#[test]
fn a_filter_saved_as_a_view_comes_back_from_the_views_list() {
    let mut env = TuiEnv::new("default", true);
    let dir = tempfile::tempdir().expect("tempdir");
    env.app.views = Views::load(Some(dir.path())).0;
    env.keys("3f单位:财政 +超期<enter>");
    let expected = env.app.items();
    env.keys("S财政超期<enter>");
    assert!(env.screen(120, 40).contains("视图已保存"));
    // Clear the filter, then recall the view by typing part of its name.
    env.keys("f<ctrl-u><enter>");
    assert_ne!(env.app.items(), expected);
    env.keys("'财政超期<enter>");
    assert_eq!(env.app.items(), expected);
    let reloaded = Views::load(Some(dir.path())).0;
    assert!(
        reloaded
            .list
            .iter()
            .any(|v| v.name == "财政超期" && v.filter == "单位:财政 +超期")
    );
}

/// The finder marks, on every row it shows, the characters the query matched: `czj` marks 财政局
/// in 区财政局 (by their pinyin initials) and not 区. The marks are computed for the rows on
/// screen only, so they must still be right after scrolling.
#[test]
fn the_finder_marks_the_matched_characters_on_the_rows_shown() {
    let mut env = TuiEnv::new("default", true);
    env.keys("/").keys("czj");
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("test terminal");
    let mut marked_rows = 0;
    for _ in 0..2 {
        terminal
            .draw(|frame| rectify::tui::render::render(&mut env.app, frame))
            .expect("draw");
        let buffer = terminal.backend().buffer().clone();
        for y in 0..buffer.area.height {
            // The characters of the row with their styles (a wide character's second cell
            // is skipped).
            let mut row = Vec::new();
            let mut x = 0;
            while x < buffer.area.width {
                let cell = &buffer[(x, y)];
                row.push((cell.symbol().to_string(), cell.style()));
                x += rectify::text::width(cell.symbol()).max(1) as u16;
            }
            let text: Vec<&str> = row.iter().map(|(s, _)| s.as_str()).collect();
            let Some(at) = text.windows(4).position(|w| w.concat() == "区财政局") else {
                continue;
            };
            let style = |i: usize| row[at + i].1;
            assert_ne!(style(0), style(1), "区 is not marked, 财 is (row {y})");
            assert_eq!(style(1), style(2), "财 and 政 alike (row {y})");
            assert_eq!(style(2), style(3), "政 and 局 alike (row {y})");
            marked_rows += 1;
        }
        // Scroll down a screenful: the rows drawn now are marked as they are drawn.
        env.keys("<pagedown>");
    }
    assert!(marked_rows > 0, "区财政局 is on screen, marked");
}

/// The index the finder builds is kept on disk at once, and let go when the finder closes: the
/// next opening, in this session or the next, reads it instead of building one (at 100,000
/// findings a fifth of a second) while the ledger is unchanged; a change in between makes it
/// stale, and the finder builds afresh and finds what changed.
#[test]
fn the_finder_reads_the_index_it_kept_until_the_ledger_changes() {
    let mut env = TuiEnv::new("default", true);
    env.keys("/czj");
    let first = env.screen(120, 40);
    assert!(first.contains("区财政局"), "{first}");
    assert_eq!(env.app.index_builds, 1, "the first opening builds");
    assert!(env.app.db.join("search.idx").exists(), "and keeps it");
    env.keys("<esc>");
    assert!(
        env.app.search_index.is_none(),
        "the closed finder holds no index"
    );
    env.keys("/czj");
    assert_eq!(env.app.index_builds, 1, "the kept index is read back");
    assert_eq!(env.screen(120, 40), first, "and finds the same");
    env.keys("<esc>");

    let mut env = env.next_session(|_| {});
    env.keys("/czj");
    assert_eq!(
        env.app.index_builds, 0,
        "the next session reads the kept index, not building it again"
    );
    assert_eq!(
        env.screen(120, 40),
        first,
        "and finds the same, in the same order"
    );
    env.keys("<esc>");

    let mut env = env.next_session(|ledger| {
        ledger.create(common::unit("区气象局")).expect("a new unit");
    });
    env.keys("/气象局");
    let screen = env.screen(120, 40);
    assert_eq!(env.app.index_builds, 1, "a stale index is not used");
    assert!(
        screen.contains("区气象局"),
        "the change is found:\n{screen}"
    );
}

/// When the index cannot be kept on disk (here a directory stands where the file goes), the
/// finder keeps it in memory instead: it still works, and reopening it does not build it again.
#[test]
fn an_index_that_cannot_be_kept_on_disk_stays_in_memory() {
    let mut env = TuiEnv::new("default", true);
    std::fs::create_dir(env.app.db.join("search.idx")).expect("a directory in the file's place");
    env.keys("/czj");
    let first = env.screen(120, 40);
    assert!(first.contains("区财政局"), "{first}");
    env.keys("<esc>");
    assert!(env.app.search_index.is_some(), "not written, so not let go");
    env.keys("/czj");
    assert_eq!(env.app.index_builds, 1, "reopening builds nothing");
    assert_eq!(env.screen(120, 40), first, "and finds the same");
}

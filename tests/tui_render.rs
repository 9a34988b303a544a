//! What the app draws, at 80×24 and 120×40, on the demo ledger: each panel, a form with a
//! validation error, the help popup, the too-small screen. Snapshots are reviewed like code.

mod common;

use common::tui_env::TuiEnv;

#[test]
fn every_panel_at_both_sizes() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut env = TuiEnv::new("default", true);
        for (key, name) in [
            ("1", "dashboard"),
            ("2", "projects"),
            ("3", "findings"),
            ("4", "units"),
            ("5", "checks"),
        ] {
            env.keys(key);
            let screen = env.screen(w, h);
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn a_form_with_a_validation_error() {
    let mut env = TuiEnv::new("default", true);
    // New unit, no name, save: refused with the reason on the field.
    env.keys("4n<ctrl-s>");
    let screen = env.screen(120, 40);
    assert!(screen.contains("单位名称不能为空"), "{screen}");
    insta::assert_snapshot!("unit_form_error_120x40", screen);
    // The pop-up's left border survives the wide characters of the list under it.
    let under = screen
        .lines()
        .find(|l| l.contains("单位名称不能为空"))
        .unwrap_or_default();
    assert!(under.contains('│'), "{under}");
    let small = env.screen(80, 24);
    assert!(small.contains("单位名称不能为空"), "{small}");
}

#[test]
fn the_help_popup_shows_the_live_keys() {
    let mut env = TuiEnv::new("vim", true);
    env.keys("3?");
    let screen = env.screen(120, 40);
    assert!(screen.contains("按键方案：vim"), "{screen}");
    assert!(
        screen.contains("g g"),
        "vim's prefix key is listed: {screen}"
    );
    insta::assert_snapshot!("help_vim_120x40", screen);
}

#[test]
fn too_small_says_so() {
    let mut env = TuiEnv::new("default", true);
    for (w, h) in [(59, 24), (80, 15), (50, 12), (10, 3)] {
        let screen = env.screen(w, h);
        assert!(screen.contains("窗口太小"), "{w}x{h}:\n{screen}");
    }
    insta::assert_snapshot!("too_small_50x12", env.screen(50, 12));
}

#[test]
fn the_welcome_screen_on_an_empty_ledger() {
    let mut env = TuiEnv::new("default", false);
    let screen = env.screen(80, 24);
    assert!(screen.contains("按 d 载入示例台账"), "{screen}");
    env.keys("d");
    let screen = env.screen(80, 24);
    assert!(screen.contains("已载入示例台账"), "{screen}");
    assert!(screen.contains("超期问题"), "{screen}");
}

#[test]
fn the_check_log_and_the_narrow_detail_page() {
    let mut env = TuiEnv::new("default", true);
    env.keys("5v");
    let screen = env.screen(120, 40);
    assert!(screen.contains("检查记录"), "{screen}");
    insta::assert_snapshot!("check_log_120x40", screen);
    // Narrow: no pane beside the list; `d` shows the detail instead of the list, and back.
    env.keys("3<down>");
    let list = env.screen(80, 24);
    assert!(list.contains("问题摘要"), "{list}");
    env.keys("d");
    let detail = env.screen(80, 24);
    assert!(detail.contains("责任单位："), "{detail}");
    insta::assert_snapshot!("finding_detail_narrow_80x24", detail);
    env.keys("d");
    assert!(env.screen(80, 24).contains("问题摘要"));
}

/// Every row of the body ends with the right border of the rightmost pane: no wrapped text or
/// wide character may eat it (ratatui's word wrap misjudged a line of Chinese here once).
#[test]
fn the_right_border_survives_wrapped_chinese_details() {
    for (w, h) in [(110, 32), (120, 40), (101, 30)] {
        let mut env = TuiEnv::new("default", true);
        for key in ["5", "3", "2", "4"] {
            env.keys(key);
            for _ in 0..6 {
                let screen = env.screen(w, h);
                let rows: Vec<&str> = screen.lines().collect();
                for row in &rows[2..rows.len() - 1] {
                    let last = row.chars().last().unwrap_or(' ');
                    assert!(
                        matches!(last, '│' | '┐' | '┘'),
                        "{w}x{h} panel {key}: {row:?}\n{screen}"
                    );
                }
                env.keys("<down>");
            }
        }
    }
}

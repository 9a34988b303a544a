//! The 总览 with `--lang en`: every label in English. Its own test binary, because the language
//! is process-wide and the other terminal tests run in Chinese.

mod common;

use common::tui_env::TuiEnv;

#[test]
fn the_dashboard_speaks_english() {
    let mut env = TuiEnv::new("default", true);
    rectify::i18n::set_lang(rectify::i18n::Lang::En);
    let screen = env.screen(120, 40);
    for part in [
        "Caliber: as of 2026-11-28",
        "all issued findings of",
        "by count",
        "Rectification",
        "Findings",
        "Rectification rate",
        "Status",
        "Overdue (",
        "by days late",
        "over 180 days",
        "By lead unit (",
        "By project type (",
        "budget execution audit",
    ] {
        assert!(screen.contains(part), "{part}:\n{screen}");
    }
    for zh in [
        "整改情况",
        "整改率",
        "按牵头单位",
        "超期问题",
        "万元",
        "口径",
    ] {
        assert!(!screen.contains(zh), "{zh} left in Chinese:\n{screen}");
    }
    // A drill-down says what it lists in English too.
    env.keys("vv<enter>");
    let list = env.screen(120, 40);
    assert!(list.contains("Dashboard › overdue 1-30 days"), "{list}");
    env.keys("<esc>v<enter>");
    assert!(env.screen(120, 40).contains("findings led by"));
    let small = env.screen(80, 24);
    assert!(!small.is_empty());
}

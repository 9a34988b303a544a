//! The workflow records from the keyboard: a unit's claim, the auditor's determination, 对账销号
//! and reopening, each moving the derived status; and 逐条回头看 through the due queue.

mod common;

use common::tui_env::TuiEnv;
use rectify::domain::{Id, Status};
use rectify::tui::app::Mode;
use rectify::tui::view::Selected;

/// Select the first finding (in the findings panel) whose status is `status`; returns its id.
fn select_with_status(env: &mut TuiEnv, status: Status) -> Id {
    env.keys("3");
    for _ in 0..env.app.snap.findings.len() {
        if let Some(Selected::Finding(id)) = env.app.selected()
            && env.app.snap.finding(id).map(|r| r.status.status) == Some(status)
        {
            return id;
        }
        env.keys("<down>");
    }
    panic!("no finding is {status:?}");
}

fn status(env: &TuiEnv, id: Id) -> Status {
    env.app.snap.finding(id).expect("finding").status.status
}

#[test]
fn claim_determine_close_and_reopen_move_the_status() {
    let mut env = TuiEnv::new("default", true);
    let id = select_with_status(&mut env, Status::InProgress);
    let before = env.app.ledger.records_of(id).expect("records");
    // The unit reports it done: 已报送待认定.
    env.keys("r已收回违规资金并完善制度<ctrl-s>");
    assert!(
        matches!(env.app.mode, Mode::Normal),
        "{}",
        env.screen(120, 40)
    );
    assert_eq!(status(&env, id), Status::AwaitingReview);
    // The auditor accepts it (the verdict defaults to what was claimed): 已整改.
    env.keys("m资料齐全，认定整改到位<ctrl-s>");
    assert_eq!(status(&env, id), Status::Rectified);
    // 对账销号 takes Enter.
    env.keys("x<enter>");
    assert_eq!(status(&env, id), Status::Closed);
    // A relapse found later: reopened.
    env.keys("X<ctrl-s>");
    assert_eq!(status(&env, id), Status::InProgress);
    assert!(env.app.snap.finding(id).expect("finding").status.reopened);
    let records = env.app.ledger.records_of(id).expect("records");
    assert_eq!(
        records.reports.last().map(|r| r.narrative.as_str()),
        Some("已收回违规资金并完善制度")
    );
    assert_eq!(
        records.determinations.last().map(|d| d.reviewer.as_str()),
        Some("审计员甲")
    );
    assert_eq!(records.closures.len(), before.closures.len() + 1);
    assert_eq!(records.reopens.len(), before.reopens.len() + 1);
    // Undo takes back the reopening (it is archived, not deleted).
    env.keys("u");
    assert_eq!(status(&env, id), Status::Closed);
}

#[test]
fn a_record_the_status_rules_out_is_refused_with_the_reason() {
    let mut env = TuiEnv::new("default", true);
    let id = select_with_status(&mut env, Status::NotRectified);
    env.keys("x");
    assert!(
        matches!(env.app.mode, Mode::Normal),
        "no closure form for a finding not rectified"
    );
    assert!(
        env.screen(120, 40).contains("只有已整改"),
        "the reason is shown"
    );
    env.keys("X");
    assert!(env.screen(120, 40).contains("只有已销号"));
    assert_eq!(status(&env, id), Status::NotRectified);
    assert!(
        env.app
            .ledger
            .records_of(id)
            .expect("records")
            .closures
            .is_empty()
    );
}

#[test]
fn batch_checks_walk_the_queue_and_esc_stops() {
    let mut env = TuiEnv::new("default", true);
    let queue_before = env.app.snap.check_queue().len();
    assert!(queue_before >= 3, "the demo has a queue");
    env.keys("C");
    let first = match &env.app.mode {
        Mode::Form(_) => env.app.selected(),
        _ => panic!("a check form opens"),
    };
    env.keys("第一条：已核实<enter>");
    // Saved, and the next one is open at once.
    assert!(
        matches!(env.app.mode, Mode::Form(_)),
        "{}",
        env.screen(120, 40)
    );
    assert_ne!(env.app.selected(), first, "the next finding of the queue");
    env.keys("第二条：已核实<enter>");
    assert!(matches!(env.app.mode, Mode::Form(_)));
    assert_eq!(env.app.snap.check_queue().len(), queue_before - 2);
    // Esc on an untouched form leaves the batch.
    env.keys("<esc>");
    assert!(matches!(env.app.mode, Mode::Normal));
    assert!(!env.app.batch_checks);
    let notes: Vec<String> = env
        .app
        .ledger
        .all::<rectify::domain::FollowUpCheck>()
        .expect("checks")
        .into_iter()
        .map(|c| c.note)
        .collect();
    assert!(
        notes.contains(&"第一条：已核实".to_string())
            && notes.contains(&"第二条：已核实".to_string())
    );
}

/// The quick 回头看: from the findings list, at most three keystrokes besides the note text.
#[test]
fn a_check_takes_at_most_three_keys_besides_the_note() {
    use common::tui_env::script_keys;
    let mut env = TuiEnv::new("default", true);
    env.keys("3");
    let Some(Selected::Finding(id)) = env.app.selected() else {
        panic!("a finding is selected")
    };
    let before = env.app.ledger.records_of(id).expect("records").checks.len();
    let note = "回头看：制度已印发，资金已归还";
    let script = format!("c{note}<enter>");
    let keys = script_keys(&script);
    let overhead = keys.len() - note.chars().count();
    assert!(overhead <= 3, "{overhead} keys besides the note");
    env.keys(&script);
    let checks = env.app.ledger.records_of(id).expect("records").checks;
    assert_eq!(checks.len(), before + 1);
    assert!(
        checks
            .iter()
            .any(|c| c.note == note && &*c.checker == "审计员甲")
    );
}

/// An edit made in the TUI shows on the finding's page as field: old → new.
#[test]
fn history_shows_old_and_new_values_of_an_edit() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3");
    let Some(Selected::Finding(id)) = env.app.selected() else {
        panic!("a finding is selected")
    };
    let old = env
        .app
        .snap
        .finding(id)
        .expect("finding")
        .finding
        .title
        .clone();
    // Edit: the title is the third field of the finding form.
    env.keys("e<tab><tab><ctrl-u>改过的标题<ctrl-s>");
    assert_eq!(
        &*env.app.snap.finding(id).expect("finding").finding.title,
        "改过的标题"
    );
    env.keys("<enter>");
    let screen = env.screen(120, 40);
    assert!(
        screen.contains(&format!("title: {old} → 改过的标题")),
        "{screen}"
    );
}

/// The history on a finding's page is kept between frames, and an edit made from the page shows
/// in it at once.
#[test]
fn an_edit_made_from_a_findings_page_shows_in_its_history() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3<enter>");
    let before = env.screen(120, 40);
    assert!(!before.contains("改过的标题"), "{before}");
    env.keys("e<tab><tab><ctrl-u>改过的标题<ctrl-s>");
    let screen = env.screen(120, 40);
    assert!(
        screen.contains("title: ") && screen.contains("→ 改过的标题"),
        "{screen}"
    );
}

/// A finding given an earlier number moves to its place in the list at once.
#[test]
fn a_renumbered_finding_takes_its_place_in_number_order() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3");
    let Some(Selected::Finding(id)) = env.app.selected() else {
        panic!("a finding is selected")
    };
    // The number is the second field of the finding form.
    env.keys("e<tab><ctrl-u>2000-01-01<ctrl-s>");
    let numbers: Vec<String> = env
        .app
        .snap
        .findings
        .iter()
        .map(|r| r.finding.number.to_string())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort_by(|a, b| rectify::ledger::natural_cmp(a, b));
    assert_eq!(numbers, sorted);
    let first = env.app.snap.findings.first().expect("rows");
    assert_eq!(
        (first.finding.id, &*first.finding.number),
        (id, "2000-01-01")
    );
}

/// A unit's page shows its 屡审屡犯 findings first, marked.
#[test]
fn the_unit_page_marks_repeat_offences() {
    let mut env = TuiEnv::new("default", true);
    env.keys("4");
    for _ in 0..env.app.snap.units.len() {
        if let Some(Selected::Unit(id)) = env.app.selected()
            && env.app.snap.unit_name(id) == "财政局"
        {
            break;
        }
        env.keys("<down>");
    }
    let screen = env.screen(120, 40);
    assert!(screen.contains("屡审屡犯："), "{screen}");
    // The marks (the pane wraps them, so look for their start).
    assert!(screen.matches("[屡").count() >= 2, "{screen}");
}

/// A new finding like an earlier one at the same unit: the earlier ones are offered, and Enter
/// links the one under the cursor (屡审屡犯).
#[test]
fn a_new_finding_is_offered_the_earlier_ones_it_repeats() {
    let mut env = TuiEnv::new("default", true);
    // The newest budget-execution project (2023-01) audits 区财政局; open it and add a finding.
    env.keys("2");
    for _ in 0..env.app.snap.projects.len() {
        if let Some(Selected::Project(id)) = env.app.selected()
            && env.app.snap.project_number(id) == "2023-01"
        {
            break;
        }
        env.keys("<down>");
    }
    env.keys("<enter>n");
    // The form starts at the title; then pick the lead unit (type-ahead) and save.
    env.keys("预算编制不够细化<tab><tab><enter>区财政局<enter><ctrl-s>");
    let screen = env.screen(120, 40);
    assert!(matches!(env.app.mode, Mode::Repeats(_)), "{screen}");
    assert!(screen.contains("可能屡审屡犯"), "{screen}");
    assert!(screen.contains("同一牵头单位"), "{screen}");
    env.keys("<enter>");
    assert!(matches!(env.app.mode, Mode::Normal));
    let created = env
        .app
        .snap
        .findings
        .iter()
        .find(|r| {
            &*r.finding.title == "预算编制不够细化" && r.finding.number.starts_with("2023-01-")
        })
        .map(|r| r.finding.clone())
        .expect("the new finding");
    assert_eq!(
        created.repeat_of.len(),
        1,
        "linked to the suggestion under the cursor"
    );
    // Undo takes the link back.
    env.keys("u");
    let again = env.app.snap.finding(created.id).expect("finding");
    assert!(again.finding.repeat_of.is_empty());
}

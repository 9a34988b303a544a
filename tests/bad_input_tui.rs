//! Bad input in the terminal forms: a megabyte, control characters and escape sequences pasted
//! into every field of the finding and check forms. A clear inline error or a sanitized save, no
//! panic, nothing half-written. (The CLI's arguments are in `bad_input.rs`.)

mod common;

use common::tui_env::{TuiEnv, script_keys};

/// Control characters (a bell, a backspace, DEL) and escape sequences (colour, a title, clear).
const CONTROL: &str = "整改\u{1}\u{2}\u{7f}\u{8}完成";
const ESCAPE: &str = "\u{1b}[31m红字\u{1b}[0m\u{1b}]0;pwned\u{7}\u{1b}[2J";
// ---------------------------------------------------------------------------------------------
// The TUI forms

use rectify::domain::Id;
use rectify::store::Store;
use rectify::tui::app::{AppEvent, Mode};
use rectify::tui::view::{Selected, Tab};

fn tui_bad_values() -> Vec<(&'static str, String)> {
    vec![
        ("1 MB", "整改".repeat((1 << 20) / 6 + 1)),
        ("1 MB ASCII", "y".repeat(1 << 20)),
        ("control", CONTROL.to_string()),
        ("escape", ESCAPE.to_string()),
        ("newlines", "第一行\n第二行\r\n\t第三行".to_string()),
        ("empty", String::new()),
        ("bad date", "2023-02-30".to_string()),
        ("negative money", "-5万元".to_string()),
        ("1e30 money", "1e30".to_string()),
        ("letters", "abc".to_string()),
    ]
}

/// Select the finding `id` in the 问题 panel.
fn select_finding(env: &mut TuiEnv, id: Id) {
    env.app.nav.switch_tab(Tab::Findings);
    let items = env.app.nav.current().items(&env.app.snap);
    let at = items
        .iter()
        .position(|s| *s == Selected::Finding(id))
        .expect("the finding is listed");
    env.app.nav.current_mut().selected = at;
}

fn form_fields(env: &TuiEnv) -> Option<Vec<&'static str>> {
    match &env.app.mode {
        Mode::Form(f) => Some(f.fields.iter().map(|f| f.key).collect()),
        _ => None,
    }
}

/// Paste `value` into field `index` of the open form and press save. Returns whether the form
/// saved; checks the inline error when it did not.
fn paste_and_save(env: &mut TuiEnv, index: usize, what: &str, value: &str) -> bool {
    let key = {
        let Mode::Form(form) = &mut env.app.mode else {
            panic!("no form open");
        };
        form.focus = index;
        form.fields[index].key
    };
    // Clear the field first, then paste, as a user selecting all and pasting would.
    env.keys("<ctrl-u>");
    env.app.handle_event(AppEvent::Paste(value.to_string()));
    for key in script_keys("<ctrl-s>") {
        env.app.handle_event(AppEvent::Key(key));
    }
    // A megabyte is drawn by `a_pasted_megabyte_draws_in_time` below; here the frame is drawn
    // for the smaller values only, to keep this test quick; the status line is read either way.
    let screen = if value.len() <= 64 * 1024 {
        env.screen(120, 40)
    } else {
        env.app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default()
    };
    assert!(
        !screen.contains('\u{1b}'),
        "{what} in {key}: an escape sequence reached the screen"
    );
    match &env.app.mode {
        Mode::Form(form) => {
            let errors: Vec<_> = form.fields.iter().filter_map(|f| f.error.clone()).collect();
            assert!(
                !errors.is_empty() || screen.contains("未保存") || screen.contains("不能"),
                "{what} in {key}: the save was refused without a reason:\n{screen}"
            );
            for e in &errors {
                assert!(
                    !e.contains('\u{1b}') && e.len() < 4_000,
                    "{what} in {key}: the inline error echoes the input: {} bytes",
                    e.len()
                );
            }
            false
        }
        _ => true,
    }
}

fn no_controls(text: &str, multiline: bool) -> bool {
    !text
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
}

#[test]
fn every_finding_form_field_takes_bad_input_without_panic() {
    let mut env = TuiEnv::new("default", true);
    let target = env
        .app
        .snap
        .findings
        .iter()
        .find(|r| r.status.status == rectify::domain::Status::InProgress)
        .map(|r| r.finding.id)
        .expect("a finding in progress");
    select_finding(&mut env, target);
    env.keys("<f2>");
    let fields = form_fields(&env).expect("the edit form opens");
    for (index, field) in fields.iter().enumerate() {
        for (what, value) in tui_bad_values() {
            if form_fields(&env).is_none() {
                env.app.mode = Mode::Normal;
                select_finding(&mut env, target);
                env.keys("<f2>");
            }
            let before = env
                .app
                .ledger
                .store()
                .history(target)
                .expect("history")
                .len();
            let saved = paste_and_save(&mut env, index, what, &value);
            let after = env
                .app
                .ledger
                .store()
                .history(target)
                .expect("history")
                .len();
            if !saved {
                assert_eq!(before, after, "{what} in {}: a refused save wrote", field);
                // Leave the form without saving (what the discard prompt's yes does).
                env.app.mode = Mode::Normal;
                continue;
            }
            let stored = env
                .app
                .ledger
                .get::<rectify::domain::Finding>(target)
                .expect("still there");
            for (name, text, multi) in [
                ("title", &*stored.title, false),
                ("number", &*stored.number, false),
                ("category", &*stored.category, false),
                ("responsible_person", &*stored.responsible_person, false),
                ("auditor", &*stored.auditor, false),
                ("facts", &*stored.facts, true),
                ("recommendation", &*stored.recommendation, true),
                ("legal_basis", &*stored.legal_basis, true),
                ("justification", &*stored.justification, true),
            ] {
                assert!(
                    no_controls(text, multi),
                    "{what} in {}: saved {name} holds control characters",
                    field
                );
            }
        }
    }
}

#[test]
fn every_check_form_field_takes_bad_input_without_panic() {
    let mut env = TuiEnv::new("default", true);
    let target = env
        .app
        .snap
        .findings
        .iter()
        .find(|r| r.status.status == rectify::domain::Status::InProgress)
        .map(|r| r.finding.id)
        .expect("a finding in progress");
    let checks = |env: &TuiEnv| {
        env.app
            .ledger
            .records_of(target)
            .expect("records")
            .checks
            .len()
    };
    select_finding(&mut env, target);
    env.keys("c");
    let fields = form_fields(&env).expect("the check form opens");
    env.app.mode = Mode::Normal;
    for (index, field) in fields.iter().enumerate() {
        for (what, value) in tui_bad_values() {
            env.app.mode = Mode::Normal;
            select_finding(&mut env, target);
            env.keys("c");
            assert!(form_fields(&env).is_some(), "the check form opens");
            let before = checks(&env);
            let saved = paste_and_save(&mut env, index, what, &value);
            let after = checks(&env);
            if !saved {
                assert_eq!(before, after, "{what} in {}: a refused save wrote", field);
                env.app.mode = Mode::Normal;
                continue;
            }
            assert_eq!(after, before + 1, "{what} in {}: one check saved", field);
            let records = env.app.ledger.records_of(target).expect("records");
            for c in &records.checks {
                assert!(
                    no_controls(&c.note, true) && no_controls(&c.checker, false),
                    "{what} in {}: a saved check holds control characters",
                    field
                );
            }
        }
    }
}

/// A pasted megabyte in a single-line field, drawn with the caret at its end: `TextField::scrolled`
/// keeps running sums, so the frame takes a fraction of a second (it took minutes when it summed
/// the widths again on every step).
#[test]
fn a_pasted_megabyte_draws_in_time() {
    let mut env = TuiEnv::new("default", true);
    let target = env
        .app
        .snap
        .findings
        .iter()
        .find(|r| r.status.status == rectify::domain::Status::InProgress)
        .map(|r| r.finding.id)
        .expect("a finding in progress");
    select_finding(&mut env, target);
    env.keys("<f2>");
    let Mode::Form(form) = &mut env.app.mode else {
        panic!("the edit form opens");
    };
    form.focus_key("title");
    env.app
        .handle_event(AppEvent::Paste("整改".repeat((1 << 20) / 6 + 1)));
    let started = std::time::Instant::now();
    let screen = env.screen(120, 40);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "one frame took {:?}",
        started.elapsed()
    );
    assert!(screen.contains("问题摘要"), "{screen}");
}

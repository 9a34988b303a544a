//! Whole flows through the real key handling, once per keymap preset (default, vim, emacs):
//! create a unit, a project and a finding, edit it, record a 回头看, undo, archive; a refused
//! save, discarding a form, CJK editing, navigation, the help and the which-key pop-up. Every
//! flow ends by looking in the store, not only at the screen.

mod common;

use chrono::Duration;
use common::preset_keys::{DEFAULT, EMACS, Keys, VIM};
use common::tui_env::{TuiEnv, script_keys, test_today};
use rectify::domain::{Finding, FollowUpCheck, Id, Project, Status, Unit};
use rectify::store::{Change, EntityKind, Store};
use rectify::text::width;
use rectify::tui::app::Mode;
use rectify::tui::forms::Form;
use rectify::tui::stats::{Drill, Section};
use rectify::tui::view::{Scope, Selected, Tab, ViewKind};

/// One test per preset for each flow: `<flow>::default`, `<flow>::vim`, `<flow>::emacs`.
macro_rules! per_preset {
    ($($name:ident => $flow:ident;)+) => {$(
        mod $name {
            #[test]
            fn default() {
                super::$flow(&super::DEFAULT);
            }
            #[test]
            fn vim() {
                super::$flow(&super::VIM);
            }
            #[test]
            fn emacs() {
                super::$flow(&super::EMACS);
            }
        }
    )+};
}

per_preset! {
    creating_a_unit_stores_it_and_says_saved => create_unit_flow;
    creating_a_project_ticks_its_audited_unit_by_type_ahead => create_project_flow;
    creating_a_finding_fills_its_number_and_a_relative_deadline => create_finding_flow;
    editing_a_title_saves_it_with_a_set_op_in_the_history => edit_title_flow;
    recording_a_check_takes_the_note_and_at_most_three_keys => record_check_flow;
    undo_takes_back_the_check_then_the_title_edit => undo_flow;
    archiving_a_finding_asks_first_and_undo_restores_it => archive_flow;
    saving_without_a_title_is_refused_with_the_reason => validation_flow;
    leaving_a_changed_form_asks_before_discarding => discard_flow;
    cjk_editing_inside_a_field_keeps_text_and_caret_right => cjk_editing_flow;
    enter_and_back_walk_projects_findings_and_detail => navigation_flow;
    number_keys_switch_panels => tabs_flow;
    a_dashboard_unit_row_lists_that_units_findings_and_back_returns_to_it => dashboard_flow;
    help_lists_the_live_keymap_and_esc_closes_it => help_flow;
}

const USER: &str = "审计员甲";
const UNIT_NAME: &str = "区审计测试局";
const UNIT_SHORT: &str = "测试局";
const PROJECT_NUMBER: &str = "审测〔2026〕7号";
const PROJECT_NAME: &str = "区审计测试局2026年度预算执行情况审计";
const TITLE: &str = "专项资金未按规定用途使用";
const NEW_TITLE: &str = "专项资金被挤占挪用";
const NOTE: &str = "实地查看，资金尚未归还";

// ---------------------------------------------------------------- helpers

fn demo_env(k: &Keys) -> TuiEnv {
    TuiEnv::new(k.preset, true)
}

fn form(env: &TuiEnv) -> &Form {
    match &env.app.mode {
        Mode::Form(f) => f,
        _ => panic!("expected an open form"),
    }
}

/// The selected row of the current list.
fn row(env: &TuiEnv) -> usize {
    env.app.nav.current().selected
}

fn in_form(env: &TuiEnv) -> bool {
    matches!(env.app.mode, Mode::Form(_))
}

fn focused_key(env: &TuiEnv) -> &'static str {
    let f = form(env);
    f.fields[f.focus].key
}

fn focused_text(env: &TuiEnv) -> String {
    let f = form(env);
    f.fields[f.focus].input.summary()
}

/// Press the preset's next-field key until `key` has the focus.
fn move_to(env: &mut TuiEnv, k: &Keys, key: &str) {
    let n = form(env).fields.len();
    for _ in 0..n {
        if focused_key(env) == key {
            return;
        }
        env.keys(k.next_field);
    }
    panic!("{} never reached field {key}", k.next_field);
}

/// Select a row of the current list with the preset's top and down keys.
fn select(env: &mut TuiEnv, k: &Keys, wanted: Selected) {
    env.keys(k.top);
    assert_eq!(row(env), 0, "top");
    let items = env.app.nav.current().items(&env.app.snap);
    let at = items
        .iter()
        .position(|s| *s == wanted)
        .unwrap_or_else(|| panic!("{wanted:?} is not in the list"));
    for _ in 0..at {
        env.keys(k.down);
    }
    assert_eq!(env.app.selected(), Some(wanted), "selection");
}

/// The form closed and the status line says 已保存.
fn assert_saved(env: &mut TuiEnv) {
    let screen = env.screen(120, 40);
    assert!(!in_form(env), "the form is still open:\n{screen}");
    assert!(screen.contains("已保存"), "{screen}");
}

fn picker_visible(env: &TuiEnv) -> Vec<String> {
    let p = form(env).picker.as_ref().expect("a picker is open");
    p.visible().iter().map(|i| p.labels[*i].clone()).collect()
}

fn findings(env: &TuiEnv) -> Vec<Finding> {
    env.app.ledger.all::<Finding>().expect("findings")
}

fn stored(env: &TuiEnv, id: Id) -> Finding {
    env.app.ledger.get::<Finding>(id).expect("finding")
}

fn status(env: &TuiEnv, id: Id) -> Status {
    let f = stored(env, id);
    let view = env.app.ledger.status_of(&f, test_today());
    view.expect("status").status
}

fn archived(env: &TuiEnv, kind: EntityKind, id: Id) -> bool {
    let record = env.app.ledger.store().get(kind, id).expect("get");
    record.expect("the record is still stored").archived()
}

/// The screen row that contains all of `parts`, with its index.
fn row_with<'a>(screen: &'a str, parts: &[&str]) -> Option<(usize, &'a str)> {
    screen
        .lines()
        .enumerate()
        .find(|(_, l)| parts.iter().all(|p| l.contains(p)))
}

fn assert_row(screen: &str, parts: &[&str]) {
    let found = row_with(screen, parts);
    assert!(found.is_some(), "no row with {parts:?}:\n{screen}");
}

/// The current view.
fn view(env: &TuiEnv) -> ViewKind {
    env.app.nav.current().kind
}

/// The breadcrumb row (under the tab bar), trimmed.
fn crumbs(env: &mut TuiEnv) -> String {
    let screen = env.screen(120, 40);
    screen.lines().nth(1).unwrap_or_default().trim().to_string()
}

/// A demo project that has findings.
fn demo_project_with_findings(env: &TuiEnv) -> Project {
    let snap = &env.app.snap;
    snap.projects
        .iter()
        .find(|p| !snap.findings_of_project(p.id).is_empty())
        .cloned()
        .expect("the demo has a project with findings")
}

/// Open a demo project's findings list (tab 2, select, open).
fn open_demo_project(env: &mut TuiEnv, k: &Keys) -> Project {
    env.keys("2");
    let project = demo_project_with_findings(env);
    select(env, k, Selected::Project(project.id));
    env.keys(k.open);
    assert_eq!(view(env), ViewKind::Findings(Scope::Project(project.id)));
    project
}

/// Flows 1–3 in a row: a unit, a project auditing it, a finding under the project; their ids.
fn make_finding(k: &Keys) -> (TuiEnv, [Id; 3]) {
    let mut env = demo_env(k);
    let unit = create_unit(&mut env, k);
    let project = create_project(&mut env, k, unit);
    let finding = create_finding(&mut env, k, project, unit);
    (env, [unit, project, finding])
}

// ---------------------------------------------------------------- 1. unit

fn create_unit(env: &mut TuiEnv, k: &Keys) -> Id {
    let before = env.app.ledger.all::<Unit>().expect("units").len();
    env.keys("4").keys(k.new);
    assert_eq!(focused_key(env), "name", "a new unit starts at its name");
    env.keys(UNIT_NAME).keys(k.next_field).keys(UNIT_SHORT);
    env.keys(k.save);
    assert_saved(env);
    let units = env.app.ledger.all::<Unit>().expect("units");
    assert_eq!(units.len(), before + 1);
    let unit = units
        .iter()
        .find(|u| u.name == UNIT_NAME)
        .unwrap_or_else(|| panic!("no unit named {UNIT_NAME}"));
    assert_eq!(unit.short_name, UNIT_SHORT);
    assert_eq!(env.app.selected(), Some(Selected::Unit(unit.id)));
    unit.id
}

fn create_unit_flow(k: &Keys) {
    let mut env = demo_env(k);
    create_unit(&mut env, k);
}

// ---------------------------------------------------------------- 2. project

fn create_project(env: &mut TuiEnv, k: &Keys, unit: Id) -> Id {
    env.keys("2").keys(k.new);
    assert_eq!(focused_key(env), "number");
    env.keys(PROJECT_NUMBER)
        .keys(k.next_field)
        .keys(PROJECT_NAME);
    env.keys(k.next_field).keys(k.clear).keys("2026");
    move_to(env, k, "audited_units");
    // Enter opens the picker; typing narrows it to the one unit; space ticks; Enter confirms.
    env.keys("<enter>");
    assert!(form(env).picker.is_some(), "Enter opens the picker");
    env.keys("测试");
    assert_eq!(picker_visible(env), vec![UNIT_NAME.to_string()]);
    env.keys(" ");
    let ticked = form(env).picker.as_ref().and_then(|p| p.ticked.clone());
    assert!(ticked.is_some_and(|t| t.iter().filter(|x| **x).count() == 1));
    env.keys("<enter>");
    assert!(form(env).picker.is_none(), "Enter closes the picker");
    assert_eq!(focused_text(env), UNIT_NAME);
    env.keys(k.save);
    assert_saved(env);
    let projects = env.app.ledger.all::<Project>().expect("projects");
    let project = projects
        .iter()
        .find(|p| p.number == PROJECT_NUMBER)
        .unwrap_or_else(|| panic!("no project {PROJECT_NUMBER}"));
    assert_eq!(project.name, PROJECT_NAME);
    assert_eq!(project.year, 2026);
    assert_eq!(project.audited_units, vec![unit]);
    project.id
}

fn create_project_flow(k: &Keys) {
    let mut env = demo_env(k);
    let unit = create_unit(&mut env, k);
    create_project(&mut env, k, unit);
}

// ---------------------------------------------------------------- 3. finding

fn create_finding(env: &mut TuiEnv, k: &Keys, project: Id, unit: Id) -> Id {
    env.keys("2");
    select(env, k, Selected::Project(project));
    env.keys(k.open);
    assert_eq!(view(env), ViewKind::Findings(Scope::Project(project)));
    let before = findings(env).len();
    env.keys(k.new);
    assert_eq!(
        focused_key(env),
        "title",
        "a new finding starts at its title"
    );
    env.keys(TITLE);
    move_to(env, k, "units");
    env.keys("<enter>测试");
    assert_eq!(picker_visible(env), vec![UNIT_NAME.to_string()]);
    env.keys("<enter>");
    assert_eq!(focused_text(env), UNIT_NAME);
    move_to(env, k, "deadline");
    env.keys(k.clear).keys("+30").keys(k.save);
    assert_saved(env);
    let all = findings(env);
    assert_eq!(all.len(), before + 1);
    let f = all
        .iter()
        .find(|f| f.project == project)
        .unwrap_or_else(|| panic!("no finding under the project"));
    assert_eq!(&*f.title, TITLE);
    assert_eq!(f.lead_unit(), Some(unit));
    assert_eq!(f.deadline, test_today() + Duration::days(30));
    assert_eq!(f.deadline.to_string(), "2026-12-28");
    assert_eq!(&*f.number, format!("{PROJECT_NUMBER}-01"));
    assert_eq!(env.app.selected(), Some(Selected::Finding(f.id)));
    f.id
}

fn create_finding_flow(k: &Keys) {
    let (env, [unit, project, finding]) = make_finding(k);
    assert_eq!(status(&env, finding), Status::InProgress);
    assert_eq!(stored(&env, finding).project, project);
    assert_eq!(stored(&env, finding).lead_unit(), Some(unit));
}

// ---------------------------------------------------------------- 4. edit

fn edit_title(env: &mut TuiEnv, k: &Keys, id: Id) {
    select(env, k, Selected::Finding(id));
    env.keys(k.edit);
    assert!(in_form(env), "the edit key opens the form");
    move_to(env, k, "title");
    assert_eq!(focused_text(env), TITLE);
    env.keys(k.clear).keys(NEW_TITLE).keys(k.save);
    assert_saved(env);
    assert_eq!(&*stored(env, id).title, NEW_TITLE);
}

fn edit_title_flow(k: &Keys) {
    let (mut env, [_, _, finding]) = make_finding(k);
    let before = findings(&env).len();
    edit_title(&mut env, k, finding);
    assert_eq!(findings(&env).len(), before, "an edit creates nothing");
    let history = env.app.ledger.store().history(finding).expect("history");
    let set = history.iter().find(|op| {
        matches!(&op.change, Change::Set { field, value, before, .. }
            if field == "title" && value.as_str() == Some(NEW_TITLE) && before.as_str() == Some(TITLE))
    });
    let set = set.unwrap_or_else(|| panic!("no Set title op in {history:#?}"));
    assert_eq!(set.author, USER);
    assert_eq!(set.kind, EntityKind::Finding);
    // Only the title changed.
    let sets = history
        .iter()
        .filter(|op| matches!(op.change, Change::Set { .. }))
        .count();
    assert_eq!(sets, 1, "{history:#?}");
    // The detail page's history shows it too.
    env.keys(k.open);
    let screen = env.screen(120, 40);
    assert_row(&screen, &[USER, "title: ", NEW_TITLE]);
}

// ---------------------------------------------------------------- 5. 回头看

/// `c`, the note, Enter (every preset); returns the new check's id.
fn record_check(env: &mut TuiEnv, k: &Keys, id: Id) -> Id {
    select(env, k, Selected::Finding(id));
    let script = format!("c{NOTE}<enter>");
    let extra = script_keys(&script).len() - NOTE.chars().count();
    assert!(extra <= 3, "{extra} keys besides the note");
    env.keys(&script);
    assert_saved(env);
    let checks: Vec<FollowUpCheck> = env
        .app
        .ledger
        .all::<FollowUpCheck>()
        .expect("checks")
        .into_iter()
        .filter(|c| c.finding == id)
        .collect();
    assert_eq!(checks.len(), 1, "{checks:#?}");
    let check = &checks[0];
    assert_eq!(check.note, NOTE);
    assert_eq!(&*check.checker, USER);
    assert_eq!(check.date, test_today());
    let records = env.app.ledger.records_of(id).expect("records");
    assert!(records.checks.iter().any(|c| c.id == check.id));
    check.id
}

fn record_check_flow(k: &Keys) {
    let (mut env, [_, _, finding]) = make_finding(k);
    assert_eq!(status(&env, finding), Status::InProgress);
    record_check(&mut env, k, finding);
    // The quick form's verdict follows the status: 整改中 is checked as 未整改.
    assert_eq!(status(&env, finding), Status::NotRectified);
    let shown = env.app.snap.finding(finding).map(|r| r.status.status);
    assert_eq!(shown, Some(Status::NotRectified), "the list shows it");
}

// ---------------------------------------------------------------- 6. undo

fn undo_flow(k: &Keys) {
    let (mut env, [_, _, finding]) = make_finding(k);
    edit_title(&mut env, k, finding);
    let status_before = status(&env, finding);
    let check = record_check(&mut env, k, finding);
    assert_ne!(status(&env, finding), status_before);

    env.keys(k.undo);
    assert!(env.screen(120, 40).contains("已撤销"));
    let live = env.app.ledger.all::<FollowUpCheck>().expect("checks");
    assert!(!live.iter().any(|c| c.id == check), "the check is live");
    assert!(archived(&env, EntityKind::Check, check));
    assert_eq!(status(&env, finding), status_before);
    let shown = env.app.snap.finding(finding).map(|r| r.status.status);
    assert_eq!(shown, Some(status_before), "the list shows the old status");

    env.keys(k.undo);
    assert_eq!(&*stored(&env, finding).title, TITLE);
    let shown = env.app.snap.finding(finding).map(|r| &*r.finding.title);
    assert_eq!(shown, Some(TITLE), "the list shows it");
}

// ---------------------------------------------------------------- 7. archive

fn archive_flow(k: &Keys) {
    let (mut env, [_, _, finding]) = make_finding(k);
    let before = findings(&env).len();
    select(&mut env, k, Selected::Finding(finding));
    env.keys(k.archive);
    assert!(matches!(env.app.mode, Mode::Confirm(_)), "archiving asks");
    let screen = env.screen(120, 40);
    assert!(screen.contains("确定归档这条记录吗"), "{screen}");
    assert!(screen.contains(TITLE), "it names the finding:\n{screen}");
    env.keys("y");
    assert!(env.screen(120, 40).contains("已归档"));
    assert_eq!(findings(&env).len(), before - 1);
    assert!(!findings(&env).iter().any(|f| f.id == finding));
    assert!(archived(&env, EntityKind::Finding, finding));
    assert!(env.app.snap.finding(finding).is_none(), "left the list");

    env.keys(k.undo);
    assert_eq!(findings(&env).len(), before);
    assert!(!archived(&env, EntityKind::Finding, finding));
    assert!(env.app.snap.finding(finding).is_some(), "back in the list");

    // "n" keeps it.
    select(&mut env, k, Selected::Finding(finding));
    env.keys(k.archive).keys("n");
    assert!(matches!(env.app.mode, Mode::Normal));
    assert!(!archived(&env, EntityKind::Finding, finding));
}

// ---------------------------------------------------------------- 8. validation

fn validation_flow(k: &Keys) {
    let mut env = demo_env(k);
    open_demo_project(&mut env, k);
    let before = findings(&env).len();
    env.keys(k.new).keys(k.save);
    let screen = env.screen(120, 40);
    assert!(in_form(&env), "the save was refused:\n{screen}");
    assert!(screen.contains("问题摘要不能为空"), "{screen}");
    assert!(!screen.contains("已保存"));
    assert_eq!(findings(&env).len(), before, "nothing written");
    // Blanks are no title either.
    env.keys("   ").keys(k.save);
    assert!(in_form(&env));
    assert!(env.screen(120, 40).contains("问题摘要不能为空"));
    assert_eq!(findings(&env).len(), before, "nothing written");
}

// ---------------------------------------------------------------- 9. discard

fn discard_flow(k: &Keys) {
    let mut env = demo_env(k);
    open_demo_project(&mut env, k);
    let before = findings(&env).len();
    // A form with no changes closes at once.
    env.keys(k.new).keys(k.cancel);
    assert!(matches!(env.app.mode, Mode::Normal), "a clean form closes");

    env.keys(k.new).keys("草稿问题");
    // The cancel key in an open picker closes only the picker.
    move_to(&mut env, k, "units");
    env.keys("<enter>");
    assert!(form(&env).picker.is_some());
    env.keys(k.cancel);
    assert!(in_form(&env), "cancelling the picker keeps the form");
    assert!(form(&env).picker.is_none());
    env.keys(k.cancel);
    let screen = env.screen(120, 40);
    assert!(matches!(env.app.mode, Mode::Confirm(_)), "asks first");
    assert!(screen.contains("放弃吗"), "{screen}");
    env.keys("n");
    assert!(in_form(&env), "n goes back to the form");
    assert_eq!(focused_key(&env), "units", "the focus stays where it was");
    move_to(&mut env, k, "title");
    assert_eq!(focused_text(&env), "草稿问题", "the typed text is intact");
    assert!(env.screen(120, 40).contains("草稿问题"));

    env.keys(k.cancel).keys("y");
    assert!(matches!(env.app.mode, Mode::Normal));
    assert_eq!(findings(&env).len(), before, "nothing written");
    assert!(!findings(&env).iter().any(|f| &*f.title == "草稿问题"));
}

// ---------------------------------------------------------------- 10. CJK editing

fn cjk_editing_flow(k: &Keys) {
    let mut env = demo_env(k);
    env.keys("4").keys(k.new);
    assert_eq!(focused_key(&env), "name");
    // Two left from the end is before 政: backspace takes 财.
    env.keys("区财政局")
        .keys(k.left)
        .keys(k.left)
        .keys("<backspace>")
        .keys("政府");
    assert_eq!(focused_text(&env), "区政府政局");
    // One left is before 局: backspace takes 政, and 政府 goes back in its place.
    env.keys(k.clear)
        .keys("区财政局")
        .keys(k.left)
        .keys("<backspace>")
        .keys("政府");
    assert_eq!(focused_text(&env), "区财政府局");

    let screen = env.screen(120, 40);
    let cursor = env.cursor_after_frame(120, 40).expect("the caret is shown");
    let (row, line) = row_with(&screen, &["单位名称", "区财政府局"])
        .unwrap_or_else(|| panic!("no name row:\n{screen}"));
    let at = line.find("区财政府局").unwrap_or_default();
    let start = width(&line[..at]);
    // The caret stands after 府, on the field's row.
    assert_eq!(
        cursor,
        ((start + width("区财政府")) as u16, row as u16),
        "{screen}"
    );
    // Inside the form's box: between its borders on that row.
    let label = line.find("单位名称").unwrap_or_default();
    let left = line[..label].rfind('│').expect("the form's left border");
    let right = at + line[at..].find('│').expect("the form's right border");
    let (left, right) = (width(&line[..left]), width(&line[..right]));
    assert!(
        left < cursor.0 as usize && (cursor.0 as usize) < right,
        "{cursor:?} in {line}"
    );

    env.keys(k.save);
    assert_saved(&mut env);
    let units = env.app.ledger.all::<Unit>().expect("units");
    assert!(units.iter().any(|u| u.name == "区财政府局"));
}

// ---------------------------------------------------------------- 11. navigation

fn navigation_flow(k: &Keys) {
    let mut env = demo_env(k);
    let project = open_demo_project(&mut env, k);
    let list_crumbs = format!("项目 › {} 项目的问题", project.number);
    assert_eq!(crumbs(&mut env), list_crumbs);

    let first = env.app.nav.current().items(&env.app.snap)[0];
    let Selected::Finding(id) = first else {
        panic!("a findings list lists findings");
    };
    select(&mut env, k, first);
    env.keys(k.open);
    assert_eq!(view(&env), ViewKind::Finding(id));
    let number = stored(&env, id).number;
    assert_eq!(crumbs(&mut env), format!("{list_crumbs} › {number}"));
    assert!(env.screen(120, 40).contains("修改历史"), "the detail page");

    env.keys(k.back);
    assert_eq!(view(&env), ViewKind::Findings(Scope::Project(project.id)));
    assert_eq!(crumbs(&mut env), list_crumbs);
    env.keys(k.back);
    assert_eq!(view(&env), ViewKind::Projects);
    assert_eq!(crumbs(&mut env), "项目");
    // Back at the root stays there.
    env.keys(k.back);
    assert_eq!(view(&env), ViewKind::Projects);
    assert!(!env.app.quit);
}

fn tabs_flow(k: &Keys) {
    let mut env = demo_env(k);
    let panels = [
        ("2", Tab::Projects, "项目", "项目 ("),
        ("3", Tab::Findings, "问题", "问题 ("),
        ("4", Tab::Units, "责任单位", "责任单位 ("),
        ("5", Tab::Checks, "待回头看队列", "待回头看队列 ("),
        ("1", Tab::Dashboard, "总览", "整改状态"),
    ];
    for (key, tab, crumb, title) in panels {
        env.keys(key);
        assert_eq!(env.app.nav.current().tab(), tab, "key {key}");
        assert_eq!(view(&env), tab.root());
        assert_eq!(crumbs(&mut env), crumb);
        let screen = env.screen(120, 40);
        assert!(screen.contains(title), "key {key}:\n{screen}");
    }
}

// ---------------------------------------------------------------- 11b. the 总览

/// From the 总览: `v` to the table by lead unit, down to its second row, open it: the list holds
/// exactly the number the row shows, all led by that unit; back lands on the same row.
fn dashboard_flow(k: &Keys) {
    let mut env = demo_env(k);
    env.keys("1");
    assert_eq!(view(&env), ViewKind::Dashboard);
    let d = env.app.dashboard();
    let units = d.section_rows(Section::Units);
    assert!(units.len() >= 2, "the demo has several lead units");
    // next_view walks the sections: totals → statuses → overdue → units.
    env.keys("vvv");
    assert_eq!(row(&env), units.start);
    env.keys(k.down);
    let at = units.start + 1;
    assert_eq!(env.app.selected(), Some(Selected::Stat(at)));
    let row_shown = d.rows[at].clone();
    let Drill::Unit(Some(unit)) = row_shown.drill else {
        panic!("a unit row: {:?}", row_shown.drill);
    };
    let name = env.app.snap.unit_name(unit);
    // The row on screen: marker, the unit's name and its count.
    let screen = env.screen(120, 40);
    assert_row(&screen, &["▶", &name, &format!(" {} ", row_shown.count)]);

    env.keys(k.open);
    assert_eq!(
        view(&env),
        ViewKind::Findings(Scope::Stat(env.app.caliber(), row_shown.drill))
    );
    let items = env.app.items();
    assert_eq!(
        items.len(),
        row_shown.count,
        "the list holds what the row counts"
    );
    for item in items.iter() {
        let Selected::Finding(id) = item else {
            panic!("a findings list: {item:?}");
        };
        assert_eq!(stored(&env, *id).lead_unit(), Some(unit));
    }
    assert_eq!(crumbs(&mut env), format!("总览 › {name}牵头的问题"));
    let list = env.screen(120, 40);
    assert!(
        list.contains(&format!("{name}牵头的问题 ({})", row_shown.count)),
        "{list}"
    );
    assert_eq!(env.app.nav.current().tab(), Tab::Dashboard);

    env.keys(k.back);
    assert_eq!(view(&env), ViewKind::Dashboard);
    assert_eq!(row(&env), at, "back on the same row");
    assert_eq!(crumbs(&mut env), "总览");
}

// ---------------------------------------------------------------- 12. help

fn help_flow(k: &Keys) {
    let mut env = demo_env(k);
    env.keys("3?");
    assert!(matches!(env.app.mode, Mode::Help { .. }));
    let screen = env.screen(120, 40);
    assert!(
        screen.contains(&format!("按键方案：{}", k.preset)),
        "{screen}"
    );
    let (keys, does) = k.help_shows;
    let shows = |screen: &str| {
        let key = format!("{keys} ");
        screen.lines().any(|l| l.contains(&key) && l.contains(does))
    };
    // The binding may be further down: page through the help.
    for _ in 0..12 {
        if shows(&env.screen(120, 40)) {
            break;
        }
        env.keys(k.page_down);
        assert!(
            matches!(env.app.mode, Mode::Help { .. }),
            "paging keeps the help"
        );
    }
    let screen = env.screen(120, 40);
    assert!(shows(&screen), "no `{keys}` {does} in the help:\n{screen}");

    env.keys("<esc>");
    assert!(matches!(env.app.mode, Mode::Normal), "Esc closes the help");
    assert!(!env.screen(120, 40).contains("按 Esc 关闭"));
}

// ---------------------------------------------------------------- 13. which-key

/// The which-key pop-up's title.
const PENDING: &str = "等待后续按键";

#[test]
fn vim_g_shows_its_continuation_and_g_g_goes_to_the_top() {
    let mut env = TuiEnv::new("vim", true);
    env.keys("3G");
    let last = env.app.nav.current().items(&env.app.snap).len() - 1;
    assert!(last > 0);
    assert_eq!(row(&env), last, "G goes to the bottom");
    env.keys("g");
    let screen = env.screen(120, 40);
    assert!(screen.contains(PENDING), "{screen}");
    assert_row(&screen, &["g g", "到顶部"]);
    assert_eq!(row(&env), last, "g alone moves nothing");
    env.keys("g");
    assert_eq!(row(&env), 0, "g g goes to the top");
    assert!(!env.screen(120, 40).contains(PENDING));
    // A broken sequence ends quietly; the next key works alone.
    env.keys("gx").keys("j");
    assert!(!env.screen(120, 40).contains(PENDING));
    assert_eq!(row(&env), 1);
}

#[test]
fn emacs_ctrl_x_in_a_list_shows_quit_and_ctrl_g_abandons_it() {
    let mut env = TuiEnv::new("emacs", true);
    env.keys("3<ctrl-x>");
    let screen = env.screen(120, 40);
    assert!(screen.contains(PENDING), "{screen}");
    assert_row(&screen, &["ctrl-x ctrl-c", "退出"]);
    env.keys("<ctrl-g>");
    assert!(!env.app.quit);
    assert!(!env.screen(120, 40).contains(PENDING));
    env.keys("<ctrl-n>");
    assert_eq!(row(&env), 1, "keys work again");
    env.keys("<ctrl-x><ctrl-c>");
    assert!(env.app.quit, "ctrl-x ctrl-c quits");
}

#[test]
fn emacs_ctrl_x_in_a_form_shows_save_and_ctrl_s_saves() {
    let mut env = TuiEnv::new("emacs", true);
    env.keys("4n").keys(UNIT_NAME).keys("<ctrl-x>");
    let screen = env.screen(120, 40);
    assert!(screen.contains(PENDING), "{screen}");
    assert_row(&screen, &["ctrl-x ctrl-s", "保存"]);
    assert!(in_form(&env), "still in the form");
    env.keys("<ctrl-s>");
    assert_saved(&mut env);
    let units = env.app.ledger.all::<Unit>().expect("units");
    assert!(units.iter().any(|u| u.name == UNIT_NAME));
}

#[test]
fn default_has_no_prefix_keys_so_g_does_nothing() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3<down>g");
    assert!(!env.screen(120, 40).contains(PENDING));
    assert_eq!(row(&env), 1);
}

// ---------------------------------------------------------------- bugs found by these flows

/// A new finding saved with neither a title nor a lead unit: both fields get their reason, and
/// the focus should go to the topmost one (问题摘要, above 牵头单位), as `set_errors` promises
/// ("the first invalid field gets the focus"). It goes to 牵头单位: errors from reading the
/// form (`required_entity`) are listed before the domain's validation errors, and the focus
/// follows that list, not the form's order.
#[test]
fn a_refused_save_focuses_the_topmost_invalid_field() {
    let mut env = TuiEnv::new("default", true);
    open_demo_project(&mut env, &DEFAULT);
    env.keys("n<ctrl-s>");
    let screen = env.screen(120, 40);
    assert!(screen.contains("问题摘要不能为空") && screen.contains("牵头单位不能为空"));
    assert_eq!(focused_key(&env), "title", "{screen}");
}

/// In the quick 回头看 form Enter saves from any field (by design), but a focused choice field
/// still shows the generic "(Enter 选择)" hint; following it saves the check with the
/// prefilled verdict instead of opening the picker.
#[test]
fn the_check_form_does_not_promise_enter_opens_a_picker_when_enter_saves() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3c说明<tab>");
    assert_eq!(focused_key(&env), "verdict");
    let screen = env.screen(120, 40);
    let hinted = row_with(&screen, &["核查结论", "Enter 选择"]).is_some();
    let before = env.app.ledger.all::<FollowUpCheck>().expect("checks").len();
    env.keys("<enter>");
    let after = env.app.ledger.all::<FollowUpCheck>().expect("checks").len();
    assert!(
        !(hinted && after > before),
        "the verdict row says (Enter 选择) but Enter saved the check:\n{screen}"
    );
}

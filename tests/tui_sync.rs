//! Live sync and the 冲突 queue in the app, as a user sees them: two replicas in temp dirs meeting
//! on a hub directory, replica A in the app (its real key handling, frames drawn on a test
//! backend) and replica B a plain ledger, as a colleague's `rectify` would be. The sync timer is
//! driven with an explicit clock (`sync_tick`), so nothing sleeps.

mod common;

use common::tui_env::{script_keys, test_today};
use common::{d, finding as new_finding, project as new_project, unit};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rectify::domain::{Finding, FollowUpCheck, Id};
use rectify::ledger::Ledger;
use rectify::store::{SledStore, Store};
use rectify::sync::dir_hub::DirHub;
use rectify::tui::app::{App, AppEvent, Mode};
use rectify::tui::app_sync::INTERVAL;
use rectify::tui::keymap::Keymap;
use rectify::tui::theme::Theme;
use rectify::tui::view::{Selected, ViewKind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const A: &str = "审计员甲";
const B: &str = "李审计";
const NUMBER: &str = "2023-01-01";
const TITLE: &str = "未按规定及时收缴非税收入";

/// Two replicas of one ledger (a unit, a project and a finding made on A: three ops) and where
/// their hub goes; nothing synced yet.
struct Replicas {
    a: Ledger<SledStore>,
    a_dir: PathBuf,
    b: Ledger<SledStore>,
    hub: PathBuf,
    lead: Id,
    project: Id,
    finding: Id,
    tmp: TempDir,
}

fn replicas() -> Replicas {
    rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
    let tmp = tempfile::tempdir().expect("temp dir");
    let a_dir = tmp.path().join("a");
    let mut a = Ledger::new(SledStore::open(&a_dir, A).expect("replica a"));
    let b = Ledger::new(SledStore::open(&tmp.path().join("b"), B).expect("replica b"));
    let lead = a.create(unit("区财政局")).expect("unit").id;
    let project = a.create(new_project("2023-01")).expect("project").id;
    let finding = a
        .create(new_finding(
            project,
            lead,
            NUMBER,
            d(2023, 1, 10),
            d(2023, 6, 30),
        ))
        .expect("finding")
        .id;
    Replicas {
        a,
        a_dir,
        b,
        hub: tmp.path().join("hub"),
        lead,
        project,
        finding,
        tmp,
    }
}

fn app_on(ledger: Ledger<SledStore>, dir: &Path) -> App<SledStore> {
    let (keymap, errors) = Keymap::load("default", None);
    assert!(errors.is_empty(), "{errors:?}");
    let theme = Theme::new(false, rectify::config::Theme::Auto);
    App::new(
        ledger,
        keymap,
        theme,
        dir.to_path_buf(),
        A.into(),
        test_today(),
    )
    .expect("app")
}

/// Replica A in the app, syncing with the hub; B not synced yet.
struct Team {
    app: App<SledStore>,
    b: Ledger<SledStore>,
    hub: PathBuf,
    finding: Id,
    _tmp: TempDir,
}

fn team() -> Team {
    let r = replicas();
    let mut app = app_on(r.a, &r.a_dir);
    app.set_hub(path_str(&r.hub));
    Team {
        app,
        b: r.b,
        hub: r.hub,
        finding: r.finding,
        _tmp: r.tmp,
    }
}

/// The team after the app's first sync, with B's new title for the finding waiting on the hub.
fn team_with_a_title_from_b() -> Team {
    let mut t = team();
    t.app.sync_tick(Instant::now());
    assert_eq!(sync(&mut t.b, &t.hub).pulled, 3);
    edit(&mut t.b, t.finding, |f| f.title = "乙改过的问题摘要".into());
    assert_eq!(sync(&mut t.b, &t.hub).pushed, 1);
    t
}

fn path_str(p: &Path) -> String {
    p.to_str().expect("temp paths are UTF-8").to_string()
}

fn sync(ledger: &mut Ledger<SledStore>, hub: &Path) -> rectify::sync::SyncReport {
    let mut hub = DirHub::open(hub).expect("hub");
    ledger.sync(&mut hub).expect("sync")
}

fn edit(ledger: &mut Ledger<SledStore>, id: Id, change: impl FnOnce(&mut Finding)) {
    let mut f: Finding = ledger.get(id).expect("finding");
    change(&mut f);
    ledger.update(f).expect("edit");
}

fn keys(app: &mut App<SledStore>, script: &str) {
    for key in script_keys(script) {
        app.handle_event(AppEvent::Key(key));
    }
}

/// One frame at 120×40, one line per row.
fn screen(app: &mut App<SledStore>) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test terminal");
    terminal
        .draw(|frame| rectify::tui::render::render(app, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut out = Vec::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            skip = rectify::text::width(symbol).saturating_sub(1);
        }
        out.push(line.trim_end().to_string());
    }
    out.join("\n")
}

fn status_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or("")
}

/// The time of the last good sync as the status bar prints it.
fn synced_at(app: &App<SledStore>) -> String {
    let status = app.sync_status().expect("a hub is set");
    let at = status.last_ok.expect("a sync succeeded");
    at.format("%H:%M").to_string()
}

fn later(by: Duration) -> Instant {
    Instant::now() + by
}

#[test]
fn the_status_mark_counts_what_waits_and_says_when_it_last_synced() {
    let mut t = team();
    let before = screen(&mut t.app);
    assert!(
        status_line(&before).contains("未同步 · 待发 3"),
        "before the first sync:\n{before}"
    );
    assert_eq!(t.app.sync_wait(Instant::now()), Some(Duration::ZERO));
    t.app.sync_tick(Instant::now());
    let after = screen(&mut t.app);
    let mark = format!("同步 {} · 待发 0", synced_at(&t.app));
    assert!(status_line(&after).contains(&mark), "{mark}:\n{after}");
    // Next due within the interval: the idle app wakes up no more often than that.
    let wait = t
        .app
        .sync_wait(Instant::now())
        .expect("a hub wakes the app");
    assert!(wait <= INTERVAL && wait > INTERVAL / 2, "{wait:?}");
    // The hub holds A's three ops: B gets them.
    assert_eq!(sync(&mut t.b, &t.hub).pulled, 3);
}

#[test]
fn without_a_hub_there_is_no_mark_and_no_timer() {
    let r = replicas();
    let mut app = app_on(r.a, &r.a_dir);
    assert_eq!(app.sync_status(), None);
    assert_eq!(app.sync_wait(Instant::now()), None, "idle means asleep");
    app.sync_tick(later(INTERVAL * 10));
    let s = screen(&mut app);
    assert!(!status_line(&s).contains("同步"), "{s}");
    assert!(!status_line(&s).contains("待发"), "{s}");
}

#[test]
fn a_change_on_b_appears_in_the_app_after_the_periodic_sync() {
    let mut t = team_with_a_title_from_b();

    keys(&mut t.app, "3");
    let generation = t.app.snap.generation;
    t.app.sync_tick(later(Duration::from_secs(1)));
    assert_eq!(t.app.snap.generation, generation, "not due yet");
    assert!(!screen(&mut t.app).contains("乙改过的问题摘要"));

    t.app.sync_tick(later(INTERVAL + Duration::from_secs(1)));
    let s = screen(&mut t.app);
    assert!(s.contains("乙改过的问题摘要"), "{s}");
    assert!(!s.contains(TITLE), "{s}");
    let mark = format!("同步 {} · 待发 0", synced_at(&t.app));
    assert!(status_line(&s).contains(&mark), "{s}");
}

/// While the finder is open, sync waits: the search runs on the ledger as it was when it began
/// (a round's changes would make the finder's index stale), and the round comes as soon as the
/// finder closes.
#[test]
fn a_sync_due_while_the_finder_is_open_waits_until_it_closes() {
    let mut t = team_with_a_title_from_b();

    keys(&mut t.app, "3/");
    let due = later(INTERVAL + Duration::from_secs(1));
    assert_eq!(
        t.app.sync_wait(due),
        None,
        "no timer while the finder is open"
    );
    let generation = t.app.snap.generation;
    t.app.sync_tick(due);
    assert_eq!(
        t.app.snap.generation, generation,
        "nothing synced meanwhile"
    );

    keys(&mut t.app, "<esc>");
    assert_eq!(t.app.sync_wait(due), Some(Duration::ZERO), "due at once");
    t.app.sync_tick(due);
    let s = screen(&mut t.app);
    assert!(s.contains("乙改过的问题摘要"), "{s}");
}

#[test]
fn saving_in_the_app_sends_it_at_once() {
    let mut t = team();
    t.app.sync_tick(Instant::now());
    sync(&mut t.b, &t.hub);
    keys(&mut t.app, "3c甲的回头看<enter>");
    let saved = screen(&mut t.app);
    assert!(saved.contains("已保存"), "{saved}");
    assert!(status_line(&saved).contains("待发 1"), "{saved}");
    // The event loop ticks after every key; no time has passed, but something was saved.
    t.app.sync_tick(Instant::now());
    assert!(status_line(&screen(&mut t.app)).contains("待发 0"));
    assert_eq!(sync(&mut t.b, &t.hub).pulled, 1);
    let checks = t.b.all::<FollowUpCheck>().expect("checks");
    assert!(checks.iter().any(|c| c.note == "甲的回头看"), "{checks:?}");
}

#[test]
fn a_failed_sync_shows_a_warning_and_the_app_keeps_working() {
    let r = replicas();
    let not_a_hub = r.tmp.path().join("not-a-hub");
    std::fs::create_dir(&not_a_hub).expect("dir");
    std::fs::write(not_a_hub.join("notes.txt"), "meeting notes").expect("file");
    let mut app = app_on(r.a, &r.a_dir);
    app.set_hub(path_str(&not_a_hub));
    app.sync_tick(Instant::now());

    let s = screen(&mut app);
    let failed = app.sync_status().and_then(|s| s.failed).expect("it failed");
    let mark = format!("! 同步失败 {}", failed.0.format("%H:%M"));
    assert!(status_line(&s).contains(&mark), "{mark}:\n{s}");
    assert!(status_line(&s).contains("待发 3"), "{s}");
    assert!(
        s.contains("不是 rectify 同步目录"),
        "the message is said:\n{s}"
    );

    // The app works on: a check is recorded; the retry it triggers fails the same way and does
    // not shout over 已保存.
    keys(&mut app, "3c照常登记<enter>");
    app.sync_tick(Instant::now());
    let s = screen(&mut app);
    assert!(s.contains("已保存"), "{s}");
    assert!(status_line(&s).contains("待发 4"), "{s}");
    assert_eq!(app.ledger.all::<FollowUpCheck>().expect("checks").len(), 1);

    // `!` shows the whole message.
    keys(&mut app, "!");
    let s = screen(&mut app);
    assert!(s.contains("上次失败"), "{s}");
    assert!(s.contains("不是 rectify 同步目录"), "{s}");
    assert!(s.contains(&path_str(&not_a_hub)), "{s}");

    // Cleared up, the next attempt (after the back-off) works, and says so.
    std::fs::remove_file(not_a_hub.join("notes.txt")).expect("rm");
    app.sync_tick(later(Duration::from_secs(2)));
    assert!(
        app.sync_status().and_then(|s| s.failed).is_some(),
        "backing off"
    );
    app.sync_tick(later(Duration::from_secs(61)));
    let s = screen(&mut app);
    assert!(s.contains("同步已恢复"), "{s}");
    let mark = format!("同步 {} · 待发 0", synced_at(&app));
    assert!(status_line(&s).contains(&mark), "{s}");
}

#[test]
fn a_sync_on_the_worker_thread_comes_back_as_an_event() {
    let mut t = team();
    let (tx, rx) = std::sync::mpsc::channel();
    t.app.start_sync_worker(tx);
    t.app.sync_now();
    assert_eq!(t.app.sync_status().map(|s| s.pending), Some(3), "out");
    let event = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the worker answers");
    assert!(matches!(event, AppEvent::Synced(_)), "{event:?}");
    t.app.handle_event(event);
    let status = t.app.sync_status().expect("status");
    assert_eq!((status.pending, status.failed), (0, None));
    assert_eq!(sync(&mut t.b, &t.hub).pulled, 3);

    // B's change comes back through the worker as well.
    edit(&mut t.b, t.finding, |f| {
        f.title = "乙从另一台电脑改的".into()
    });
    sync(&mut t.b, &t.hub);
    t.app.sync_tick(later(INTERVAL * 2));
    let event = rx.recv_timeout(Duration::from_secs(20)).expect("answer");
    t.app.handle_event(event);
    keys(&mut t.app, "3");
    assert!(screen(&mut t.app).contains("乙从另一台电脑改的"));
}

#[test]
fn an_edit_saved_after_a_sync_keeps_what_the_sync_brought_to_other_fields() {
    let mut t = team();
    t.app.sync_tick(Instant::now());
    sync(&mut t.b, &t.hub);
    // A opens the finding's form and starts on the title …
    keys(&mut t.app, "3e");
    match &mut t.app.mode {
        Mode::Form(form) => form.focus_key("title"),
        _ => panic!("the edit form is open"),
    }
    keys(&mut t.app, "<ctrl-u>甲改的问题摘要");
    // … while B adds to the facts, and that arrives.
    edit(&mut t.b, t.finding, |f| f.facts = "乙补充的问题描述".into());
    sync(&mut t.b, &t.hub);
    t.app.sync_tick(later(INTERVAL * 2));
    assert!(matches!(t.app.mode, Mode::Form(_)), "the form stays open");
    keys(&mut t.app, "<ctrl-s>");
    assert!(screen(&mut t.app).contains("已保存"));
    let f: Finding = t.app.ledger.get(t.finding).expect("finding");
    assert_eq!(&*f.title, "甲改的问题摘要");
    assert_eq!(&*f.facts, "乙补充的问题描述", "B's facts survive A's save");
}

/// A and B both change the title from the same version; A's app brings B's edit in.
fn conflicting_titles() -> Team {
    let mut t = team();
    t.app.sync_tick(Instant::now());
    sync(&mut t.b, &t.hub);
    edit(&mut t.b, t.finding, |f| f.title = "乙的问题摘要".into());
    sync(&mut t.b, &t.hub);
    keys(&mut t.app, "3e");
    match &mut t.app.mode {
        Mode::Form(form) => form.focus_key("title"),
        _ => panic!("the edit form is open"),
    }
    keys(&mut t.app, "<ctrl-u>甲的问题摘要<ctrl-s>");
    t.app.sync_tick(Instant::now());
    assert_eq!(
        t.app.ledger.store().conflicts().expect("conflicts").len(),
        1
    );
    sync(&mut t.b, &t.hub);
    assert_eq!(
        t.b.store().conflicts().expect("conflicts").len(),
        1,
        "B sees it too"
    );
    t
}

/// Settle the conflict by choosing the side by `author` in the queue; returns the value kept.
fn settle(t: &mut Team, author: &str) -> String {
    let s = screen(&mut t.app);
    let row = s
        .lines()
        .find(|l| l.contains(NUMBER) && l.contains("问题摘要"))
        .unwrap_or_else(|| panic!("the finding's row:\n{s}"));
    assert!(row.contains("冲突"), "flagged in the list: {row}");

    keys(&mut t.app, "!");
    assert_eq!(t.app.nav.current().kind, ViewKind::Conflicts);
    let s = screen(&mut t.app);
    assert!(s.contains(&format!("问题 {NUMBER}")), "{s}");
    assert!(s.contains(&format!("{A}：甲的问题摘要")), "{s}");
    assert!(s.contains(&format!("{B}：")), "{s}");
    // The detail pane: each side in full, with its author and time, and which one shows.
    assert!(s.contains("乙的问题摘要"), "{s}");
    assert!(s.contains("（当前显示）"), "{s}");
    assert_eq!(t.app.selected(), Some(Selected::Conflict(0)));

    let rows = t.app.conflict_rows();
    let sides = &rows[0].sides;
    assert_eq!(sides.len(), 2);
    let mut authors: Vec<&str> = sides.iter().map(|s| s.author.as_str()).collect();
    authors.sort();
    assert_eq!(authors, [A, B]);
    let (n, kept) = sides
        .iter()
        .enumerate()
        .find(|(_, s)| s.author == author)
        .map(|(n, s)| (n, s.text.clone()))
        .expect("that author's side");

    keys(&mut t.app, "<enter>");
    assert!(
        matches!(t.app.mode, Mode::Resolve(_)),
        "the chooser is open"
    );
    let s = screen(&mut t.app);
    assert!(s.contains("选择保留的值"), "{s}");
    assert!(s.contains("编辑…"), "{s}");
    keys(&mut t.app, &(n + 1).to_string());
    let s = screen(&mut t.app);
    assert!(
        s.contains(&format!("冲突已解决：保留 {author} 的值")),
        "{s}"
    );
    assert!(s.contains("（无）"), "the queue is empty:\n{s}");
    assert!(!s.contains("当前显示"), "{s}");
    kept
}

fn assert_settled_everywhere(t: &mut Team, kept: &str) {
    assert_eq!(t.app.ledger.store().conflicts().expect("conflicts"), []);
    let f: Finding = t.app.ledger.get(t.finding).expect("finding");
    assert_eq!(&*f.title, kept);
    // The settling write goes out with the next tick (it was a save), and settles it on B.
    t.app.sync_tick(Instant::now());
    sync(&mut t.b, &t.hub);
    assert_eq!(t.b.store().conflicts().expect("conflicts"), []);
    let f: Finding = t.b.get(t.finding).expect("finding");
    assert_eq!(&*f.title, kept);
    // The finding list no longer flags it.
    keys(&mut t.app, "3");
    let s = screen(&mut t.app);
    assert!(!s.contains("冲突"), "{s}");
}

#[test]
fn a_conflict_shows_both_authors_and_keeping_the_hidden_side_settles_it_everywhere() {
    let mut t = conflicting_titles();
    let shown = t
        .app
        .ledger
        .get::<Finding>(t.finding)
        .expect("finding")
        .title
        .to_string();
    let hidden = if shown == "甲的问题摘要" { B } else { A };
    let kept = settle(&mut t, hidden);
    assert_ne!(kept, shown);
    assert_settled_everywhere(&mut t, &kept);
}

#[test]
fn keeping_the_value_already_shown_settles_the_conflict_too() {
    let mut t = conflicting_titles();
    let shown = t
        .app
        .ledger
        .get::<Finding>(t.finding)
        .expect("finding")
        .title
        .to_string();
    let author = if shown == "甲的问题摘要" { A } else { B };
    let kept = settle(&mut t, author);
    assert_eq!(kept, shown);
    assert_settled_everywhere(&mut t, &kept);
}

#[test]
fn the_finding_page_marks_the_field_in_conflict() {
    let mut t = conflicting_titles();
    keys(&mut t.app, "3<enter>");
    assert_eq!(t.app.nav.current().kind, ViewKind::Finding(t.finding));
    let s = screen(&mut t.app);
    assert!(s.contains("［冲突］"), "beside the title:\n{s}");
    assert!(s.contains("冲突：问题摘要（按 ! 处理）"), "{s}");
    // Esc from the chooser leaves everything as it was.
    keys(&mut t.app, "!<enter><esc>");
    assert!(matches!(t.app.mode, Mode::Normal));
    assert_eq!(t.app.ledger.store().conflicts().expect("c").len(), 1);
}

#[test]
fn choosing_edit_opens_the_form_on_that_field_and_saving_settles_it() {
    let mut t = conflicting_titles();
    keys(&mut t.app, "!<enter>3");
    let Mode::Form(form) = &t.app.mode else {
        panic!("the edit form is open");
    };
    assert_eq!(form.fields[form.focus].key, "title");
    keys(&mut t.app, "<ctrl-u>两人商定的问题摘要<ctrl-s>");
    assert_eq!(t.app.ledger.store().conflicts().expect("c"), []);
    assert_settled_everywhere(&mut t, "两人商定的问题摘要");
}

#[test]
fn duplicate_numbers_after_a_merge_are_listed_and_enter_opens_the_finding() {
    let mut r = replicas();
    sync(&mut r.a, &r.hub);
    sync(&mut r.b, &r.hub);
    let second = "2023-01-02";
    let mine =
        r.a.create(new_finding(
            r.project,
            r.lead,
            second,
            d(2023, 1, 10),
            d(2023, 6, 30),
        ))
        .expect("a's finding")
        .id;
    let mut theirs = new_finding(r.project, r.lead, second, d(2023, 1, 10), d(2023, 6, 30));
    theirs.title = "乙新增的问题".into();
    let theirs = r.b.create(theirs).expect("b's finding").id;
    sync(&mut r.a, &r.hub);
    sync(&mut r.b, &r.hub);
    sync(&mut r.a, &r.hub);
    let mut app = app_on(r.a, &r.a_dir);

    keys(&mut app, "3");
    let s = screen(&mut app);
    let flagged = s
        .lines()
        .filter(|l| l.contains(second) && l.contains("重号"))
        .count();
    assert_eq!(flagged, 2, "{s}");

    keys(&mut app, "!");
    let s = screen(&mut app);
    assert_eq!(
        s.lines().filter(|l| l.contains("编号重复")).count(),
        2,
        "{s}"
    );
    assert!(s.contains("乙新增的问题"), "{s}");
    let items = app.nav.current().items(&app.snap);
    assert_eq!(items.len(), 2);
    assert!(items.contains(&Selected::Finding(mine)));
    assert!(items.contains(&Selected::Finding(theirs)));
    keys(&mut app, "<enter>");
    let ViewKind::Finding(opened) = app.nav.current().kind else {
        panic!("Enter opens the finding");
    };
    assert!([mine, theirs].contains(&opened));
    assert!(screen(&mut app).contains("重号"));
}

#[test]
fn a_new_auditor_with_an_empty_ledger_gets_the_teams_at_the_first_sync() {
    let mut r = replicas();
    sync(&mut r.a, &r.hub);
    let c_dir = r.tmp.path().join("c");
    let c = Ledger::new(SledStore::open(&c_dir, "王审计").expect("replica c"));
    let mut app = app_on(c, &c_dir);
    app.set_hub(path_str(&r.hub));
    assert!(matches!(app.mode, Mode::Welcome));
    let s = screen(&mut app);
    assert!(s.contains("正在取回全组的台账"), "{s}");
    assert!(s.contains("不提供示例台账"), "{s}");
    // `d` would put the demo on the team's hub: not with a hub.
    keys(&mut app, "d");
    assert!(app.ledger.store().is_empty().expect("empty"));
    app.sync_tick(Instant::now());
    assert!(matches!(app.mode, Mode::Normal), "the ledger opens");
    keys(&mut app, "3");
    let s = screen(&mut app);
    assert!(s.contains(NUMBER) && s.contains(TITLE), "{s}");
}

/// The measurement behind the README's claim: a round that finds nothing new on the demo
/// ledger, against a hub directory. Run with `--nocapture` to see the numbers.
#[test]
fn a_round_with_nothing_new_changes_nothing_on_screen() {
    rectify::i18n::set_lang(rectify::i18n::Lang::Zh);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("a");
    let mut ledger = Ledger::new(SledStore::open(&dir, A).expect("store"));
    ledger
        .create_batch(rectify::demo::story::demo_records(test_today()))
        .expect("demo");
    let mut app = app_on(ledger, &dir);
    app.set_hub(path_str(&tmp.path().join("hub")));
    let start = Instant::now();
    app.sync_tick(start);
    let first = start.elapsed();
    let generation = app.snap.generation;
    let mut rounds = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        app.sync_now();
        rounds.push(t.elapsed());
    }
    rounds.sort();
    // Only the applying half runs on the UI thread when the worker does the hub's I/O.
    let (tx, rx) = std::sync::mpsc::channel();
    app.start_sync_worker(tx);
    let mut applying = Vec::new();
    for _ in 0..20 {
        app.sync_now();
        let event = rx.recv_timeout(Duration::from_secs(20)).expect("answer");
        let t = Instant::now();
        app.handle_event(event);
        applying.push(t.elapsed());
    }
    applying.sort();
    eprintln!(
        "demo ledger, hub directory: first round (pushes {} ops) {first:?}; a round with nothing new: median {:?}, max {:?}; its part on the UI thread: median {:?}, max {:?}",
        app.ledger
            .store()
            .journal_end(app.ledger.store().replica())
            .expect("end")
            .seq,
        rounds[rounds.len() / 2],
        rounds[rounds.len() - 1],
        applying[applying.len() / 2],
        applying[applying.len() - 1],
    );
    assert_eq!(app.snap.generation, generation, "nothing to redraw");
    assert_eq!(app.sync_status().map(|s| s.pending), Some(0));
}

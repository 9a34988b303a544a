//! The app's state and what each action does to it. Rendering is in `render/`; the terminal
//! and the event loop in `runner.rs`. Everything here runs without a terminal, so tests drive
//! the real key handling (`handle_event`) and look at the store afterwards.

use super::action::Action;
use super::forms::{self, Form, FormEvent, records};
use super::keymap::{Context, Keymap, Lookup};
use super::model::Snapshot;
use super::strings::S;
use super::theme::Theme;
use super::view::{Nav, Scope, Selected, Tab, ViewKind};
use crate::domain::{CheckMethod, Id};
use crate::ledger::{Ledger, LedgerError};
use crate::store::{EntityKind, Op, Record, Store};
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::path::PathBuf;

/// What reaches the app: keys, pasted text, a resize, or a request to stop (SIGTERM, SIGHUP).
#[derive(Debug, Clone)]
pub enum AppEvent {
    Key(KeyEvent),
    Paste(String),
    Resize,
    /// Mouse wheel (only with `mouse = true`): rows to move.
    Scroll(isize),
    /// Stop: a signal (its number), or the terminal went away (`None`).
    Stop(Option<i32>),
    /// A sync round is back from the hub (see `app_sync`).
    Synced(Box<super::app_sync::Reply>),
}

pub enum Mode {
    Normal,
    /// First run on an empty ledger.
    Welcome,
    Help {
        scroll: u16,
    },
    Form(Box<Form>),
    Confirm(Confirm),
    /// The global finder.
    Finder(super::finder::Finder),
    /// A one-line input (the filter, a view's name).
    Prompt(super::app_search::Prompt),
    /// The saved views to choose from.
    Views(super::forms::picker::Picker),
    /// 屡审屡犯: earlier findings a new one may repeat.
    Repeats(Box<super::app_repeats::RepeatOffer>),
    /// Which record to add to a finding (整改成效, 追责问责, 移送, 督办).
    AddRecord(Box<super::app_records::AddMenu>),
    /// 回头看 planning: earlier findings a new project may take into its scope.
    LookBack(Box<super::app_plans::LookBackOffer>),
    /// Which side of a conflict to keep.
    Resolve(Box<super::app_conflicts::Chooser>),
}

pub enum Confirm {
    Archive(EntityKind, Id),
    /// Leave a form with unsaved changes; the form comes back on "no".
    Discard(Box<Form>),
}

/// One step `u` can take back.
enum Undo {
    Created(EntityKind, Id),
    Archived(EntityKind, Id),
    Updated(Vec<Op>),
}

pub struct StatusLine {
    pub text: String,
    pub error: bool,
}

pub struct App<St: Store> {
    pub ledger: Ledger<St>,
    pub snap: Snapshot,
    pub keymap: Keymap,
    pub theme: Theme,
    pub nav: Nav,
    pub mode: Mode,
    pub status: Option<StatusLine>,
    pub show_detail: bool,
    /// On a narrow terminal, the detail of the selected record instead of the list.
    pub narrow_detail: bool,
    /// Whether the last frame was wide enough for a detail pane beside the list.
    pub wide: bool,
    pub quit: bool,
    /// The signal that stopped the app, for the exit status (128 + signal, as shells expect).
    pub stopped_by: Option<i32>,
    pub db: PathBuf,
    pub user: String,
    /// Rows the list area showed at the last frame (for paging).
    pub page_rows: usize,
    undo: Vec<Undo>,
    pub(super) last_method: Option<CheckMethod>,
    /// The finder's index: read or built when the finder opens, let go when it closes if the
    /// kept file has it (`index_on_disk`), dropped whenever the data changes.
    pub search_index: Option<crate::search::index::SearchIndex>,
    /// `search_index` is in the kept file too, so it can be let go and read back.
    pub(super) index_on_disk: bool,
    /// How many times this session built the finder's index (rather than reading a kept one).
    pub index_builds: u32,
    /// The filter over the findings lists, if any.
    pub filter: Option<super::app_search::ActiveFilter>,
    pub views: super::saved_views::Views,
    /// 逐条回头看 is on: saving a check opens the next one in the queue.
    pub batch_checks: bool,
    /// The current view's items, with what they were computed from (see `App::items`).
    pub(super) items_cache:
        std::cell::RefCell<Option<(super::app_search::ItemsKey, std::rc::Rc<[Selected]>)>>,
    /// What each check plan's round has found, with the snapshot generation it is of.
    pub(super) plans_cache: std::cell::RefCell<Option<super::app_plans::PlansCache>>,
    /// The 总览's 口径 (see `set_caliber`).
    pub(super) caliber: crate::report::Caliber,
    /// The 总览's figures, with the snapshot generation and 口径 they are of.
    pub(super) dashboard_cache: std::cell::RefCell<Option<std::rc::Rc<super::stats::Dashboard>>>,
    /// Sync with the hub in config.toml, if there is one (see `app_sync`).
    pub(super) live: Option<super::app_sync::LiveSync<St>>,
    /// The 冲突 queue's rows, with the snapshot generation they are of.
    pub(super) conflicts_cache: std::cell::RefCell<Option<super::app_conflicts::Queue>>,
    /// Whether the findings are still to be loaded after the first frame (see `app_startup`).
    pub(super) startup: super::app_startup::Startup,
    /// The history on a finding's page: (finding, snapshot generation, ops).
    pub(super) history_cache: Option<(Id, u64, Vec<crate::store::Op>)>,
}

impl<St: Store> App<St> {
    pub fn new(
        ledger: Ledger<St>,
        keymap: Keymap,
        theme: Theme,
        db: PathBuf,
        user: String,
        today: NaiveDate,
    ) -> Result<App<St>, LedgerError> {
        let snap = Snapshot::load(&ledger, today)?;
        App::with_snapshot(ledger, snap, keymap, theme, db, user)
    }

    /// An app on `snap`, which may still lack its findings (see `app_startup`).
    pub(super) fn with_snapshot(
        ledger: Ledger<St>,
        snap: Snapshot,
        keymap: Keymap,
        theme: Theme,
        db: PathBuf,
        user: String,
    ) -> Result<App<St>, LedgerError> {
        let today = snap.today;
        let empty = ledger.store().is_empty()?;
        Ok(App {
            ledger,
            snap,
            keymap,
            theme,
            nav: Nav::new(Tab::Dashboard),
            mode: if empty { Mode::Welcome } else { Mode::Normal },
            status: None,
            show_detail: true,
            narrow_detail: false,
            wide: true,
            quit: false,
            stopped_by: None,
            db,
            user,
            page_rows: 10,
            undo: Vec::new(),
            last_method: None,
            search_index: None,
            index_on_disk: false,
            index_builds: 0,
            filter: None,
            views: super::saved_views::Views::load(None).0,
            items_cache: std::cell::RefCell::new(None),
            plans_cache: std::cell::RefCell::new(None),
            caliber: super::stats::default_caliber(today),
            dashboard_cache: std::cell::RefCell::new(None),
            history_cache: None,
            batch_checks: false,
            live: None,
            conflicts_cache: std::cell::RefCell::new(None),
            startup: super::app_startup::Startup::Loaded,
        })
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(StatusLine {
            text: text.into(),
            error: false,
        });
    }

    pub fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(StatusLine {
            text: text.into(),
            error: true,
        });
    }

    pub fn handle_event(&mut self, event: AppEvent) {
        match event {
            AppEvent::Key(key) if key.kind == KeyEventKind::Press => self.handle_key(key),
            AppEvent::Key(_) | AppEvent::Resize => {}
            AppEvent::Scroll(rows) => {
                if let Mode::Normal = self.mode {
                    self.move_selection(rows);
                }
            }
            AppEvent::Paste(text) => {
                if let Mode::Form(form) = &mut self.mode {
                    form.paste(&text);
                }
            }
            // Whatever is open in a form is dropped: only saved changes exist, and each save
            // was complete when it was acknowledged.
            AppEvent::Stop(signal) => {
                self.quit = true;
                self.stopped_by = Some(signal.unwrap_or(libc::SIGHUP));
            }
            AppEvent::Synced(reply) => self.sync_done(*reply),
        }
    }

    fn handle_key(&mut self, key: KeyEvent) {
        match &self.mode {
            Mode::Welcome => self.welcome_key(key),
            Mode::Help { .. } => self.help_key(key),
            Mode::Confirm(_) => self.confirm_key(key),
            Mode::Form(_) => self.form_key(key),
            Mode::Finder(_) => self.finder_key(key),
            Mode::Prompt(_) => self.prompt_key(key),
            Mode::Views(_) => self.views_key(key),
            Mode::Repeats(_) => self.repeats_key(key),
            Mode::AddRecord(_) => self.add_menu_key(key),
            Mode::LookBack(_) => self.lookback_key(key),
            Mode::Resolve(_) => self.resolve_key(key),
            Mode::Normal => {
                let contexts: &[Context] = &[Context::List, Context::Global];
                if let Lookup::Action(action) = self.keymap.feed(contexts, key) {
                    self.status = None;
                    self.act(action);
                }
            }
        }
    }

    fn welcome_key(&mut self, key: KeyEvent) {
        match key.code {
            // Not with a hub: the demo would go to the whole team.
            KeyCode::Char('d') | KeyCode::Char('D') if self.live.is_none() => self.load_demo(),
            KeyCode::Enter => self.mode = Mode::Normal,
            _ => {
                let contexts = &[Context::List, Context::Global];
                if let Lookup::Action(Action::Quit | Action::Back) = self.keymap.feed(contexts, key)
                {
                    self.quit = true;
                }
            }
        }
    }

    fn load_demo(&mut self) {
        let records = crate::demo::story::demo_records(self.snap.today);
        match self.ledger.create_batch(records) {
            Ok(_) => {
                self.reload();
                self.mode = Mode::Normal;
                self.say(S::DemoLoaded.t());
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    pub(super) fn reload(&mut self) {
        self.search_index = None;
        match Snapshot::load(&self.ledger, self.snap.today) {
            Ok(snap) => self.snap = snap,
            Err(e) => self.complain(e.to_string()),
        }
    }

    fn help_key(&mut self, key: KeyEvent) {
        let action = match self.keymap.feed(&[Context::Popup, Context::Global], key) {
            Lookup::Action(a) => a,
            Lookup::Pending => return,
            // Any other key closes the help, as people expect of a pop-up.
            Lookup::NotFound => Action::Cancel,
        };
        if let Mode::Help { scroll } = &mut self.mode {
            match action {
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll = scroll.saturating_add(10),
                Action::Quit => self.quit = true,
                _ => self.mode = Mode::Normal,
            }
        }
    }

    fn confirm_key(&mut self, key: KeyEvent) {
        let yes = matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y'));
        let no = matches!(key.code, KeyCode::Char('n') | KeyCode::Char('N'));
        let action = if yes || no {
            None
        } else {
            match self.keymap.feed(&[Context::Popup, Context::Global], key) {
                Lookup::Action(a) => Some(a),
                _ => return,
            }
        };
        let confirmed = yes || action == Some(Action::Confirm);
        let refused = no || matches!(action, Some(Action::Cancel | Action::Back));
        if !confirmed && !refused {
            return;
        }
        let Mode::Confirm(confirm) = std::mem::replace(&mut self.mode, Mode::Normal) else {
            return;
        };
        match (confirm, confirmed) {
            (Confirm::Archive(kind, id), true) => self.archive(kind, id),
            (Confirm::Archive(..), false) => {}
            (Confirm::Discard(_), true) => {}
            (Confirm::Discard(form), false) => self.mode = Mode::Form(form),
        }
    }

    fn form_key(&mut self, key: KeyEvent) {
        let picker_open = matches!(&self.mode, Mode::Form(f) if f.picker.is_some());
        // A printable character goes to the field unless the form binds it; other keys are
        // looked up in the form's keys and then the global ones (ctrl-x ctrl-c, ctrl-c …).
        let contexts: &[Context] = match (picker_open, printable(&key).is_some()) {
            (true, _) => &[Context::Popup],
            (false, true) => &[Context::Form],
            (false, false) => &[Context::Form, Context::Global],
        };
        let event = match self.keymap.feed(contexts, key) {
            Lookup::Pending => return,
            Lookup::Action(Action::Quit) => FormEvent::Cancel,
            Lookup::Action(action) => match &mut self.mode {
                Mode::Form(form) => form.action(action),
                _ => return,
            },
            Lookup::NotFound => {
                if let (Some(c), Mode::Form(form)) = (printable(&key), &mut self.mode) {
                    form.type_char(c);
                }
                return;
            }
        };
        match event {
            FormEvent::None => {}
            FormEvent::Save => self.save_form(),
            FormEvent::Cancel => {
                // Leaving a form ends 逐条回头看 too.
                self.batch_checks = false;
                if let Mode::Form(form) = std::mem::replace(&mut self.mode, Mode::Normal)
                    && form.dirty
                {
                    self.mode = Mode::Confirm(Confirm::Discard(form));
                }
            }
        }
    }

    fn save_form(&mut self) {
        let Mode::Form(form) = &mut self.mode else {
            return;
        };
        let record = match forms::specs::build(form, self.snap.today, &self.db) {
            Ok(record) => record,
            Err(errors) => {
                form.set_errors(errors);
                return;
            }
        };
        let is_new = form.target.creates();
        let base = super::app_sync::form_base(&form.target);
        let (kind, id) = (record.kind(), record.id());
        if let Record::Check(c) = &record {
            self.last_method = Some(c.method);
        }
        let saved = if is_new {
            self.ledger
                .create_batch(vec![record])
                .map(|_| Undo::Created(kind, id))
        } else {
            let record = super::app_sync::rebase(&self.ledger, base, record);
            self.ledger.update_record(record).map(Undo::Updated)
        };
        match saved {
            Ok(undo) => {
                self.undo.push(undo);
                self.mode = Mode::Normal;
                self.after_change(kind, id);
                self.say(S::Saved.t());
                if is_new
                    && matches!(
                        kind,
                        EntityKind::Unit | EntityKind::Project | EntityKind::Finding
                    )
                {
                    self.select(kind, id);
                }
                if self.batch_checks && kind == EntityKind::Check {
                    self.next_batch_check();
                }
                if is_new && kind == EntityKind::Finding {
                    self.offer_repeats(id);
                }
                if is_new && kind == EntityKind::Project {
                    self.offer_lookback(id);
                }
            }
            Err(LedgerError::Invalid(errors)) => {
                if let Mode::Form(form) = &mut self.mode {
                    form.set_errors(errors);
                }
            }
            Err(other) => {
                if let Mode::Form(form) = &mut self.mode {
                    form.message = Some(other.to_string());
                }
            }
        }
    }

    /// An edit made outside a form (linking repeats) that `u` can take back.
    pub(super) fn remember_update(&mut self, ops: Vec<Op>) {
        self.undo.push(Undo::Updated(ops));
    }

    /// A record made outside a form (a 回头看 plan) that `u` can take back.
    pub(super) fn remember_created(&mut self, kind: EntityKind, id: Id) {
        self.undo.push(Undo::Created(kind, id));
    }

    /// Refresh what a change touched.
    pub(super) fn after_change(&mut self, kind: EntityKind, id: Id) {
        self.search_index = None;
        if let Err(e) = self.snap.refresh(&self.ledger, &[(kind, id)]) {
            self.complain(e.to_string());
        }
        self.clamp_selection();
    }

    fn archive(&mut self, kind: EntityKind, id: Id) {
        match self.ledger.archive(kind, id) {
            Ok(()) => {
                self.undo.push(Undo::Archived(kind, id));
                self.after_change(kind, id);
                self.say(S::Archived.t());
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    fn undo(&mut self) {
        let Some(step) = self.undo.pop() else {
            self.say(S::NothingToUndo.t());
            return;
        };
        let result = match &step {
            Undo::Created(kind, id) => self.ledger.archive(*kind, *id).map(|_| vec![(*kind, *id)]),
            Undo::Archived(kind, id) => self
                .ledger
                .unarchive(*kind, *id)
                .map(|_| vec![(*kind, *id)]),
            Undo::Updated(ops) => self
                .ledger
                .revert(ops)
                .map(|ops| ops.iter().map(|o| (o.kind, o.entity)).collect()),
        };
        match result {
            Ok(touched) => {
                self.search_index = None;
                if let Err(e) = self.snap.refresh(&self.ledger, &touched) {
                    self.complain(e.to_string());
                    return;
                }
                self.clamp_selection();
                self.say(S::Undone.t());
            }
            Err(e) => {
                self.undo.push(step);
                self.complain(e.to_string());
            }
        }
    }

    /// The record under the cursor.
    pub fn selected(&self) -> Option<Selected> {
        let view = self.nav.current();
        self.items().get(view.selected).copied()
    }

    pub(super) fn selected_finding(&self) -> Option<Id> {
        match self.selected() {
            Some(Selected::Finding(id)) => Some(id),
            Some(Selected::Check(id)) => self.snap.check(id).map(|c| c.finding),
            _ => None,
        }
    }

    pub(super) fn clamp_selection(&mut self) {
        let n = self.items().len();
        let view = self.nav.current_mut();
        view.selected = view.selected.min(n.saturating_sub(1));
    }

    fn select(&mut self, kind: EntityKind, id: Id) {
        let wanted = match kind {
            EntityKind::Unit => Selected::Unit(id),
            EntityKind::Project => Selected::Project(id),
            EntityKind::Check => Selected::Check(id),
            EntityKind::Plan => Selected::Plan(id),
            _ => Selected::Finding(id),
        };
        let items = self.items();
        if let Some(i) = items.iter().position(|s| *s == wanted) {
            self.nav.current_mut().selected = i;
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let n = self.items().len();
        let view = self.nav.current_mut();
        if n == 0 {
            view.selected = 0;
            return;
        }
        view.selected = (view.selected as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    pub fn act(&mut self, action: Action) {
        let page = self.page_rows.max(1) as isize;
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::NextTab | Action::PrevTab => {
                let i = Tab::ALL
                    .iter()
                    .position(|t| *t == self.nav.current().tab())
                    .unwrap_or(0);
                let step = if action == Action::NextTab {
                    1
                } else {
                    Tab::ALL.len() - 1
                };
                self.nav.switch_tab(Tab::ALL[(i + step) % Tab::ALL.len()]);
            }
            Action::TabDashboard => self.nav.switch_tab(Tab::Dashboard),
            Action::TabProjects => self.nav.switch_tab(Tab::Projects),
            Action::TabFindings => self.nav.switch_tab(Tab::Findings),
            Action::TabUnits => self.nav.switch_tab(Tab::Units),
            Action::TabChecks => self.nav.switch_tab(Tab::Checks),
            Action::Back | Action::Cancel => self.go_back(),
            Action::Undo => self.undo(),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown => self.move_selection(page),
            Action::Top => self.move_selection(isize::MIN / 2),
            Action::Bottom => self.move_selection(isize::MAX / 2),
            Action::Open | Action::Confirm => self.open(),
            Action::New => self.new_record(),
            Action::Edit => self.edit(),
            Action::Archive => self.ask_archive(),
            Action::RecordCheck => match self.selected_finding() {
                None if self.selected().is_some() => self.say(S::SelectAFinding.t()),
                Some(id) => self.mode = Mode::Form(Box::new(self.quick_check_form(id))),
                None => self.say(S::NothingSelected.t()),
            },
            Action::AddRecord => self.open_add_menu(),
            Action::RecordProgress => {
                self.open_finding_form(|id, snap, _| records::progress_form(id, snap))
            }
            Action::RecordDetermination => {
                self.open_finding_form(records::determination_form);
            }
            Action::CloseFinding => self.open_finding_form(records::closure_form),
            Action::ReopenFinding => self.open_finding_form(records::reopen_form),
            Action::BatchChecks => self.start_batch_checks(),
            Action::OpenUnit => {
                if let Some(unit) = self
                    .selected_finding()
                    .and_then(|id| self.snap.finding(id))
                    .and_then(|r| r.finding.lead_unit())
                {
                    self.nav.push(ViewKind::Findings(Scope::Unit(unit)));
                }
            }
            Action::OpenProject => {
                if let Some(project) = self
                    .selected_finding()
                    .and_then(|id| self.snap.finding(id))
                    .map(|r| r.finding.project)
                {
                    self.nav.push(ViewKind::Findings(Scope::Project(project)));
                }
            }
            Action::Find => self.open_finder(),
            Action::Filter => self.open_prompt(super::app_search::PromptPurpose::Filter),
            Action::SaveView => self.open_prompt(super::app_search::PromptPurpose::ViewName),
            Action::Views => self.open_views(),
            Action::Conflicts if self.nav.current().kind != ViewKind::Conflicts => {
                self.nav.push(ViewKind::Conflicts)
            }
            Action::ToggleDetail => {
                if self.wide {
                    self.show_detail = !self.show_detail;
                } else {
                    self.narrow_detail = !self.narrow_detail;
                }
            }
            Action::NextView => match self.nav.current().kind {
                ViewKind::Dashboard => self.next_section(),
                ViewKind::CheckQueue => self.nav.replace(ViewKind::CheckLog),
                ViewKind::CheckLog => self.nav.replace(ViewKind::Plans),
                ViewKind::Plans => self.nav.replace(ViewKind::CheckQueue),
                _ => {}
            },
            // Form and editing actions mean nothing outside a form.
            _ => {}
        }
    }

    /// Open a record form on the selected finding, unless its status rules the record out (then
    /// say why instead of offering a form that cannot be saved).
    fn open_finding_form(&mut self, make: fn(Id, &Snapshot, &str) -> Form) {
        let Some(id) = self.selected_finding() else {
            self.say(S::SelectAFinding.t());
            return;
        };
        let form = make(id, &self.snap, &self.user);
        let status = self.snap.finding(id).map(|r| r.status.status);
        if let Some(reason) = status.and_then(|s| records::refusal(s, &form.target)) {
            self.complain(reason.t());
            return;
        }
        self.mode = Mode::Form(Box::new(form));
    }

    /// 逐条回头看: the 回头看 queue, one check form after another; each save opens the next.
    fn start_batch_checks(&mut self) {
        self.nav.switch_tab(Tab::Checks);
        self.batch_checks = true;
        self.next_batch_check();
    }

    fn next_batch_check(&mut self) {
        match self.items().first().copied() {
            Some(Selected::Finding(id)) => {
                self.nav.current_mut().selected = 0;
                self.mode = Mode::Form(Box::new(self.quick_check_form(id)));
            }
            _ => {
                self.batch_checks = false;
                self.say(S::BatchDone.t());
            }
        }
    }

    fn open(&mut self) {
        let kind = match (self.nav.current().kind, self.selected()) {
            (ViewKind::Finding(_), _) | (_, None) => return,
            (_, Some(Selected::Project(p))) => ViewKind::Findings(Scope::Project(p)),
            (_, Some(Selected::Unit(u))) => ViewKind::Findings(Scope::Unit(u)),
            (_, Some(Selected::Finding(f))) => ViewKind::Finding(f),
            (_, Some(Selected::Plan(p))) => ViewKind::Plan(p),
            (_, Some(Selected::Check(_))) => match self.selected_finding() {
                Some(f) => ViewKind::Finding(f),
                None => return,
            },
            (_, Some(Selected::Stat(i))) => {
                self.open_dashboard_row(i);
                return;
            }
            (_, Some(Selected::Conflict(i))) => return self.open_conflict(i),
        };
        self.nav.push(kind);
    }

    fn new_record(&mut self) {
        let form = match self.nav.current().kind {
            ViewKind::Projects => forms::specs::project_form(None, &self.snap),
            ViewKind::Units => forms::specs::unit_form(None, &self.snap),
            ViewKind::Findings(Scope::Project(p)) => {
                forms::specs::finding_form(None, Some(p), &self.snap)
            }
            ViewKind::Finding(id) => {
                let project = self.snap.finding(id).map(|r| r.finding.project);
                forms::specs::finding_form(None, project, &self.snap)
            }
            _ => forms::specs::finding_form(None, None, &self.snap),
        };
        self.mode = Mode::Form(Box::new(form));
    }

    fn edit(&mut self) {
        let form = match self.selected() {
            Some(Selected::Project(id)) => self
                .snap
                .project(id)
                .map(|p| forms::specs::project_form(Some(p), &self.snap)),
            Some(Selected::Unit(id)) => self
                .snap
                .unit(id)
                .map(|u| forms::specs::unit_form(Some(u), &self.snap)),
            Some(Selected::Finding(id)) => self
                .snap
                .finding(id)
                .map(|r| forms::specs::finding_form(Some(&r.finding), None, &self.snap)),
            // A check is a record of what was seen on a day: it is not edited, it is archived
            // (if it was a mistake) and recorded again.
            Some(Selected::Check(_)) => {
                self.say(S::ChecksAreRecords.t());
                return;
            }
            Some(Selected::Plan(_)) => {
                self.say(S::PlansAreRecords.t());
                return;
            }
            Some(Selected::Conflict(i)) => return self.edit_conflicted(i),
            Some(Selected::Stat(_)) | None => None,
        };
        match form {
            Some(form) => self.mode = Mode::Form(Box::new(form)),
            None => self.say(S::NothingSelected.t()),
        }
    }

    fn ask_archive(&mut self) {
        let target = match self.selected() {
            Some(Selected::Project(id)) => (EntityKind::Project, id),
            Some(Selected::Unit(id)) => (EntityKind::Unit, id),
            Some(Selected::Finding(id)) => (EntityKind::Finding, id),
            Some(Selected::Check(id)) => (EntityKind::Check, id),
            Some(Selected::Plan(id)) => (EntityKind::Plan, id),
            Some(Selected::Stat(_) | Selected::Conflict(_)) | None => {
                self.say(S::NothingSelected.t());
                return;
            }
        };
        self.mode = Mode::Confirm(Confirm::Archive(target.0, target.1));
    }

    /// The contexts whose keys are live now (for the status-bar hints and the help popup).
    pub fn contexts(&self) -> Vec<Context> {
        match &self.mode {
            Mode::Form(f) if f.picker.is_some() => vec![Context::Popup],
            Mode::Form(_) => vec![Context::Form, Context::Global],
            Mode::Help { .. }
            | Mode::Confirm(_)
            | Mode::Finder(_)
            | Mode::Views(_)
            | Mode::Repeats(_)
            | Mode::AddRecord(_)
            | Mode::LookBack(_)
            | Mode::Resolve(_) => vec![Context::Popup],
            Mode::Prompt(_) => vec![Context::Form, Context::Global],
            Mode::Normal | Mode::Welcome => vec![Context::List, Context::Global],
        }
    }
}

/// A character to type: no Ctrl or Alt (Shift is part of the character).
pub(super) fn printable(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

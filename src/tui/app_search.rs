//! The app's finding features: the global finder, the filter line over findings, and saved
//! views. Kept apart from app.rs, which handles everything else.

use super::action::Action;
use super::app::{App, Mode};
use super::finder::Finder;
use super::forms::picker::Picker;
use super::keymap::{Context, Lookup};
use super::saved_views::SavedView;
use super::strings::S;
use super::view::{Selected, Tab, ViewKind};
use super::widgets::text_field::TextField;
use crate::domain::Id;
use crate::ledger::FindingRow;
use crate::search::filter::{self, Filter, FilterContext};
use crate::search::index::{ItemKind, SearchIndex};
use crate::search::persist;
use crate::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::rc::Rc;

/// What a list of items depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsKey {
    view: ViewKind,
    filter: Option<String>,
    generation: u64,
}

/// A filter in force over the findings lists.
pub struct ActiveFilter {
    pub filter: Filter,
}

/// A one-line input at the bottom of the screen.
pub struct Prompt {
    pub purpose: PromptPurpose,
    pub field: TextField,
    /// The problem with what was typed, and the character span it is about.
    pub error: Option<(String, usize, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptPurpose {
    Filter,
    ViewName,
}

impl<St: Store> App<St> {
    pub(super) fn open_finder(&mut self) {
        // The finder's index and a warm store helper are the two large things the app can
        // hold (26 and 36 MB at 100,000 findings). The finder needs no store while it is open:
        // the helper leaves now, and comes back when the finder closes (see `close_finder`).
        self.ledger.store().make_room();
        if self.search_index.is_none() {
            self.search_index = Some(self.kept_or_built_index());
        }
        self.mode = Mode::Finder(Finder::new());
    }

    /// The index `rectify search` or an earlier opening kept, while it is current: at 100,000
    /// findings reading it takes 14 ms where building takes a fifth of a second, and its
    /// display half stays on disk. One built here is kept at once (another 0.1 s at 100,000),
    /// so the finder can let it go when it closes.
    fn kept_or_built_index(&mut self) -> SearchIndex {
        let key = self.search_index_key();
        let path = persist::index_path(&self.db);
        if let Some(index) = key.as_deref().and_then(|k| SearchIndex::open(&path, k)) {
            self.index_on_disk = true;
            return index;
        }
        let s = &self.snap;
        let checks: Vec<_> = s.checks().collect();
        // The display half goes to unnamed files beside the store (17 MB at 100,000 findings
        // not held); in memory if they cannot be made there.
        let index =
            SearchIndex::build_spilled(&self.db, &s.units, &s.projects, &s.findings, &checks)
                .unwrap_or_else(|_| {
                    SearchIndex::build(&s.units, &s.projects, &s.findings, &checks)
                });
        drop(checks);
        self.index_builds += 1;
        // A cache: when it cannot be written the index stays in memory instead.
        self.index_on_disk =
            key.is_some_and(|key| persist::save(&path, |out| index.write_to(&key, out)).is_ok());
        super::app_startup::release_freed_memory();
        index
    }

    fn search_index_key(&self) -> Option<String> {
        persist::freshness_key(&self.db, self.snap.today, self.ledger.config.near_due_days)
    }

    /// Whether the store may be called soon: not while the finder is open (it reads only its
    /// index, and its opening let the store's helper go to make room for it).
    pub fn may_need_store_soon(&self) -> bool {
        !matches!(self.mode, Mode::Finder(_))
    }

    /// Leave the finder. Its index is let go when the kept file can give it back (the next
    /// opening reads it again in 14 ms at 100,000 findings), so the memory it took is free for
    /// the store helper the next key starts.
    fn close_finder(&mut self) {
        self.mode = Mode::Normal;
        if self.index_on_disk && self.search_index.take().is_some() {
            super::app_startup::release_freed_memory();
        }
    }

    pub(super) fn finder_key(&mut self, key: KeyEvent) {
        let Mode::Finder(finder) = &mut self.mode else {
            return;
        };
        if let Some(c) = super::app::printable(&key) {
            finder.query.insert_char(c);
        } else if key.code == KeyCode::Backspace {
            finder.query.delete_back();
        } else {
            match self.keymap.feed(&[Context::Popup, Context::Global], key) {
                Lookup::Action(Action::Up) => finder.move_by(-1),
                Lookup::Action(Action::Down) => finder.move_by(1),
                Lookup::Action(Action::PageUp) => finder.move_by(-10),
                Lookup::Action(Action::PageDown) => finder.move_by(10),
                Lookup::Action(Action::Confirm) => {
                    let target = finder
                        .hits
                        .get(finder.selected)
                        .and_then(|h| self.search_index.as_ref()?.item(h.item))
                        .map(|i| (i.kind, i.id));
                    self.close_finder();
                    if let Some((kind, id)) = target {
                        self.jump_to(kind, id);
                    }
                    return;
                }
                Lookup::Action(Action::Cancel | Action::Back | Action::Quit) => {
                    self.close_finder();
                    return;
                }
                _ => {}
            }
            return;
        }
        if let (Mode::Finder(finder), Some(index)) = (&mut self.mode, self.search_index.as_mut()) {
            finder.refresh(index);
        }
    }

    /// Show a record in its panel, selected.
    fn jump_to(&mut self, kind: ItemKind, id: Id) {
        let (tab, wanted) = match kind {
            ItemKind::Finding => (Tab::Findings, Selected::Finding(id)),
            ItemKind::Project => (Tab::Projects, Selected::Project(id)),
            ItemKind::Unit => (Tab::Units, Selected::Unit(id)),
            ItemKind::Check => (Tab::Checks, Selected::Check(id)),
        };
        self.nav.switch_tab(tab);
        if kind == ItemKind::Check {
            self.nav.replace(ViewKind::CheckLog);
        }
        if !self.items().contains(&wanted) {
            // The filter hides it: the user asked for this record, so show it.
            self.filter = None;
        }
        if let Some(i) = self.items().iter().position(|s| *s == wanted) {
            self.nav.current_mut().selected = i;
        }
    }

    pub(super) fn open_prompt(&mut self, purpose: PromptPurpose) {
        let text = match purpose {
            PromptPurpose::Filter => self
                .filter
                .as_ref()
                .map(|f| f.filter.text().to_string())
                .unwrap_or_default(),
            PromptPurpose::ViewName => String::new(),
        };
        if purpose == PromptPurpose::ViewName && self.filter.is_none() {
            self.say(S::NoFilterToSave.t());
            return;
        }
        self.mode = Mode::Prompt(Prompt {
            purpose,
            field: TextField::with_text(&text),
            error: None,
        });
    }

    pub(super) fn prompt_key(&mut self, key: KeyEvent) {
        let Mode::Prompt(prompt) = &mut self.mode else {
            return;
        };
        if let Some(c) = super::app::printable(&key) {
            prompt.field.insert_char(c);
            prompt.error = None;
            return;
        }
        let action = match key.code {
            KeyCode::Backspace => Action::DeleteBack,
            KeyCode::Left => Action::CursorLeft,
            KeyCode::Right => Action::CursorRight,
            KeyCode::Home => Action::CursorHome,
            KeyCode::End => Action::CursorEnd,
            _ => match self.keymap.feed(&[Context::Form, Context::Global], key) {
                Lookup::Action(a) => a,
                _ => return,
            },
        };
        match action {
            Action::DeleteBack => prompt.field.delete_back(),
            Action::DeleteForward => prompt.field.delete_forward(),
            Action::DeleteWordBack => prompt.field.delete_word_back(),
            Action::ClearField => prompt.field.clear(),
            Action::CursorLeft => prompt.field.move_left(),
            Action::CursorRight => prompt.field.move_right(),
            Action::CursorHome => prompt.field.home(),
            Action::CursorEnd => prompt.field.end(),
            Action::Confirm | Action::Save => self.submit_prompt(),
            Action::Cancel | Action::Back | Action::Quit => self.mode = Mode::Normal,
            _ => {}
        }
    }

    fn submit_prompt(&mut self) {
        let Mode::Prompt(prompt) = &mut self.mode else {
            return;
        };
        let text = prompt.field.text().trim().to_string();
        match prompt.purpose {
            PromptPurpose::Filter => {
                if text.is_empty() {
                    self.filter = None;
                    self.mode = Mode::Normal;
                    self.show_filtered_findings();
                    return;
                }
                match filter::parse(&text) {
                    Ok(filter) => {
                        self.filter = Some(ActiveFilter { filter });
                        self.mode = Mode::Normal;
                        self.show_filtered_findings();
                    }
                    Err(e) => prompt.error = Some((e.msg.to_string(), e.start, e.end)),
                }
            }
            PromptPurpose::ViewName => {
                if text.is_empty() {
                    self.mode = Mode::Normal;
                    return;
                }
                let Some(active) = &self.filter else { return };
                let view = SavedView {
                    name: text,
                    filter: active.filter.text().to_string(),
                };
                self.mode = Mode::Normal;
                match self.views.save(view) {
                    Ok(()) => self.say(S::ViewSaved.t()),
                    Err(e) => self.complain(e.to_string()),
                }
            }
        }
    }

    /// After a filter changes: the findings list shows the result, from the top.
    fn show_filtered_findings(&mut self) {
        if !matches!(
            self.nav.current().kind,
            ViewKind::Findings(_) | ViewKind::CheckQueue
        ) {
            self.nav.switch_tab(Tab::Findings);
        }
        let view = self.nav.current_mut();
        view.selected = 0;
        view.offset = 0;
    }

    pub(super) fn open_views(&mut self) {
        let labels = self
            .views
            .list
            .iter()
            .map(|v| format!("{}  {}", v.name, v.filter))
            .collect();
        self.mode = Mode::Views(Picker::single(labels, None));
    }

    pub(super) fn views_key(&mut self, key: KeyEvent) {
        let Mode::Views(picker) = &mut self.mode else {
            return;
        };
        if let Some(c) = super::app::printable(&key) {
            picker.type_char(c);
            return;
        }
        if key.code == KeyCode::Backspace {
            picker.delete_back();
            return;
        }
        match self.keymap.feed(&[Context::Popup, Context::Global], key) {
            Lookup::Action(Action::Up) => picker.move_by(-1),
            Lookup::Action(Action::Down) => picker.move_by(1),
            Lookup::Action(Action::Confirm) => {
                let chosen = picker
                    .current()
                    .and_then(|i| self.views.list.get(i))
                    .cloned();
                self.mode = Mode::Normal;
                if let Some(view) = chosen {
                    match filter::parse(&view.filter) {
                        Ok(filter) => {
                            self.filter = Some(ActiveFilter { filter });
                            self.show_filtered_findings();
                            self.say(format!("{}：{}", S::ViewApplied.t(), view.name));
                        }
                        Err(e) => self.complain(format!("{}：{}", view.name, e)),
                    }
                }
            }
            Lookup::Action(Action::Cancel | Action::Back | Action::Quit) => {
                self.mode = Mode::Normal
            }
            _ => {}
        }
    }

    /// The records the current view lists, with the filter applied to findings lists.
    ///
    /// Cached per view, filter and snapshot state: a frame and the keys that move the cursor ask
    /// for the list several times, and filtering 100,000 findings is not free. Shared, not
    /// copied: at 100,000 findings each copy was 2.4 MB.
    pub fn items(&self) -> Rc<[Selected]> {
        let view = self.nav.current();
        let key = ItemsKey {
            view: view.kind,
            filter: self.filter.as_ref().map(|f| f.filter.text().to_string()),
            generation: self.snap.generation,
        };
        if let Some((cached_key, items)) = self.items_cache.borrow().as_ref()
            && *cached_key == key
        {
            return Rc::clone(items);
        }
        let items: Rc<[Selected]> = self.compute_items().into();
        *self.items_cache.borrow_mut() = Some((key, Rc::clone(&items)));
        items
    }

    fn compute_items(&self) -> Vec<Selected> {
        let view = self.nav.current();
        if view.kind == ViewKind::Dashboard {
            return self.dashboard_items();
        }
        let items = view.items(&self.snap);
        let Some(active) = &self.filter else {
            return items;
        };
        if !matches!(view.kind, ViewKind::Findings(_) | ViewKind::CheckQueue) {
            return items;
        }
        let repeated = filter::repeated_ids(&self.snap.findings);
        let units = |id: Id| self.snap.unit(id);
        let projects = |id: Id| self.snap.project(id);
        let ctx = FilterContext::new(self.snap.today, &units, &projects, &repeated);
        let mut rows: Vec<&FindingRow> = items
            .iter()
            .filter_map(|s| match s {
                Selected::Finding(id) => self.snap.finding(*id),
                _ => None,
            })
            .filter(|r| active.filter.matches(r, &ctx))
            .collect();
        // The queue keeps its own order (longest waiting first) unless the filter sorts.
        if view.kind != ViewKind::CheckQueue || active.filter.has_sort() {
            active.filter.sort(&mut rows, &ctx);
        }
        rows.into_iter()
            .map(|r| Selected::Finding(r.finding.id))
            .collect()
    }

    /// Whether the current list is narrowed by the filter.
    pub fn filtered(&self) -> bool {
        self.filter.is_some()
            && matches!(
                self.nav.current().kind,
                ViewKind::Findings(_) | ViewKind::CheckQueue
            )
    }
}

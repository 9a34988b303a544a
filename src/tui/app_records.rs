//! Adding records to a finding beyond the workflow steps: the add-record menu (整改成效,
//! 追责问责, 移送, 督办) and the quick 回头看 form joined to the plan running for the finding.

use super::action::Action;
use super::app::{App, Mode};
use super::forms::outcomes::AddKind;
use super::forms::picker::Picker;
use super::forms::{self, Form, records};
use super::keymap::{Context, Lookup};
use super::strings::S;
use crate::domain::Id;
use crate::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The add-record menu over a finding: one row per kind of record, numbered.
pub struct AddMenu {
    pub finding: Id,
    pub picker: Picker,
}

impl<St: Store> App<St> {
    /// Open the menu on the selected finding, unless no record can be added to it yet.
    pub(super) fn open_add_menu(&mut self) {
        let Some(id) = self.selected_finding() else {
            self.say(S::SelectAFinding.t());
            return;
        };
        let status = self.snap.finding(id).map(|r| r.status.status);
        let probe = forms::Target::Outcome(id);
        if let Some(reason) = status.and_then(|s| records::refusal(s, &probe)) {
            self.complain(reason.t());
            return;
        }
        let labels = AddKind::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{} {}", i + 1, k.label()))
            .collect();
        self.mode = Mode::AddRecord(Box::new(AddMenu {
            finding: id,
            picker: Picker::single(labels, Some(0)),
        }));
    }

    pub(super) fn add_menu_key(&mut self, key: KeyEvent) {
        let Mode::AddRecord(menu) = &mut self.mode else {
            return;
        };
        // A row's number chooses it at once; other characters narrow the list.
        if let Some(c) = super::app::printable(&key) {
            // Full-width digits (an input method left on) count as their ASCII twins.
            let ascii = match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            };
            let n = ascii.to_digit(10).map(|d| d as usize);
            match n
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| AddKind::ALL.get(i))
            {
                Some(kind) => {
                    let finding = menu.finding;
                    self.open_add_form(finding, *kind);
                }
                None => menu.picker.type_char(c),
            }
            return;
        }
        if key.code == KeyCode::Backspace {
            menu.picker.delete_back();
            return;
        }
        match self.keymap.feed(&[Context::Popup, Context::Global], key) {
            Lookup::Action(Action::Up) => menu.picker.move_by(-1),
            Lookup::Action(Action::Down) => menu.picker.move_by(1),
            Lookup::Action(Action::Top) => menu.picker.to_end(false),
            Lookup::Action(Action::Bottom) => menu.picker.to_end(true),
            Lookup::Action(Action::Confirm) => {
                let chosen = menu.picker.current().and_then(|i| AddKind::ALL.get(i));
                let finding = menu.finding;
                match chosen {
                    Some(kind) => self.open_add_form(finding, *kind),
                    None => self.mode = Mode::Normal,
                }
            }
            Lookup::Action(Action::Cancel | Action::Back) => self.mode = Mode::Normal,
            Lookup::Action(Action::Quit) => self.quit = true,
            _ => {}
        }
    }

    fn open_add_form(&mut self, finding: Id, kind: AddKind) {
        let form = kind.form(finding, &self.snap, &self.user);
        self.mode = Mode::Form(Box::new(form));
    }

    /// The quick check form; during a plan's round the check joins the plan.
    pub(super) fn quick_check_form(&self, id: Id) -> Form {
        // A plan that cannot be read leaves the check outside any plan, as before plans existed.
        let plan = self.ledger.running_plan(id, self.snap.today).ok().flatten();
        forms::specs::check_form(id, &self.snap, &self.user, self.last_method, plan.as_ref())
    }
}

//! 屡审屡犯 when a finding is created: earlier findings of the same unit (or 主管部门) with a
//! similar title or the same category are offered; ticking and confirming links them
//! (`repeat_of`), Esc leaves the finding as it is.

use super::action::Action;
use super::app::{App, Mode};
use super::forms::picker::Picker;
use super::keymap::{Context, Lookup};
use super::strings::S;
use crate::domain::{Finding, Id};
use crate::ledger::repeats::{self, DEFAULT_LIMIT, DEFAULT_YEARS};
use crate::store::{EntityKind, Record, Store};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The offer after a new finding: which finding, and the candidates in the picker's order.
pub struct RepeatOffer {
    pub finding: Id,
    pub candidates: Vec<Id>,
    pub picker: Picker,
}

impl<St: Store> App<St> {
    /// After a finding was created: offer the earlier findings it may repeat, if any.
    pub(super) fn offer_repeats(&mut self, id: Id) {
        let snap = &self.snap;
        let Some(row) = snap.finding(id) else { return };
        let Some(year) = snap.project(row.finding.project).map(|p| p.year) else {
            return;
        };
        let earlier = snap
            .findings
            .iter()
            .filter_map(|r| Some((&r.finding, snap.project(r.finding.project)?.year)));
        let found = repeats::suggest(
            &row.finding,
            year,
            earlier,
            &snap.units,
            DEFAULT_YEARS,
            DEFAULT_LIMIT,
        );
        if found.is_empty() {
            return;
        }
        let labels = found
            .iter()
            .map(|c| {
                let f = snap.finding(c.finding).map(|r| &r.finding);
                let head = f
                    .map(|f| format!("{} {}", f.number, f.title))
                    .unwrap_or_default();
                let why: Vec<String> = c.reasons.iter().map(|m| m.to_string()).collect();
                format!("{head}  ({})", why.join("；"))
            })
            .collect();
        let ticked = vec![false; found.len()];
        self.mode = Mode::Repeats(Box::new(RepeatOffer {
            finding: id,
            candidates: found.into_iter().map(|c| c.finding).collect(),
            picker: Picker::multi(labels, ticked),
        }));
    }

    pub(super) fn repeats_key(&mut self, key: KeyEvent) {
        let Mode::Repeats(offer) = &mut self.mode else {
            return;
        };
        if key.code == KeyCode::Char(' ') {
            offer.picker.toggle();
            return;
        }
        match self.keymap.feed(&[Context::Popup, Context::Global], key) {
            Lookup::Action(Action::Up) => offer.picker.move_by(-1),
            Lookup::Action(Action::Down) => offer.picker.move_by(1),
            Lookup::Action(Action::Confirm) => {
                let chosen = chosen(offer);
                let finding = offer.finding;
                self.mode = Mode::Normal;
                self.link_repeats(finding, chosen);
            }
            Lookup::Action(Action::Cancel | Action::Back | Action::Quit) => {
                self.mode = Mode::Normal
            }
            _ => {}
        }
    }

    fn link_repeats(&mut self, id: Id, earlier: Vec<Id>) {
        let Some(mut finding): Option<Finding> = self.snap.finding(id).map(|r| r.finding.clone())
        else {
            return;
        };
        let mut repeat_of = std::mem::take(&mut finding.repeat_of).into_vec();
        for e in earlier {
            if !repeat_of.contains(&e) {
                repeat_of.push(e);
            }
        }
        finding.repeat_of = repeat_of.into();
        match self.ledger.update_record(Record::Finding(finding)) {
            Ok(ops) => {
                self.remember_update(ops);
                self.after_change(EntityKind::Finding, id);
                self.say(S::RepeatsLinked.t());
            }
            Err(e) => self.complain(e.to_string()),
        }
    }
}

/// The ticked candidates; with none ticked, the one under the cursor (Enter on a row means it).
fn chosen(offer: &RepeatOffer) -> Vec<Id> {
    let ticked = offer.picker.ticked.clone().unwrap_or_default();
    let mut ids: Vec<Id> = offer
        .candidates
        .iter()
        .zip(&ticked)
        .filter(|(_, t)| **t)
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty()
        && let Some(i) = offer.picker.current()
        && let Some(id) = offer.candidates.get(i)
    {
        ids.push(*id);
    }
    ids
}

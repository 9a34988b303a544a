//! Check plans in the terminal: 回头看 planning when a project is created (its units' earlier
//! findings offered, all ticked; Enter makes the plan) and what each plan's round has found so
//! far, for the 检查计划 view and a plan's page.

use super::action::Action;
use super::app::{App, Mode};
use super::forms::picker::Picker;
use super::keymap::{Context, Lookup};
use super::strings::S;
use crate::domain::{CheckKind, CheckPlan, FollowUpCheck, Id, Labelled, Project};
use crate::store::{EntityKind, Record, Store};
use crate::text::pad;
use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use std::collections::HashMap;
use std::rc::Rc;

/// The offer after a new project: its units' earlier findings, in the picker's order.
pub struct LookBackOffer {
    pub project: Id,
    pub candidates: Vec<Id>,
    pub picker: Picker,
}

/// What one plan's round has found so far.
#[derive(Debug, Clone, Default)]
pub struct PlanSummary {
    /// Findings of the scope checked in this round.
    pub checked: usize,
    pub last: Option<NaiveDate>,
    /// The latest check of the round for each finding of the scope (`None`: not checked yet).
    pub latest: HashMap<Id, Option<FollowUpCheck>>,
}

/// Plan summaries of one snapshot state.
pub struct PlansCache {
    generation: u64,
    plans: Rc<HashMap<Id, PlanSummary>>,
}

impl<St: Store> App<St> {
    /// After a project was created: offer its units' earlier findings for its 回头看 scope.
    pub(super) fn offer_lookback(&mut self, project: Id) {
        let Some(p) = self.snap.project(project).cloned() else {
            return;
        };
        let rows = match self.ledger.lookback_candidates(&p, self.snap.today) {
            Ok(rows) => rows,
            Err(e) => {
                self.complain(e.to_string());
                return;
            }
        };
        if rows.is_empty() {
            return;
        }
        let labels = rows
            .iter()
            .map(|r| {
                let unit = r
                    .finding
                    .lead_unit()
                    .map(|u| self.snap.unit_name(u))
                    .unwrap_or_default();
                format!(
                    "{} {} {}  （{}）",
                    pad(&r.finding.number, 14),
                    pad(r.status.status.label(), 12),
                    r.finding.title,
                    unit
                )
            })
            .collect();
        let ticked = vec![true; rows.len()];
        self.mode = Mode::LookBack(Box::new(LookBackOffer {
            project,
            candidates: rows.into_iter().map(|r| r.finding.id).collect(),
            picker: Picker::multi(labels, ticked),
        }));
    }

    pub(super) fn lookback_key(&mut self, key: KeyEvent) {
        let Mode::LookBack(offer) = &mut self.mode else {
            return;
        };
        match key.code {
            KeyCode::Char(' ') => {
                offer.picker.toggle();
                return;
            }
            KeyCode::Char('*') | KeyCode::Char('＊') => {
                if let Some(ticked) = offer.picker.ticked.as_mut() {
                    let all = ticked.iter().all(|t| *t);
                    ticked.iter_mut().for_each(|t| *t = !all);
                }
                return;
            }
            KeyCode::Backspace => {
                offer.picker.delete_back();
                return;
            }
            _ => {}
        }
        // Other characters narrow the list (a number, a title, a unit).
        if let Some(c) = super::app::printable(&key) {
            offer.picker.type_char(c);
            return;
        }
        match self.keymap.feed(&[Context::Popup, Context::Global], key) {
            Lookup::Action(Action::Up) => offer.picker.move_by(-1),
            Lookup::Action(Action::Down) => offer.picker.move_by(1),
            Lookup::Action(Action::PageUp) => offer.picker.move_by(-10),
            Lookup::Action(Action::PageDown) => offer.picker.move_by(10),
            Lookup::Action(Action::Top) => offer.picker.to_end(false),
            Lookup::Action(Action::Bottom) => offer.picker.to_end(true),
            Lookup::Action(Action::Confirm) => {
                let ticked = offer.picker.ticked.clone().unwrap_or_default();
                let chosen: Vec<Id> = offer
                    .candidates
                    .iter()
                    .zip(ticked)
                    .filter(|(_, t)| *t)
                    .map(|(id, _)| *id)
                    .collect();
                let project = offer.project;
                self.mode = Mode::Normal;
                if chosen.is_empty() {
                    self.say(S::LookBackSkipped.t());
                } else {
                    self.make_lookback_plan(project, chosen);
                }
            }
            Lookup::Action(Action::Cancel | Action::Back | Action::Quit) => {
                self.mode = Mode::Normal;
                self.say(S::LookBackSkipped.t());
            }
            _ => {}
        }
    }

    /// The 回头看 plan of a new project, starting today; one undo step of its own.
    fn make_lookback_plan(&mut self, project: Id, findings: Vec<Id>) {
        let Some(p) = self.snap.project(project).cloned() else {
            return;
        };
        let plan = CheckPlan {
            id: Id::new(),
            kind: CheckKind::LookBack,
            title: format!("{} 回头看", p.name),
            project: Some(p.id),
            unit: match p.audited_units.as_slice() {
                [only] => Some(*only),
                _ => None,
            },
            findings,
            start: self.snap.today,
            end: None,
            team: team_text(&p),
            created_by: self.user.clone(),
            archived: false,
        };
        let id = plan.id;
        match self.ledger.create_batch(vec![Record::Plan(plan)]) {
            Ok(_) => {
                self.remember_created(EntityKind::Plan, id);
                self.after_change(EntityKind::Plan, id);
                self.say(S::LookBackCreated.t());
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// What each plan's round has found so far, by plan (from the ledger's `plan_results`,
    /// worked out once per snapshot state).
    pub fn plan_summaries(&self) -> Rc<HashMap<Id, PlanSummary>> {
        let generation = self.snap.generation;
        if let Some(cache) = self.plans_cache.borrow().as_ref()
            && cache.generation == generation
        {
            return Rc::clone(&cache.plans);
        }
        let mut out = HashMap::new();
        for plan in &self.snap.plans {
            // A plan whose findings cannot be read shows as unchecked rather than failing a frame.
            let results = self
                .ledger
                .plan_results(plan, self.snap.today)
                .unwrap_or_default();
            let mut summary = PlanSummary::default();
            for r in results {
                if let Some(c) = &r.check {
                    summary.checked += 1;
                    summary.last = summary.last.max(Some(c.date));
                }
                summary.latest.insert(r.row.finding.id, r.check);
            }
            out.insert(plan.id, summary);
        }
        let plans = Rc::new(out);
        *self.plans_cache.borrow_mut() = Some(PlansCache {
            generation,
            plans: Rc::clone(&plans),
        });
        plans
    }
}

/// The project's team as a plan names it: 组长、主审、组员.
fn team_text(p: &Project) -> String {
    [p.team.leader.as_str(), p.team.chief.as_str()]
        .into_iter()
        .chain(p.team.members.iter().map(String::as_str))
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

//! The 总览 in the app: its figures cached per snapshot state, its rows walked by the cursor,
//! Enter on a row listing the findings behind the number, and Esc coming back to that row.

use super::app::App;
use super::stats::{Dashboard, Section};
use super::view::{Scope, Selected, ViewKind};
use crate::i18n::Msg;
use crate::report::Caliber;
use crate::store::Store;
use std::rc::Rc;

impl<St: Store> App<St> {
    /// The 口径 the 总览 counts under.
    pub fn caliber(&self) -> Caliber {
        self.caliber
    }

    /// Apply `partial=yes,long-term=no` (as `rectify report --caliber`, and `caliber` in
    /// config.toml) over the 总览's default 口径. A refused text changes nothing.
    pub fn set_caliber(&mut self, text: &str) -> Result<(), Msg> {
        let mut caliber = super::stats::default_caliber(self.snap.today);
        caliber.apply(text)?;
        self.caliber = caliber;
        *self.dashboard_cache.borrow_mut() = None;
        *self.items_cache.borrow_mut() = None;
        Ok(())
    }

    /// The 总览's figures, computed once per snapshot state and 口径.
    pub fn dashboard(&self) -> Rc<Dashboard> {
        if let Some(d) = self.dashboard_cache.borrow().as_ref()
            && d.generation == self.snap.generation
            && d.caliber == self.caliber
        {
            return Rc::clone(d);
        }
        let d = Rc::new(Dashboard::compute(&self.snap, &self.caliber));
        *self.dashboard_cache.borrow_mut() = Some(Rc::clone(&d));
        d
    }

    /// The 总览's rows as list items.
    pub(super) fn dashboard_items(&self) -> Vec<Selected> {
        (0..self.dashboard().rows.len())
            .map(Selected::Stat)
            .collect()
    }

    /// The findings behind row `i` of the 总览.
    pub(super) fn open_dashboard_row(&mut self, i: usize) {
        if let Some(row) = self.dashboard().rows.get(i) {
            let kind = ViewKind::Findings(Scope::Stat(self.caliber, row.drill));
            self.nav.push(kind);
        }
    }

    /// On the 总览: the first row of the next section (wrapping round).
    pub(super) fn next_section(&mut self) {
        let d = self.dashboard();
        let current = d
            .rows
            .get(self.nav.current().selected)
            .map(|r| r.drill.section())
            .unwrap_or(Section::Totals);
        let at = Section::ALL.iter().position(|s| *s == current).unwrap_or(0);
        for step in 1..=Section::ALL.len() {
            let next = Section::ALL[(at + step) % Section::ALL.len()];
            let rows = d.section_rows(next);
            if !rows.is_empty() {
                self.nav.current_mut().selected = rows.start;
                return;
            }
        }
    }

    /// Back one view. Coming back to the 总览 from a drill-down selects the row it came from,
    /// even if an edit meanwhile moved that row.
    pub(super) fn go_back(&mut self) {
        let left = self.nav.current().kind;
        if !self.nav.back() {
            return;
        }
        if let (ViewKind::Findings(Scope::Stat(_, drill)), ViewKind::Dashboard) =
            (left, self.nav.current().kind)
            && let Some(i) = self.dashboard().row_of(drill)
        {
            self.nav.current_mut().selected = i;
        }
    }
}

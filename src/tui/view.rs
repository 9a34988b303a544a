//! Where the user is: the stack of views (the back stack), what each view lists, and the
//! breadcrumbs that name the path.

use super::model::Snapshot;
use super::stats::{self, Aging, Drill};
use super::strings::S;
use crate::domain::{Id, Labelled};
use crate::report::Caliber;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Dashboard,
    Projects,
    Findings,
    Units,
    Checks,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Dashboard,
        Tab::Projects,
        Tab::Findings,
        Tab::Units,
        Tab::Checks,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Dashboard => S::TabDashboard.t(),
            Tab::Projects => S::TabProjects.t(),
            Tab::Findings => S::TabFindings.t(),
            Tab::Units => S::TabUnits.t(),
            Tab::Checks => S::TabChecks.t(),
        }
    }

    pub fn root(self) -> ViewKind {
        match self {
            Tab::Dashboard => ViewKind::Dashboard,
            Tab::Projects => ViewKind::Projects,
            Tab::Findings => ViewKind::Findings(Scope::All),
            Tab::Units => ViewKind::Units,
            Tab::Checks => ViewKind::CheckQueue,
        }
    }
}

/// Which findings a findings list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Project(Id),
    Unit(Id),
    /// The findings behind a number of the 总览, under the 口径 it was counted with.
    Stat(Caliber, Drill),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    Dashboard,
    Projects,
    Findings(Scope),
    Units,
    /// Findings due for a check, longest waiting first.
    CheckQueue,
    /// The checks made, newest first.
    CheckLog,
    /// The check plans (回头看 scopes and other planned rounds).
    Plans,
    /// One plan: each finding of its scope with the latest check of its round.
    Plan(Id),
    /// One finding on its own page: fields, records, history.
    Finding(Id),
    /// The 冲突 queue: open conflicts, then findings whose number another of the project shares.
    Conflicts,
}

/// What the selected row of a list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selected {
    Project(Id),
    Finding(Id),
    Unit(Id),
    Check(Id),
    Plan(Id),
    /// A row of the 总览 (an index into `Dashboard::rows`).
    Stat(usize),
    /// An open conflict (an index into `Snapshot::conflicts`).
    Conflict(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    pub kind: ViewKind,
    pub selected: usize,
    /// First visible row (virtual scrolling).
    pub offset: usize,
}

impl View {
    pub fn new(kind: ViewKind) -> View {
        View {
            kind,
            selected: 0,
            offset: 0,
        }
    }

    /// The records this view lists, in display order (indexes into the snapshot's vectors).
    /// The 总览's rows depend on the 口径 too: `App::items` lists them.
    pub fn items(&self, snap: &Snapshot) -> Vec<Selected> {
        match self.kind {
            ViewKind::Dashboard => Vec::new(),
            ViewKind::Projects => snap
                .projects
                .iter()
                .map(|p| Selected::Project(p.id))
                .collect(),
            ViewKind::Units => snap.units.iter().map(|u| Selected::Unit(u.id)).collect(),
            ViewKind::Findings(scope) => {
                let idx = match scope {
                    Scope::All => (0..snap.findings.len()).collect(),
                    Scope::Project(p) => snap.findings_of_project(p),
                    Scope::Unit(u) => snap.findings_of_unit(u),
                    Scope::Stat(caliber, drill) => stats::members(snap, &caliber, drill),
                };
                idx.into_iter()
                    .map(|i| Selected::Finding(snap.findings[i].finding.id))
                    .collect()
            }
            ViewKind::CheckQueue => snap
                .check_queue()
                .into_iter()
                .map(|(i, _)| Selected::Finding(snap.findings[i].finding.id))
                .collect(),
            ViewKind::CheckLog => snap.checks().map(|c| Selected::Check(c.id)).collect(),
            ViewKind::Plans => snap.plans.iter().map(|p| Selected::Plan(p.id)).collect(),
            ViewKind::Plan(id) => snap
                .plan(id)
                .map(|p| {
                    p.findings
                        .iter()
                        .filter(|f| snap.finding(**f).is_some())
                        .map(|f| Selected::Finding(*f))
                        .collect()
                })
                .unwrap_or_default(),
            ViewKind::Finding(id) => vec![Selected::Finding(id)],
            ViewKind::Conflicts => (0..snap.conflicts.len())
                .map(Selected::Conflict)
                .chain(
                    snap.duplicates
                        .iter()
                        .flatten()
                        .map(|f| Selected::Finding(*f)),
                )
                .collect(),
        }
    }

    /// The tab this view belongs under.
    pub fn tab(&self) -> Tab {
        match self.kind {
            ViewKind::Dashboard | ViewKind::Findings(Scope::Stat(..)) => Tab::Dashboard,
            ViewKind::Projects | ViewKind::Findings(Scope::Project(_)) => Tab::Projects,
            ViewKind::Units | ViewKind::Findings(Scope::Unit(_)) => Tab::Units,
            ViewKind::Findings(Scope::All) | ViewKind::Finding(_) | ViewKind::Conflicts => {
                Tab::Findings
            }
            ViewKind::CheckQueue | ViewKind::CheckLog | ViewKind::Plans | ViewKind::Plan(_) => {
                Tab::Checks
            }
        }
    }

    /// The breadcrumb for this view.
    pub fn crumb(&self, snap: &Snapshot) -> String {
        match self.kind {
            ViewKind::Dashboard => S::TabDashboard.t().into(),
            ViewKind::Projects => S::TabProjects.t().into(),
            ViewKind::Units => S::TabUnits.t().into(),
            ViewKind::CheckQueue => S::CheckQueue.t().into(),
            ViewKind::CheckLog => S::CheckLog.t().into(),
            ViewKind::Plans => S::CheckPlans.t().into(),
            ViewKind::Conflicts => S::ConflictsTitle.t().into(),
            ViewKind::Plan(id) => snap
                .plan(id)
                .map(|p| p.title.clone())
                .unwrap_or_else(|| id.short()),
            ViewKind::Findings(Scope::All) => S::TabFindings.t().into(),
            ViewKind::Findings(Scope::Project(p)) => {
                format!("{} {}", snap.project_number(p), S::FindingsOfProject.t())
            }
            ViewKind::Findings(Scope::Unit(u)) => {
                format!("{} {}", snap.unit_name(u), S::FindingsOfUnit.t())
            }
            ViewKind::Findings(Scope::Stat(_, drill)) => drill_crumb(snap, drill),
            ViewKind::Finding(id) => snap
                .finding(id)
                .map(|r| r.finding.number.to_string())
                .unwrap_or_else(|| id.short()),
        }
    }
}

/// What a drill-down from the 总览 lists, in words.
fn drill_crumb(snap: &Snapshot, drill: Drill) -> String {
    match drill {
        Drill::All => S::DashFindings.t().into(),
        Drill::Rectified => S::DashRectified.t().into(),
        Drill::Unfinished => S::DashUnfinished.t().into(),
        Drill::Status(s) => S::DashStatusIs.t().replace("{}", s.label()),
        Drill::NotIssued => S::DashNotIssued.t().into(),
        Drill::Aging(a) => S::DashOverdue.t().replace("{}", aging_label(a)),
        Drill::Unit(Some(u)) => S::DashLedBy.t().replace("{}", &snap.unit_name(u)),
        Drill::Unit(None) => S::DashNoLead.t().into(),
        Drill::Type(t) => S::DashOfType.t().replace("{}", t.label()),
    }
}

/// An aging bucket's label (`31-90天`).
pub fn aging_label(a: Aging) -> &'static str {
    match a {
        Aging::UpTo30 => S::Aging30.t(),
        Aging::UpTo90 => S::Aging90.t(),
        Aging::UpTo180 => S::Aging180.t(),
        Aging::Over180 => S::AgingOver.t(),
    }
}

/// The back stack. Never empty: its bottom is the tab's root view.
#[derive(Debug, Clone)]
pub struct Nav {
    stack: Vec<View>,
}

impl Nav {
    pub fn new(tab: Tab) -> Nav {
        Nav {
            stack: vec![View::new(tab.root())],
        }
    }

    pub fn current(&self) -> &View {
        // The stack is never empty (see `back`), so the fallback is never used.
        self.stack.last().unwrap_or(&ROOT)
    }

    pub fn current_mut(&mut self) -> &mut View {
        if self.stack.is_empty() {
            self.stack.push(ROOT);
        }
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    pub fn push(&mut self, kind: ViewKind) {
        self.stack.push(View::new(kind));
    }

    /// Go back one view; returns false at the root.
    pub fn back(&mut self) -> bool {
        if self.stack.len() > 1 {
            self.stack.pop();
            true
        } else {
            false
        }
    }

    pub fn switch_tab(&mut self, tab: Tab) {
        self.stack = vec![View::new(tab.root())];
    }

    /// Swap the current view for another view of the same panel (queue -> log -> plans).
    pub fn replace(&mut self, kind: ViewKind) {
        *self.current_mut() = View::new(kind);
    }

    pub fn crumbs(&self, snap: &Snapshot) -> Vec<String> {
        self.stack.iter().map(|v| v.crumb(snap)).collect()
    }
}

const ROOT: View = View {
    kind: ViewKind::Dashboard,
    selected: 0,
    offset: 0,
};

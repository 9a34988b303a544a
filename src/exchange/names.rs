//! The units and projects a table names, loaded once (archived ones too: an old finding still
//! names the unit it belonged to).

use crate::domain::{Id, Project, Unit};
use crate::ledger::{Ledger, LedgerResult};
use crate::store::{EntityKind, Record, Store};
use std::collections::HashMap;

pub struct Lookup {
    pub units: HashMap<Id, Unit>,
    pub projects: HashMap<Id, Project>,
}

impl Lookup {
    pub fn load<S: Store>(ledger: &Ledger<S>) -> LedgerResult<Lookup> {
        let mut units = HashMap::new();
        for record in ledger.store().scan(EntityKind::Unit) {
            if let Record::Unit(u) = record? {
                units.insert(u.id, u);
            }
        }
        let mut projects = HashMap::new();
        for record in ledger.store().scan(EntityKind::Project) {
            if let Record::Project(p) = record? {
                projects.insert(p.id, p);
            }
        }
        Ok(Lookup { units, projects })
    }

    /// A unit's full name (what a letter to it is addressed to), or its short id.
    pub fn unit_name(&self, id: Id) -> String {
        self.units
            .get(&id)
            .map(|u| u.name.clone())
            .unwrap_or_else(|| id.short())
    }

    /// Names joined the way Chinese tables list them: 区财政局、区发改委.
    pub fn unit_names(&self, ids: impl IntoIterator<Item = Id>) -> String {
        ids.into_iter()
            .map(|id| self.unit_name(id))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// Live units and projects, for matching names typed in a spreadsheet.
    pub fn live_units(&self) -> Vec<Unit> {
        let mut v: Vec<Unit> = self
            .units
            .values()
            .filter(|u| !u.archived)
            .cloned()
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        v
    }

    pub fn live_projects(&self) -> Vec<Project> {
        let mut v: Vec<Project> = self
            .projects
            .values()
            .filter(|p| !p.archived)
            .cloned()
            .collect();
        v.sort_by(|a, b| a.number.cmp(&b.number));
        v
    }
}

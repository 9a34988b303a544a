//! Matching the project and unit names typed in a spreadsheet to the ledger's records: exact
//! (project number, full name, a unit's short name) first, then the finder's fuzzy and pinyin
//! matcher. A name that matches several records, or none, is an error that lists what it could
//! be, so the user can correct the cell: nothing is filed under a guess.

use crate::domain::{Id, Project, Unit};
use crate::i18n::Msg;
use crate::search::index::{ItemKind, SearchIndex};
use std::collections::HashMap;

/// At most this many candidates are listed in an error.
const LISTED: usize = 6;

pub struct Resolver {
    units: Vec<Unit>,
    projects: Vec<Project>,
    unit_index: SearchIndex,
    project_index: SearchIndex,
    cache: HashMap<(bool, String), Result<Id, Msg>>,
}

impl Resolver {
    pub fn new(units: Vec<Unit>, projects: Vec<Project>) -> Resolver {
        Resolver {
            unit_index: SearchIndex::build(&units, &[], &[], &[]),
            project_index: SearchIndex::build(&[], &projects, &[], &[]),
            units,
            projects,
            cache: HashMap::new(),
        }
    }

    pub fn project_record(&self, id: Id) -> Option<&Project> {
        self.projects.iter().find(|p| p.id == id)
    }

    /// A project by its number, exactly.
    pub fn project_by_number(&self, number: &str) -> Result<Id, Msg> {
        self.projects
            .iter()
            .find(|p| p.number == number)
            .map(|p| p.id)
            .ok_or_else(|| {
                Msg::new(
                    format!("没有编号为“{number}”的审计项目（可用 rectify list projects 查看）"),
                    format!("no audit project numbered \"{number}\" (see rectify list projects)"),
                )
            })
    }

    /// A project by its name: exact, else the one fuzzy match.
    pub fn project(&mut self, name: &str) -> Result<Id, Msg> {
        if let Some(hit) = self.cache.get(&(true, name.to_string())) {
            return hit.clone();
        }
        let exact: Vec<&Project> = self.projects.iter().filter(|p| p.name == name).collect();
        let result = match exact.as_slice() {
            [one] => Ok(one.id),
            [] => {
                let ids = fuzzy(&mut self.project_index, ItemKind::Project, name);
                let label = |id: &Id| {
                    self.projects
                        .iter()
                        .find(|p| p.id == *id)
                        .map_or_else(String::new, |p| format!("{} {}", p.number, p.name))
                };
                pick(ids, name, ("审计项目", "audit project"), label)
            }
            many => Err(ambiguous(
                name,
                ("审计项目", "audit project"),
                many.iter()
                    .map(|p| format!("{} {}", p.number, p.name))
                    .collect(),
            )),
        };
        self.cache.insert((true, name.to_string()), result.clone());
        result
    }

    /// A unit by its full or short name, exactly, else the one fuzzy match.
    pub fn unit(&mut self, name: &str) -> Result<Id, Msg> {
        if let Some(hit) = self.cache.get(&(false, name.to_string())) {
            return hit.clone();
        }
        let exact: Vec<&Unit> = self
            .units
            .iter()
            .filter(|u| u.name == name || (!u.short_name.is_empty() && u.short_name == name))
            .collect();
        let result = match exact.as_slice() {
            [one] => Ok(one.id),
            [] => {
                let ids = fuzzy(&mut self.unit_index, ItemKind::Unit, name);
                let label = |id: &Id| {
                    self.units
                        .iter()
                        .find(|u| u.id == *id)
                        .map_or_else(String::new, |u| u.name.clone())
                };
                pick(ids, name, ("单位", "unit"), label)
            }
            many => Err(ambiguous(
                name,
                ("单位", "unit"),
                many.iter().map(|u| u.name.clone()).collect(),
            )),
        };
        self.cache.insert((false, name.to_string()), result.clone());
        result
    }
}

/// The records of `kind` the finder matches for `name`, best first.
fn fuzzy(index: &mut SearchIndex, kind: ItemKind, name: &str) -> Vec<Id> {
    index
        .search(name, 50)
        .into_iter()
        .filter_map(|hit| index.item(hit.item))
        .filter(|item| item.kind == kind)
        .map(|item| item.id)
        .collect()
}

fn pick(
    ids: Vec<Id>,
    name: &str,
    what: (&str, &str),
    label: impl Fn(&Id) -> String,
) -> Result<Id, Msg> {
    match ids.as_slice() {
        [one] => Ok(*one),
        [] => Err(Msg::new(
            format!(
                "台账中没有名为“{name}”的{}，也没有相近的（可用 rectify list {} 查看）",
                what.0,
                if what.1 == "unit" {
                    "units"
                } else {
                    "projects"
                }
            ),
            format!(
                "the ledger has no {} named \"{name}\", nor one like it (see rectify list {})",
                what.1,
                if what.1 == "unit" {
                    "units"
                } else {
                    "projects"
                }
            ),
        )),
        many => Err(ambiguous(name, what, many.iter().map(label).collect())),
    }
}

fn ambiguous(name: &str, what: (&str, &str), candidates: Vec<String>) -> Msg {
    let more = candidates.len().saturating_sub(LISTED);
    let shown: Vec<String> = candidates.into_iter().take(LISTED).collect();
    let tail_zh = if more > 0 {
        format!(" 等（另有 {more} 个）")
    } else {
        String::new()
    };
    let tail_en = if more > 0 {
        format!(" (and {more} more)")
    } else {
        String::new()
    };
    Msg::new(
        format!(
            "“{name}”可能是以下{}之一，请改为其中一个的全称：{}{tail_zh}",
            what.0,
            shown.join("；")
        ),
        format!(
            "\"{name}\" could be any of these {}s; write one of them in full: {}{tail_en}",
            what.1,
            shown.join("; ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProjectType, UnitKind};

    fn unit(name: &str, short: &str) -> Unit {
        let mut u = Unit::new(name, UnitKind::PartyGovernment);
        u.short_name = short.to_string();
        u
    }

    #[test]
    fn names_resolve_exactly_then_by_the_one_fuzzy_match() {
        let units = vec![
            unit("区财政局", "财政局"),
            unit("区发展和改革委员会", "发改委"),
            unit("区教育局", "教育局"),
        ];
        let finance = units[0].id;
        let mut r = Resolver::new(units, vec![]);
        assert_eq!(r.unit("区财政局"), Ok(finance));
        assert_eq!(r.unit("财政局"), Ok(finance));
        assert_eq!(r.unit("czj"), Ok(finance));
        let err = r.unit("局").unwrap_err();
        assert!(
            err.zh.contains("区财政局") && err.zh.contains("区教育局"),
            "{}",
            err.zh
        );
        assert!(r.unit("水务局").is_err());
    }

    #[test]
    fn projects_resolve_by_number_or_name() {
        let p = Project::new(
            "2022-03",
            "区级地方政府专项债券管理使用情况审计",
            2022,
            ProjectType::SpecialBonds,
        );
        let id = p.id;
        let mut r = Resolver::new(vec![], vec![p]);
        assert_eq!(r.project_by_number("2022-03"), Ok(id));
        assert!(r.project_by_number("2099-01").is_err());
        assert_eq!(r.project("专项债券管理使用情况审计"), Ok(id));
    }
}

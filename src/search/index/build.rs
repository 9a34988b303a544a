//! Building the index from the records the TUI holds (or the CLI loads): one item per unit,
//! project, finding and check, its display text and context, and its match fields encoded as
//! pinyin classes.

use super::cold::{Cold, ColdSink, Row};
use super::{Entry, Field, HIDDEN, ItemKind, Keys, NONE, SearchIndex, Span};
use crate::domain::{FollowUpCheck, Id, Labelled, Project, Unit};
use crate::i18n::{Lang, tr};
use crate::ledger::FindingRow;
use crate::search::matcher::Skim;
use crate::search::pinyin::{Syllables, fold_str};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

impl SearchIndex {
    /// The index of these records, all of it in memory.
    pub fn build(
        units: &[Unit],
        projects: &[Project],
        findings: &[FindingRow],
        checks: &[&FollowUpCheck],
    ) -> SearchIndex {
        let items = units.len() + projects.len() + findings.len() + checks.len();
        // Nothing can fail in memory; an empty index if it somehow did.
        Self::build_into(in_memory(items), units, projects, findings, checks)
            .unwrap_or_else(|_| Builder::new(0, in_memory(0)).ix)
    }

    /// The same, with the display half written to unnamed files in `dir` as it is made (what
    /// matching reads stays in memory). An error if `dir` cannot take them.
    pub fn build_spilled(
        dir: &Path,
        units: &[Unit],
        projects: &[Project],
        findings: &[FindingRow],
        checks: &[&FollowUpCheck],
    ) -> std::io::Result<SearchIndex> {
        Self::build_into(ColdSink::spill(dir)?, units, projects, findings, checks)
    }

    fn build_into(
        sink: ColdSink,
        units: &[Unit],
        projects: &[Project],
        findings: &[FindingRow],
        checks: &[&FollowUpCheck],
    ) -> std::io::Result<SearchIndex> {
        let items = units.len() + projects.len() + findings.len() + checks.len();
        let mut b = Builder::new(items, sink);
        let unit_by_id: HashMap<Id, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        // A check shows its finding's number and title, the title as stored for the finding.
        let finding_at: HashMap<Id, usize> = findings
            .iter()
            .enumerate()
            .map(|(i, r)| (r.finding.id, i))
            .collect();
        let first_finding_item = units.len() + projects.len();
        let project_by_id: HashMap<Id, &Project> = projects.iter().map(|p| (p.id, p)).collect();
        let unit_name = |id: Option<Id>| id.and_then(|id| unit_by_id.get(&id).copied());
        let mut leads: HashMap<Id, usize> = HashMap::new();
        for r in findings {
            if let Some(u) = r.finding.lead_unit() {
                *leads.entry(u).or_default() += 1;
            }
        }
        let join = |parts: &[&str]| {
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" / ")
        };

        for u in units {
            let hidden = (!u.short_name.is_empty() && !u.name.contains(&u.short_name))
                .then_some(u.short_name.as_str());
            let lead_count = leads.get(&u.id).copied().unwrap_or(0);
            let count = format!(
                "{}{lead_count}{}",
                tr("牵头问题 ", "lead on "),
                tr(" 个", " findings")
            );
            let context = join(&[u.kind.label(), &u.leader, &count]);
            b.push(Parts {
                kind: ItemKind::Unit,
                id: u.id,
                head: "",
                body: &u.name,
                hidden_number: hidden,
                number: "",
                title: Title::Body,
                status: "在用",
                unit: None,
                context: &context,
            });
        }
        for p in projects {
            let first = unit_name(p.audited_units.first().copied());
            let context = join(&[
                first.map_or("", |u| u.display_name()),
                p.kind.label(),
                p.stage.label(),
            ]);
            b.push(Parts {
                kind: ItemKind::Project,
                id: p.id,
                head: &p.number,
                body: &p.name,
                hidden_number: None,
                number: &p.number,
                title: Title::Body,
                status: p.stage.label_in(Lang::Zh),
                unit: first.map(|u| u.name.as_str()),
                context: &context,
            });
        }
        for r in findings {
            let f = &r.finding;
            let lead = unit_name(f.lead_unit());
            let project = project_by_id
                .get(&f.project)
                .map_or("", |p| p.number.as_str());
            let context = join(&[
                project,
                lead.map_or("", |u| u.display_name()),
                r.status.status.label(),
            ]);
            b.push(Parts {
                kind: ItemKind::Finding,
                id: f.id,
                head: &f.number,
                body: &f.title,
                hidden_number: None,
                number: &f.number,
                title: Title::Body,
                status: r.status.status.label_in(Lang::Zh),
                unit: lead.map(|u| u.name.as_str()),
                context: &context,
            });
        }
        for c in checks {
            let at = finding_at.get(&c.finding).copied();
            let finding = at.and_then(|i| findings.get(i)).map(|r| &r.finding);
            let number = finding.map_or_else(|| c.finding.short(), |f| f.number.to_string());
            let title = finding.map_or("", |f| &*f.title);
            let lead = unit_name(finding.and_then(|f| f.lead_unit()));
            let head = format!("{} {number}", c.date);
            let context = join(&[title, c.verdict.label(), &c.checker]);
            b.push(Parts {
                kind: ItemKind::Check,
                id: c.id,
                head: &head,
                body: &c.note,
                hidden_number: None,
                number: &number,
                title: at.map_or(Title::Missing, |i| Title::OfItem(first_finding_item + i)),
                status: c.verdict.label_in(Lang::Zh),
                unit: lead.map(|u| u.name.as_str()),
                context: &context,
            });
        }
        b.finish()
    }
}

/// Room for what an item stores on average (display text, number, classes): a guess that keeps
/// the arenas from doubling past what they need, which at 100,000 findings left tens of MB of
/// the index's peak empty.
const BYTES_PER_ITEM: usize = 64;
const CLASSES_PER_ITEM: usize = 32;

/// What `Builder::push` needs to know about one record.
struct Parts<'a> {
    kind: ItemKind,
    id: Id,
    /// Shown first (the number); the number field. Empty for units.
    head: &'a str,
    /// Shown after the head (title, name, note); the title field.
    body: &'a str,
    /// A number field not shown (a unit's short name).
    hidden_number: Option<&'a str>,
    number: &'a str,
    title: Title,
    status: &'a str,
    unit: Option<&'a str>,
    context: &'a str,
}

/// The title `rectify search --json` gives an item.
enum Title {
    /// Its body: a finding's title, a project's or unit's name.
    Body,
    /// The title of the item at this index: a check's finding's.
    OfItem(usize),
    /// None: a check whose finding is not in the ledger.
    Missing,
}

/// A display half in memory with room for `items` (see `BYTES_PER_ITEM`).
fn in_memory(items: usize) -> ColdSink {
    ColdSink::Memory {
        rows: Vec::with_capacity(items),
        strings: Vec::with_capacity(items * BYTES_PER_ITEM),
    }
}

struct Builder {
    ix: SearchIndex,
    cold: ColdSink,
    /// Each item's title span, for the checks that show their finding's title.
    titles: Vec<Span>,
    unit_at: HashMap<String, u32>,
    /// Strings stored once: contexts, statuses.
    interned: HashMap<String, Span>,
}

impl Builder {
    fn new(items: usize, cold: ColdSink) -> Builder {
        Builder {
            ix: SearchIndex {
                table: Syllables::new(),
                classes: Vec::with_capacity(items * CLASSES_PER_ITEM),
                entries: Vec::with_capacity(items),
                units: Vec::new(),
                cold: Cold::Memory {
                    rows: Vec::new(),
                    strings: Vec::new(),
                },
                matcher: Box::new(Skim::default()),
                items: OnceLock::new(),
                steps: Vec::new(),
            },
            cold,
            titles: Vec::with_capacity(items),
            unit_at: HashMap::new(),
            interned: HashMap::new(),
        }
    }

    fn finish(mut self) -> std::io::Result<SearchIndex> {
        self.ix.classes.shrink_to_fit();
        self.ix.entries.shrink_to_fit();
        self.ix.units.shrink_to_fit();
        self.ix.cold = self.cold.finish()?;
        Ok(self.ix)
    }

    fn push_str(&mut self, text: &str) -> Span {
        let start = self.cold.push_str(text);
        span(start, text.len())
    }

    fn intern(&mut self, text: &str) -> Span {
        if let Some(&s) = self.interned.get(text) {
            return s;
        }
        let s = self.push_str(text);
        self.interned.insert(text.to_string(), s);
        s
    }

    /// A match field; `offset` is its character offset in the display text, if shown there.
    fn field(&mut self, value: &str, offset: Option<usize>) -> Field {
        let start = self.ix.classes.len();
        let sig = self.ix.table.encode(&fold_str(value), &mut self.ix.classes);
        let len = u16::try_from(self.ix.classes.len() - start).unwrap_or(u16::MAX);
        self.ix.classes.truncate(start + usize::from(len));
        Field {
            keys: Keys {
                start: u32::try_from(start).unwrap_or(u32::MAX),
                len,
            },
            offset: offset
                .and_then(|chars| u16::try_from(chars).ok())
                .unwrap_or(HIDDEN),
            sig,
        }
    }

    fn unit(&mut self, name: &str) -> u32 {
        if let Some(&at) = self.unit_at.get(name) {
            return at;
        }
        let field = self.field(name, None);
        let at = u32::try_from(self.ix.units.len()).unwrap_or(NONE);
        self.ix.units.push(field);
        self.unit_at.insert(name.to_string(), at);
        at
    }

    fn push(&mut self, p: Parts<'_>) {
        let text_start = self.cold.strings_len();
        let text = if p.head.is_empty() {
            self.push_str(p.body)
        } else {
            self.push_str(&format!("{} {}", p.head, p.body))
        };
        let head = span(text_start, p.head.len());
        let (body_byte, body_chars) = if p.head.is_empty() {
            (0, 0)
        } else {
            (p.head.len() + 1, p.head.chars().count() + 1)
        };
        let body = span(text_start + body_byte, p.body.len());
        let title_field = self.field(p.body, Some(body_chars));
        let number_field = match p.hidden_number {
            Some(hidden) => self.field(hidden, None),
            None => self.field(p.head, Some(0)),
        };
        let number = if p.number == p.head {
            head
        } else {
            self.push_str(p.number)
        };
        let title = match p.title {
            Title::Body => body,
            Title::OfItem(item) => self.titles.get(item).copied().unwrap_or_default(),
            Title::Missing => Span::default(),
        };
        let status = self.intern(p.status);
        let context = self.intern(p.context);
        let unit = p.unit.map_or(NONE, |name| self.unit(name));
        self.ix.entries.push(Entry {
            kind: p.kind,
            fields: [title_field, number_field],
            unit,
        });
        self.titles.push(title);
        self.cold.push_row(Row {
            id: p.id,
            text,
            context,
            number,
            title,
            status,
        });
    }
}

/// A span, empty if the arena has outgrown `u32` (4 GiB of text: not a real ledger).
fn span(start: usize, len: usize) -> Span {
    match (u32::try_from(start), u32::try_from(len)) {
        (Ok(start), Ok(len)) => Span { start, len },
        _ => Span::default(),
    }
}

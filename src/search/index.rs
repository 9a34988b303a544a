//! The finder's index: every unit, project, finding and check as one searchable item, with its
//! match fields and their pinyin keys computed once, at build.
//!
//! Layout: the texts of all items live in one byte arena and the class ids of all fields in
//! one `u16` arena, each item being a fixed-size `Entry` of spans into them. That keeps a full
//! scan over 100,000 items cache-friendly, and lets `rectify search` load a persisted index with
//! a handful of large reads instead of hundreds of thousands of allocations (`codec`).
//! Matching reads only the class arena; the byte arena is read (and its UTF-8 checked) only
//! for the items shown, so loading needs no pass over 20 MB of text. Repeated strings
//! (contexts, statuses, a check's finding title) are stored once.
//!
//! Match fields per item (display text in brackets):
//! - finding (`number title`): title, number, and its 牵头 unit's name (not shown);
//! - project (`number name`): name, number, its first audited unit's name (not shown);
//! - unit (`name`): name, and its short name when that is not part of the name (not shown);
//! - check (`date finding-number note`): note, `date finding-number`, the finding's 牵头 unit.
//!
//! Unit names are interned: 100,000 findings share a few thousand, so a term is matched
//! against each distinct name once per search (see `scan`).

mod codec;
mod scan;

use super::matcher::{FieldView, Matcher, Skim};
use super::pinyin::{Class, Sig, Syllables, fold_str};
use crate::domain::{FollowUpCheck, Id, Labelled, Project, Unit};
use crate::i18n::{Lang, tr};
use crate::ledger::FindingRow;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use codec::FORMAT;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Finding,
    Project,
    Unit,
    Check,
}

impl ItemKind {
    /// Order on equal scores: findings first, checks last.
    fn rank(self) -> u8 {
        match self {
            ItemKind::Finding => 0,
            ItemKind::Project => 1,
            ItemKind::Unit => 2,
            ItemKind::Check => 3,
        }
    }

    /// The name in JSON output (`"finding"` …).
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Finding => "finding",
            ItemKind::Project => "project",
            ItemKind::Unit => "unit",
            ItemKind::Check => "check",
        }
    }

    /// The label shown to the user, in the current language.
    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Finding => tr("问题", "finding"),
            ItemKind::Project => tr("项目", "project"),
            ItemKind::Unit => tr("单位", "unit"),
            ItemKind::Check => tr("检查", "check"),
        }
    }

    fn from_u8(v: u8) -> Option<ItemKind> {
        [
            ItemKind::Finding,
            ItemKind::Project,
            ItemKind::Unit,
            ItemKind::Check,
        ]
        .get(v as usize)
        .copied()
    }
}

/// One searchable record as the finder shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchItem {
    pub kind: ItemKind,
    pub id: Id,
    /// What the user sees and what `SearchHit::positions` index (by character).
    pub text: String,
    /// Where the record belongs: project / unit / status for a finding, and so on.
    pub context: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    /// Index into `SearchIndex::items()`.
    pub item: usize,
    pub score: i64,
    /// char indices into items[item].text to highlight
    pub positions: Vec<usize>,
}

/// Everything about one item, borrowed from the index (no allocation).
#[derive(Clone, Copy, Debug)]
pub struct ItemRef<'a> {
    pub kind: ItemKind,
    pub id: Id,
    pub text: &'a str,
    pub context: &'a str,
    /// Finding / project number; for a check, its finding's number; empty for a unit.
    pub number: &'a str,
    /// Finding title, project or unit name; for a check, its finding's title.
    pub title: &'a str,
    /// The Chinese status label (finding status, project stage, check verdict; 在用 for units),
    /// as the JSON contract of `rectify list` has it.
    pub status: &'a str,
}

/// A byte range in the string arena or an element range in the class arena.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start + self.len as usize
    }
}

/// Marks "no unit" and "field not shown in the text".
const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, Default)]
struct Field {
    /// The field's characters (folded) as classes.
    keys: Span,
    /// Character offset of the field in the item's display text, or `NONE`.
    offset: u32,
    sig: Sig,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    kind: ItemKind,
    id: Id,
    text: Span,
    context: Span,
    number: Span,
    title: Span,
    status: Span,
    /// The title / name field first, then the number field.
    fields: [Field; 2],
    /// Index into `SearchIndex::units`, or `NONE`.
    unit: u32,
}

pub struct SearchIndex {
    table: Syllables,
    /// UTF-8 text (checked when read, see `str`).
    strings: Vec<u8>,
    classes: Vec<Class>,
    entries: Vec<Entry>,
    units: Vec<Field>,
    matcher: Box<dyn Matcher>,
    /// `items()` made on first use: `rectify search` never needs it.
    items: OnceLock<Vec<SearchItem>>,
    /// Earlier queries of this typing session and their hits (see `scan`).
    steps: Vec<scan::Step>,
}

impl SearchIndex {
    pub fn build(
        units: &[Unit],
        projects: &[Project],
        findings: &[FindingRow],
        checks: &[FollowUpCheck],
    ) -> SearchIndex {
        let mut b = Builder::new();
        let unit_by_id: HashMap<Id, &Unit> = units.iter().map(|u| (u.id, u)).collect();
        let finding_by_id: HashMap<Id, &FindingRow> =
            findings.iter().map(|r| (r.finding.id, r)).collect();
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
                title_of: None,
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
                title_of: None,
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
                title_of: None,
                status: r.status.status.label_in(Lang::Zh),
                unit: lead.map(|u| u.name.as_str()),
                context: &context,
            });
        }
        for c in checks {
            let finding = finding_by_id.get(&c.finding).map(|r| &r.finding);
            let number = finding.map_or_else(|| c.finding.short(), |f| f.number.clone());
            let title = finding.map_or("", |f| f.title.as_str());
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
                title_of: Some(c.finding),
                status: c.verdict.label_in(Lang::Zh),
                unit: lead.map(|u| u.name.as_str()),
                context: &context,
            });
        }
        b.finish()
    }

    /// Swap the fuzzy matcher (tier 3 of `matcher`).
    pub fn with_matcher(mut self, matcher: Box<dyn Matcher>) -> SearchIndex {
        self.matcher = matcher;
        self.steps.clear();
        self
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn items(&self) -> &[SearchItem] {
        self.items.get_or_init(|| {
            (0..self.entries.len())
                .filter_map(|i| self.item(i))
                .map(|r| SearchItem {
                    kind: r.kind,
                    id: r.id,
                    text: r.text.to_string(),
                    context: r.context.to_string(),
                })
                .collect()
        })
    }

    /// One item, borrowed.
    pub fn item(&self, item: usize) -> Option<ItemRef<'_>> {
        let e = self.entries.get(item)?;
        Some(ItemRef {
            kind: e.kind,
            id: e.id,
            text: self.str(e.text),
            context: self.str(e.context),
            number: self.str(e.number),
            title: self.str(e.title),
            status: self.str(e.status),
        })
    }

    /// A string of the arena; "" if a (loaded, damaged) span is not valid UTF-8.
    fn str(&self, span: Span) -> &str {
        self.strings
            .get(span.range())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    fn view<'a>(&'a self, field: &'a Field) -> FieldView<'a> {
        FieldView {
            classes: self.classes.get(field.keys.range()).unwrap_or(&[]),
            sig: &field.sig,
        }
    }
}

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
    /// The JSON title is this finding's title, not `body` (for a check).
    title_of: Option<Id>,
    status: &'a str,
    unit: Option<&'a str>,
    context: &'a str,
}

struct Builder {
    ix: SearchIndex,
    unit_at: HashMap<String, u32>,
    /// Strings stored once: contexts, statuses.
    interned: HashMap<String, Span>,
    /// Each finding's title in the arena, for its checks.
    finding_titles: HashMap<Id, Span>,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            ix: SearchIndex {
                table: Syllables::new(),
                strings: Vec::new(),
                classes: Vec::new(),
                entries: Vec::new(),
                units: Vec::new(),
                matcher: Box::new(Skim::default()),
                items: OnceLock::new(),
                steps: Vec::new(),
            },
            unit_at: HashMap::new(),
            interned: HashMap::new(),
            finding_titles: HashMap::new(),
        }
    }

    fn finish(self) -> SearchIndex {
        self.ix
    }

    fn push_str(&mut self, text: &str) -> Span {
        let start = self.ix.strings.len();
        self.ix.strings.extend_from_slice(text.as_bytes());
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
        Field {
            keys: span(start, self.ix.classes.len() - start),
            offset: offset.map_or(NONE, |chars| u32::try_from(chars).unwrap_or(NONE)),
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
        let text_start = self.ix.strings.len();
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
        let title = match p.title_of {
            Some(id) => self.finding_titles.get(&id).copied().unwrap_or_default(),
            None => body,
        };
        if p.kind == ItemKind::Finding {
            self.finding_titles.insert(p.id, body);
        }
        let status = self.intern(p.status);
        let context = self.intern(p.context);
        let unit = p.unit.map_or(NONE, |name| self.unit(name));
        self.ix.entries.push(Entry {
            kind: p.kind,
            id: p.id,
            text,
            context,
            number,
            title,
            status,
            fields: [title_field, number_field],
            unit,
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

//! The finder's index: every unit, project, finding and check as one searchable item, with its
//! match fields and their pinyin keys computed once, at build.
//!
//! Layout: the class ids of all match fields live in one `u16` arena and each item is a
//! fixed-size `Entry` of spans into it (what matching reads); ids and display strings are a
//! separate half (`cold`), read only for the results shown. That keeps a full scan over 100,000
//! items cache-friendly, and lets `rectify search` load a persisted index with a handful of
//! large reads instead of hundreds of thousands of allocations (`codec`), leaving the display
//! half on disk. Repeated strings (contexts, statuses, a check's finding title) are stored
//! once.
//!
//! Match fields per item (display text in brackets):
//! - finding (`number title`): title, number, and its 牵头 unit's name (not shown);
//! - project (`number name`): name, number, its first audited unit's name (not shown);
//! - unit (`name`): name, and its short name when that is not part of the name (not shown);
//! - check (`date finding-number note`): note, `date finding-number`, the finding's 牵头 unit.
//!
//! Unit names are interned: 100,000 findings share a few thousand, so a term is matched
//! against each distinct name once per search (see `scan`).

mod build;
mod codec;
mod cold;
mod scan;

use super::matcher::{FieldView, Matcher, Skim};
use super::pinyin::{Class, Sig, Syllables};
use crate::domain::Id;
use crate::i18n::tr;
use cold::Cold;
use std::borrow::Cow;
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

/// Everything about one item: borrowed from an index in memory, read from the file for one
/// opened from disk.
#[derive(Clone, Debug)]
pub struct ItemRef<'a> {
    pub kind: ItemKind,
    pub id: Id,
    pub text: Cow<'a, str>,
    pub context: Cow<'a, str>,
    /// Finding / project number; for a check, its finding's number; empty for a unit.
    pub number: Cow<'a, str>,
    /// Finding title, project or unit name; for a check, its finding's title.
    pub title: Cow<'a, str>,
    /// The Chinese status label (finding status, project stage, check verdict; 在用 for units),
    /// as the JSON contract of `rectify list` has it.
    pub status: Cow<'a, str>,
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

/// A field's range in the class arena. Narrower than a `Span` (with `Field::offset` it packs a
/// field into 48 bytes, not 56: 2 MB over 130,000 entries); a field longer than 65,535
/// characters is matched on its first 65,535.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Keys {
    start: u32,
    len: u16,
}

impl Keys {
    fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start + usize::from(self.len)
    }
}

/// `Field::offset` of a field not shown in the item's text (or shown too far in to mark).
const HIDDEN: u16 = u16::MAX;

#[derive(Clone, Copy, Debug, Default)]
struct Field {
    /// The field's characters (folded) as classes.
    keys: Keys,
    /// Character offset of the field in the item's display text, or `HIDDEN`.
    offset: u16,
    sig: Sig,
}

/// What matching reads about an item (its `Row` in `cold` has the rest).
#[derive(Clone, Copy, Debug)]
struct Entry {
    kind: ItemKind,
    /// The title / name field first, then the number field.
    fields: [Field; 2],
    /// Index into `SearchIndex::units`, or `NONE`.
    unit: u32,
}

pub struct SearchIndex {
    table: Syllables,
    classes: Vec<Class>,
    entries: Vec<Entry>,
    units: Vec<Field>,
    cold: Cold,
    matcher: Box<dyn Matcher>,
    /// `items()` made on first use: `rectify search` never needs it.
    items: OnceLock<Vec<SearchItem>>,
    /// Earlier queries of this typing session and their hits (see `scan`).
    steps: Vec<scan::Step>,
}

impl SearchIndex {
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
            // An index opened from its file reads its display half in one go for this.
            let read;
            let cold = match self.cold.read_all() {
                Some(all) => {
                    read = all;
                    &read
                }
                None => &self.cold,
            };
            // One item per entry whatever happens: hits index into this list.
            self.entries
                .iter()
                .enumerate()
                .map(|(i, e)| match cold.row(i) {
                    Some(row) => SearchItem {
                        kind: e.kind,
                        id: row.id,
                        text: cold.str(row.text).into_owned(),
                        context: cold.str(row.context).into_owned(),
                    },
                    None => SearchItem {
                        kind: e.kind,
                        id: Id::nil(),
                        text: String::new(),
                        context: String::new(),
                    },
                })
                .collect()
        })
    }

    /// One item with everything the CLI prints about it.
    pub fn item(&self, item: usize) -> Option<ItemRef<'_>> {
        let e = self.entries.get(item)?;
        let row = self.cold.row(item)?;
        Some(ItemRef {
            kind: e.kind,
            id: row.id,
            text: self.cold.str(row.text),
            context: self.cold.str(row.context),
            number: self.cold.str(row.number),
            title: self.cold.str(row.title),
            status: self.cold.str(row.status),
        })
    }

    fn view<'a>(&'a self, field: &'a Field) -> FieldView<'a> {
        FieldView {
            classes: self.classes.get(field.keys.range()).unwrap_or(&[]),
            sig: &field.sig,
        }
    }
}

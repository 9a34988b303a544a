//! Finding the header row of a sheet (it may sit below a title, a date line or a merged banner)
//! and which of our columns each header names, with the `--mapping` file for headers we do not
//! know.
//!
//! The mapping file is TOML, one line per column of ours: `"整改时限" = "完成时间（截止）"`, or
//! several header texts as an array. The key may be our header, one of its known variants or
//! its English name (`deadline`).

use super::read::{RawCell, RawSheet};
use crate::domain::MoneyUnit;
use crate::exchange::columns::{COLUMNS, Column, Key, identify, normalise_header, split_unit};
use crate::i18n::Msg;
use std::collections::HashMap;
use std::path::Path;

/// How far down a sheet the header row is looked for.
const SEARCH_ROWS: usize = 30;
/// A row is a header when it names at least this many different columns of ours.
const MIN_KNOWN: usize = 3;

/// Header texts of other ledgers mapped to our columns (normalised text → column).
#[derive(Debug, Default, Clone)]
pub struct Mapping {
    by_text: HashMap<String, Key>,
}

impl Mapping {
    pub fn load(path: &Path) -> Result<Mapping, Msg> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            Msg::new(
                format!("无法读取列名对照文件 {shown}：{e}"),
                format!("cannot read the mapping file {shown}: {e}"),
            )
        })?;
        Mapping::parse(&text).map_err(|m| {
            Msg::new(
                format!("列名对照文件 {shown} 有误：{}", m.zh),
                format!("the mapping file {shown} is wrong: {}", m.en),
            )
        })
    }

    pub fn parse(text: &str) -> Result<Mapping, Msg> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            Msg::new(
                format!("不是有效的 TOML：{e}"),
                format!("not valid TOML: {e}"),
            )
        })?;
        let mut mapping = Mapping::default();
        for (ours, theirs) in table {
            let key = our_column(&ours).ok_or_else(|| {
                let all: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
                Msg::new(
                    format!("“{ours}”不是本系统的列名，可用：{}", all.join("、")),
                    format!("\"{ours}\" is not one of our columns: {}", all.join(", ")),
                )
            })?;
            let texts: Vec<String> = match theirs {
                toml::Value::String(s) => vec![s],
                toml::Value::Array(items) => items
                    .into_iter()
                    .map(|v| match v {
                        toml::Value::String(s) => Ok(s),
                        _ => Err(not_text(&ours)),
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(not_text(&ours)),
            };
            for t in texts {
                let (base, _) = split_unit(&normalise_header(&t));
                mapping.by_text.insert(base, key);
            }
        }
        Ok(mapping)
    }

    /// Which column a header names: the mapping first, then the known variants.
    fn identify(&self, header: &str) -> Option<(Key, Option<MoneyUnit>)> {
        let (base, unit) = split_unit(&normalise_header(header));
        match self.by_text.get(&base) {
            Some(key) => Some((*key, unit)),
            None => identify(header),
        }
    }
}

fn not_text(ours: &str) -> Msg {
    Msg::new(
        format!("“{ours}”的值应为表头文字（字符串或字符串数组）"),
        format!("the value of \"{ours}\" must be header text (a string or an array of strings)"),
    )
}

fn our_column(name: &str) -> Option<Key> {
    let normalised = normalise_header(name);
    COLUMNS
        .iter()
        .find(|c| c.en.eq_ignore_ascii_case(name.trim()) || normalise_header(c.en) == normalised)
        .map(|c| c.key)
        .or_else(|| identify(name).map(|(k, _)| k))
}

/// One column of the sheet that names one of ours.
#[derive(Debug, Clone)]
pub struct Mapped {
    pub index: usize,
    /// The header as the sheet writes it.
    pub header: String,
    pub key: Key,
    /// The money unit the header states (for money columns).
    pub unit: Option<MoneyUnit>,
}

/// Where a sheet's table is.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Index into the sheet's rows of the header row.
    pub header_at: usize,
    /// Its number as the spreadsheet shows it.
    pub header_row: u32,
    pub columns: Vec<Mapped>,
    /// Headers that name nothing of ours (left alone), and repeats of a column already named.
    pub ignored: Vec<String>,
}

impl Layout {
    pub fn get(&self, key: Key) -> Option<&Mapped> {
        self.columns.iter().find(|m| m.key == key)
    }

    pub fn has(&self, key: Key) -> bool {
        self.get(key).is_some()
    }

    /// Whether a data row merely repeats the header (a two-line header, or headers repeated
    /// on every printed page).
    pub fn repeats_header(&self, cells: &[RawCell]) -> bool {
        let same = self
            .columns
            .iter()
            .filter(|m| {
                matches!(cells.get(m.index), Some(RawCell::Text(t))
                    if normalise_header(t) == normalise_header(&m.header))
            })
            .count();
        same * 2 > self.columns.len()
    }
}

/// The header row of `sheet`, if one of its first rows names enough of our columns.
pub fn find(sheet: &RawSheet, mapping: &Mapping) -> Option<Layout> {
    let mut best: Option<Layout> = None;
    for (at, row) in sheet.rows.iter().take(SEARCH_ROWS).enumerate() {
        let layout = layout_of(at, row.number, &row.cells, mapping);
        let known = layout.columns.len();
        if known >= MIN_KNOWN && best.as_ref().is_none_or(|b| known > b.columns.len()) {
            best = Some(layout);
        }
    }
    best
}

fn layout_of(at: usize, number: u32, cells: &[RawCell], mapping: &Mapping) -> Layout {
    let mut columns: Vec<Mapped> = Vec::new();
    let mut ignored = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let RawCell::Text(header) = cell else {
            continue;
        };
        let header = header.trim();
        match mapping.identify(header) {
            Some((key, unit)) if !columns.iter().any(|m| m.key == key) => columns.push(Mapped {
                index,
                header: header.to_string(),
                key,
                unit,
            }),
            _ if !header.is_empty() => ignored.push(header.to_string()),
            _ => {}
        }
    }
    Layout {
        header_at: at,
        header_row: number,
        columns,
        ignored,
    }
}

/// `F（整改时限）`: where a problem is, as the user finds it in the sheet.
pub fn place(mapped: &Mapped) -> String {
    let letter = column_letter(mapped.index);
    match crate::i18n::lang() {
        crate::i18n::Lang::Zh => format!("{letter}（{}）", mapped.header),
        crate::i18n::Lang::En => format!("{letter} ({})", mapped.header),
    }
}

/// `A`, `Z`, `AA` …
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Our column's header, for a problem in a column the sheet does not have.
pub fn ours(key: Key) -> &'static Column {
    crate::exchange::columns::column(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::import::read::RawRow;

    fn sheet(rows: &[&[&str]]) -> RawSheet {
        RawSheet {
            name: "s".into(),
            is_1904: false,
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, cells)| RawRow {
                    number: i as u32 + 1,
                    cells: cells
                        .iter()
                        .map(|c| {
                            if c.is_empty() {
                                RawCell::Empty
                            } else {
                                RawCell::Text(c.to_string())
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_header_is_found_below_a_title() {
        let s = sheet(&[
            &["某区审计整改台账", "某区审计整改台账", "某区审计整改台账"],
            &["填报单位：", "", ""],
            &[
                "序号",
                "审计项目",
                "问题描述",
                "整改责任单位",
                "完成时限",
                "备注",
            ],
            &["1", "x", "y", "z", "2024-01-01", ""],
        ]);
        let layout = find(&s, &Mapping::default()).expect("a header");
        assert_eq!(layout.header_row, 3);
        assert_eq!(layout.get(Key::LeadUnits).map(|m| m.index), Some(3));
        assert_eq!(layout.get(Key::Deadline).map(|m| m.index), Some(4));
        assert_eq!(layout.ignored, vec!["备注".to_string()]);
        assert!(find(&sheet(&[&["a", "b", "c"]]), &Mapping::default()).is_none());
    }

    #[test]
    fn a_mapping_names_unknown_headers() {
        let m =
            Mapping::parse("\"整改时限\" = \"最终完成日\"\nprogress = [\"推进情况\", \"进度\"]\n")
                .expect("valid");
        let s = sheet(&[&["问题", "最终完成日", "推进情况"]]);
        let layout = find(&s, &m).expect("a header");
        assert_eq!(layout.get(Key::Deadline).map(|c| c.index), Some(1));
        assert_eq!(layout.get(Key::Narrative).map(|c| c.index), Some(2));
        assert!(Mapping::parse("\"不存在的列\" = \"x\"").is_err());
        assert!(Mapping::parse("\"整改时限\" = 3").is_err());
        assert!(Mapping::parse("not toml").is_err());
    }

    #[test]
    fn column_letters_run_like_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}

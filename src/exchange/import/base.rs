//! The hidden copy of what an exported workbook said when it left (the `rectify_base` sheet),
//! and the three-way comparison it allows.
//!
//! A workbook sent to a unit comes back weeks later. Meanwhile the auditor may have moved a
//! deadline in the ledger. Comparing the returned sheet with the ledger alone would undo that
//! change, since the sheet still holds the old date. With the copy, a cell counts as edited only
//! when it differs from what was sent; and a cell both sides changed, differently, is a conflict
//! for the user to settle, never silently decided. CSV files carry no copy and are compared with
//! the ledger as it is.

use super::read::{RawCell, RawSheet};
use crate::domain::{Finding, Id, ResponsibleUnit, UnitRole};
use crate::exchange::columns::{Key, identify};
use crate::i18n::Msg;
use std::collections::HashMap;

/// The sheet's name in an exported workbook (hidden).
pub const BASE_SHEET: &str = "rectify_base";

/// What each finding's cells said when exported, by column (as `Cell::display` writes them).
pub type Base = HashMap<Id, HashMap<Key, String>>;

/// The copy in a workbook's sheets, if it has one.
pub fn read(sheets: &[RawSheet]) -> Option<Base> {
    let sheet = sheets.iter().find(|s| s.name == BASE_SHEET)?;
    let (header, rows) = sheet.rows.split_first()?;
    let keys: Vec<Option<Key>> = header
        .cells
        .iter()
        .map(|c| match c {
            RawCell::Text(t) => identify(t).map(|(k, _)| k),
            _ => None,
        })
        .collect();
    let id_at = keys.iter().position(|k| *k == Some(Key::Id))?;
    let mut base = Base::new();
    for row in rows {
        let Some(RawCell::Text(id)) = row.cells.get(id_at) else {
            continue;
        };
        let Ok(id) = Id::parse(id) else {
            continue;
        };
        let values = keys
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                let text = match row.cells.get(i) {
                    Some(RawCell::Text(t)) => t.clone(),
                    _ => String::new(),
                };
                k.map(|k| (k, text))
            })
            .collect();
        base.insert(id, values);
    }
    Some(base)
}

/// How one cell came back.
pub enum Verdict {
    /// As sent: keep what the ledger holds now.
    Unedited,
    /// Edited in the sheet, and the ledger still holds what was sent (or already the same).
    Edited,
    /// Edited in the sheet while the ledger moved on to something else.
    Conflict(Msg),
}

/// Compare the sheet's value (`theirs`) with what was sent (`sent`) and the ledger's (`ours`).
pub fn judge(column: &str, sent: &str, ours: &str, theirs: &str) -> Verdict {
    let (sent, ours, theirs) = (sent.trim(), ours.trim(), theirs.trim());
    if theirs == sent {
        Verdict::Unedited
    } else if ours == sent || ours == theirs {
        Verdict::Edited
    } else {
        let shown = |s: &str| {
            if s.is_empty() {
                "（空）".to_string()
            } else {
                crate::text::truncate(s, 40)
            }
        };
        Verdict::Conflict(Msg::new(
            format!(
                "表格导出后，台账中的“{column}”已由“{}”改为“{}”，表格又改为“{}”：请核对后在台账或表格中统一",
                shown(sent),
                shown(ours),
                shown(theirs)
            ),
            format!(
                "since the export, the ledger's {column} changed from \"{}\" to \"{}\" and the sheet's to \"{}\": settle which is right",
                shown(sent),
                shown(ours),
                shown(theirs)
            ),
        ))
    }
}

/// Put the ledger's value of one column back into an edited finding.
pub fn keep_ours(key: Key, ours: &Finding, edited: &mut Finding) {
    match key {
        Key::Number => edited.number.clone_from(&ours.number),
        Key::Title => edited.title.clone_from(&ours.title),
        Key::Facts => edited.facts.clone_from(&ours.facts),
        Key::Category => edited.category.clone_from(&ours.category),
        Key::StatClass => edited.stat_class = ours.stat_class,
        Key::LegalBasis => edited.legal_basis.clone_from(&ours.legal_basis),
        Key::Amount => edited.amount = ours.amount,
        Key::Recommendation => edited.recommendation.clone_from(&ours.recommendation),
        Key::Mode => edited.mode = ours.mode,
        Key::LeadUnits => edited.units = with_role(ours, edited, UnitRole::Lead),
        Key::AssistUnits => edited.units = with_role(ours, edited, UnitRole::Assist),
        Key::ResponsiblePerson => edited
            .responsible_person
            .clone_from(&ours.responsible_person),
        Key::Auditor => edited.auditor.clone_from(&ours.auditor),
        Key::IssuedOn => edited.issued_on = ours.issued_on,
        Key::Deadline => edited.deadline = ours.deadline,
        Key::ReportToCongress => {
            edited.flags.report_to_congress = ours.flags.report_to_congress;
        }
        Key::UnresolvedReason => edited.unresolved_reason = ours.unresolved_reason,
        Key::Justification => edited.justification.clone_from(&ours.justification),
        _ => {}
    }
}

/// `edited`'s units with those of `role` taken from `ours`; `ours`' own list (and order) when
/// that makes them the same units.
fn with_role(ours: &Finding, edited: &Finding, role: UnitRole) -> Box<[ResponsibleUnit]> {
    let mut units: Vec<ResponsibleUnit> = edited
        .units
        .iter()
        .filter(|u| u.role != role)
        .copied()
        .collect();
    units.extend(ours.units.iter().filter(|u| u.role == role).copied());
    let mut a: Vec<_> = units.iter().map(|u| (u.unit, u.role)).collect();
    let mut b: Vec<_> = ours.units.iter().map(|u| (u.unit, u.role)).collect();
    a.sort();
    b.sort();
    if a == b {
        ours.units.clone()
    } else {
        units.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_way_keeps_the_ledgers_later_change() {
        assert!(matches!(
            judge("整改时限", "2024-01-01", "2024-06-30", "2024-01-01"),
            Verdict::Unedited
        ));
        assert!(matches!(
            judge("整改时限", "2024-01-01", "2024-01-01", "2024-03-31"),
            Verdict::Edited
        ));
        assert!(matches!(
            judge("整改时限", "2024-01-01", "2024-03-31", "2024-03-31"),
            Verdict::Edited
        ));
        let Verdict::Conflict(m) = judge("整改时限", "2024-01-01", "2024-06-30", "2024-03-31")
        else {
            panic!("a conflict");
        };
        assert!(
            m.zh.contains("2024-06-30") && m.zh.contains("2024-03-31"),
            "{}",
            m.zh
        );
    }
}

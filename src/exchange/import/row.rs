//! One row of a sheet as the planner reads it: its cells by our column, each problem noted
//! against the row and column where the user can fix it, and the small readings rows need.

use super::cells;
use super::header::{Layout, Mapped, ours, place};
use super::read::RawCell;
use super::{RowError, RowRef};
use crate::exchange::columns::Key;
use crate::i18n::Msg;

/// Words in the first cells of a row that mark a total line, not a finding.
const TOTAL_WORDS: [&str; 3] = ["合计", "总计", "小计"];

/// One row being read.
pub(super) struct Row<'r> {
    pub(super) at: RowRef,
    pub(super) layout: &'r Layout,
    pub(super) cells: &'r [RawCell],
    pub(super) is_1904: bool,
    pub(super) errors: Vec<RowError>,
}

const EMPTY: RawCell = RawCell::Empty;

impl Row<'_> {
    /// The cell of a column the sheet has (an empty one past the row's end).
    pub(super) fn cell(&self, key: Key) -> Option<&RawCell> {
        self.layout
            .get(key)
            .map(|m| self.cells.get(m.index).unwrap_or(&EMPTY))
    }

    pub(super) fn mapped(&self, key: Key) -> Option<&Mapped> {
        self.layout.get(key)
    }

    pub(super) fn fail(&mut self, key: Option<Key>, message: Msg) {
        let column = key.map(|k| match self.layout.get(k) {
            Some(m) => place(m),
            None => ours(k).header.to_string(),
        });
        self.errors.push(RowError {
            at: self.at.clone(),
            column,
            message,
        });
    }

    /// A value read with `read`, or the error noted against the column.
    pub(super) fn read<T>(
        &mut self,
        key: Key,
        read: impl FnOnce(&RawCell) -> Result<T, Msg>,
    ) -> Option<T> {
        let cell = self.cell(key)?;
        match read(cell) {
            Ok(v) => Some(v),
            Err(m) => {
                self.fail(Some(key), m);
                None
            }
        }
    }

    pub(super) fn line(&mut self, key: Key) -> Option<String> {
        self.read(key, cells::line)
    }

    pub(super) fn is_blank(&self) -> bool {
        self.layout
            .columns
            .iter()
            .filter(|m| m.key != Key::Seq)
            .all(|m| match self.cells.get(m.index) {
                None | Some(RawCell::Empty) => true,
                Some(RawCell::Text(t)) => t.trim().is_empty(),
                _ => false,
            })
    }

    pub(super) fn is_total(&self) -> bool {
        self.cells.iter().take(3).any(|c| match c {
            // 合  计: spaced out to fill a wide cell.
            RawCell::Text(t) => {
                let word: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                TOTAL_WORDS.contains(&word.as_str())
            }
            _ => false,
        })
    }
}

/// A title for a new finding that has only a description: its first sentence, cut short.
pub(super) fn title_from(facts: &str) -> String {
    let first = facts
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let sentence = first.split(['。', '；', ';']).next().unwrap_or(first);
    sentence.chars().take(60).collect()
}

/// The column a validation error is about.
pub(super) fn field_key(field: &str) -> Option<Key> {
    Some(match field {
        "number" => Key::Number,
        "title" => Key::Title,
        "facts" => Key::Facts,
        "category" => Key::Category,
        "legal_basis" => Key::LegalBasis,
        "recommendation" => Key::Recommendation,
        "responsible_person" => Key::ResponsiblePerson,
        "auditor" => Key::Auditor,
        "justification" => Key::Justification,
        "units" => Key::LeadUnits,
        "amount" | "during_audit_amount" => Key::Amount,
        "deadline" => Key::Deadline,
        "issued_on" => Key::IssuedOn,
        "milestones" | "mode" => Key::Mode,
        "unresolved_reason" => Key::UnresolvedReason,
        "project" => Key::ProjectName,
        "narrative" => Key::Narrative,
        "measures" => Key::Measures,
        "reason_if_incomplete" => Key::Reason,
        "next_steps" => Key::NextSteps,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_taken_from_the_first_sentence() {
        assert_eq!(
            title_from("\n 未按规定公开招标。涉及3个项目"),
            "未按规定公开招标"
        );
        assert_eq!(title_from(""), "");
        assert_eq!(title_from(&"长".repeat(100)).chars().count(), 60);
    }
}

//! A pop-up list to choose from, with type-ahead: typing narrows the list (fuzzy, so 财政 finds
//! 区财政局), arrows move, Enter chooses. For several choices, space ticks and Enter confirms.

use crate::tui::widgets::text_field::TextField;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

pub struct Picker {
    /// The labels, in their original order.
    pub labels: Vec<String>,
    pub query: TextField,
    /// Position in `visible()`.
    pub selected: usize,
    /// For a multi-choice field: which labels are ticked.
    pub ticked: Option<Vec<bool>>,
}

impl Picker {
    pub fn single(labels: Vec<String>, current: Option<usize>) -> Picker {
        let mut p = Picker {
            labels,
            query: TextField::new(),
            selected: 0,
            ticked: None,
        };
        if let Some(c) = current {
            p.selected = c;
        }
        p
    }

    pub fn multi(labels: Vec<String>, ticked: Vec<bool>) -> Picker {
        Picker {
            labels,
            query: TextField::new(),
            selected: 0,
            ticked: Some(ticked),
        }
    }

    /// Indexes of the labels that match the query, best first (all, in order, when empty).
    pub fn visible(&self) -> Vec<usize> {
        let query = self.query.text().trim();
        if query.is_empty() {
            return (0..self.labels.len()).collect();
        }
        let matcher = SkimMatcherV2::default();
        let mut scored: Vec<(i64, usize)> = self
            .labels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| matcher.fuzzy_match(l, query).map(|s| (s, i)))
            .collect();
        scored.sort_by_key(|(s, i)| (std::cmp::Reverse(*s), *i));
        scored.into_iter().map(|(_, i)| i).collect()
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.visible().len();
        if n == 0 {
            self.selected = 0;
            return;
        }
        let next = (self.selected as isize + delta).clamp(0, n as isize - 1);
        self.selected = next as usize;
    }

    pub fn to_end(&mut self, end: bool) {
        let n = self.visible().len();
        self.selected = if end { n.saturating_sub(1) } else { 0 };
    }

    /// The label index under the cursor.
    pub fn current(&self) -> Option<usize> {
        self.visible().get(self.selected).copied()
    }

    /// Typing narrows the list; the cursor goes back to the best match.
    pub fn type_char(&mut self, c: char) {
        self.query.insert_char(c);
        self.selected = 0;
    }

    pub fn delete_back(&mut self) {
        self.query.delete_back();
        self.selected = 0;
    }

    pub fn toggle(&mut self) {
        if let (Some(i), Some(ticked)) = (self.current(), self.ticked.as_mut())
            && let Some(t) = ticked.get_mut(i)
        {
            *t = !*t;
        }
    }
}

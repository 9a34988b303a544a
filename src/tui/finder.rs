//! The global finder: one key from anywhere, type characters or pinyin (`czj` finds 区财政局),
//! and Enter jumps to the record in its panel.

use crate::search::index::{SearchHit, SearchIndex};
use crate::tui::widgets::text_field::TextField;

/// How many results the finder shows at most.
pub const FINDER_LIMIT: usize = 200;

pub struct Finder {
    pub query: TextField,
    pub hits: Vec<SearchHit>,
    pub selected: usize,
}

impl Finder {
    pub fn new() -> Finder {
        Finder {
            query: TextField::new(),
            hits: Vec::new(),
            selected: 0,
        }
    }

    /// Search again after the query changed (the index narrows incrementally).
    pub fn refresh(&mut self, index: &mut SearchIndex) {
        let query = self.query.text().to_string();
        self.hits = if query.trim().is_empty() {
            Vec::new()
        } else {
            // Marked row by row when drawn (`render::finder`): only a screenful is shown.
            index.search_unmarked(&query, FINDER_LIMIT)
        };
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.hits.is_empty() {
            self.selected = 0;
            return;
        }
        let last = self.hits.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, last) as usize;
    }
}

impl Default for Finder {
    fn default() -> Self {
        Finder::new()
    }
}

//! A list printed either as an aligned table (widths by display cells, so Chinese lines up) or
//! as one JSON array, with the same loop for both.

use super::{CliResult, Out};
use crate::text::{display_safe, pad};
use serde_json::Value;

pub struct Listing {
    json: bool,
    widths: Vec<usize>,
    items: Vec<Value>,
}

impl Listing {
    /// Start a list; prints the header unless it is JSON. The last column is not padded.
    pub fn start(out: &mut Out, json: bool, columns: &[(&str, usize)]) -> CliResult<Listing> {
        let listing = Listing {
            json,
            widths: columns.iter().map(|(_, w)| *w).collect(),
            items: Vec::new(),
        };
        if !json {
            let names: Vec<String> = columns.iter().map(|(name, _)| name.to_string()).collect();
            out.line(&listing.format(&names))?;
        }
        Ok(listing)
    }

    /// One row: `cells` for the table (made display-safe here), `item` for JSON.
    pub fn row(
        &mut self,
        out: &mut Out,
        cells: &[String],
        item: impl FnOnce() -> Value,
    ) -> CliResult {
        if self.json {
            self.items.push(item());
            Ok(())
        } else {
            let safe: Vec<String> = cells.iter().map(|c| display_safe(c)).collect();
            out.line(&self.format(&safe))
        }
    }

    /// Print the JSON array, or the table's closing line if there is one.
    pub fn finish(self, out: &mut Out, footer: Option<String>) -> CliResult {
        if self.json {
            return out.json(&Value::Array(self.items));
        }
        match footer {
            Some(text) => out.line(&text),
            None => Ok(()),
        }
    }

    fn format(&self, cells: &[String]) -> String {
        let last = cells.len().saturating_sub(1);
        cells
            .iter()
            .enumerate()
            .map(|(i, cell)| match self.widths.get(i) {
                Some(w) if i < last => pad(cell, *w),
                _ => cell.clone(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

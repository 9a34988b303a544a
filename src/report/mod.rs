//! Reports: the annual report to the people's congress (年度审计查出问题整改情况报告),
//! reproducible from the store, a cutoff and a 口径.

pub mod asof;
pub mod caliber;
pub mod docx;
pub mod facts;
pub mod figures;
pub mod json;
pub mod text;

use crate::ledger::{Ledger, LedgerResult};
use crate::store::Store;
pub use caliber::{Basis, Caliber, Scope};
pub use figures::Figures;
pub use text::{Block, Style};

/// Everything an annual report says, ready to be written in any format.
pub struct AnnualReport {
    pub caliber: Caliber,
    pub figures: Figures,
    pub blocks: Vec<Block>,
    /// `replica:hash` of every journal head the view had applied: where the figures came
    /// from. Only the JSON carries them, because they move with every later edit while the
    /// report text must not (its figures are fixed by the cutoff).
    pub heads: Vec<String>,
    /// Display numbers of the findings, for the JSON that lists them.
    pub numbers: std::collections::HashMap<crate::domain::Id, String>,
}

/// Build the annual report on the `year`'s findings at `caliber.cutoff`.
pub fn annual<S: Store>(
    ledger: &Ledger<S>,
    year: i32,
    caliber: Caliber,
) -> LedgerResult<AnnualReport> {
    let facts = facts::gather(ledger, caliber.cutoff)?;
    let figures = figures::compute(&facts, year, &caliber);
    let heads: Vec<String> = ledger
        .store()
        .heads()?
        .into_iter()
        .map(|(replica, hash)| format!("{}:{}", replica.short(), &hash[..hash.len().min(16)]))
        .collect();
    let blocks = text::blocks(&figures, &facts, &caliber);
    let numbers = facts
        .findings
        .iter()
        .map(|f| (f.finding.id, f.finding.number.to_string()))
        .collect();
    Ok(AnnualReport {
        caliber,
        figures,
        blocks,
        heads,
        numbers,
    })
}

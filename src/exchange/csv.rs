//! The 整改台账 as CSV: UTF-8 with a BOM (so Excel and WPS on Chinese Windows read it as UTF-8,
//! not GBK), a header row, CRLF line ends, dates as YYYY-MM-DD and money as a plain decimal in
//! 万元.

use super::columns::{COLUMNS, Cell};
use crate::i18n::Msg;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

fn fail(e: impl std::fmt::Display) -> Msg {
    Msg::new(
        format!("生成 CSV 失败：{e}"),
        format!("cannot write the CSV: {e}"),
    )
}

/// One CSV file's bytes.
pub fn table(rows: &[Vec<Cell>]) -> Result<Vec<u8>, Msg> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(BOM.to_vec());
    writer
        .write_record(COLUMNS.iter().map(|c| c.header))
        .map_err(fail)?;
    for cells in rows {
        writer
            .write_record(cells.iter().map(Cell::csv))
            .map_err(fail)?;
    }
    writer.into_inner().map_err(fail)
}

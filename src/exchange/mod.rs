//! Exchange with the outside world: the 整改台账 as xlsx or csv (export and import, so units
//! can fill in their progress in the spreadsheet they already use), and the full JSON backup
//! that `rectify restore` reads back.
//!
//! - `columns`: the ledger's columns (domain.md §1.2), how a finding fills them, and which
//!   header texts of other bureaus' ledgers name the same column;
//! - `export`, `xlsx`, `csv`: the table, written out;
//! - `import`: reading a spreadsheet back into field edits, progress reports and new findings;
//! - `backup`: every journal line verbatim plus a readable copy of every record, and restore.

pub mod backup;
pub mod columns;
pub mod csv;
pub mod export;
pub mod import;
pub mod names;
pub mod xlsx;

use crate::i18n::Msg;
use std::path::Path;

/// Text cells that a spreadsheet program would read as a formula (or, for TAB and CR, that
/// some import dialogs treat as one) start with one of these.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Make a text cell inert for Excel and WPS: a leading `'`. A text that already starts with a
/// `'` followed by what `unquote` would strip gets one too, so `unquote(quote(t)) == t` always.
pub fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let needs = match chars.next() {
        Some(c) if FORMULA_STARTS.contains(&c) => true,
        Some('\'') => chars
            .next()
            .is_some_and(|c| c == '\'' || FORMULA_STARTS.contains(&c)),
        _ => false,
    };
    if needs {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Take off exactly the quote `quote` added.
pub fn unquote(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest)
            if rest
                .chars()
                .next()
                .is_some_and(|c| c == '\'' || FORMULA_STARTS.contains(&c)) =>
        {
            rest
        }
        _ => text,
    }
}

/// A ledger error as a message in both languages.
pub fn ledger_msg(e: &crate::ledger::LedgerError) -> Msg {
    use crate::ledger::LedgerError;
    match e {
        LedgerError::Invalid(errors) => Msg::new(
            errors
                .iter()
                .map(|e| e.msg.zh.clone())
                .collect::<Vec<_>>()
                .join("；"),
            errors
                .iter()
                .map(|e| e.msg.en.clone())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        LedgerError::NotFound(m) | LedgerError::Rule(m) => m.clone(),
        LedgerError::Store(e) => e.msg().clone(),
    }
}

/// Write a whole file or nothing: a temporary file beside it, fsynced, renamed over.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Msg> {
    use std::io::Write;
    let shown = path.display().to_string();
    let fail = |e: std::io::Error| {
        Msg::new(
            format!("无法写入 {shown}：{e}"),
            format!("cannot write {shown}: {e}"),
        )
    };
    let tmp = path.with_extension(format!("rectify-tmp-{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_round_trips_and_disarms_formulas() {
        for text in [
            "=1+1",
            "+86 10",
            "-3万元",
            "@SUM(A1)",
            "\t缩进",
            "'=already",
            "''=twice",
            "'plain",
            "'",
            "",
            "普通文字",
            "it's",
        ] {
            let quoted = quote(text);
            assert_eq!(unquote(&quoted), text, "{text:?} -> {quoted:?}");
            if let Some(c) = text.chars().next()
                && FORMULA_STARTS.contains(&c)
            {
                assert!(quoted.starts_with('\''), "{text:?}");
            }
        }
        assert_eq!(quote("=1+1"), "'=1+1");
        assert_eq!(quote("财政局"), "财政局");
    }
}

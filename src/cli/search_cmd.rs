//! `rectify search QUERY [--limit N] [--json]`: the finder's search from the command line, with
//! the same index, matching and ranking as the TUI (`search::index`).
//!
//! Building the index means loading every record and computing pinyin keys for every title:
//! at 100,000 findings that is most of a second, mostly spent opening the store and reading
//! the records. So the index is kept in `<store>/search.idx` and reused while it is current
//! (`search::persist` says when; the TUI keeps and reads the same file). A current index is read without
//! opening the store at all, so `rectify search` also works while the TUI holds the ledger
//! (a stale one needs the store, and then waits for it like any command). Only the matching
//! half of the file is read; the rows shown are read in place. Measured at 100,000 findings:
//! about 20 ms per run with a current index, 1.7 s when it must be rebuilt (BENCHMARKS.md).
//! The file is a cache: deleting it is harmless, a damaged one is rebuilt.

use super::listing::Listing;
use super::{CliResult, Context, Out};
use crate::i18n::{Msg, tr};
use crate::search::index::{ItemRef, SearchHit, SearchIndex};
use crate::search::persist::{self, freshness_key};
use crate::tui::model::Snapshot;
use serde_json::{Value, json};

pub fn run(ctx: &Context, query: &str, limit: usize, json: bool, out: &mut Out) -> CliResult {
    let mut index = load_or_build(ctx)?;
    let hits = index.search(query, limit);
    let columns = [
        (tr("类型", "Kind"), 8),
        (tr("编号", "Number"), 14),
        (tr("匹配内容", "Match"), 56),
        (tr("所属", "Context"), 0),
    ];
    let mut listing = Listing::start(out, json, &columns)?;
    for hit in &hits {
        let Some(item) = index.item(hit.item) else {
            continue;
        };
        let cells = [
            item.kind.label().to_string(),
            if item.number.is_empty() {
                "-".to_string()
            } else {
                item.number.to_string()
            },
            mark(&item.text, &hit.positions),
            item.context.to_string(),
        ];
        listing.row(out, &cells, || hit_json(&item, hit))?;
    }
    let footer = match hits.len() {
        0 => tr("没有匹配的记录", "nothing matches").to_string(),
        n => Msg::new(format!("共 {n} 条"), format!("{n} results")).to_string(),
    };
    listing.finish(out, Some(footer))
}

/// The JSON of one result: the keys every `rectify list` record carries, plus where it matched.
fn hit_json(item: &ItemRef<'_>, hit: &SearchHit) -> Value {
    json!({
        "kind": item.kind.name(),
        "id": item.id.to_string(),
        "number": if item.number.is_empty() { Value::Null } else { json!(item.number) },
        "title": item.title,
        "status": item.status,
        "context": item.context,
        "score": hit.score,
        "text": item.text,
        "positions": hit.positions,
    })
}

/// The matched characters in brackets, for a plain-text table: `违规出借[财政]资金`.
fn mark(text: &str, positions: &[usize]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut open = false;
    for (i, c) in text.chars().enumerate() {
        let hit = positions.binary_search(&i).is_ok();
        if hit != open {
            out.push(if hit { '[' } else { ']' });
            open = hit;
        }
        out.push(c);
    }
    if open {
        out.push(']');
    }
    out
}

/// The current persisted index, or a fresh one built from the ledger (and persisted).
pub fn load_or_build(ctx: &Context) -> CliResult<SearchIndex> {
    let path = persist::index_path(&ctx.db);
    let key = || freshness_key(&ctx.db, ctx.today, ctx.config.near_due_days);
    if let Some(key) = key()
        && let Some(index) = SearchIndex::open(&path, &key)
    {
        return Ok(index);
    }
    let ledger = ctx.open()?;
    // Built from what the TUI builds it from, in the same order (the index order breaks ties
    // between equal scores), so the file is the same whichever of the two wrote it.
    let s = Snapshot::load(&ledger, ctx.today)?;
    let checks: Vec<_> = s.checks().collect();
    let index = SearchIndex::build(&s.units, &s.projects, &s.findings, &checks);
    drop(checks);
    drop(s);
    // Stamped while the store is still held, so no write can slip in between.
    if let Some(key) = key()
        && let Err(e) = persist::save(&path, |out| index.write_to(&key, out))
    {
        eprintln!(
            "{}",
            Msg::new(
                format!("注意：无法保存搜索索引 {}：{e}", path.display()),
                format!("note: cannot save the search index {}: {e}", path.display()),
            )
        );
    }
    drop(ledger);
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::mark;

    #[test]
    fn marks_runs_of_matched_characters() {
        assert_eq!(mark("违规出借财政资金", &[4, 5]), "违规出借[财政]资金");
        assert_eq!(mark("区财政局", &[1, 2, 3]), "区[财政局]");
        assert_eq!(mark("ab", &[]), "ab");
        assert_eq!(mark("ab", &[0, 1]), "[ab]");
    }
}

//! `rectify search QUERY [--limit N] [--json]`: the finder's search from the command line, with
//! the same index, matching and ranking as the TUI (`search::index`).
//!
//! Building the index means loading every record and computing pinyin keys for every title:
//! at 100,000 findings that is most of a second, mostly spent opening the store and reading
//! the records. So the index is kept in `<store>/search.idx` and reused while it is current:
//! its key names every journal file with its length and modification time (the journal is
//! append-only, so any change to the ledger changes it), the day (statuses move with the date),
//! the language (contexts are localised) and the 临期 setting. A current index is read without
//! opening the store at all, so `rectify search` also works while the TUI holds the ledger
//! (a stale one needs the store, and then waits for it like any command). Only the matching
//! half of the file is read; the rows shown are read in place. Measured at 100,000 findings:
//! about 20 ms per run with a current index, 1.7 s when it must be rebuilt (BENCHMARKS.md).
//! The file is a cache: deleting it is harmless, a damaged one is rebuilt.

use super::listing::Listing;
use super::{CliResult, Context, Out};
use crate::domain::{FollowUpCheck, Project, Unit};
use crate::i18n::{Lang, Msg, lang, tr};
use crate::search::index::{FORMAT, ItemRef, SearchHit, SearchIndex};
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The persisted index, beside the journal and the view.
pub const INDEX_FILE: &str = "search.idx";

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
    let path = ctx.db.join(INDEX_FILE);
    if let Some(key) = freshness_key(ctx)
        && let Some(index) = SearchIndex::open(&path, &key)
    {
        return Ok(index);
    }
    let ledger = ctx.open()?;
    let index = SearchIndex::build(
        &ledger.all::<Unit>()?,
        &ledger.all::<Project>()?,
        &ledger.finding_rows(ctx.today)?,
        &ledger.all::<FollowUpCheck>()?,
    );
    // Stamped while the store is still held, so no write can slip in between.
    if let Some(key) = freshness_key(ctx)
        && let Err(e) = save(&path, &index.to_bytes(&key))
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

/// What the index depends on (see the module notes); `None` when there is no journal yet.
fn freshness_key(ctx: &Context) -> Option<String> {
    let journals = crate::store::stamp::journals_stamp(&ctx.db)?;
    Some(format!(
        "format={FORMAT};today={};lang={};near_due_days={}{journals}",
        ctx.today,
        match lang() {
            Lang::Zh => "zh",
            Lang::En => "en",
        },
        ctx.config.near_due_days
    ))
}

/// Write the index beside the store: private, synced, then renamed into place, so a reader
/// sees the old file or the whole new one.
fn save(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("idx.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
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

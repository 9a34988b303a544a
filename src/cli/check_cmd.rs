//! `rectify check [--repair]`.

use super::args::CheckArgs;
use super::{CliResult, Context, Out};
use crate::i18n::{Msg, tr};
use crate::store::check;
use serde_json::json;

/// Exit code 0 when clean, 1 when damage or a mismatch was found.
pub fn run(ctx: &Context, args: &CheckArgs, out: &mut Out) -> CliResult<i32> {
    let report = check::run(&ctx.db, &ctx.user, args.repair)?;
    if args.json {
        out.json(&json!({
            "clean": report.is_clean(),
            "repaired": report.repaired,
            "records": report.records,
            "journals": report.journals.iter().map(|j| json!({
                "path": j.path.display().to_string(), "lines": j.lines, "head": j.head, "torn_from": j.torn_from,
            })).collect::<Vec<_>>(),
            "damage": report.damage.iter().map(|d| json!({
                "file": d.file.display().to_string(), "line": d.line, "offset": d.offset, "reason": d.reason.to_string(),
            })).collect::<Vec<_>>(),
            "mismatches": report.mismatches.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
            "warnings": report.warnings.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
        }))?;
        return Ok(if report.is_clean() { 0 } else { 1 });
    }
    for w in &report.warnings {
        out.line(&format!("{}{}", tr("注意：", "note: "), w))?;
    }
    for j in &report.journals {
        out.line(
            &Msg::new(
                format!(
                    "日志 {}：{} 条操作，链头 {}",
                    j.path.display(),
                    j.lines,
                    short(&j.head)
                ),
                format!(
                    "journal {}: {} ops, head {}",
                    j.path.display(),
                    j.lines,
                    short(&j.head)
                ),
            )
            .to_string(),
        )?;
    }
    for d in &report.damage {
        out.line(
            &Msg::new(
                format!(
                    "损坏：{} 第 {} 行（偏移 {}）：{}",
                    d.file.display(),
                    d.line,
                    d.offset,
                    d.reason.zh
                ),
                format!(
                    "damaged: {} line {} (offset {}): {}",
                    d.file.display(),
                    d.line,
                    d.offset,
                    d.reason.en
                ),
            )
            .to_string(),
        )?;
    }
    for m in &report.mismatches {
        out.line(&format!("{}{}", tr("不一致：", "mismatch: "), m))?;
    }
    if report.is_clean() {
        out.line(
            &Msg::new(
                format!("检查通过：{} 条记录，日志与视图一致", report.records),
                format!(
                    "all good: {} records, the journal and the view agree",
                    report.records
                ),
            )
            .to_string(),
        )?;
        Ok(0)
    } else {
        let hint = if report.repaired {
            tr(
                "视图已按日志重建；上面列出的损坏行已跳过（原文件保留，未改写）。",
                "the view was rebuilt from the journal; the damaged lines above were skipped (the file is kept as it is).",
            )
        } else {
            tr(
                "发现问题。运行 rectify check --repair 可从日志重建视图（旧视图保留）。",
                "problems found. rectify check --repair rebuilds the view from the journal (the old view is kept).",
            )
        };
        out.line(hint)?;
        Ok(1)
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(16)]
}

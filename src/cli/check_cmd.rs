//! `rectify check [--repair]`.

use super::args::CheckArgs;
use super::{CliResult, Context, Out};
use crate::i18n::{Lang, Msg, tr};
use crate::store::check::{self, EvidenceProblem};
use crate::text::display_safe;
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
            "evidence_checked": report.evidence_checked,
            "evidence": report.evidence.iter().map(|p| json!({
                "kind": serde_json::to_value(p.kind).unwrap_or(serde_json::Value::Null),
                "record": p.record.to_string(), "finding": p.finding, "file_name": p.file_name,
                "sha256": p.sha256, "problem": p.fault.name(), "reason": p.fault.describe().to_string(),
            })).collect::<Vec<_>>(),
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
    for p in &report.evidence {
        out.line(&display_safe(&evidence_line(p).to_string()))?;
    }
    if report.is_clean() {
        let (files_zh, files_en) = match report.evidence_checked {
            0 => (String::new(), String::new()),
            n => (
                format!("，{n} 个佐证材料文件完好"),
                format!("; {n} evidence file(s) intact"),
            ),
        };
        out.line(
            &Msg::new(
                format!(
                    "检查通过：{} 条记录，日志与视图一致{files_zh}",
                    report.records
                ),
                format!(
                    "all good: {} records, the journal and the view agree{files_en}",
                    report.records
                ),
            )
            .to_string(),
        )?;
        Ok(0)
    } else {
        if !report.evidence.is_empty() {
            out.line(tr(
                "佐证材料文件无法从日志重建：请从原件重新登记（rectify claim/followup/outcome … --attach 文件），或恢复台账目录下 evidence 文件夹的备份。",
                "evidence files cannot be rebuilt from the journal: attach the originals again (rectify claim/followup/outcome … --attach FILE), or restore the evidence folder of the ledger from a backup.",
            ))?;
        }
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

/// "佐证材料损坏：跟踪检查 1a2b3c4d（问题 2023-01-02）“凭证.pdf”：保存的文件缺失（sha256 …）".
fn evidence_line(p: &EvidenceProblem) -> Msg {
    let why = p.fault.describe();
    let (of_zh, of_en) = match &p.finding {
        Some(n) => (format!("（问题 {n}）"), format!(" (finding {n})")),
        None => (String::new(), String::new()),
    };
    let kind_zh = p.kind.label_in(Lang::Zh);
    let kind_en = p.kind.label_in(Lang::En);
    Msg::new(
        format!(
            "佐证材料损坏：{kind_zh} {}{of_zh}的“{}”：{}（sha256 {}）",
            p.record.short(),
            p.file_name,
            why.zh,
            short(&p.sha256)
        ),
        format!(
            "evidence damaged: {kind_en} {}{of_en}, \"{}\": {} (sha256 {})",
            p.record.short(),
            p.file_name,
            why.en,
            short(&p.sha256)
        ),
    )
}

fn short(hash: &str) -> String {
    hash.chars().take(16).collect()
}

//! `rectify export`, `rectify import` and `rectify restore` (see `crate::exchange`).

use super::{CliError, CliResult, Context, Out};
use crate::exchange::export::{self, Format};
use crate::exchange::import::{self, Plan, RowRef};
use crate::exchange::{backup, names::Lookup};
use crate::i18n::{Msg, tr};
use crate::text::{display_safe, truncate};
use clap::{Args, ValueEnum};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// 格式：xlsx、csv，或 json（完整备份）；默认按文件扩展名 / format: xlsx, csv, or json (the full backup); default: from the file name
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// 输出文件（按单位导出 CSV 时为目录）/ the output file (a directory for --by-unit csv)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
    /// 只导出符合筛选表达式的问题（与 list --filter 相同）/ only findings matching a filter expression (as list --filter)
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// 每个责任单位一张工作表（CSV 为每单位一个文件），各自从 1 编号 / one sheet (csv: one file) per responsible unit, each numbered from 1
    #[arg(long)]
    pub by_unit: bool,
    /// 按此日期计算状态与进展 / statuses and progress as of this date (default: today)
    #[arg(long = "as-of", value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 要导入的 xlsx、xls 或 csv 文件 / the xlsx, xls or csv file to import
    pub file: PathBuf,
    /// 只预览将新建和修改的内容，不写入 / show what would be created and changed; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// 列名对照文件（TOML，"我们的列名" = "表头文字"）/ a header mapping file (TOML, "our column" = "their header")
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// 跳过有错误的行，只导入无误的行 / skip rows with errors and import the rest
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// rectify export --format json 生成的备份文件 / a backup made by rectify export --format json
    pub file: PathBuf,
}

/// At most this many problems are listed in the text output (the JSON has them all).
const LISTED: usize = 200;
/// Cells a value may take in the text preview.
const VALUE_CELLS: usize = 60;

fn format_of(args: &ExportArgs) -> ExportFormat {
    args.format.unwrap_or_else(|| {
        match args
            .output
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("csv") => ExportFormat::Csv,
            Some("json") => ExportFormat::Json,
            _ => ExportFormat::Xlsx,
        }
    })
}

pub fn export(ctx: &Context, args: &ExportArgs, out: &mut Out) -> CliResult {
    super::inputs::output_path(&args.output)?;
    let format = format_of(args);
    if format == ExportFormat::Json {
        return export_backup(ctx, args, out);
    }
    let ledger = ctx.open()?;
    let as_of = ctx.date_or_today(args.as_of.as_deref())?;
    let mut rows = ledger.finding_rows(as_of)?;
    if let Some(expr) = &args.filter {
        rows = super::list::apply_filter(&ledger, rows, expr, as_of)?;
    }
    let names = Lookup::load(&ledger)?;
    let mut tables = if args.by_unit {
        export::by_unit(&rows, &names, as_of)
    } else {
        vec![export::whole(&rows, &names, as_of)]
    };
    if tables.is_empty() {
        tables.push(export::whole(&[], &names, as_of));
    }
    let format = match format {
        ExportFormat::Csv => Format::Csv,
        _ => Format::Xlsx,
    };
    let written = export::write(&tables, format, args.by_unit, &args.output)?;
    out.line(
        &Msg::new(
            format!(
                "已导出 {} 个问题（截至 {as_of}）到 {}",
                rows.len(),
                args.output.display()
            ),
            format!(
                "exported {} findings (as of {as_of}) to {}",
                rows.len(),
                args.output.display()
            ),
        )
        .to_string(),
    )?;
    if args.by_unit {
        for (name, count) in &written.parts {
            out.line(&format!(
                "  {}  {count}{}",
                display_safe(name),
                tr(" 个", " findings")
            ))?;
        }
    }
    out.flush()
}

fn export_backup(ctx: &Context, args: &ExportArgs, out: &mut Out) -> CliResult {
    if args.filter.is_some() || args.by_unit || args.as_of.is_some() {
        return Err(Msg::new(
            "JSON 导出是完整备份，不能与 --filter、--by-unit、--as-of 同用",
            "the JSON export is the full backup; it takes no --filter, --by-unit or --as-of",
        )
        .into());
    }
    let ledger = ctx.open()?;
    let built = backup::build(&ledger, &ctx.user)?;
    crate::exchange::write_file(&args.output, &backup::to_bytes(&built)?)?;
    let ops: usize = built.journals.iter().map(|j| j.lines.len()).sum();
    out.line(
        &Msg::new(
            format!(
                "已备份 {} 个副本日志（{ops} 条操作）、{} 条记录到 {}；用 rectify restore 恢复",
                built.journals.len(),
                built.records.len(),
                args.output.display()
            ),
            format!(
                "backed up {} replica journals ({ops} ops) and {} records to {}; restore with rectify restore",
                built.journals.len(),
                built.records.len(),
                args.output.display()
            ),
        )
        .to_string(),
    )?;
    out.flush()
}

pub fn restore(ctx: &Context, args: &RestoreArgs, out: &mut Out) -> CliResult {
    let built = backup::read(&args.file)?;
    let done = backup::restore(&built, &ctx.db, &ctx.user)?;
    for w in &done.warnings {
        eprintln!("{}{}", tr("注意：", "note: "), w);
    }
    if !done.differing.is_empty() {
        eprintln!(
            "{}",
            Msg::new(
                format!(
                    "注意：备份中 {} 条记录的可读副本与日志重建的结果不同（以日志为准），如 {}",
                    done.differing.len(),
                    crate::text::excerpt(&done.differing[0])
                ),
                format!(
                    "note: the readable copy of {} records differs from what the journals rebuilt (the journals win), e.g. {}",
                    done.differing.len(),
                    crate::text::excerpt(&done.differing[0])
                ),
            )
        );
    }
    if !done.missing_evidence.is_empty() {
        eprintln!(
            "{}",
            Msg::new(
                format!(
                    "注意：记录引用的 {} 个佐证材料文件不在备份中；请把原台账目录下 evidence/ 中的文件复制到 {}",
                    done.missing_evidence.len(),
                    ctx.db.join("evidence").display()
                ),
                format!(
                    "note: {} evidence files the records name are not in the backup; copy them from the old ledger's evidence/ folder to {}",
                    done.missing_evidence.len(),
                    ctx.db.join("evidence").display()
                ),
            )
        );
    }
    out.line(
        &Msg::new(
            format!(
                "已恢复到 {}：{} 个副本日志、{} 条操作、{} 条记录。可运行 rectify check 核对",
                ctx.db.display(),
                done.journals,
                done.ops,
                done.records
            ),
            format!(
                "restored into {}: {} replica journals, {} ops, {} records. Run rectify check to verify",
                ctx.db.display(),
                done.journals,
                done.ops,
                done.records
            ),
        )
        .to_string(),
    )?;
    out.flush()
}

pub fn import(ctx: &Context, args: &ImportArgs, out: &mut Out) -> CliResult<i32> {
    let mut ledger = ctx.open()?;
    let options = import::Options {
        mapping: args.mapping.as_deref(),
        today: ctx.today,
        user: &ctx.user,
    };
    let plan = import::plan(&ledger, &args.file, &options)?;
    let refused = !plan.errors.is_empty() && !args.skip_bad_rows;
    let written = if args.dry_run || refused || plan.is_empty() {
        false
    } else {
        import::apply(&mut ledger, &plan, args.skip_bad_rows)?;
        true
    };
    if args.json {
        out.json(&plan_json(&plan, &args.file, args.dry_run, written))?;
    } else {
        print_plan(&plan, &args.file, out)?;
        out.line(&closing(&plan, args, written).to_string())?;
        out.flush()?;
    }
    if refused {
        let rows = bad_rows(&plan);
        return Err(CliError::Fail(Msg::new(
            format!(
                "有 {rows} 行存在错误，未写入任何内容。请改正后重新导入，或加 --skip-bad-rows 只导入无误的行"
            ),
            format!(
                "{rows} rows have errors; nothing was written. Correct them and import again, or add --skip-bad-rows to import only the good rows"
            ),
        )));
    }
    Ok(0)
}

fn bad_rows(plan: &Plan) -> usize {
    plan.errors
        .iter()
        .map(|e| (&e.at.sheet, e.at.row))
        .collect::<std::collections::HashSet<_>>()
        .len()
}

fn closing(plan: &Plan, args: &ImportArgs, written: bool) -> Msg {
    let counts = (plan.created.len(), plan.updated.len(), plan.reports());
    if written {
        Msg::new(
            format!(
                "已导入：新建 {} 个问题，修改 {} 个问题，新增 {} 条整改进展（Excel导入）",
                counts.0, counts.1, counts.2
            ),
            format!(
                "imported: {} findings created, {} changed, {} progress reports added (Excel import)",
                counts.0, counts.1, counts.2
            ),
        )
    } else if args.dry_run {
        Msg::new(
            format!(
                "预览：将新建 {} 个问题，修改 {} 个问题，新增 {} 条整改进展。未写入任何内容（--dry-run）",
                counts.0, counts.1, counts.2
            ),
            format!(
                "preview: {} findings would be created, {} changed, {} progress reports added. Nothing was written (--dry-run)",
                counts.0, counts.1, counts.2
            ),
        )
    } else if plan.errors.is_empty() || args.skip_bad_rows {
        Msg::new("没有需要导入的更改", "nothing to import: no changes")
    } else {
        Msg::new("未写入任何内容", "nothing was written")
    }
}

/// `第 7 行` (with the sheet when the workbook has several tables).
fn where_(at: &RowRef, several: bool) -> String {
    if several {
        Msg::new(
            format!("“{}”第 {} 行", display_safe(&at.sheet), at.row),
            format!("sheet \"{}\" row {}", display_safe(&at.sheet), at.row),
        )
        .to_string()
    } else {
        Msg::new(format!("第 {} 行", at.row), format!("row {}", at.row)).to_string()
    }
}

fn shown(value: &str) -> String {
    if value.is_empty() {
        tr("（空）", "(empty)").to_string()
    } else {
        truncate(&display_safe(value), VALUE_CELLS)
    }
}

fn print_plan(plan: &Plan, file: &Path, out: &mut Out) -> CliResult {
    let several = plan.sheets.len() > 1;
    for s in &plan.sheets {
        let mut line = Msg::new(
            format!(
                "读取 {}：工作表“{}”，表头在第 {} 行，识别 {} 列",
                file.display(),
                s.name,
                s.header_row,
                s.columns.len()
            ),
            format!(
                "read {}: sheet \"{}\", header on row {}, {} columns recognised",
                file.display(),
                s.name,
                s.header_row,
                s.columns.len()
            ),
        )
        .to_string();
        if !s.ignored.is_empty() {
            line.push_str(tr("（未使用：", " (not used: "));
            line.push_str(&s.ignored.join(tr("、", ", ")));
            line.push_str(tr("）", ")"));
        }
        out.line(&display_safe(&line))?;
    }
    if !plan.created.is_empty() {
        out.line(&format!(
            "{}{}",
            tr("新建问题：", "new findings: "),
            plan.created.len()
        ))?;
        for c in &plan.created {
            out.line(&format!(
                "  {}  {}  {}  [{}]",
                where_(&c.at, several),
                display_safe(&c.finding.number),
                shown(&c.finding.title),
                display_safe(&c.project)
            ))?;
            if let Some(r) = &c.report {
                out.line(&format!(
                    "    + {}{}{}{}",
                    tr("整改进展", "progress report"),
                    tr("（", " ("),
                    crate::domain::Labelled::label(r.claimed),
                    tr("）", ")")
                ))?;
            }
        }
    }
    if !plan.updated.is_empty() {
        out.line(&format!(
            "{}{}",
            tr("修改问题：", "changed findings: "),
            plan.updated.len()
        ))?;
        for u in &plan.updated {
            out.line(&format!(
                "  {}  {}  {}",
                where_(&u.at, several),
                display_safe(&u.before.number),
                shown(&u.before.title)
            ))?;
            for c in &u.changes {
                out.line(&format!(
                    "    {}{}{} → {}",
                    c.column,
                    tr("：", ": "),
                    shown(&c.old),
                    shown(&c.new)
                ))?;
            }
            if let Some(r) = &u.report {
                out.line(&format!(
                    "    + {}{}{}{}{}{}",
                    tr("新增整改进展", "new progress report"),
                    tr("（", " ("),
                    crate::domain::Labelled::label(r.channel),
                    tr("，", ", "),
                    crate::domain::Labelled::label(r.claimed),
                    tr("）", ")")
                ))?;
            }
        }
    }
    if plan.unchanged > 0 || plan.skipped > 0 {
        out.line(
            &Msg::new(
                format!(
                    "未变化 {} 个问题；跳过空行、合计行和重复行 {} 行",
                    plan.unchanged, plan.skipped
                ),
                format!(
                    "{} findings unchanged; {} empty, total or repeated rows skipped",
                    plan.unchanged, plan.skipped
                ),
            )
            .to_string(),
        )?;
    }
    if !plan.errors.is_empty() {
        out.line(&format!(
            "{}{}",
            tr("错误：", "errors: "),
            plan.errors.len()
        ))?;
        for e in plan.errors.iter().take(LISTED) {
            let column = e
                .column
                .as_deref()
                .map(|c| format!(" {c}"))
                .unwrap_or_default();
            out.line(&display_safe(&format!(
                "  {}{column}{}{}",
                where_(&e.at, several),
                tr("：", ": "),
                e.message
            )))?;
        }
        if plan.errors.len() > LISTED {
            out.line(&format!(
                "  {}",
                Msg::new(
                    format!(
                        "……另有 {} 条错误未列出（--json 可看全部）",
                        plan.errors.len() - LISTED
                    ),
                    format!(
                        "… {} more errors not listed (--json has them all)",
                        plan.errors.len() - LISTED
                    ),
                )
            ))?;
        }
    }
    if !plan.notes.is_empty() {
        out.line(tr("提示：", "notes:"))?;
        for n in plan.notes.iter().take(LISTED) {
            let at =
                n.at.as_ref()
                    .map(|a| format!("{}{}", where_(a, several), tr("：", ": ")))
                    .unwrap_or_default();
            out.line(&display_safe(&format!("  {at}{}", n.message)))?;
        }
    }
    Ok(())
}

fn row_json(at: &RowRef) -> Value {
    json!({"sheet": at.sheet, "row": at.row})
}

fn plan_json(plan: &Plan, file: &Path, dry_run: bool, written: bool) -> Value {
    let lang = crate::i18n::lang();
    json!({
        "file": file.display().to_string(),
        "dry_run": dry_run,
        "written": written,
        "sheets": plan.sheets.iter().map(|s| json!({
            "name": s.name,
            "header_row": s.header_row,
            "columns": s.columns.iter().map(|(theirs, ours)| json!({"header": theirs, "column": ours})).collect::<Vec<_>>(),
            "ignored": s.ignored,
        })).collect::<Vec<_>>(),
        "created": plan.created.iter().map(|c| json!({
            "at": row_json(&c.at),
            "id": c.finding.id.to_string(),
            "number": c.finding.number,
            "title": c.finding.title,
            "project": c.project,
            "progress_report": c.report.as_ref().map(|r| crate::domain::Labelled::label_in(r.claimed, crate::i18n::Lang::Zh)),
        })).collect::<Vec<_>>(),
        "changed": plan.updated.iter().map(|u| json!({
            "at": row_json(&u.at),
            "id": u.before.id.to_string(),
            "number": u.before.number,
            "title": u.before.title,
            "changes": u.changes.iter().map(|c| json!({"column": c.column, "old": c.old, "new": c.new})).collect::<Vec<_>>(),
            "progress_report": u.report.as_ref().map(|r| crate::domain::Labelled::label_in(r.claimed, crate::i18n::Lang::Zh)),
        })).collect::<Vec<_>>(),
        "unchanged": plan.unchanged,
        "skipped": plan.skipped,
        "errors": plan.errors.iter().map(|e| json!({
            "at": row_json(&e.at),
            "column": e.column,
            "message": e.message.in_lang(lang),
        })).collect::<Vec<_>>(),
        "notes": plan.notes.iter().map(|n| json!({
            "at": n.at.as_ref().map(row_json),
            "message": n.message.in_lang(lang),
        })).collect::<Vec<_>>(),
    })
}

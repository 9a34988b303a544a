//! `rectify report --year Y [--as-of D] [--caliber …] [--format md|txt|json|docx] [-o FILE]`:
//! the annual report to the people's congress, reproducible from the store, the cutoff and the
//! 口径 (see `crate::report`).

use super::{CliResult, Context, Out};
use crate::i18n::Msg;
use crate::report::{self, Caliber, Style, text};
use clap::{Args, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Txt,
    Json,
    Docx,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 审计年度（报告反映该年度审计项目查出的问题）/ the audit year reported on
    #[arg(long)]
    pub year: i32,
    /// 统计截止日期（默认今天）/ the cutoff date (default: today)
    #[arg(long = "as-of", value_name = "DATE")]
    pub as_of: Option<String>,
    /// 口径，如 partial=yes,long-term=no,prior-years=yes,basis=amount,scope=all
    /// / the counting rules, e.g. partial=yes,long-term=no,prior-years=yes,basis=amount,scope=all
    #[arg(long, value_name = "KEY=VALUE,…")]
    pub caliber: Option<String>,
    /// 输出格式 / output format
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// 写入文件（docx 必须指定）/ write to this file (required for docx)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: &ReportArgs, out: &mut Out) -> CliResult {
    if !(1990..=2100).contains(&args.year) {
        return Err(Msg::new(
            format!("审计年度 {} 不合理，请写四位年份，如 2022", args.year),
            format!(
                "{} is not a sensible audit year; write four digits, e.g. 2022",
                args.year
            ),
        )
        .into());
    }
    let cutoff = ctx.date_or_today(args.as_of.as_deref())?;
    let mut caliber = Caliber::seed(cutoff);
    if let Some(text) = &args.caliber {
        caliber.apply(text)?;
    }
    if let Some(path) = &args.output {
        super::inputs::output_path(path)?;
    }
    if args.format == ReportFormat::Docx && args.output.is_none() {
        return Err(Msg::new(
            "Word 格式需要用 -o 指定输出文件，如 -o 整改报告.docx",
            "the Word format needs an output file: -o report.docx",
        )
        .into());
    }
    let ledger = ctx.open()?;
    let built = report::annual(&ledger, args.year, caliber)?;
    let bytes = match args.format {
        ReportFormat::Md => text::render(&built.blocks, Style::Markdown).into_bytes(),
        ReportFormat::Txt => text::render(&built.blocks, Style::Plain).into_bytes(),
        ReportFormat::Json => {
            let mut v = serde_json::to_vec_pretty(&report::json::to_json(&built)).map_err(|e| {
                Msg::new(
                    format!("生成 JSON 失败：{e}"),
                    format!("cannot write JSON: {e}"),
                )
            })?;
            v.push(b'\n');
            v
        }
        ReportFormat::Docx => report::docx::write(&built.blocks)?,
    };
    match &args.output {
        Some(path) => {
            write_file(path, &bytes)?;
            eprintln!(
                "{}",
                Msg::new(
                    format!("已写入 {}", path.display()),
                    format!("written to {}", path.display())
                )
            );
            Ok(())
        }
        None => out.raw(&bytes),
    }
}

/// Write the whole file or nothing: a temporary file beside it, renamed over.
fn write_file(path: &std::path::Path, bytes: &[u8]) -> CliResult {
    let shown = path.display().to_string();
    let tmp = path.with_extension("rectify-tmp");
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Msg::new(
            format!("无法写入 {shown}：{e}"),
            format!("cannot write {shown}: {e}"),
        )
        .into()
    })
}

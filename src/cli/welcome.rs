//! `rectify` with no subcommand. The full-screen app comes with the TUI issue; until then this
//! opens the ledger, offers the demo ledger when it is empty, and prints where things stand.

use super::{CliResult, Context, Out};
use crate::domain::Labelled;
use crate::i18n::{Msg, tr};
use crate::store::Store;
use std::io::{BufRead, IsTerminal};

pub fn run(ctx: &Context, out: &mut Out) -> CliResult {
    let mut ledger = ctx.open()?;
    out.line(
        &Msg::new(
            format!("rectify 审计整改台账 — 台账位置：{}", ctx.db.display()),
            format!(
                "rectify audit rectification ledger — stored in {}",
                ctx.db.display()
            ),
        )
        .to_string(),
    )?;
    if ledger.store().is_empty()? {
        out.line(tr("台账为空。", "The ledger is empty."))?;
        if std::io::stdin().is_terminal() {
            out.raw(
                tr(
                    "载入示例台账（区审计局 2021–2023 年的整改故事）？[Y/n] ",
                    "Load the demo ledger (a district audit bureau, 2021–2023)? [Y/n] ",
                )
                .as_bytes(),
            )?;
            let mut answer = String::new();
            let _ = std::io::stdin().lock().read_line(&mut answer);
            let answer = answer.trim().to_lowercase();
            if answer.is_empty() || answer == "y" || answer == "yes" || answer == "是" {
                let n = super::demo_cmd::load_demo(&mut ledger, ctx.today)?;
                out.line(
                    &Msg::new(
                        format!("已载入示例台账：{n} 条记录。"),
                        format!("Loaded the demo ledger: {n} records."),
                    )
                    .to_string(),
                )?;
            } else {
                out.line(tr(
                    "保持空台账。以后可运行 rectify demo 载入示例。",
                    "Keeping an empty ledger. Run rectify demo later to load the example.",
                ))?;
                return Ok(());
            }
        } else {
            out.line(tr(
                "运行 rectify demo 载入示例台账。",
                "Run rectify demo to load the demo ledger.",
            ))?;
            return Ok(());
        }
    }
    out.line("")?;
    out.line(
        &Msg::new(
            format!("截至 {} 的整改状态：", ctx.today),
            format!("Status as of {}:", ctx.today),
        )
        .to_string(),
    )?;
    for c in ledger.counts_by_status(ctx.today)? {
        if c.count > 0 {
            out.line(&format!(
                "  {}  {}",
                crate::text::pad(c.status.label(), 14),
                c.count
            ))?;
        }
    }
    let overdue = ledger.overdue(ctx.today)?;
    let due = ledger.due_for_check(ctx.today)?;
    out.line(
        &Msg::new(
            format!("超期问题 {} 个，待回头看 {} 个。", overdue.len(), due.len()),
            format!(
                "{} overdue, {} due for a follow-up check.",
                overdue.len(),
                due.len()
            ),
        )
        .to_string(),
    )?;
    out.line("")?;
    out.line(tr(
        "全屏界面将在下一版本提供。现在可用：rectify list findings、rectify show 编号、rectify check（rectify --help 查看全部）。",
        "The full-screen app comes in the next release. Available now: rectify list findings, rectify show NUMBER, rectify check (see rectify --help).",
    ))
}

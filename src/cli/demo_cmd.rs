//! `rectify demo [--synthetic N]`, and the crash-test writer.

use super::args::DemoArgs;
use super::{CliResult, Context, Out};
use crate::domain::{Finding, Project, ResponsibleUnit, Unit, UnitKind, UnitRole};
use crate::i18n::{Msg, tr};
use crate::ledger::Ledger;
use crate::store::{SledStore, Store};
use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub fn run(ctx: &Context, args: &DemoArgs, out: &mut Out) -> CliResult {
    let mut ledger = ctx.open()?;
    if !args.force && !ledger.store().is_empty()? {
        return Err(Msg::new(
            format!(
                "台账 {} 不是空的；如确要追加示例数据，请加 --force",
                ctx.db.display()
            ),
            format!(
                "the ledger {} is not empty; add --force to load the demo into it anyway",
                ctx.db.display()
            ),
        )
        .into());
    }
    let written = match args.synthetic {
        Some(n) => load_synthetic(&mut ledger, n, args.seed, ctx.today)?,
        None => load_demo(&mut ledger, ctx.today)?,
    };
    out.line(
        &Msg::new(
            format!("已写入 {} 条记录到 {}", written, ctx.db.display()),
            format!("wrote {} records to {}", written, ctx.db.display()),
        )
        .to_string(),
    )
}

pub fn load_demo(ledger: &mut Ledger<SledStore>, today: NaiveDate) -> CliResult<usize> {
    let records = crate::demo::story::demo_records(today);
    Ok(ledger.create_batch(records)?)
}

fn progress(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

fn load_synthetic(
    ledger: &mut Ledger<SledStore>,
    n: usize,
    seed: u64,
    today: NaiveDate,
) -> CliResult<usize> {
    let bar = progress(n as u64);
    bar.set_message(tr("生成", "generating").to_string());
    let records = crate::demo::synthetic::synthetic_records(n, seed, today, |done| {
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    let spinner = if std::io::stderr().is_terminal() {
        let s = ProgressBar::new_spinner();
        s.set_message(
            Msg::new(
                format!("写入 {} 条记录（日志 + 视图）…", records.len()),
                format!("writing {} records (journal + view)…", records.len()),
            )
            .to_string(),
        );
        s.enable_steady_tick(Duration::from_millis(120));
        s
    } else {
        ProgressBar::hidden()
    };
    let written = ledger.create_batch(records);
    spinner.finish_and_clear();
    Ok(written?)
}

/// For the crash tests: write findings one by one, printing each id once the store has
/// acknowledged it (journal fsync'd, view flushed), until killed or `count` is reached.
pub fn debug_writer(ctx: &Context, count: u64, out: &mut Out) -> CliResult {
    let mut ledger = ctx.open()?;
    let unit = Unit::new(
        &format!("压力测试单位{}", crate::domain::Id::new().short()),
        UnitKind::Other,
    );
    let unit = ledger.create(unit)?;
    let number = format!("T-{}", crate::domain::Id::new().short());
    let mut project = Project::new(
        &number,
        "写入压力测试",
        2024,
        crate::domain::ProjectType::Other,
    );
    project.audited_units.push(unit.id);
    let project = ledger.create(project)?;
    let deadline = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap_or_default();
    let mut i = 0u64;
    while count == 0 || i < count {
        i += 1;
        let mut f = Finding::new(
            project.id,
            &format!("W-{i}"),
            &format!("写入测试问题{i}"),
            deadline,
        );
        f.units = Box::new([ResponsibleUnit {
            unit: unit.id,
            role: UnitRole::Lead,
        }]);
        let f = ledger.create(f)?;
        out.line(&f.id.to_string())?;
        out.flush()?;
    }
    Ok(())
}

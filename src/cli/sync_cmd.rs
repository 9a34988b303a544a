//! `rectify sync HUB` (exchange ops with a hub: a directory or `ssh://host/path`),
//! `rectify sync-serve PATH` (the far side of ssh), `rectify conflicts` (the 冲突 queue).

use super::{CliResult, Context, Out};
use crate::domain::{Finding, Id};
use crate::i18n::{Msg, tr};
use crate::ledger::Ledger;
use crate::store::{Conflict, SledStore, Store};
use crate::sync::{self, ssh_hub::open_hub};
use clap::Args;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// 同步目录或 ssh://主机/路径（默认取配置中的 hub）/ the hub: a directory or ssh://host/path (default: `hub` in config.toml)
    pub hub: Option<String>,
    /// 从头校验同步目录中每个日志（校验和、哈希链、写入账户）/ check every log on the hub from its first line
    #[arg(long)]
    pub verify: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 同步目录 / the hub directory on this host
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct ConflictsArgs {
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: &SyncArgs, out: &mut Out) -> CliResult<i32> {
    let Some(target) = args.hub.clone().or_else(|| ctx.config.hub.clone()) else {
        return Err(Msg::new(
            "请指定同步目录（rectify sync /srv/rectify/hub 或 ssh://主机/路径），或在 config.toml 中设置 hub",
            "name a hub (rectify sync /srv/rectify/hub or ssh://host/path), or set `hub` in config.toml",
        )
        .into());
    };
    let mut hub = open_hub(&target)?;
    if args.verify {
        let problems = sync::verify_hub(hub.as_mut())?;
        if args.json {
            out.json(&json!({
                "hub": target,
                "problems": problems.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
            }))?;
        } else if problems.is_empty() {
            out.line(tr(
                "同步目录中的每个日志都通过了校验。",
                "every log on the hub checks out.",
            ))?;
        } else {
            for p in &problems {
                out.line(&p.to_string())?;
            }
        }
        return Ok(if problems.is_empty() { 0 } else { 1 });
    }
    let mut ledger = ctx.open()?;
    let report = ledger.sync(hub.as_mut())?;
    let conflicts = ledger.store().conflicts()?;
    let collisions = number_collisions(&ledger)?;
    if args.json {
        out.json(&json!({
            "hub": target,
            "pushed": report.pushed,
            "pulled": report.pulled,
            "replicas": report.replicas,
            "conflicts": conflicts.len(),
            "number_collisions": collisions.len(),
        }))?;
    } else {
        out.line(
            &Msg::new(
                format!(
                    "已与 {target} 同步：发出 {} 条，收到 {} 条（其他副本 {} 个）",
                    report.pushed, report.pulled, report.replicas
                ),
                format!(
                    "synced with {target}: {} ops sent, {} received ({} other replicas)",
                    report.pushed, report.pulled, report.replicas
                ),
            )
            .to_string(),
        )?;
        if !conflicts.is_empty() || !collisions.is_empty() {
            out.line(
                &Msg::new(
                    format!(
                        "有 {} 处冲突、{} 组重复编号待处理：rectify conflicts",
                        conflicts.len(),
                        collisions.len()
                    ),
                    format!(
                        "{} conflicts and {} duplicate numbers to settle: rectify conflicts",
                        conflicts.len(),
                        collisions.len()
                    ),
                )
                .to_string(),
            )?;
        }
    }
    Ok(0)
}

pub fn serve(args: &ServeArgs) -> CliResult<i32> {
    let stdin = std::io::stdin();
    sync::serve::serve(&args.path, stdin.lock(), std::io::stdout())?;
    Ok(0)
}

/// Findings of one project sharing a display number after a merge: flagged, never renumbered
/// behind the auditors' backs.
fn number_collisions(ledger: &Ledger<SledStore>) -> CliResult<Vec<Vec<Finding>>> {
    let mut by_number: BTreeMap<(Id, String), Vec<Finding>> = BTreeMap::new();
    for f in ledger.all::<Finding>()? {
        by_number
            .entry((f.project, f.number.clone()))
            .or_default()
            .push(f);
    }
    Ok(by_number.into_values().filter(|v| v.len() > 1).collect())
}

pub fn conflicts(ctx: &Context, args: &ConflictsArgs, out: &mut Out) -> CliResult<i32> {
    let ledger = ctx.open()?;
    let conflicts = ledger.store().conflicts()?;
    let collisions = number_collisions(&ledger)?;
    let described: Vec<Value> = conflicts
        .iter()
        .map(|c| describe(&ledger, c))
        .collect::<CliResult<_>>()?;
    if args.json {
        out.json(&json!({
            "conflicts": described,
            "number_collisions": collisions.iter().map(|group| json!({
                "number": group[0].number,
                "findings": group.iter().map(|f| json!({"id": f.id.to_string(), "title": f.title})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(0);
    }
    if described.is_empty() && collisions.is_empty() {
        out.line(tr("没有待处理的冲突。", "no conflicts to settle."))?;
        return Ok(0);
    }
    for c in &described {
        out.line(&format!(
            "{} · {}",
            c["record"].as_str().unwrap_or_default(),
            c["field_label"].as_str().unwrap_or_default()
        ))?;
        for side in c["sides"].as_array().into_iter().flatten() {
            let shown = if side["shown"].as_bool().unwrap_or(false) {
                tr("（当前显示）", " (shown)")
            } else {
                ""
            };
            out.line(&format!(
                "  {} {} {}{}",
                side["at"].as_str().unwrap_or_default(),
                side["author"].as_str().unwrap_or_default(),
                side["value"],
                shown
            ))?;
        }
    }
    for group in &collisions {
        out.line(
            &Msg::new(
                format!(
                    "编号 {} 重复：{} 个问题，请重新编号",
                    group[0].number,
                    group.len()
                ),
                format!(
                    "number {} is used by {} findings: renumber them",
                    group[0].number,
                    group.len()
                ),
            )
            .to_string(),
        )?;
        for f in group {
            out.line(&format!("  {} {}", f.id.short(), f.title))?;
        }
    }
    out.line(tr(
        "在终端里打开该记录修改这一栏即可解决（修改时两个值都已看到）。",
        "to settle one, edit that field of the record (the edit is made with both values in view).",
    ))?;
    Ok(0)
}

fn describe(ledger: &Ledger<SledStore>, c: &Conflict) -> CliResult<Value> {
    let history = ledger.store().history(c.entity)?;
    let record = history
        .first()
        .and_then(|op| ledger.store().get(op.kind, c.entity).ok().flatten());
    let label = record
        .as_ref()
        .map(super::history_cmd::entity_label)
        .unwrap_or_else(|| c.entity.short());
    let shown = c.sides.iter().map(|s| s.stamp()).max();
    let sides: Vec<Value> = c
        .sides
        .iter()
        .map(|side| {
            let op = history.iter().find(|op| op.order_key() == side.stamp());
            json!({
                "value": side.value,
                "author": op.map(|o| o.author.clone()).unwrap_or_default(),
                "account": op.map(|o| o.account.clone()).unwrap_or_default(),
                "at": op.map(|o| o.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                "shown": Some(side.stamp()) == shown,
            })
        })
        .collect();
    Ok(json!({
        "id": c.entity.to_string(),
        "record": label,
        "field": c.field,
        "field_label": super::history_cmd::field_label(&c.field),
        "sides": sides,
    }))
}

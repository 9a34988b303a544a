//! `rectify sync HUB` (exchange ops with a hub: a directory, `ssh://host/path`,
//! `postgres://user@host/db` or `git:CLONE`; or offline packets with `--export-packet` /
//! `--import-packet`),
//! `rectify sync-serve PATH` (the far side of ssh), `rectify conflicts` (the 冲突 queue).

use super::{CliResult, Context, Out};
use crate::domain::{Finding, Id};
use crate::i18n::{Msg, tr};
use crate::ledger::Ledger;
use crate::store::{Conflict, SledStore, Store};
use crate::sync::{self, ssh_hub::open_hub};
use age::secrecy::SecretString;
use clap::Args;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// 同步目录、ssh://主机/路径、postgres://用户@主机/库 或 git:克隆目录（默认取配置中的 hub）/ the hub: a directory, ssh://host/path, postgres://user@host/db or git:CLONE (default: `hub` in config.toml)
    pub hub: Option<String>,
    /// 从头校验同步目录中每个日志（校验和、哈希链、写入账户）/ check every log on the hub from its first line
    #[arg(long)]
    pub verify: bool,
    /// 离线交换：把本台账持有的全部日志写入用团队口令加密的数据包 / offline: write every journal this ledger holds into a packet encrypted with the team passphrase
    #[arg(long, value_name = "FILE", conflicts_with_all = ["hub", "verify", "import_packet"])]
    pub export_packet: Option<PathBuf>,
    /// 离线交换：校验并导入数据包中的新操作 / offline: check a packet and take the ops that are new
    #[arg(long, value_name = "FILE", conflicts_with_all = ["hub", "verify"])]
    pub import_packet: Option<PathBuf>,
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
    if let Some(path) = &args.export_packet {
        return export_packet(ctx, path, args.json, out);
    }
    if let Some(path) = &args.import_packet {
        return import_packet(ctx, path, args.json, out);
    }
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
        to_settle(conflicts.len(), collisions.len(), out)?;
    }
    Ok(0)
}

/// The line pointing at `rectify conflicts`, when there is something to settle.
fn to_settle(conflicts: usize, collisions: usize, out: &mut Out) -> CliResult {
    if conflicts == 0 && collisions == 0 {
        return Ok(());
    }
    out.line(
        &Msg::new(
            format!("有 {conflicts} 处冲突、{collisions} 组重复编号待处理：rectify conflicts"),
            format!("{conflicts} conflicts and {collisions} duplicate numbers to settle: rectify conflicts"),
        )
        .to_string(),
    )
}

/// `rectify sync --export-packet FILE`.
fn export_packet(ctx: &Context, path: &Path, json: bool, out: &mut Out) -> CliResult<i32> {
    let passphrase = passphrase(true)?;
    let mut ledger = ctx.open()?;
    let report = ledger.export_packet(path, &passphrase)?;
    if json {
        out.json(&json!({
            "packet": path.display().to_string(),
            "logs": report.logs,
            "ops": report.ops,
        }))?;
    } else {
        out.line(
            &Msg::new(
                format!(
                    "已导出数据包 {}：{} 个日志，共 {} 条操作，已用团队口令加密。对方导入：rectify sync --import-packet 文件",
                    path.display(),
                    report.logs,
                    report.ops
                ),
                format!(
                    "wrote the packet {}: {} journals, {} ops, encrypted with the team passphrase. To take it in: rectify sync --import-packet FILE",
                    path.display(),
                    report.logs,
                    report.ops
                ),
            )
            .to_string(),
        )?;
    }
    Ok(0)
}

/// `rectify sync --import-packet FILE`: decrypt and parse first, so a wrong passphrase or a
/// damaged file touches no ledger at all; then check every journal before writing any.
fn import_packet(ctx: &Context, path: &Path, json: bool, out: &mut Out) -> CliResult<i32> {
    let passphrase = passphrase(false)?;
    let packet = sync::packet::read(path, &passphrase)?;
    let mut ledger = ctx.open()?;
    let report = ledger.import_packet(&packet)?;
    let conflicts = ledger.store().conflicts()?;
    let collisions = number_collisions(&ledger)?;
    let by = &report.exported_by;
    let at = by
        .at
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    if json {
        out.json(&json!({
            "packet": path.display().to_string(),
            "exported_by": {
                "replica": by.replica.to_string(),
                "account": by.account,
                "author": by.author,
                "at": by.at.to_rfc3339(),
            },
            "logs": report.logs,
            "pulled": report.pulled,
            "replicas": report.replicas,
            "conflicts": conflicts.len(),
            "number_collisions": collisions.len(),
        }))?;
    } else {
        out.line(
            &Msg::new(
                format!(
                    "已导入数据包 {}（{} 以账户 {} 于 {at} 导出）：收到新操作 {} 条（来自 {} 个副本）",
                    path.display(),
                    by.author,
                    by.account,
                    report.pulled,
                    report.replicas
                ),
                format!(
                    "took in the packet {} (exported by {} as account {} at {at}): {} new ops from {} replicas",
                    path.display(),
                    by.author,
                    by.account,
                    report.pulled,
                    report.replicas
                ),
            )
            .to_string(),
        )?;
        to_settle(conflicts.len(), collisions.len(), out)?;
    }
    Ok(0)
}

/// The team passphrase: `RECTIFY_PASSPHRASE`, or asked on the terminal without echo (twice when
/// exporting). With neither, refuse rather than wait on a pipe.
fn passphrase(confirm: bool) -> CliResult<SecretString> {
    if let Some(text) = std::env::var_os("RECTIFY_PASSPHRASE") {
        let text = text.into_string().map_err(|_| {
            Msg::new(
                "RECTIFY_PASSPHRASE 不是有效的 UTF-8 文本",
                "RECTIFY_PASSPHRASE is not valid UTF-8",
            )
        })?;
        return non_empty(text);
    }
    let no_terminal = || {
        Msg::new(
            "需要团队口令：请在终端中运行，或设置环境变量 RECTIFY_PASSPHRASE",
            "the team passphrase is needed: run this in a terminal, or set RECTIFY_PASSPHRASE",
        )
    };
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| no_terminal())?;
    let first = read_hidden(&tty, tr("团队口令：", "team passphrase: "))?;
    if confirm {
        let again = read_hidden(&tty, tr("再输入一次：", "again: "))?;
        if again != first {
            return Err(Msg::new(
                "两次输入的口令不一致，未导出",
                "the two passphrases differ; nothing was written",
            )
            .into());
        }
    }
    non_empty(first)
}

fn non_empty(text: String) -> CliResult<SecretString> {
    if text.is_empty() {
        return Err(Msg::new("团队口令不能为空", "the team passphrase cannot be empty").into());
    }
    Ok(SecretString::from(text))
}

/// Read one line from the terminal with echo off (termios), restoring it afterwards.
fn read_hidden(tty: &std::fs::File, prompt: &str) -> CliResult<String> {
    use std::io::{BufRead, Write};
    use std::os::fd::AsRawFd;
    let fd = tty.as_raw_fd();
    let failed = |e: std::io::Error| {
        Msg::new(
            format!("读取口令失败：{e}"),
            format!("reading the passphrase failed: {e}"),
        )
    };
    // SAFETY: `fd` is an open terminal for the whole call; termios is plain data.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::isatty(fd) } != 1 || unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
        return Err(Msg::new(
            "需要团队口令：请在终端中运行，或设置环境变量 RECTIFY_PASSPHRASE",
            "the team passphrase is needed: run this in a terminal, or set RECTIFY_PASSPHRASE",
        )
        .into());
    }
    let mut hidden = saved;
    hidden.c_lflag &= !(libc::ECHO | libc::ECHONL);
    hidden.c_lflag |= libc::ICANON;
    let mut writer = tty;
    writer
        .write_all(prompt.as_bytes())
        .and_then(|()| writer.flush())
        .map_err(failed)?;
    // SAFETY: as above.
    if unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &hidden) } != 0 {
        return Err(failed(std::io::Error::last_os_error()).into());
    }
    let mut line = String::new();
    let read = std::io::BufReader::new(tty).read_line(&mut line);
    // SAFETY: as above; restore whatever happened.
    unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &saved) };
    let _ = writer.write_all(b"\n");
    read.map_err(failed)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}

pub fn serve(args: &ServeArgs) -> CliResult<i32> {
    let stdin = std::io::stdin();
    sync::serve::serve(&args.path, stdin.lock(), std::io::stdout())?;
    Ok(0)
}

/// Findings of one project sharing a display number after a merge: flagged, never renumbered
/// behind the auditors' backs.
fn number_collisions(ledger: &Ledger<SledStore>) -> CliResult<Vec<Vec<Finding>>> {
    let mut by_number: BTreeMap<(Id, Box<str>), Vec<Finding>> = BTreeMap::new();
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

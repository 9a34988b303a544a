//! `rectify plan create|list|show`: check plans, the rounds of 回头看 / 专项督查 / 人大督察 a
//! bureau schedules. A plan names the findings in its scope; the checks made in its round name
//! the plan (`followup` does that by itself while a plan is running), so `plan show` can say
//! what the round has found so far, finding by finding.

use super::entry::{finding_of, not_a, record_of};
use super::json::{self, Names};
use super::listing::Listing;
use super::{CliError, CliResult, Context, Out};
use crate::domain::{CheckKind, CheckPlan, Id, Labelled, Project, Unit};
use crate::i18n::{Lang, Msg, tr};
use crate::ledger::{Ledger, LedgerError, plans::PlanResult};
use crate::store::{EntityKind, Record, SledStore};
use crate::text::{display_safe, truncate};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde_json::{Value, json};

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// 制定检查计划（回头看、专项督查 …）/ create a check plan
    Create(PlanCreateArgs),
    /// 列出检查计划 / list the check plans
    List(PlanListArgs),
    /// 查看检查计划及本轮检查结果 / show a plan and what its round has found
    Show(PlanShowArgs),
}

#[derive(Debug, Args)]
pub struct PlanCreateArgs {
    /// 检查类型：到期跟踪检查、回头看、专项督查、人大督察、上级检查 / the kind of checks planned
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// 计划名称 / the plan's title
    #[arg(long, value_name = "TEXT")]
    pub title: String,
    /// 纳入本计划的新项目（编号）/ the project whose 实施方案 carries the plan (its number)
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// 被检查单位（默认为项目唯一的被审计单位）/ the unit checked (default: the project's only audited unit)
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// 纳入的问题（可重复）/ a finding in the plan's scope (repeatable)
    #[arg(long = "finding", value_name = "FINDING")]
    pub findings: Vec<String>,
    /// 纳入项目被审计单位往年未整改到位的问题（需 --project）/ take in the earlier open findings of the project's units (needs --project)
    #[arg(long)]
    pub lookback: bool,
    /// 开始日期（默认今天）/ when the round starts (default: today)
    #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
    pub start: Option<String>,
    /// 结束日期 / when the round ends
    #[arg(long, value_name = "DATE", allow_negative_numbers = true)]
    pub end: Option<String>,
    /// 检查组 / the team
    #[arg(long, value_name = "TEXT")]
    pub team: Option<String>,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanListArgs {
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanShowArgs {
    /// 计划编号（或其片段）或计划名称 / the plan: its id, an id fragment or its title
    pub plan: String,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, command: &PlanCommand, out: &mut Out) -> CliResult {
    match command {
        PlanCommand::Create(a) => create(ctx, a, out),
        PlanCommand::List(a) => list(ctx, a, out),
        PlanCommand::Show(a) => show(ctx, a, out),
    }
}

/// The plan named on the command line: by id or id fragment, or by its exact title.
pub(super) fn plan_of(ledger: &Ledger<SledStore>, text: &str) -> CliResult<CheckPlan> {
    match ledger.resolve(text) {
        Ok(Record::Plan(p)) => return Ok(p),
        Ok(other) => return Err(not_a(text, &other, EntityKind::Plan)),
        Err(LedgerError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    let title = text.trim();
    let mut named: Vec<CheckPlan> = ledger
        .all::<CheckPlan>()?
        .into_iter()
        .filter(|p| p.title == title)
        .collect();
    match named.len() {
        1 => Ok(named.remove(0)),
        0 => Err(Msg::new(
            format!(
                "找不到检查计划“{title}”：请给出计划编号或完整的计划名称（rectify plan list 可查）"
            ),
            format!(
                "no check plan \"{title}\": give its id or its full title (see rectify plan list)"
            ),
        )
        .into()),
        n => {
            let ids: Vec<String> = named.iter().map(|p| p.id.short()).collect();
            Err(Msg::new(
                format!(
                    "有 {n} 个检查计划名为“{title}”，请改用计划编号：{}",
                    ids.join("、")
                ),
                format!(
                    "{n} check plans are titled \"{title}\"; use an id: {}",
                    ids.join(", ")
                ),
            )
            .into())
        }
    }
}

/// `rectify plan create --kind … --title … [--finding F]… [--project P --lookback]`.
fn create(ctx: &Context, args: &PlanCreateArgs, out: &mut Out) -> CliResult {
    let kind = CheckKind::parse_label(&args.kind)?;
    let start = ctx.date_or_today(args.start.as_deref())?;
    let end = super::inputs::opt_date(ctx, args.end.as_deref())?;
    if args.lookback && args.project.is_none() {
        return Err(Msg::new(
            "--lookback 从项目被审计单位的往年问题中选取，请同时用 --project 给出项目编号",
            "--lookback picks from the earlier findings of a project's units: give the project with --project",
        )
        .into());
    }
    let mut ledger = ctx.open()?;
    let project = match &args.project {
        Some(text) => match record_of(&ledger, text, EntityKind::Project)? {
            Record::Project(p) => Some(p),
            _ => None,
        },
        None => None,
    };
    let mut unit = match &args.unit {
        Some(text) => match record_of(&ledger, text, EntityKind::Unit)? {
            Record::Unit(u) => Some(u.id),
            _ => None,
        },
        None => None,
    };
    if unit.is_none()
        && let Some(p) = &project
        && let [only] = p.audited_units.as_slice()
    {
        unit = Some(*only);
    }
    let mut findings: Vec<Id> = Vec::new();
    for text in &args.findings {
        let f = finding_of(&ledger, text)?;
        if !findings.contains(&f.id) {
            findings.push(f.id);
        }
    }
    let mut looked_back = 0usize;
    if args.lookback
        && let Some(p) = &project
    {
        for row in ledger.lookback_candidates(p, start)? {
            let of_unit = match (&args.unit, unit) {
                (Some(_), Some(u)) => row.finding.units.iter().any(|r| r.unit == u),
                _ => true,
            };
            if of_unit && !findings.contains(&row.finding.id) {
                findings.push(row.finding.id);
                looked_back += 1;
            }
        }
    }
    if findings.is_empty() {
        return Err(empty_scope(args, project.as_ref()).into());
    }
    let plan = CheckPlan {
        id: Id::new(),
        kind,
        title: args.title.trim().to_string(),
        project: project.as_ref().map(|p| p.id),
        unit,
        findings,
        start,
        end,
        team: args.team.as_deref().unwrap_or_default().trim().to_string(),
        created_by: ctx.user.clone(),
        archived: false,
    };
    let plan = ledger.create(plan).map_err(|e| {
        let reason = match CliError::from(e) {
            CliError::Fail(m) => m,
            other => return other,
        };
        CliError::Fail(Msg::new(
            format!("不能制定检查计划：{}", reason.zh),
            format!("cannot create the check plan: {}", reason.en),
        ))
    })?;
    let names = Names::load(&ledger)?;
    let results = ledger.plan_results(&plan, ctx.today)?;
    if args.json {
        let mut value = plan_json(&plan, &names, &results, ctx.today);
        if let Some(o) = value.as_object_mut() {
            o.insert("looked_back".into(), json!(looked_back));
        }
        return out.json(&value);
    }
    out.line(&display_safe(&format!(
        "{}{} {}{}“{}” {}{}{}",
        tr("已制定检查计划 ", "created the check plan "),
        plan.id.short(),
        plan.kind.label(),
        tr("：", ": "),
        plan.title,
        period(&plan),
        tr("，问题 ", ", findings: "),
        plan.findings.len()
    )))?;
    if looked_back > 0 {
        out.line(
            &Msg::new(
                format!("其中 {looked_back} 个取自被审计单位往年未整改到位的问题（回头看）"),
                format!("{looked_back} of them are earlier open findings of the audited units (look-back)"),
            )
            .to_string(),
        )?;
    }
    finding_lines(&results, out)?;
    out.line(
        &Msg::new(
            format!(
                "计划期间内对这些问题登记的跟踪检查自动计入本计划：rectify followup 问题编号 --verdict …（查看结果：rectify plan show {}）",
                plan.id.short()
            ),
            format!(
                "checks of these findings recorded during the plan count in its round: rectify followup NUMBER --verdict … (results: rectify plan show {})",
                plan.id.short()
            ),
        )
        .to_string(),
    )
}

/// Why nothing is in scope, and how to put something in.
fn empty_scope(args: &PlanCreateArgs, project: Option<&Project>) -> Msg {
    match project.filter(|_| args.lookback) {
        Some(p) => Msg::new(
            format!(
                "检查计划没有问题：项目 {} 的被审计单位没有往年未整改到位的问题可供回头看；请用 --finding 问题编号 指定问题",
                p.number
            ),
            format!(
                "the check plan has no findings: the units of project {} have no earlier open findings to look back at; name findings with --finding NUMBER",
                p.number
            ),
        ),
        None => Msg::new(
            "检查计划至少要包含一个问题：请用 --finding 问题编号 指定，或用 --project 项目编号 --lookback 纳入往年未整改到位的问题",
            "a check plan needs at least one finding: name them with --finding NUMBER, or use --project NUMBER --lookback to take in earlier open findings",
        ),
    }
}

/// `rectify plan list`.
fn list(ctx: &Context, args: &PlanListArgs, out: &mut Out) -> CliResult {
    let ledger = ctx.open()?;
    let names = Names::load(&ledger)?;
    let mut plans = ledger.all::<CheckPlan>()?;
    plans.sort_by_key(|p| (std::cmp::Reverse(p.start), p.id));
    let columns = [
        (tr("计划编号", "id"), 10),
        (tr("类型", "kind"), 14),
        (tr("期间", "period"), 24),
        (tr("问题", "findings"), 8),
        (tr("已检查", "checked"), 8),
        (tr("状态", "state"), 8),
        (tr("计划名称", "title"), 0),
    ];
    let mut listing = Listing::start(out, args.json, &columns)?;
    for plan in &plans {
        let results = ledger.plan_results(plan, ctx.today)?;
        let checked = results.iter().filter(|r| r.check.is_some()).count();
        let cells = [
            plan.id.short(),
            plan.kind.label().to_string(),
            period(plan),
            plan.findings.len().to_string(),
            checked.to_string(),
            state(plan, ctx.today)
                .label_in(crate::i18n::lang())
                .to_string(),
            plan.title.clone(),
        ];
        listing.row(out, &cells, || {
            let mut v = plan_summary(plan, &names, ctx.today);
            if let Some(o) = v.as_object_mut() {
                o.insert("checked_count".into(), json!(checked));
            }
            v
        })?;
    }
    let footer = plans.is_empty().then(|| {
        tr(
            "（还没有检查计划：rectify plan create --kind 回头看 --title … --finding 问题编号）",
            "(no check plans yet: rectify plan create --kind look-back --title … --finding NUMBER)",
        )
        .to_string()
    });
    listing.finish(out, footer)
}

/// `rectify plan show PLAN`.
fn show(ctx: &Context, args: &PlanShowArgs, out: &mut Out) -> CliResult {
    let ledger = ctx.open()?;
    let names = Names::load(&ledger)?;
    let plan = plan_of(&ledger, &args.plan)?;
    let results = ledger.plan_results(&plan, ctx.today)?;
    if args.json {
        return out.json(&plan_json(&plan, &names, &results, ctx.today));
    }
    let field = |out: &mut Out, label: &str, value: &str| {
        out.line(&format!("{}：{}", label, display_safe(value)))
    };
    field(
        out,
        tr("检查计划", "Check plan"),
        &format!("{} {}", plan.id.short(), plan.title),
    )?;
    field(out, tr("类型", "Kind"), plan.kind.label())?;
    field(
        out,
        tr("期间", "Period"),
        &format!("{}（{}）", period(&plan), state(&plan, ctx.today)),
    )?;
    if let Some(p) = plan.project {
        let name = names
            .projects
            .get(&p)
            .map(|p| format!("{} {}", p.number, p.name))
            .unwrap_or_else(|| p.short());
        field(out, tr("纳入项目", "Project"), &name)?;
    }
    if let Some(u) = plan.unit {
        field(out, tr("被检查单位", "Unit"), &names.unit(u))?;
    }
    if !plan.team.is_empty() {
        field(out, tr("检查组", "Team"), &plan.team)?;
    }
    field(out, tr("制定人", "Created by"), &plan.created_by)?;
    let checked = results.iter().filter(|r| r.check.is_some()).count();
    out.line("")?;
    out.line(
        &Msg::new(
            format!("问题（{} 个，本轮已检查 {checked} 个）：", results.len()),
            format!(
                "Findings ({}, {checked} checked in this round):",
                results.len()
            ),
        )
        .to_string(),
    )?;
    finding_lines(&results, out)
}

/// One line per finding of a plan: number, status, the round's latest check, title.
fn finding_lines(results: &[PlanResult], out: &mut Out) -> CliResult {
    for r in results {
        let check = match &r.check {
            Some(c) => format!("{} {} {}", c.date, c.verdict.label(), c.checker),
            None => tr("未检查", "not checked").to_string(),
        };
        out.line(&display_safe(&format!(
            "  {}  {}  {}  {}",
            crate::text::pad(&r.row.finding.number, 12),
            crate::text::pad(r.row.status.status.label(), 12),
            crate::text::pad(&check, 30),
            truncate(&r.row.finding.title, 40)
        )))?;
    }
    Ok(())
}

/// Where a plan stands on `date`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Upcoming,
    Running,
    Ended,
}

impl State {
    fn label_in(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            State::Upcoming => ("未开始", "upcoming"),
            State::Running => ("进行中", "running"),
            State::Ended => ("已结束", "ended"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl std::fmt::Display for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_in(crate::i18n::lang()))
    }
}

fn state(plan: &CheckPlan, date: NaiveDate) -> State {
    if date < plan.start {
        State::Upcoming
    } else if plan.is_running_on(date) {
        State::Running
    } else {
        State::Ended
    }
}

/// "2026-11-28 至 2026-12-31", or "2026-11-28 起" when open-ended.
fn period(plan: &CheckPlan) -> String {
    match plan.end {
        Some(end) => format!("{} {} {end}", plan.start, tr("至", "to")),
        None => format!("{}{}", plan.start, tr(" 起", " on")),
    }
}

/// A plan's own fields, labels in Chinese.
fn plan_summary(plan: &CheckPlan, names: &Names, today: NaiveDate) -> Value {
    let unit_name = |u: Id| {
        names
            .units
            .get(&u)
            .map(Unit::display_name)
            .map(str::to_string)
    };
    json!({
        "id": plan.id.to_string(),
        "kind": plan.kind.label_in(Lang::Zh),
        "title": plan.title,
        "project": plan.project.map(|p| json!({"id": p.to_string(), "number": names.project_number(p)})),
        "unit": plan.unit.map(|u| json!({"id": u.to_string(), "name": unit_name(u).unwrap_or_else(|| u.short())})),
        "start": plan.start,
        "end": plan.end,
        "team": plan.team,
        "created_by": plan.created_by,
        "state": state(plan, today).label_in(Lang::Zh),
        "running": plan.is_running_on(today),
        "finding_count": plan.findings.len(),
        "archived": plan.archived,
    })
}

/// A plan with each finding and the latest check of its round.
fn plan_json(plan: &CheckPlan, names: &Names, results: &[PlanResult], today: NaiveDate) -> Value {
    let mut value = plan_summary(plan, names, today);
    let findings: Vec<Value> = results
        .iter()
        .map(|r| {
            let f = &r.row.finding;
            json!({
                "id": f.id.to_string(),
                "number": f.number,
                "title": f.title,
                "status": r.row.status.status.label_in(Lang::Zh),
                "check": r.check.as_ref().map(|c| json!({
                    "id": c.id.to_string(), "date": c.date, "verdict": c.verdict.label_in(Lang::Zh),
                    "method": c.method.label_in(Lang::Zh), "checker": c.checker, "note": c.note,
                    "evidence": json::evidence(&c.evidence),
                })),
            })
        })
        .collect();
    if let Some(o) = value.as_object_mut() {
        let checked = results.iter().filter(|r| r.check.is_some()).count();
        o.insert("checked_count".into(), json!(checked));
        o.insert("as_of".into(), json!(today));
        o.insert("findings".into(), Value::Array(findings));
    }
    value
}

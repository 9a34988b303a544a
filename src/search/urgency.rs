//! 督办紧迫度: how urgently a finding needs supervising (domain.md §6 item 8).
//!
//! A taskwarrior-style score: a sum of independent terms, each a weight times a simple measure,
//! so that anyone can read why one finding outranks another and tune a single weight without
//! re-balancing the rest. Findings rectified in substance (已整改, 已销号) and drafts not yet
//! issued (未启动) score 0: there is nothing left to press the unit for.
//!
//! | Term | Measure | Default weight | Range with defaults |
//! |---|---|---|---|
//! | 超期 overdue | days past the deadline that counts, capped at `overdue_cap_days` (180) | `overdue_per_day` 0.05 | 0 – 9 |
//! | 时限 due | `due_soon` × (1 − days to deadline ÷ `due_horizon_days` (30)), clamped to 0–1; overdue counts as due today | `due_soon` 4.0 | 0 – 4 |
//! | 方式 mode | 立行立改 / 分阶段整改 / 持续整改 | `mode_immediate` 2.0, `mode_staged` 1.0, `mode_long_term` 0.0 | 0 – 2 |
//! | 金额 amount | log₁₀(1 + 涉及金额 in 万元): 10万 ≈ 1, 100万 ≈ 2, 1亿 ≈ 4, capped at `amount_cap` | `amount_per_decade` 1.0, `amount_cap` 5.0 | 0 – 5 |
//! | 报人大 congress | flag 纳入审计工作报告 / 报人大 | `congress` 3.0 | 0 / 3 |
//! | 领导批示 instruction | flag 领导批示 | `leader_instruction` 3.0 | 0 / 3 |
//! | 上级交办 assigned | flag 上级审计机关交办 | `upper_assigned` 2.5 | 0 / 2.5 |
//! | 重点督办 key | flag 重点督办 | `key_supervision` 4.0 | 0 / 4 |
//! | 严重程度 severity | 重大 / 较大 (一般 adds nothing) | `severity_major` 2.0, `severity_serious` 1.0 | 0 – 2 |
//! | 屡审屡犯 repeat | repeats an earlier finding, or a later one repeats it | `repeat` 3.0 | 0 / 3 |
//! | 无进展 stale | days since the last progress report or check (or since issue), beyond `stale_grace_days` (30), capped at `stale_cap_days` (150) | `stale_per_day` 0.02 | 0 – 3 |
//! | 待认定 awaiting | a claim waits for the auditor's determination (auditor backlog) | `awaiting_review` 2.0 | 0 / 2 |
//! | 重开 reopened | reopened after closure or a 虚假整改 check | `reopened` 1.5 | 0 / 1.5 |
//!
//! Worked example with the defaults: an immediate (立行立改) 500万元 finding with a 领导批示, 100
//! days overdue, last report 70 days ago: 0.05×100 + 4.0 + 2.0 + log₁₀(501) + 3.0 +
//! 0.02×(70−30) = 5 + 4 + 2 + 2.70 + 3 + 0.8 = 17.5.

use crate::domain::{Mode, Severity};
use crate::ledger::FindingRow;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The tunable weights of the score. `Default` gives the documented values; a config file may
/// set any subset of them (missing fields keep their default).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Weights {
    /// Per day overdue.
    pub overdue_per_day: f64,
    /// Days overdue beyond this add nothing more: a finding a year late is not twice as
    /// pressing as one six months late, and an uncapped term would drown every other one.
    pub overdue_cap_days: i64,
    /// The weight of a deadline that is today (or past).
    pub due_soon: f64,
    /// Deadlines further away than this add nothing.
    pub due_horizon_days: i64,
    pub mode_immediate: f64,
    pub mode_staged: f64,
    pub mode_long_term: f64,
    /// Per power of ten of the amount in 万元.
    pub amount_per_decade: f64,
    pub amount_cap: f64,
    pub congress: f64,
    pub leader_instruction: f64,
    pub upper_assigned: f64,
    pub key_supervision: f64,
    pub severity_major: f64,
    pub severity_serious: f64,
    pub repeat: f64,
    /// Days without progress that are normal between two reports (monthly reporting).
    pub stale_grace_days: i64,
    pub stale_per_day: f64,
    pub stale_cap_days: i64,
    pub awaiting_review: f64,
    pub reopened: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            overdue_per_day: 0.05,
            overdue_cap_days: 180,
            due_soon: 4.0,
            due_horizon_days: 30,
            mode_immediate: 2.0,
            mode_staged: 1.0,
            mode_long_term: 0.0,
            amount_per_decade: 1.0,
            amount_cap: 5.0,
            congress: 3.0,
            leader_instruction: 3.0,
            upper_assigned: 2.5,
            key_supervision: 4.0,
            severity_major: 2.0,
            severity_serious: 1.0,
            repeat: 3.0,
            stale_grace_days: 30,
            stale_per_day: 0.02,
            stale_cap_days: 150,
            awaiting_review: 2.0,
            reopened: 1.5,
        }
    }
}

/// The score split into its terms, for tests and for showing why a finding ranks where it does.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Breakdown {
    pub overdue: f64,
    pub due: f64,
    pub mode: f64,
    pub amount: f64,
    /// 报人大 + 领导批示 + 上级交办 + 重点督办.
    pub flags: f64,
    pub severity: f64,
    pub repeat: f64,
    pub stale: f64,
    pub awaiting: f64,
    pub reopened: f64,
}

impl Breakdown {
    pub fn total(&self) -> f64 {
        self.overdue
            + self.due
            + self.mode
            + self.amount
            + self.flags
            + self.severity
            + self.repeat
            + self.stale
            + self.awaiting
            + self.reopened
    }
}

/// The 督办紧迫度 of a finding on `today`. `repeated` says whether it is part of a 屡审屡犯
/// chain (it repeats an earlier finding, or a later one repeats it).
pub fn urgency(row: &FindingRow, today: NaiveDate, repeated: bool, w: &Weights) -> f64 {
    breakdown(row, today, repeated, w).total()
}

/// Days since anything happened on an issued finding: since its last progress report or check,
/// or since it was issued if nothing came in yet. `None` for a draft.
pub fn days_without_progress(row: &FindingRow, today: NaiveDate) -> Option<i64> {
    let issued = row.finding.issued_on.filter(|d| *d <= today)?;
    let since = row.status.last_activity.map_or(issued, |a| a.max(issued));
    Some((today - since).num_days().max(0))
}

/// The terms of [`urgency`], each already weighted.
pub fn breakdown(row: &FindingRow, today: NaiveDate, repeated: bool, w: &Weights) -> Breakdown {
    let status = row.status.status;
    if status.is_rectified() || status == crate::domain::Status::NotStarted {
        return Breakdown::default();
    }
    let f = &row.finding;
    let s = &row.status;
    let overdue_days = s.days_overdue.clamp(0, w.overdue_cap_days.max(0));
    let due = match s.days_to_due {
        _ if s.overdue => 1.0,
        Some(days) if w.due_horizon_days > 0 => {
            (1.0 - days as f64 / w.due_horizon_days as f64).clamp(0.0, 1.0)
        }
        _ => 0.0,
    };
    let mode = match f.mode {
        Mode::Immediate => w.mode_immediate,
        Mode::Staged => w.mode_staged,
        Mode::LongTerm => w.mode_long_term,
    };
    // Money in 万元; log(1 + x) so that small amounts add little and no amount adds nothing.
    let wan = f
        .amount
        .map_or(0.0, |m| m.fen().max(0) as f64 / 1_000_000.0);
    let amount = (w.amount_per_decade * (1.0 + wan).log10()).min(w.amount_cap);
    let flag = |on: bool, weight: f64| if on { weight } else { 0.0 };
    let flags = flag(f.flags.report_to_congress, w.congress)
        + flag(f.flags.leader_instruction, w.leader_instruction)
        + flag(f.flags.upper_assigned, w.upper_assigned)
        + flag(f.flags.key_supervision, w.key_supervision);
    let severity = match f.severity {
        Severity::Major => w.severity_major,
        Severity::Serious => w.severity_serious,
        Severity::General => 0.0,
    };
    let stale_days = days_without_progress(row, today).unwrap_or(0);
    let stale_days = (stale_days - w.stale_grace_days).clamp(0, w.stale_cap_days.max(0));
    Breakdown {
        overdue: w.overdue_per_day * overdue_days as f64,
        due: w.due_soon * due,
        mode,
        amount,
        flags,
        severity,
        repeat: flag(repeated, w.repeat),
        stale: w.stale_per_day * stale_days as f64,
        awaiting: flag(
            status == crate::domain::Status::AwaitingReview,
            w.awaiting_review,
        ),
        reopened: flag(s.reopened, w.reopened),
    }
}

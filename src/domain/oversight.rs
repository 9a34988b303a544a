//! Pressure and follow-through: 移送 (referrals to other organs), 督办 (supervision steps) and
//! check plans (the 回头看 scope a new project takes on, or any planned round of checks).

use super::ids::Id;
use super::validate::{Checker, FieldError, MAX_NAME, MAX_SHORT, MAX_TEXT, MAX_TITLE};
use super::vocab::{CheckKind, ReferralReceiver, ReferralStatus, SupervisionKind};
use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 移送: a clue handed to 纪委监委, 公安, 主管部门 … through an 审计事项移送处理书. A document
/// covering several findings is one record per finding sharing the 文号. The receiver's progress
/// (status, feedback) is updated field by field, so its history shows every step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub id: Id,
    pub finding: Id,
    /// The day it was sent.
    pub date: NaiveDate,
    pub recorded_by: String,
    pub receiver: ReferralReceiver,
    /// 审计事项移送处理书 文号.
    pub doc_no: String,
    pub summary: String,
    /// 涉及人数.
    pub persons: u32,
    pub feedback_due: Option<NaiveDate>,
    pub status: ReferralStatus,
    pub feedback_on: Option<NaiveDate>,
    pub feedback: String,
    pub archived: bool,
}

impl Referral {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line(
            "recorded_by",
            ("登记人", "recorded by"),
            &self.recorded_by,
            MAX_SHORT,
        );
        c.line(
            "doc_no",
            ("移送文号", "document number"),
            &self.doc_no,
            MAX_NAME,
        );
        c.text("summary", ("移送事项", "summary"), &self.summary, MAX_TEXT);
        c.text(
            "feedback",
            ("反馈情况", "feedback"),
            &self.feedback,
            MAX_TEXT,
        );
        if self.feedback_due.is_some_and(|d| d < self.date) {
            c.fail(
                "feedback_due",
                Msg::new(
                    "反馈期限不能早于移送日期",
                    "feedback cannot be due before the referral was sent",
                ),
            );
        }
        if self.feedback_on.is_some_and(|d| d < self.date) {
            c.fail(
                "feedback_on",
                Msg::new(
                    "反馈日期不能早于移送日期",
                    "feedback cannot come before the referral was sent",
                ),
            );
        }
        c.into_result()
    }
}

/// 督办: one escalation step on a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supervision {
    pub id: Id,
    pub finding: Id,
    pub date: NaiveDate,
    pub by: String,
    pub kind: SupervisionKind,
    /// The unit pressed (usually the lead unit).
    pub target_unit: Option<Id>,
    pub summary: String,
    pub response_due: Option<NaiveDate>,
    pub archived: bool,
}

impl Supervision {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line("by", ("经办人", "by"), &self.by, MAX_SHORT);
        c.text("summary", ("督办内容", "summary"), &self.summary, MAX_TEXT);
        if self.response_due.is_some_and(|d| d <= self.date) {
            c.fail(
                "response_due",
                Msg::new(
                    "回复期限应晚于督办日期",
                    "the response must be due after the supervision",
                ),
            );
        }
        c.into_result()
    }
}

/// A planned round of checks: the 回头看 scope written into a new project's 实施方案, a 专项督查,
/// a 人大督察 … Its results are the checks that name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckPlan {
    pub id: Id,
    pub kind: CheckKind,
    pub title: String,
    /// The project whose 实施方案 carries the plan (for 回头看).
    pub project: Option<Id>,
    /// The unit checked, when the plan is about one unit.
    pub unit: Option<Id>,
    pub findings: Vec<Id>,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub team: String,
    pub created_by: String,
    pub archived: bool,
}

impl CheckPlan {
    /// Whether checks made on `date` belong to this plan's round.
    pub fn is_running_on(&self, date: NaiveDate) -> bool {
        !self.archived && self.start <= date && self.end.is_none_or(|end| date <= end)
    }

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line("title", ("计划名称", "title"), &self.title, MAX_TITLE);
        c.optional_line("team", ("检查组", "team"), &self.team, MAX_NAME);
        c.line(
            "created_by",
            ("制定人", "created by"),
            &self.created_by,
            MAX_SHORT,
        );
        if self.findings.is_empty() {
            c.fail(
                "findings",
                Msg::new(
                    "检查计划至少包含一个问题",
                    "a check plan needs at least one finding",
                ),
            );
        }
        if self.end.is_some_and(|end| end < self.start) {
            c.fail(
                "end",
                Msg::new(
                    "结束日期不能早于开始日期",
                    "the plan cannot end before it starts",
                ),
            );
        }
        let mut seen = std::collections::HashSet::new();
        if self.findings.iter().any(|f| !seen.insert(*f)) {
            c.fail(
                "findings",
                Msg::new(
                    "检查计划中有重复的问题",
                    "a finding is listed twice in the plan",
                ),
            );
        }
        c.into_result()
    }
}

//! The append-only records that move a finding through its life: progress reports (claims),
//! determinations, closures, reopenings and follow-up checks (回头看). Each is its own record
//! with who and when, never an overwrite of the finding (the Pentana lesson, domain.md §4).

use super::evidence::{EvidenceEntry, KindAmount, check_amounts, check_evidence};
use super::ids::Id;
use super::money::Money;
use super::shared_text::SharedText;
use super::validate::{Checker, FieldError, MAX_SHORT, MAX_TEXT};
use super::vocab::{
    Channel, CheckKind, CheckMethod, CheckVerdict, ClaimedStatus, ReopenReason, ReviewMethod,
    ReviewVerdict,
};
use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// 跟踪检查 / 回头看: an auditor's check of a finding.
///
/// `checker` is `Arc<str>`: the same few auditors make thousands of checks, so the checks
/// loaded together share one copy of each name (`SharedText`). serde writes it exactly as a
/// `String`, so stored ledgers are unchanged (tested below).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpCheck {
    pub id: Id,
    pub finding: Id,
    pub date: NaiveDate,
    pub checker: Arc<str>,
    pub kind: CheckKind,
    pub method: CheckMethod,
    pub verdict: CheckVerdict,
    pub note: String,
    pub next_check: Option<NaiveDate>,
    /// The new project whose 实施方案 included this 回头看, if any.
    pub project: Option<Id>,
    pub archived: bool,
    /// The check plan whose round this check belongs to (schema 2).
    #[serde(default)]
    pub plan: Option<Id>,
    /// What the checker saw: photos, vouchers … (schema 2).
    #[serde(default)]
    pub evidence: Vec<EvidenceEntry>,
}

/// 整改进展: what the unit reports (a claim, decided by an auditor later).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    pub id: Id,
    pub finding: Id,
    pub date: NaiveDate,
    pub submitted_by: String,
    pub narrative: String,
    pub measures: String,
    pub reason_if_incomplete: String,
    pub next_steps: String,
    pub claimed: ClaimedStatus,
    /// 整改金额 claimed in total (of the finding's 涉及金额).
    pub amount_rectified: Option<Money>,
    pub archived: bool,
    /// How the report reached the ledger (schema 2).
    #[serde(default = "typed_in")]
    pub channel: Channel,
    /// A new deadline the unit asks for (schema 2).
    #[serde(default)]
    pub requested_deadline: Option<NaiveDate>,
    /// The claimed amounts by kind: 上缴财政, 归还原资金渠道 … (schema 2).
    #[serde(default)]
    pub amounts: Vec<KindAmount>,
    /// 佐证材料 (schema 2).
    #[serde(default)]
    pub evidence: Vec<EvidenceEntry>,
}

fn typed_in() -> Channel {
    Channel::Typed
}

/// 整改结果认定: the auditor's determination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Determination {
    pub id: Id,
    pub finding: Id,
    pub date: NaiveDate,
    pub reviewer: String,
    pub method: ReviewMethod,
    pub verdict: ReviewVerdict,
    /// Which 认定标准 clause was applied.
    pub standard: String,
    pub opinion: String,
    /// 整改金额 confirmed in total.
    pub amount_confirmed: Option<Money>,
    pub archived: bool,
    /// The confirmed amounts by kind (schema 2).
    #[serde(default)]
    pub amounts: Vec<KindAmount>,
    /// What the determination rests on (schema 2).
    #[serde(default)]
    pub evidence: Vec<EvidenceEntry>,
}

/// 对账销号: the finding is struck off the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Closure {
    pub id: Id,
    pub finding: Id,
    pub date: NaiveDate,
    pub closed_by: String,
    pub remark: String,
    pub archived: bool,
}

/// A closed finding opened again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reopen {
    pub id: Id,
    pub finding: Id,
    pub date: NaiveDate,
    pub by: String,
    pub reason: ReopenReason,
    pub note: String,
    pub archived: bool,
}

fn check_person(c: &mut Checker, field: &'static str, label: (&str, &str), value: &str) {
    c.line(field, label, value, MAX_SHORT);
}

impl FollowUpCheck {
    /// Point the checker's name at `texts`' copy, so the checks loaded together hold one copy
    /// of each auditor's name.
    pub fn share_texts(&mut self, texts: &mut SharedText) {
        texts.share(&mut self.checker);
    }

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        check_person(&mut c, "checker", ("检查人", "checker"), &self.checker);
        c.text("note", ("检查情况", "note"), &self.note, MAX_TEXT);
        check_evidence(&mut c, "evidence", &self.evidence);
        if let Some(next) = self.next_check
            && next <= self.date
        {
            c.fail(
                "next_check",
                Msg::new(
                    "下次检查日期应晚于本次检查日期",
                    "the next check must come after this one",
                ),
            );
        }
        c.into_result()
    }
}

impl ProgressReport {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        check_person(
            &mut c,
            "submitted_by",
            ("报送人", "submitted by"),
            &self.submitted_by,
        );
        c.text(
            "narrative",
            ("整改情况", "narrative"),
            &self.narrative,
            MAX_TEXT,
        );
        c.text(
            "measures",
            ("整改措施", "measures"),
            &self.measures,
            MAX_TEXT,
        );
        c.text(
            "reason_if_incomplete",
            ("未完成原因", "reason"),
            &self.reason_if_incomplete,
            MAX_TEXT,
        );
        c.text(
            "next_steps",
            ("下一步措施", "next steps"),
            &self.next_steps,
            MAX_TEXT,
        );
        if self.amount_rectified.is_some_and(|m| m.fen() < 0) {
            c.fail(
                "amount_rectified",
                Msg::new(
                    "整改金额不能为负数",
                    "the rectified amount cannot be negative",
                ),
            );
        }
        if self.requested_deadline.is_some_and(|d| d <= self.date) {
            c.fail(
                "requested_deadline",
                Msg::new(
                    "申请的新时限应晚于报送日期",
                    "the requested deadline must come after the report",
                ),
            );
        }
        check_amounts(&mut c, "amounts", &self.amounts);
        check_evidence(&mut c, "evidence", &self.evidence);
        c.into_result()
    }
}

impl Determination {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        check_person(&mut c, "reviewer", ("认定人", "reviewer"), &self.reviewer);
        c.text(
            "standard",
            ("认定标准", "standard"),
            &self.standard,
            MAX_TEXT,
        );
        c.text("opinion", ("认定意见", "opinion"), &self.opinion, MAX_TEXT);
        if self.amount_confirmed.is_some_and(|m| m.fen() < 0) {
            c.fail(
                "amount_confirmed",
                Msg::new(
                    "认定金额不能为负数",
                    "the confirmed amount cannot be negative",
                ),
            );
        }
        check_amounts(&mut c, "amounts", &self.amounts);
        check_evidence(&mut c, "evidence", &self.evidence);
        c.into_result()
    }
}

impl Closure {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        check_person(
            &mut c,
            "closed_by",
            ("销号人", "closed by"),
            &self.closed_by,
        );
        c.text("remark", ("备注", "remark"), &self.remark, MAX_TEXT);
        c.into_result()
    }
}

impl Reopen {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        check_person(&mut c, "by", ("经办人", "by"), &self.by);
        c.text("note", ("说明", "note"), &self.note, MAX_TEXT);
        c.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocab::EvidenceKind;
    use crate::store::codec::{self, CODEC_BINCODE};
    use crate::store::{EntityKind, Record, decode_record, encode_record};

    /// `FollowUpCheck` as releases up to schema 2 declared it, with a `String` checker: the
    /// same fields in the same order and the same serde attributes, so the same bytes.
    #[derive(Serialize)]
    struct ReleasedCheck {
        id: Id,
        finding: Id,
        date: NaiveDate,
        checker: String,
        kind: CheckKind,
        method: CheckMethod,
        verdict: CheckVerdict,
        note: String,
        next_check: Option<NaiveDate>,
        project: Option<Id>,
        archived: bool,
        #[serde(default)]
        plan: Option<Id>,
        #[serde(default)]
        evidence: Vec<EvidenceEntry>,
    }

    impl From<FollowUpCheck> for ReleasedCheck {
        fn from(c: FollowUpCheck) -> ReleasedCheck {
            // No `..`: a field added to `FollowUpCheck` must be added here too.
            let FollowUpCheck {
                id,
                finding,
                date,
                checker,
                kind,
                method,
                verdict,
                note,
                next_check,
                project,
                archived,
                plan,
                evidence,
            } = c;
            ReleasedCheck {
                id,
                finding,
                date,
                checker: checker.to_string(),
                kind,
                method,
                verdict,
                note,
                next_check,
                project,
                archived,
                plan,
                evidence,
            }
        }
    }

    fn full_check() -> FollowUpCheck {
        let date = NaiveDate::from_ymd_opt(2023, 3, 1).unwrap();
        FollowUpCheck {
            id: Id::new(),
            finding: Id::new(),
            date,
            checker: "王审计".into(),
            kind: CheckKind::LookBack,
            method: CheckMethod::SiteVisit,
            verdict: CheckVerdict::Partial,
            note: "现场抽查发现问题反弹。".into(),
            next_check: NaiveDate::from_ymd_opt(2023, 9, 1),
            project: Some(Id::new()),
            archived: false,
            plan: Some(Id::new()),
            evidence: vec![EvidenceEntry {
                file_name: "现场照片.jpg".into(),
                kind: EvidenceKind::SitePhoto,
                doc_no: String::new(),
                sha256: Some("ab".repeat(32)),
                size: Some(2048),
            }],
        }
    }

    #[test]
    fn a_shared_checker_keeps_the_released_bincode_and_json() {
        let c = full_check();
        let released = ReleasedCheck::from(c.clone());
        assert_eq!(
            codec::bincode_encode(&c).unwrap(),
            codec::bincode_encode(&released).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&c).unwrap(),
            serde_json::to_string(&released).unwrap()
        );
    }

    #[test]
    fn a_check_written_with_a_string_checker_opens() {
        let c = full_check();
        let record = Record::Check(c.clone());
        let bytes = encode_record(&record).unwrap();
        let payload = codec::bincode_encode(&ReleasedCheck::from(c)).unwrap();
        let old = codec::seal(CODEC_BINCODE, &payload);
        assert_eq!(old, bytes);
        assert_eq!(decode_record(EntityKind::Check, &old).unwrap(), record);
    }
}

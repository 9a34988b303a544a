//! 审计查出问题: the centre of the model (domain.md §7.3).

use super::ids::Id;
use super::money::Money;
use super::shared_text::SharedText;
use super::validate::{Checker, FieldError, MAX_NAME, MAX_SHORT, MAX_TEXT, MAX_TITLE};
use super::vocab::{FindingSource, Mode, Severity, StatClass, UnitRole, UnresolvedReason};
use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Its text and lists are `Box<str>` / `Box<[T]>`, not `String` / `Vec`: the TUI holds a finding
/// per row (100,000 and more) and these never grow in place, so the capacity word is 12 × 8
/// bytes wasted per finding. The three texts that repeat across a ledger (`category`,
/// `responsible_person`, `auditor`: a few dozen distinct values) are `Arc<str>`, so the
/// findings loaded together can share one copy of each value (`SharedText`) instead of one heap
/// allocation per finding. serde writes all of them exactly as `String` / `Vec`, in bincode and
/// JSON, so stored ledgers are unchanged (tested below).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: Id,
    pub project: Id,
    /// Display number, unique within its project, e.g. `2022-03-07`.
    pub number: Box<str>,
    /// 问题摘要.
    pub title: Box<str>,
    /// 问题描述 (the facts).
    pub facts: Box<str>,
    pub stat_class: StatClass,
    /// 问题类别 (business domain, free text until a configured hierarchy exists).
    pub category: Arc<str>,
    /// 定性依据.
    pub legal_basis: Box<str>,
    pub severity: Severity,
    /// 涉及金额.
    pub amount: Option<Money>,
    /// 审计建议 / 整改要求.
    pub recommendation: Box<str>,
    /// 整改责任单位 with role 牵头 / 配合.
    pub units: Box<[ResponsibleUnit]>,
    /// 责任人 at the unit.
    pub responsible_person: Arc<str>,
    /// The auditor who follows it up.
    pub auditor: Arc<str>,
    pub mode: Mode,
    /// 边审边改: rectified during the audit itself.
    pub during_audit: bool,
    pub during_audit_amount: Option<Money>,
    /// When the problem list was issued to the unit; `None` while it is a draft.
    pub issued_on: Option<NaiveDate>,
    /// 整改时限.
    pub deadline: NaiveDate,
    /// 分阶段 / 持续整改 timetable.
    pub milestones: Box<[Milestone]>,
    pub flags: FindingFlags,
    /// 屡审屡犯: earlier findings this one repeats.
    pub repeat_of: Box<[Id]>,
    pub unresolved_reason: Option<UnresolvedReason>,
    /// Why it cannot be finished yet (the 三个区分开来 analysis).
    pub justification: Box<str>,
    pub source: FindingSource,
    pub archived: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponsibleUnit {
    pub unit: Id,
    pub role: UnitRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub title: String,
    pub due: NaiveDate,
    pub done_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingFlags {
    /// 纳入审计工作报告 / 报人大.
    pub report_to_congress: bool,
    /// 领导批示.
    pub leader_instruction: bool,
    /// 上级审计机关交办.
    pub upper_assigned: bool,
    /// 重点督办.
    pub key_supervision: bool,
}

impl Finding {
    pub fn new(project: Id, number: &str, title: &str, deadline: NaiveDate) -> Finding {
        Finding {
            id: Id::new(),
            project,
            number: number.into(),
            title: title.into(),
            facts: Box::default(),
            stat_class: StatClass::Irregular,
            category: Arc::default(),
            legal_basis: Box::default(),
            severity: Severity::General,
            amount: None,
            recommendation: Box::default(),
            units: Box::default(),
            responsible_person: Arc::default(),
            auditor: Arc::default(),
            mode: Mode::Immediate,
            during_audit: false,
            during_audit_amount: None,
            issued_on: None,
            deadline,
            milestones: Box::default(),
            flags: FindingFlags::default(),
            repeat_of: Box::default(),
            unresolved_reason: None,
            justification: Box::default(),
            source: FindingSource::ThisAudit,
            archived: false,
        }
    }

    /// Point the texts that repeat across a ledger (category, responsible person, auditor) at
    /// `texts`' copies, so the findings loaded together hold one copy of each value.
    pub fn share_texts(&mut self, texts: &mut SharedText) {
        texts.share(&mut self.category);
        texts.share(&mut self.responsible_person);
        texts.share(&mut self.auditor);
    }

    /// The 牵头 unit (the first one if the data has several).
    pub fn lead_unit(&self) -> Option<Id> {
        self.units
            .iter()
            .find(|u| u.role == UnitRole::Lead)
            .map(|u| u.unit)
    }

    /// The milestone that is current on `date`: the first one not done by then.
    pub fn current_milestone(&self, date: NaiveDate) -> Option<&Milestone> {
        let mut open: Vec<&Milestone> = self
            .milestones
            .iter()
            .filter(|m| m.done_on.is_none_or(|done| done > date))
            .collect();
        open.sort_by_key(|m| m.due);
        open.into_iter().next()
    }

    /// The deadline that counts on `date`: for 持续整改 the current milestone's, else the
    /// finding's own. `None` when a long-term item has met all its milestones.
    pub fn effective_deadline(&self, date: NaiveDate) -> Option<NaiveDate> {
        if self.mode == Mode::LongTerm && !self.milestones.is_empty() {
            self.current_milestone(date).map(|m| m.due)
        } else {
            Some(self.deadline)
        }
    }

    /// Checks the finding on its own; links to other records are checked by the ledger.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line(
            "number",
            ("问题编号", "finding number"),
            &self.number,
            MAX_SHORT,
        );
        c.line("title", ("问题摘要", "title"), &self.title, MAX_TITLE);
        c.text("facts", ("问题描述", "facts"), &self.facts, MAX_TEXT);
        c.optional_line(
            "category",
            ("问题类别", "category"),
            &self.category,
            MAX_NAME,
        );
        c.text(
            "legal_basis",
            ("定性依据", "legal basis"),
            &self.legal_basis,
            MAX_TEXT,
        );
        c.text(
            "recommendation",
            ("审计建议", "recommendation"),
            &self.recommendation,
            MAX_TEXT,
        );
        c.optional_line(
            "responsible_person",
            ("责任人", "responsible person"),
            &self.responsible_person,
            MAX_SHORT,
        );
        c.optional_line(
            "auditor",
            ("跟踪审计人员", "auditor in charge"),
            &self.auditor,
            MAX_SHORT,
        );
        c.text(
            "justification",
            ("原因说明", "justification"),
            &self.justification,
            MAX_TEXT,
        );
        self.check_units(&mut c);
        self.check_money(&mut c);
        self.check_dates(&mut c);
        self.check_long_term(&mut c);
        if self.repeat_of.contains(&self.id) {
            c.fail(
                "repeat_of",
                Msg::new("问题不能标记为重复自身", "a finding cannot repeat itself"),
            );
        }
        c.into_result()
    }

    fn check_units(&self, c: &mut Checker) {
        let leads = self
            .units
            .iter()
            .filter(|u| u.role == UnitRole::Lead)
            .count();
        if leads == 0 {
            c.fail(
                "units",
                Msg::new(
                    "至少需要一个牵头整改责任单位",
                    "at least one lead responsible unit is required",
                ),
            );
        }
        let mut seen = std::collections::HashSet::new();
        if self.units.iter().any(|u| !seen.insert(u.unit)) {
            c.fail(
                "units",
                Msg::new("同一责任单位重复列出", "a responsible unit is listed twice"),
            );
        }
    }

    fn check_money(&self, c: &mut Checker) {
        if self.amount.is_some_and(|m| m.fen() < 0) {
            c.fail(
                "amount",
                Msg::new(
                    "涉及金额不能为负数",
                    "the amount involved cannot be negative",
                ),
            );
        }
        match (self.during_audit, self.during_audit_amount) {
            (false, Some(m)) if !m.is_zero() => c.fail(
                "during_audit_amount",
                Msg::new(
                    "未标记边审边改，却填写了边审边改金额",
                    "an amount rectified during the audit needs the 边审边改 flag",
                ),
            ),
            (_, Some(m)) if m.fen() < 0 => c.fail(
                "during_audit_amount",
                Msg::new(
                    "边审边改金额不能为负数",
                    "the amount rectified during the audit cannot be negative",
                ),
            ),
            (_, Some(m)) if self.amount.is_some_and(|a| m > a) => c.fail(
                "during_audit_amount",
                Msg::new(
                    "边审边改金额超过涉及金额",
                    "the amount rectified during the audit exceeds the amount involved",
                ),
            ),
            _ => {}
        }
    }

    fn check_dates(&self, c: &mut Checker) {
        if let Some(issued) = self.issued_on
            && self.deadline < issued
        {
            c.fail(
                "deadline",
                Msg::new(
                    "整改时限早于下发日期",
                    "the deadline is before the date the finding was issued",
                ),
            );
        }
        for m in &self.milestones {
            c.line("milestones", ("阶段目标", "milestone"), &m.title, MAX_TITLE);
            if let Some(issued) = self.issued_on
                && m.due < issued
            {
                c.fail(
                    "milestones",
                    Msg::new(
                        format!("阶段目标“{}”的时限早于下发日期", m.title),
                        format!(
                            "milestone \"{}\" is due before the finding was issued",
                            m.title
                        ),
                    ),
                );
            }
        }
    }

    /// 持续整改 needs a timetable, a reason and a justification (domain.md §2.5, §7.4).
    fn check_long_term(&self, c: &mut Checker) {
        if self.mode != Mode::LongTerm {
            return;
        }
        if self.milestones.is_empty() {
            c.fail(
                "milestones",
                Msg::new(
                    "持续整改须列出阶段目标（时间表）",
                    "a long-term item needs milestones (a timetable)",
                ),
            );
        }
        if self.unresolved_reason.is_none() {
            c.fail(
                "unresolved_reason",
                Msg::new(
                    "持续整改须选择未完成原因",
                    "a long-term item needs a reason",
                ),
            );
        }
        if self.justification.trim().is_empty() {
            c.fail(
                "justification",
                Msg::new(
                    "持续整改须填写原因说明",
                    "a long-term item needs a justification",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::{self, CODEC_BINCODE};
    use crate::store::{EntityKind, Record, decode_record, encode_record};

    /// `Finding` as releases up to schema 2 declared it, with `String` and `Vec` fields: the
    /// same fields in the same order, so it must serialize to the same bytes.
    #[derive(Serialize)]
    struct ReleasedFinding {
        id: Id,
        project: Id,
        number: String,
        title: String,
        facts: String,
        stat_class: StatClass,
        category: String,
        legal_basis: String,
        severity: Severity,
        amount: Option<Money>,
        recommendation: String,
        units: Vec<ResponsibleUnit>,
        responsible_person: String,
        auditor: String,
        mode: Mode,
        during_audit: bool,
        during_audit_amount: Option<Money>,
        issued_on: Option<NaiveDate>,
        deadline: NaiveDate,
        milestones: Vec<Milestone>,
        flags: FindingFlags,
        repeat_of: Vec<Id>,
        unresolved_reason: Option<UnresolvedReason>,
        justification: String,
        source: FindingSource,
        archived: bool,
    }

    impl From<Finding> for ReleasedFinding {
        fn from(f: Finding) -> ReleasedFinding {
            // No `..`: a field added to `Finding` must be added here too.
            let Finding {
                id,
                project,
                number,
                title,
                facts,
                stat_class,
                category,
                legal_basis,
                severity,
                amount,
                recommendation,
                units,
                responsible_person,
                auditor,
                mode,
                during_audit,
                during_audit_amount,
                issued_on,
                deadline,
                milestones,
                flags,
                repeat_of,
                unresolved_reason,
                justification,
                source,
                archived,
            } = f;
            ReleasedFinding {
                id,
                project,
                number: number.into(),
                title: title.into(),
                facts: facts.into(),
                stat_class,
                category: category.to_string(),
                legal_basis: legal_basis.into(),
                severity,
                amount,
                recommendation: recommendation.into(),
                units: units.into(),
                responsible_person: responsible_person.to_string(),
                auditor: auditor.to_string(),
                mode,
                during_audit,
                during_audit_amount,
                issued_on,
                deadline,
                milestones: milestones.into(),
                flags,
                repeat_of: repeat_of.into(),
                unresolved_reason,
                justification: justification.into(),
                source,
                archived,
            }
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Every string, list and option filled in, so each field's encoding is exercised.
    fn full_finding() -> Finding {
        let mut f = Finding::new(Id::new(), "2022-03-07", "预算编制不够细化", d(2023, 6, 30));
        f.facts = "代编预算占比27%，年中追加调整频繁。".into();
        f.category = "预算管理".into();
        f.legal_basis = "《预算法》第三十二条".into();
        f.severity = Severity::Serious;
        f.amount = Some(Money(12_345_600));
        f.recommendation = "细化预算编制，减少代编。".into();
        f.units = Box::new([
            ResponsibleUnit {
                unit: Id::new(),
                role: UnitRole::Lead,
            },
            ResponsibleUnit {
                unit: Id::new(),
                role: UnitRole::Assist,
            },
        ]);
        f.responsible_person = "张科长".into();
        f.auditor = "王审计".into();
        f.mode = Mode::LongTerm;
        f.during_audit = true;
        f.during_audit_amount = Some(Money(100_000));
        f.issued_on = Some(d(2022, 8, 1));
        f.milestones = Box::new([
            Milestone {
                title: "制定整改方案".into(),
                due: d(2022, 12, 31),
                done_on: Some(d(2022, 12, 20)),
            },
            Milestone {
                title: "完成制度修订".into(),
                due: d(2023, 6, 30),
                done_on: None,
            },
        ]);
        f.flags.key_supervision = true;
        f.repeat_of = Box::new([Id::new(), Id::new()]);
        f.unresolved_reason = Some(UnresolvedReason::Institutional);
        f.justification = "涉及体制机制调整，需分年度推进。".into();
        f.source = FindingSource::UpperAssigned;
        f
    }

    #[test]
    fn boxed_and_shared_fields_keep_the_released_bincode_and_json() {
        let f = full_finding();
        let released = ReleasedFinding::from(f.clone());
        assert_eq!(
            codec::bincode_encode(&f).unwrap(),
            codec::bincode_encode(&released).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            serde_json::to_string(&released).unwrap()
        );
    }

    #[test]
    fn a_finding_round_trips_through_the_record_encoding() {
        let f = full_finding();
        let record = Record::Finding(f.clone());
        let bytes = encode_record(&record).unwrap();
        assert_eq!(decode_record(EntityKind::Finding, &bytes).unwrap(), record);
        // A value written from the `String`/`Vec` layout (an existing ledger) opens too.
        let payload = codec::bincode_encode(&ReleasedFinding::from(f)).unwrap();
        let old = codec::seal(CODEC_BINCODE, &payload);
        assert_eq!(old, bytes);
        assert_eq!(decode_record(EntityKind::Finding, &old).unwrap(), record);
    }
}

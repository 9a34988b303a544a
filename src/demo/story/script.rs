//! What happens to each finding over time: the records each scene writes.

use super::*;
use crate::domain::{AccountabilityMeasure, SupervisionKind};

mod effects;

/// 整改情况 by claimed status, in the order of `ClaimedStatus` ({u} unit, {t} title), then a
/// later 整改中 update.
const NARRATIVES: [&str; 5] = [
    "{u}成立了由主要负责同志任组长的整改领导小组，正在逐项推进“{t}”问题整改。",
    "{u}针对“{t}”问题召开专题会议研究部署，逐项落实审计整改要求，现已整改到位，报送整改报告及佐证材料。",
    "{u}已制定整改实施方案，“{t}”问题已完成部分整改，剩余事项正在推进。",
    "“{t}”问题短期内难以整改到位，{u}申请列为持续整改事项，并报送整改时间表和路线图。",
    "{u}按月报送“{t}”问题整改进展：本期已落实部分整改措施，剩余事项正在按计划推进。",
];

/// 整改措施 by `StatClass`.
const MEASURES: [&str; 4] = [
    "已将相关资金缴回国库或归还原资金渠道，取得缴款凭证；对相关责任人员进行批评教育。",
    "修订完善内部管理制度，调整相关会计账目，加强资金审核把关。",
    "查明损失原因，追回相关款项，对相关责任人员进行追责问责。",
    "完善议事决策和内部控制制度，组织财经法规专题学习培训。",
];

/// 认定标准 for 已整改, by `StatClass`.
const RECTIFIED_STANDARDS: [&str; 4] = [
    "认定标准第3条：资金已缴入国库或归还原资金渠道，并取得缴款凭证",
    "认定标准第5条：账务已调整或资金已拨付使用，并提供相关凭证",
    "认定标准第4条：损失已追回或已追究相关人员责任",
    "认定标准第7条：已制定完善相关制度并印发执行",
];

/// 认定标准 for the other verdicts, in the order of `ReviewVerdict`.
const STANDARDS: [&str; 5] = [
    "",
    "认定标准第9条：整改措施已部分落实，整改金额或事项未全部到位",
    "认定标准第10条：整改期限届满，佐证材料不足以证明整改到位",
    "认定标准第11条：因体制机制等原因短期内无法完成，已制定时间表和路线图",
    "认定标准第12条：佐证材料与实际情况不符，不予认定",
];

/// 认定意见 by `ReviewVerdict` ({m} the review method).
const OPINIONS: [&str; 5] = [
    "经{m}，{u}提供的佐证材料充分、适当，整改措施和效果符合要求，认定为已整改。",
    "经{m}，{u}已落实部分整改措施，但尚有事项未整改到位，认定为部分整改，请继续推进。",
    "经{m}，{u}报送的材料不足以证明整改到位，认定为未整改。",
    "经{m}，该问题短期内确难整改到位，{u}报送的时间表和路线图可行，同意列为持续整改，按阶段目标跟踪。",
    "经{m}，{u}报送的整改材料与实际情况不符，不予认定，请重新整改。",
];

/// Writes one finding's records in date order; a record that would fall after `today` ends the
/// script, so whatever is kept is always a consistent beginning of the story.
struct Script<'a> {
    f: &'a Finding,
    lead: Option<&'a Unit>,
    reviewer: &'a str,
    closer: &'a str,
    today: NaiveDate,
    last: Option<NaiveDate>,
    stopped: bool,
    out: Vec<Record>,
}

impl Script<'_> {
    fn slot(&mut self, want: NaiveDate) -> Option<NaiveDate> {
        let issued = self.f.issued_on?;
        let floor = self.last.map_or(issued, |d| plus(d, 1));
        let date = want.max(floor);
        if self.stopped || date > self.today {
            self.stopped = true;
            return None;
        }
        self.last = Some(date);
        Some(date)
    }

    fn after(&self, days: i64) -> NaiveDate {
        plus(self.last.or(self.f.issued_on).unwrap_or(self.today), days)
    }

    fn share(&self, pct: i64) -> Option<Money> {
        self.f
            .amount
            .filter(|_| pct > 0)
            .map(|m| Money(m.fen() * pct / 100))
    }

    /// A text template with the unit ({u}), the finding's title ({t}) and a method ({m}).
    fn fill(&self, template: &str, method: &str) -> String {
        let unit = self.lead.map_or("责任单位", |u| u.name.as_str());
        template
            .replace("{u}", unit)
            .replace("{t}", &self.f.title)
            .replace("{m}", method)
    }

    /// The unit's liaison in office on `date` (新官理旧账: the contact changes, the item stays).
    fn liaison(&self, date: NaiveDate) -> String {
        let Some(unit) = self.lead else {
            return "责任单位联络员".to_string();
        };
        let serving = |c: &&Contact| {
            c.valid_from.is_none_or(|d| d <= date) && c.valid_to.is_none_or(|d| d >= date)
        };
        unit.contacts
            .iter()
            .filter(serving)
            .find(|c| c.role == ContactRole::Liaison)
            .or_else(|| unit.contacts.first())
            .map_or_else(|| unit.leader.clone(), |c| c.name.clone())
    }

    fn report(&mut self, want: NaiveDate, claimed: ClaimedStatus, pct: i64) {
        let Some(date) = self.slot(want) else { return };
        let update = claimed == ClaimedStatus::InProgress && !self.out.is_empty();
        let narrative = self.fill(
            NARRATIVES[if update { 4 } else { claimed as usize % 4 }],
            "",
        );
        let mut measures = MEASURES[self.f.stat_class as usize % 4].to_string();
        if self.f.during_audit {
            measures.push_str("审计期间已边审边改。");
        }
        let done = claimed == ClaimedStatus::Rectified;
        let reason = if done {
            String::new()
        } else if self.f.justification.is_empty() {
            "部分事项涉及以前年度，清理需要时间。".to_string()
        } else {
            self.f.justification.to_string()
        };
        let next_steps = if done {
            "建立长效机制，防止问题反弹。"
        } else {
            "按月报送整改进展，确保按期整改到位。"
        };
        self.out.push(Record::Progress(ProgressReport {
            id: Id::new(),
            finding: self.f.id,
            date,
            submitted_by: self.liaison(date),
            narrative,
            measures,
            reason_if_incomplete: reason,
            next_steps: next_steps.to_string(),
            claimed,
            amount_rectified: self.share(pct),
            archived: false,
            channel: crate::domain::Channel::Typed,
            requested_deadline: None,
            amounts: self.amounts(pct),
            evidence: if done {
                self.claim_evidence(date)
            } else {
                Vec::new()
            },
        }));
    }

    fn determine(&mut self, want: NaiveDate, verdict: ReviewVerdict, pct: i64) {
        let Some(date) = self.slot(want) else { return };
        let method = match self.f.stat_class {
            StatClass::Violation | StatClass::NonMonetary => ReviewMethod::WrittenReview,
            StatClass::Irregular => ReviewMethod::SpotCheck,
            StatClass::LossWaste => ReviewMethod::SiteVisit,
        };
        let standard = match verdict {
            ReviewVerdict::Rectified => RECTIFIED_STANDARDS[self.f.stat_class as usize % 4],
            other => STANDARDS[other as usize % 5],
        };
        let opinion = self.fill(OPINIONS[verdict as usize % 5], method.zh());
        self.out.push(Record::Determination(Determination {
            id: Id::new(),
            finding: self.f.id,
            date,
            reviewer: self.reviewer.to_string(),
            method,
            verdict,
            standard: standard.to_string(),
            opinion,
            amount_confirmed: self.share(pct),
            archived: false,
            amounts: self.amounts(pct),
            evidence: Vec::new(),
        }));
        if verdict == ReviewVerdict::Rectified {
            self.outcomes(plus(date, 3), pct);
        }
    }

    fn check(
        &mut self,
        want: NaiveDate,
        kind: CheckKind,
        verdict: CheckVerdict,
        next: Option<NaiveDate>,
        note: &str,
    ) {
        let Some(date) = self.slot(want) else { return };
        let method = match kind {
            CheckKind::LookBack => CheckMethod::SiteVisit,
            CheckKind::DeadlineCheck => CheckMethod::DocumentReview,
            _ => CheckMethod::SpotCheck,
        };
        self.out.push(Record::Check(FollowUpCheck {
            id: Id::new(),
            finding: self.f.id,
            date,
            checker: self.f.auditor.clone(),
            kind,
            method,
            verdict,
            note: note.to_string(),
            next_check: next.map(|n| n.max(plus(date, 1))),
            project: None,
            archived: false,
            plan: None,
            evidence: Vec::new(),
        }));
    }

    fn close(&mut self, want: NaiveDate) {
        let Some(date) = self.slot(want) else { return };
        self.out.push(Record::Closure(Closure {
            id: Id::new(),
            finding: self.f.id,
            date,
            closed_by: self.closer.to_string(),
            remark: "经对账核实，整改佐证材料齐全，同意销号。".to_string(),
            archived: false,
        }));
    }

    fn reopen(&mut self, want: NaiveDate) {
        let Some(date) = self.slot(want) else { return };
        self.out.push(Record::Reopen(Reopen {
            id: Id::new(),
            finding: self.f.id,
            date,
            by: self.reviewer.to_string(),
            reason: ReopenReason::Relapse,
            note: "审计整改回头看发现同类问题再次发生，问题反弹，重新打开并要求限期整改。"
                .to_string(),
            archived: false,
        }));
    }
}

/// Plays a finding's scene and returns its records, oldest first.
pub(super) fn play(
    s: &Spec,
    f: &Finding,
    p: &Project,
    units: &[Unit],
    today: NaiveDate,
) -> Vec<Record> {
    use CheckKind::{DeadlineCheck, LookBack, UpperInspection};
    use ClaimedStatus::{InProgress, Partial, Rectified, RequestLongTerm};
    let mut sc = Script {
        f,
        lead: s.units.first().and_then(|u| find_unit(units, u)),
        reviewer: &p.team.chief,
        closer: &p.team.leader,
        today,
        last: None,
        stopped: false,
        out: Vec::new(),
    };
    let Some(i) = f.issued_on else {
        return Vec::new();
    };
    let (t, j, odd) = (today, s.jitter(), s.seq_no() % 2 == 1);
    let avail = (t - i).num_days().max(3);
    // Early steps shrink for a project issued only weeks ago.
    let early = |n: i64| plus(i, n.min(avail / 3));
    let gap = |n: i64| n.min(avail / 6).max(1);
    let staged = f.mode == Mode::Staged;
    // Serious money problems also go to the discipline commission (纪审联动).
    if f.severity == Severity::Major
        && matches!(f.stat_class, StatClass::Violation | StatClass::LossWaste)
    {
        sc.refer(plus(i, 20));
    }
    match s.scene {
        "C" | "K" | "R" | "F" => {
            sc.report(early(if staged { 150 } else { 45 } + j), Rectified, 100);
            sc.determine(sc.after(gap(15)), ReviewVerdict::Rectified, 100);
            sc.close(sc.after(gap(10)));
            match s.scene {
                // Checked at the deadline and struck off for good: no further check planned.
                "C" => {
                    let on = plus(f.deadline, 5).max(sc.after(5));
                    let note = "到期跟踪检查：整改到位，佐证材料已归档，不再安排检查。";
                    sc.check(on, DeadlineCheck, CheckVerdict::Rectified, None, note);
                }
                // Odd ones were looked at again lately (next look ahead); even ones are due.
                "K" => {
                    let on = if odd {
                        plus(t, -100 - j).max(sc.after(60))
                    } else {
                        sc.after(240 + j * 10)
                    };
                    let next = plus(on, if odd { 180 } else { 365 });
                    let note = "回头看：整改成效巩固，未发现问题反弹。";
                    sc.check(on, LookBack, CheckVerdict::Rectified, Some(next), note);
                }
                // The 回头看 of a later audit found the problem again: the closure is undone.
                "R" => {
                    sc.reopen(plus(t, -50 - j));
                    sc.accountability(sc.after(15), AccountabilityMeasure::Admonition);
                    sc.report(sc.after(20), InProgress, 0);
                }
                _ => {
                    let note = "上级审计机关检查发现，单位报送的整改材料与实际不符，属于纸面整改，问题重新打开。";
                    sc.check(
                        plus(t, -40 - j),
                        UpperInspection,
                        CheckVerdict::Fake,
                        Some(plus(t, 30)),
                        note,
                    );
                    let summary = "约谈单位主要负责人，责令限期重新整改并报送真实佐证材料。";
                    sc.supervise(sc.after(5), SupervisionKind::Interview, summary);
                    sc.accountability(sc.after(20), AccountabilityMeasure::CircularCriticism);
                    sc.report(sc.after(25), InProgress, 0);
                }
            }
        }
        "A" | "P" | "W" => {
            sc.report(early(if staged { 120 } else { 70 } + j), Partial, 60);
            sc.determine(sc.after(gap(20)), ReviewVerdict::Partial, 60);
            match s.scene {
                "A" => {
                    sc.report(plus(t, -60 - j), Rectified, 100);
                    sc.determine(sc.after(20), ReviewVerdict::Rectified, 100);
                }
                "W" => sc.report(plus(t, -3 - j % 10), Rectified, 100),
                _ => sc.report(plus(t, -40 - j).max(sc.after(30)), InProgress, 0),
            }
        }
        "N" => {
            sc.report(early(60 + j), InProgress, 0);
            let note = "到期跟踪检查：整改期限已届满，单位尚未提供有效佐证材料，问题未整改到位。";
            let (on, next) = (plus(f.deadline, 10 + j), Some(plus(f.deadline, 100 + j)));
            sc.check(on, DeadlineCheck, CheckVerdict::NotRectified, next, note);
            let summary = "整改期限已届满，电话催促单位加快整改并报送进展。";
            sc.supervise(plus(on, 3), SupervisionKind::PhoneReminder, summary);
            if odd {
                let on = plus(t, -60 - j);
                let note = "回头看：问题仍未整改到位，已发督办函并约谈单位主要负责人。";
                sc.check(
                    on,
                    LookBack,
                    CheckVerdict::NotRectified,
                    Some(plus(on, 90)),
                    note,
                );
                let letter = "回头看发现问题仍未整改，发督办函限期30日内整改到位。";
                sc.supervise(plus(on, 2), SupervisionKind::SupervisionLetter, letter);
                let talk = "约谈单位主要负责人，听取整改情况汇报，明确整改责任和时限。";
                sc.supervise(plus(on, 9), SupervisionKind::Interview, talk);
            }
        }
        "LO" | "LF" => {
            sc.report(early(60 + j), RequestLongTerm, 30);
            sc.determine(sc.after(gap(20)), ReviewVerdict::LongTerm, 30);
            let back = if s.scene == "LO" { 150 } else { 200 };
            let on = plus(t, -back - j).max(sc.after(120));
            let note = "回头看：持续整改事项按时间表推进，首个阶段目标已完成，后续目标继续跟踪。";
            sc.check(
                on,
                LookBack,
                CheckVerdict::LongTerm,
                Some(plus(on, 180)),
                note,
            );
            sc.report(plus(t, -30 - j).max(sc.after(10)), InProgress, 40);
            if s.scene == "LO" {
                let summary = "持续整改阶段目标已超期，发督办函要求说明原因并调整时间表。";
                sc.supervise(
                    plus(t, -20 - j),
                    SupervisionKind::SupervisionLetter,
                    summary,
                );
            }
        }
        "G" => {
            sc.report(early(60 + j), InProgress, 0);
            sc.report(plus(t, -25 - j).max(sc.after(30)), InProgress, 30);
        }
        "E" => sc.report(plus(i, avail / 2), InProgress, 0),
        _ => {}
    }
    sc.out
}

//! Synthetic ledgers of any size for benchmarks: `rectify demo --synthetic N --seed S`.
//! The same N and seed give the same records (ids included), whatever the machine.

use super::rng::SplitMix64;
use crate::domain::{
    CheckKind, CheckMethod, CheckVerdict, Closure, Determination, Finding, FindingFlags,
    FollowUpCheck, Id, Labelled, Milestone, Mode, Money, Project, ProjectType, ResponsibleUnit,
    ReviewMethod, ReviewVerdict, Severity, StatClass, Unit, UnitKind, UnitRole, UnresolvedReason,
};
use crate::store::Record;
use chrono::{Duration, NaiveDate};

/// A time-ordered id (UUIDv7 layout) drawn from the seed's sequence: `tick` orders them.
fn time_ordered_id(rng: &mut SplitMix64, tick: u64) -> Id {
    let millis = 1_700_000_000_000u64 + tick;
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    random[8..].copy_from_slice(&rng.next_u64().to_le_bytes()[..2]);
    Id(uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid())
}

const DEPARTMENTS: &[&str] = &[
    "财政局",
    "水务局",
    "民政局",
    "科工局",
    "发改委",
    "住建局",
    "教育局",
    "卫健委",
    "农业农村局",
    "交通运输局",
    "人社局",
    "自然资源局",
    "生态环境局",
    "商务局",
    "文旅局",
    "应急管理局",
    "市场监管局",
    "医保局",
    "城管局",
    "统计局",
];
const SUBJECTS: &[&str] = &[
    "预算编制",
    "专项资金",
    "政府采购",
    "工程结算",
    "国有资产",
    "惠民资金",
    "专项债券资金",
    "会计核算",
    "公务支出",
    "非税收入",
    "涉粮资金",
    "社保基金",
    "土地出让收入",
    "往来款项",
    "项目建设资金",
];
const PROBLEMS: &[&str] = &[
    "不够细化",
    "未按规定执行",
    "滞留闲置",
    "多计工程价款",
    "账实不符",
    "发放不及时",
    "被挤占挪用",
    "核算不实",
    "超标准列支",
    "未及时上缴国库",
    "绩效目标不明确",
    "管理不规范",
];
const PEOPLE: &[&str] = &[
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴婷",
];
const TYPES: &[ProjectType] = &[
    ProjectType::BudgetExecution,
    ProjectType::DepartmentBudget,
    ProjectType::EconResponsibilityDeparture,
    ProjectType::SpecialInvestigation,
    ProjectType::SpecialBonds,
    ProjectType::InvestmentFinalAccounts,
    ProjectType::SocialSecurity,
    ProjectType::SpecialFunds,
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// `n` findings with units, projects and records in proportion (about 1 unit per 50
/// findings, 1 project per 20, and 1.2 records per finding). `progress` is told how many
/// findings are done.
pub fn synthetic_records(
    n: usize,
    seed: u64,
    today: NaiveDate,
    mut progress: impl FnMut(usize),
) -> Vec<Record> {
    let mut rng = SplitMix64(seed ^ 0x005E_ED0F_4EC7_1F1E);
    let mut tick = 0u64;
    let mut next_id = |rng: &mut SplitMix64| {
        tick += 1;
        time_ordered_id(rng, tick)
    };
    let unit_count = (n / 50).max(5);
    let project_count = (n / 20).max(2);
    let mut out: Vec<Record> = Vec::with_capacity(unit_count + project_count + n * 2);

    let mut units = Vec::with_capacity(unit_count);
    for i in 0..unit_count {
        let dept = DEPARTMENTS[i % DEPARTMENTS.len()];
        let round = i / DEPARTMENTS.len();
        let name = if round == 0 {
            format!("区{dept}")
        } else {
            format!("第{}片区{dept}", round + 1)
        };
        let mut unit = Unit::new(
            &name,
            if i % 7 == 6 {
                UnitKind::TownStreet
            } else {
                UnitKind::PartyGovernment
            },
        );
        unit.id = next_id(&mut rng);
        unit.short_name = dept.to_string();
        unit.leader = rng.pick(PEOPLE).to_string();
        units.push(unit.id);
        out.push(Record::Unit(unit));
    }

    let mut projects = Vec::with_capacity(project_count);
    for i in 0..project_count {
        let year = 2019 + (i % 7) as i32;
        let kind = *rng.pick(TYPES);
        let unit = units[i % units.len()];
        let mut p = Project::new(
            &format!("{year}-{:04}", i + 1),
            &format!("{}{}", kind.label_in(crate::i18n::Lang::Zh), i + 1),
            year,
            kind,
        );
        p.id = next_id(&mut rng);
        p.audited_units.push(unit);
        p.doc_no = format!("区审报〔{year}〕{}号", i + 1);
        let doc_date = date(year, 1 + (i % 11) as u32, 10);
        p.doc_date = Some(doc_date);
        p.deadline = Some(doc_date + Duration::days(90));
        p.team.leader = rng.pick(PEOPLE).to_string();
        p.team.chief = rng.pick(PEOPLE).to_string();
        p.in_work_report = rng.chance(60);
        projects.push((p.id, p.number.clone(), doc_date, unit));
        out.push(Record::Project(p));
    }

    let mut per_project = vec![0usize; projects.len()];
    for i in 0..n {
        let pi = i % projects.len();
        per_project[pi] += 1;
        let (project, ref number, issued, lead) = projects[pi];
        let subject = rng.pick(SUBJECTS);
        let problem = rng.pick(PROBLEMS);
        let amount_wan = rng.below(5000) + 1;
        let title = format!(
            "{subject}{problem}，涉及{}笔资金共{amount_wan}万元",
            rng.below(30) + 1
        );
        let deadline = issued + Duration::days(90 + rng.below(270) as i64);
        let mut f = Finding::new(
            project,
            &format!("{number}-{:02}", per_project[pi]),
            &title,
            deadline,
        );
        f.id = next_id(&mut rng);
        f.facts = format!("审计发现，{title}。").into();
        f.stat_class = *rng.pick(&[
            StatClass::Violation,
            StatClass::Irregular,
            StatClass::LossWaste,
            StatClass::NonMonetary,
        ]);
        f.category = (*subject).into();
        f.severity = *rng.pick(&[
            Severity::General,
            Severity::General,
            Severity::Serious,
            Severity::Major,
        ]);
        f.amount = Some(Money(amount_wan as i64 * 1_000_000));
        let mut responsible = vec![ResponsibleUnit {
            unit: lead,
            role: UnitRole::Lead,
        }];
        let assist = units[rng.below(units.len() as u64) as usize];
        if assist != lead && rng.chance(20) {
            responsible.push(ResponsibleUnit {
                unit: assist,
                role: UnitRole::Assist,
            });
        }
        f.units = responsible.into();
        f.auditor = (*rng.pick(PEOPLE)).into();
        f.issued_on = Some(issued);
        f.flags = FindingFlags {
            report_to_congress: rng.chance(40),
            key_supervision: rng.chance(5),
            ..Default::default()
        };
        let fate = rng.below(100);
        f.mode = if fate < 10 {
            Mode::LongTerm
        } else if fate < 40 {
            Mode::Staged
        } else {
            Mode::Immediate
        };
        if f.mode == Mode::LongTerm {
            f.milestones = Box::new([
                Milestone {
                    title: "制定整改方案".into(),
                    due: deadline,
                    done_on: Some(deadline),
                },
                Milestone {
                    title: "完成制度修订".into(),
                    due: today + Duration::days(rng.below(400) as i64 - 100),
                    done_on: None,
                },
            ]);
            f.unresolved_reason = Some(*rng.pick(&[
                UnresolvedReason::Institutional,
                UnresolvedReason::MultiDepartment,
                UnresolvedReason::ComplexNeedsTime,
            ]));
            f.justification = "涉及体制机制调整，需分年度推进。".into();
        }
        let finding_id = f.id;
        let checked_on = (deadline + Duration::days(rng.below(60) as i64)).min(today);
        out.push(Record::Finding(f));
        let verdict_roll = rng.below(100);
        if checked_on >= issued && verdict_roll < 55 {
            let (review, check) = match verdict_roll {
                0..=29 => (ReviewVerdict::Rectified, CheckVerdict::Rectified),
                30..=39 => (ReviewVerdict::Partial, CheckVerdict::Partial),
                40..=44 if fate < 10 => (ReviewVerdict::LongTerm, CheckVerdict::LongTerm),
                _ => (ReviewVerdict::NotRectified, CheckVerdict::NotRectified),
            };
            out.push(Record::Determination(Determination {
                id: next_id(&mut rng),
                finding: finding_id,
                date: checked_on,
                reviewer: rng.pick(PEOPLE).to_string(),
                method: ReviewMethod::WrittenReview,
                verdict: review,
                standard: String::new(),
                opinion: "经逐项审核佐证材料。".into(),
                amount_confirmed: None,
                archived: false,
                amounts: Vec::new(),
                evidence: Vec::new(),
            }));
            if review == ReviewVerdict::Rectified && rng.chance(50) {
                out.push(Record::Closure(Closure {
                    id: next_id(&mut rng),
                    finding: finding_id,
                    date: checked_on,
                    closed_by: rng.pick(PEOPLE).to_string(),
                    remark: "对账销号".into(),
                    archived: false,
                }));
            }
            if rng.chance(40) {
                out.push(Record::Check(FollowUpCheck {
                    id: next_id(&mut rng),
                    finding: finding_id,
                    date: checked_on,
                    checker: (*rng.pick(PEOPLE)).into(),
                    kind: CheckKind::LookBack,
                    method: CheckMethod::DocumentReview,
                    verdict: check,
                    note: "回头看核实整改情况。".into(),
                    next_check: Some(checked_on + Duration::days(180)),
                    project: None,
                    archived: false,
                    plan: None,
                    evidence: Vec::new(),
                }));
            }
        }
        if i % 1000 == 999 {
            progress(i + 1);
        }
    }
    progress(n);
    out
}

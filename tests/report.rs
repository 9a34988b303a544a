//! The annual report's figures on a small ledger, checked against numbers worked out by hand
//! under three 口径, and the report's reproducibility after later edits.

mod common;

use common::*;
use rectify::domain::*;
use rectify::ledger::Ledger;
use rectify::report::{self, Caliber, Style, text};
use rectify::store::{Record, SledStore};

fn wan(n: i64) -> Money {
    Money::from_yuan(n * 10_000)
}

fn outcome(
    finding: Id,
    date: chrono::NaiveDate,
    kind: OutcomeKind,
    amount: Option<Money>,
) -> Outcome {
    Outcome {
        id: Id::new(),
        finding,
        date,
        recorded_by: "王审计".into(),
        kind,
        amount,
        count: None,
        documents: if kind == OutcomeKind::RulesImproved {
            vec!["《非税收入管理办法》".into(), "《票据管理规定》".into()]
        } else {
            Vec::new()
        },
        note: String::new(),
        evidence: Vec::new(),
        archived: false,
    }
}

fn confirmed(
    f: Id,
    on: chrono::NaiveDate,
    verdict: ReviewVerdict,
    amount: Option<Money>,
) -> Determination {
    let mut det = determination(f, on, verdict);
    det.amount_confirmed = amount;
    det
}

struct Fixture {
    _scratch: Scratch,
    ledger: Ledger<SledStore>,
    f: [Id; 7],
}

/// f1 closed (100万 paid to the treasury), f2 partly (20万 recovered), f3 long-term, f4 not
/// rectified (two people held accountable on f1/f4, one referral), f5 rectified but not in the
/// work report (two rules), f6 claimed before the cutoff and accepted after it, f0 a 2021
/// finding rectified in 2023 (30万 returned to its channel).
fn fixture() -> Fixture {
    let (scratch, dir) = new_store_dir();
    let mut ledger = open(&dir);
    let lead = ledger.create(unit("区财政局")).expect("unit").id;
    let mut p22 = project("2022-01");
    p22.year = 2022;
    p22.in_work_report = true;
    let p22 = ledger.create(p22).expect("project").id;
    let mut p21 = project("2021-01");
    p21.year = 2021;
    let p21 = ledger.create(p21).expect("project").id;
    let mk = |project: Id, n: &str, amount: Option<i64>, flagged: bool| {
        let mut f = finding(project, lead, n, d(2022, 8, 1), d(2023, 1, 31));
        f.amount = amount.map(wan);
        f.flags.report_to_congress = flagged;
        f.title = format!("问题{n}").into();
        f
    };
    let f1 = ledger
        .create(mk(p22, "2022-01-01", Some(100), true))
        .expect("f1")
        .id;
    let f2 = ledger
        .create(mk(p22, "2022-01-02", Some(50), true))
        .expect("f2")
        .id;
    let mut f3 = mk(p22, "2022-01-03", None, true);
    make_long_term(
        &mut f3,
        vec![
            milestone("制定方案", d(2022, 12, 31), Some(d(2022, 12, 1))),
            milestone("全部完成", d(2025, 12, 31), None),
        ],
    );
    f3.deadline = d(2025, 12, 31);
    f3.unresolved_reason = Some(UnresolvedReason::Institutional);
    f3.justification = "需要完善预算支出标准体系".into();
    let f3 = ledger.create(f3).expect("f3").id;
    let mut f4 = mk(p22, "2022-01-04", None, true);
    f4.unresolved_reason = Some(UnresolvedReason::MultiDepartment);
    f4.justification = "需要多部门共同协调解决".into();
    let f4 = ledger.create(f4).expect("f4").id;
    let f5 = ledger
        .create(mk(p22, "2022-01-05", None, false))
        .expect("f5")
        .id;
    let f6 = ledger
        .create(mk(p22, "2022-01-06", Some(10), true))
        .expect("f6")
        .id;
    let mut f0 = mk(p21, "2021-01-01", Some(30), true);
    f0.issued_on = Some(d(2021, 8, 1));
    let f0 = ledger.create(f0).expect("f0").id;

    let records = vec![
        Record::Progress(report(f1, d(2023, 2, 1), ClaimedStatus::Rectified)),
        Record::Determination(confirmed(
            f1,
            d(2023, 2, 10),
            ReviewVerdict::Rectified,
            Some(wan(100)),
        )),
        Record::Outcome(outcome(
            f1,
            d(2023, 2, 11),
            OutcomeKind::PaidToTreasury,
            Some(wan(100)),
        )),
        Record::Closure(closure(f1, d(2023, 2, 20))),
        Record::Progress(report(f2, d(2023, 2, 25), ClaimedStatus::Partial)),
        Record::Determination(confirmed(
            f2,
            d(2023, 3, 1),
            ReviewVerdict::Partial,
            Some(wan(20)),
        )),
        Record::Outcome(outcome(
            f2,
            d(2023, 3, 2),
            OutcomeKind::Recovered,
            Some(wan(20)),
        )),
        Record::Determination(confirmed(f3, d(2023, 3, 5), ReviewVerdict::LongTerm, None)),
        Record::Determination(confirmed(
            f5,
            d(2023, 2, 15),
            ReviewVerdict::Rectified,
            None,
        )),
        Record::Outcome(outcome(
            f5,
            d(2023, 2, 16),
            OutcomeKind::RulesImproved,
            None,
        )),
        Record::Progress(report(f6, d(2023, 6, 1), ClaimedStatus::Rectified)),
        Record::Determination(confirmed(
            f0,
            d(2023, 3, 10),
            ReviewVerdict::Rectified,
            Some(wan(30)),
        )),
        Record::Outcome(outcome(
            f0,
            d(2023, 3, 11),
            OutcomeKind::ReturnedToChannel,
            Some(wan(30)),
        )),
        Record::Accountability(person(f4, d(2023, 4, 1), "钱某")),
        Record::Accountability(person(f1, d(2023, 5, 1), "孙某")),
        Record::Referral(referral(f4, d(2023, 4, 2))),
    ];
    ledger.create_batch(records).expect("records");
    Fixture {
        _scratch: scratch,
        ledger,
        f: [f0, f1, f2, f3, f4, f5, f6],
    }
}

fn person(finding: Id, date: chrono::NaiveDate, name: &str) -> Accountability {
    Accountability {
        id: Id::new(),
        finding,
        date,
        recorded_by: "王审计".into(),
        person: name.into(),
        position: "科长".into(),
        entity: "区财政局".into(),
        measure: AccountabilityMeasure::Admonition,
        decided_by: DecidingBody::DisciplineCommission,
        document: String::new(),
        note: String::new(),
        archived: false,
    }
}

fn referral(finding: Id, date: chrono::NaiveDate) -> Referral {
    Referral {
        id: Id::new(),
        finding,
        date,
        recorded_by: "王审计".into(),
        receiver: ReferralReceiver::DisciplineCommission,
        doc_no: "区审移〔2023〕1号".into(),
        summary: String::new(),
        persons: 2,
        feedback_due: None,
        status: ReferralStatus::Sent,
        feedback_on: None,
        feedback: String::new(),
        archived: false,
    }
}

fn cutoff() -> chrono::NaiveDate {
    d(2023, 6, 30)
}

fn ids(list: &[Id]) -> Vec<Id> {
    let mut v = list.to_vec();
    v.sort();
    v
}

#[test]
fn the_seed_caliber_counts_what_the_work_report_listed() {
    let fx = fixture();
    let [_f0, f1, f2, f3, f4, _f5, f6] = fx.f;
    let r = report::annual(&fx.ledger, 2022, Caliber::seed(cutoff())).expect("report");
    let fig = &r.figures;
    // Five listed findings (f5 was not in the work report); only f1 is rectified by then.
    assert_eq!(fig.total.count, 5);
    assert_eq!(ids(&fig.total.findings), ids(&[f1, f2, f3, f4, f6]));
    assert_eq!(fig.rectified.findings, vec![f1]);
    assert_eq!(
        (fig.rate.percent().as_str(), fig.denominator.count),
        ("20.0", 5)
    );
    assert_eq!(fig.unfinished.count, 4);
    assert_eq!(fig.unfinished_share.percent(), "80.0");
    assert_eq!(fig.revenue.amount, wan(100));
    assert_eq!(
        fig.funds.amount,
        wan(20),
        "f0's 30万 belongs to another year"
    );
    assert_eq!(fig.amount_rectified.amount, wan(120));
    assert_eq!(fig.people.count, 2);
    assert_eq!(fig.rules.count, 0);
    assert_eq!((fig.referrals.count, fig.referral_persons), (1, 2));
    let text = text::render(&r.blocks, Style::Plain);
    assert!(
        text.contains("2022年审计报告反映5个问题，截至2023年6月30日，已整改到位1个，整改率20.0%"),
        "{text}"
    );
    assert!(
        text.contains("促进增收节支100.0000万元，拨付、盘活、追回资金20.0000万元"),
        "{text}"
    );
    assert!(text.contains("追责问责2人"), "{text}");
    assert!(
        text.contains("有4个问题尚未整改到位，占问题总数的80.0%"),
        "{text}"
    );
    assert!(
        text.contains("（一）涉及体制机制的问题，需要在工作中逐步解决（1个）。如："),
        "{text}"
    );
    assert!(text.contains("需要完善预算支出标准体系"), "{text}");
    assert!(
        text.contains("部分整改：不计入已整改"),
        "the 口径 is printed: {text}"
    );
}

#[test]
fn partial_counted_long_term_left_out_and_every_finding_in_scope() {
    let fx = fixture();
    let [_f0, f1, f2, _f3, _f4, f5, _f6] = fx.f;
    let mut caliber = Caliber::seed(cutoff());
    caliber
        .apply("partial=yes,long-term=no,scope=all")
        .expect("caliber");
    let r = report::annual(&fx.ledger, 2022, caliber).expect("report");
    let fig = &r.figures;
    assert_eq!(fig.total.count, 6);
    assert_eq!(ids(&fig.rectified.findings), ids(&[f1, f2, f5]));
    assert_eq!(fig.denominator.count, 5, "the long-term f3 is left out");
    assert_eq!(fig.rate.percent(), "60.0");
    assert_eq!(fig.rules.count, 2);
    assert_eq!(fig.unfinished.count, 3);
    assert_eq!(fig.unfinished_share.percent(), "50.0");
    let text = text::render(&r.blocks, Style::Markdown);
    assert!(text.contains("整改率60.0%"), "{text}");
    assert!(text.contains("《非税收入管理办法》"), "{text}");
    assert!(
        text.contains("持续整改事项：不计入问题总数（分母）"),
        "{text}"
    );
}

#[test]
fn amount_based_with_earlier_years_outcomes() {
    let fx = fixture();
    let [f0, ..] = fx.f;
    let mut caliber = Caliber::seed(cutoff());
    caliber
        .apply("basis=amount,prior-years=yes")
        .expect("caliber");
    let r = report::annual(&fx.ledger, 2022, caliber).expect("report");
    let fig = &r.figures;
    // Involved: f1 100 + f2 50 + f6 10 = 160万; confirmed on this year's findings: 100 + 20.
    assert_eq!(fig.amount_involved.amount, wan(160));
    assert_eq!(
        (fig.rate.numerator, fig.rate.denominator),
        (wan(120).fen(), wan(160).fen())
    );
    assert_eq!(fig.rate.percent(), "75.0");
    // The 2021 finding's 2023 outcome counts in the money, not in the count.
    assert_eq!(fig.funds.amount, wan(50));
    assert_eq!(fig.amount_rectified.amount, wan(150));
    assert_eq!(fig.prior_rectified.findings, vec![f0]);
    assert_eq!(fig.total.count, 5);
    let text = text::render(&r.blocks, Style::Plain);
    assert!(text.contains("按金额计算整改率75.0%"), "{text}");
    assert!(
        text.contains("以前年度审计查出的1个问题在2023年整改到位"),
        "{text}"
    );
}

#[test]
fn the_same_cutoff_gives_the_same_report_after_later_edits() {
    let mut fx = fixture();
    let [_f0, _f1, _f2, _f3, f4, _f5, f6] = fx.f;
    let before = report::annual(&fx.ledger, 2022, Caliber::seed(cutoff())).expect("report");
    let before_text = text::render(&before.blocks, Style::Markdown);
    // Later: f6 is accepted in July, f4's title and reason are edited, a record is archived.
    fx.ledger
        .create(confirmed(
            f6,
            d(2023, 7, 15),
            ReviewVerdict::Rectified,
            Some(wan(10)),
        ))
        .expect("later determination");
    let mut edited: Finding = fx.ledger.get(f4).expect("f4");
    edited.title = "改过的标题".into();
    edited.justification = "改过的原因".into();
    fx.ledger.update(edited).expect("edit");
    let people: Vec<Accountability> = fx.ledger.all().expect("people");
    fx.ledger
        .archive(rectify::store::EntityKind::Accountability, people[0].id)
        .expect("archive");
    let after = report::annual(&fx.ledger, 2022, Caliber::seed(cutoff())).expect("report");
    assert_eq!(text::render(&after.blocks, Style::Markdown), before_text);
    assert_eq!(after.figures, before.figures);
    // A later cutoff sees the July determination (the edits, made today, count from today).
    let july = report::annual(&fx.ledger, 2022, Caliber::seed(d(2023, 7, 31))).expect("report");
    assert_eq!(july.figures.rectified.count, 2);
    let today = report::annual(
        &fx.ledger,
        2022,
        Caliber::seed(report::asof::op_day(chrono::Utc::now())),
    )
    .expect("report");
    let today_text = text::render(&today.blocks, Style::Plain);
    assert!(today_text.contains("改过的原因"), "{today_text}");
    assert_eq!(
        today.figures.people.count, 1,
        "the archived person no longer counts"
    );
}

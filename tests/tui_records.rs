//! The records beyond the workflow steps, from the keyboard: 整改成效, 追责问责, 移送 and 督办
//! through the add-record menu; amounts by kind and 佐证材料 (a real file attached) on a progress
//! report; 回头看 planning when a project is created, a quick check joining the plan, and the
//! plan's page showing what its round found. Each flow looks at the screen and in the store.

mod common;

use common::preset_keys::{DEFAULT, EMACS, Keys, VIM};
use common::tui_env::{TuiEnv, test_today};
use rectify::domain::{
    Accountability, AccountabilityMeasure, CheckKind, CheckPlan, DecidingBody, EvidenceKind,
    FollowUpCheck, Id, Money, Outcome, OutcomeKind, ProgressReport, Project, ProjectType, Referral,
    ReferralReceiver, Status, Supervision, SupervisionKind,
};
use rectify::tui::app::Mode;
use rectify::tui::forms::Form;
use rectify::tui::view::{Selected, ViewKind};

/// One test per preset: `<flow>::default`, `<flow>::vim`, `<flow>::emacs`.
macro_rules! per_preset {
    ($($name:ident => $flow:ident;)+) => {$(
        mod $name {
            #[test]
            fn default() {
                super::$flow(&super::DEFAULT);
            }
            #[test]
            fn vim() {
                super::$flow(&super::VIM);
            }
            #[test]
            fn emacs() {
                super::$flow(&super::EMACS);
            }
        }
    )+};
}

per_preset! {
    an_outcome_with_two_rules_shows_on_the_page_and_undo_removes_it => outcome_flow;
    an_accountability_record_names_the_person_and_the_measure => accountability_flow;
    a_new_project_offers_its_units_earlier_findings_for_a_look_back => lookback_flow;
}

// ---------------------------------------------------------------- helpers

fn form(env: &TuiEnv) -> &Form {
    match &env.app.mode {
        Mode::Form(f) => f,
        _ => panic!("expected an open form"),
    }
}

fn in_form(env: &TuiEnv) -> bool {
    matches!(env.app.mode, Mode::Form(_))
}

fn focused_key(env: &TuiEnv) -> &'static str {
    let f = form(env);
    f.fields[f.focus].key
}

/// Press the preset's next-field key until `key` has the focus.
fn move_to(env: &mut TuiEnv, k: &Keys, key: &str) {
    for _ in 0..form(env).fields.len() {
        if focused_key(env) == key {
            return;
        }
        env.keys(k.next_field);
    }
    panic!("{} never reached field {key}", k.next_field);
}

/// The form closed and the status line says 已保存.
fn assert_saved(env: &mut TuiEnv) {
    let screen = env.screen(120, 40);
    assert!(!in_form(env), "the form is still open:\n{screen}");
    assert!(screen.contains("已保存"), "{screen}");
}

/// Open the page of the first issued finding that is still open (in the findings panel).
fn open_open_finding(env: &mut TuiEnv, k: &Keys) -> Id {
    env.keys("3").keys(k.top);
    for _ in 0..env.app.snap.findings.len() {
        if let Some(Selected::Finding(id)) = env.app.selected()
            && env
                .app
                .snap
                .finding(id)
                .is_some_and(|r| !matches!(r.status.status, Status::NotStarted | Status::Closed))
        {
            env.keys(k.open);
            assert_eq!(env.app.nav.current().kind, ViewKind::Finding(id));
            return id;
        }
        env.keys(k.down);
    }
    panic!("the demo has an open issued finding");
}

/// The add-record menu on the current finding, then row `n` (1-based) by its number.
fn add(env: &mut TuiEnv, k: &Keys, n: usize) {
    env.keys(k.add_record);
    let screen = env.screen(120, 40);
    assert!(
        matches!(env.app.mode, Mode::AddRecord(_)),
        "the menu opens:\n{screen}"
    );
    for label in ["1 整改成效", "2 追责问责", "3 移送", "4 督办"] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    env.keys(&n.to_string());
    assert!(in_form(env), "{}", env.screen(120, 40));
}

fn live<T: rectify::store::Entity + HasFinding>(env: &TuiEnv, finding: Id) -> Vec<T> {
    env.app
        .ledger
        .all::<T>()
        .expect("records")
        .into_iter()
        .filter(|r| r.finding() == finding)
        .collect()
}

trait HasFinding {
    fn finding(&self) -> Id;
}

macro_rules! has_finding {
    ($($t:ty),+) => {$(
        impl HasFinding for $t {
            fn finding(&self) -> Id {
                self.finding
            }
        }
    )+};
}

has_finding!(
    Outcome,
    Accountability,
    Referral,
    Supervision,
    ProgressReport,
    FollowUpCheck
);

// ---------------------------------------------------------------- 整改成效

fn outcome_flow(k: &Keys) {
    let mut env = TuiEnv::new(k.preset, true);
    let id = open_open_finding(&mut env, k);
    let before = live::<Outcome>(&env, id).len();
    add(&mut env, k, 1);
    assert_eq!(focused_key(&env), "kind", "an outcome starts at its kind");
    // Typing on a choice opens its list, narrowed; Enter takes the one left.
    env.keys("完善制度<enter>");
    assert_eq!(form(&env).fields[0].input.summary(), "完善制度");
    move_to(&mut env, k, "documents");
    env.keys("非税收入管理办法<ctrl-j>专项资金管理办法");
    env.keys(k.save);
    assert_saved(&mut env);
    let outcomes = live::<Outcome>(&env, id);
    assert_eq!(outcomes.len(), before + 1);
    let o = outcomes.last().expect("the new outcome");
    assert_eq!(o.kind, OutcomeKind::RulesImproved);
    assert_eq!(o.documents, ["非税收入管理办法", "专项资金管理办法"]);
    assert_eq!((o.date, o.recorded_by.as_str()), (test_today(), "审计员甲"));
    assert_eq!(o.pieces(), 2);
    // At once on the finding's page.
    let shown = "成效 完善制度 2项 非税收入管理办法、专项资金管理办法";
    let screen = env.screen(120, 40);
    assert!(screen.contains(shown), "{screen}");
    // Undo takes it back (archived, not deleted).
    env.keys(k.undo);
    let screen = env.screen(120, 40);
    assert!(!screen.contains(shown), "{screen}");
    assert_eq!(live::<Outcome>(&env, id).len(), before);
}

#[test]
fn a_money_outcome_without_an_amount_is_refused_on_the_field() {
    let mut env = TuiEnv::new("default", true);
    let id = open_open_finding(&mut env, &DEFAULT);
    let earlier: Vec<Id> = live::<Outcome>(&env, id).iter().map(|o| o.id).collect();
    let before = earlier.len();
    add(&mut env, &DEFAULT, 1);
    env.keys("上缴财政<enter><ctrl-s>");
    assert!(in_form(&env), "nothing saved");
    assert_eq!(
        focused_key(&env),
        "amount",
        "the invalid field gets the focus"
    );
    let screen = env.screen(120, 40);
    assert!(screen.contains("需要填写大于零的金额"), "{screen}");
    env.keys("12.5<ctrl-s>");
    assert_saved(&mut env);
    let outcomes = live::<Outcome>(&env, id);
    assert_eq!(outcomes.len(), before + 1);
    // The new one, whatever order the store lists them in.
    let o = outcomes
        .iter()
        .find(|o| !earlier.contains(&o.id))
        .expect("outcome");
    assert_eq!(o.amount, Some(Money::from_fen(12_500_000)), "typed in 万元");
}

// ---------------------------------------------------------------- 追责问责

fn accountability_flow(k: &Keys) {
    let mut env = TuiEnv::new(k.preset, true);
    let id = open_open_finding(&mut env, k);
    let lead = env
        .app
        .snap
        .finding(id)
        .and_then(|r| r.finding.lead_unit())
        .map(|u| env.app.snap.unit(u).expect("unit").name.clone())
        .expect("a lead unit");
    add(&mut env, k, 2);
    assert_eq!(focused_key(&env), "person");
    env.keys("张某某").keys(k.next_field).keys("财务科科长");
    move_to(&mut env, k, "measure");
    env.keys("诫勉<enter>");
    move_to(&mut env, k, "document");
    env.keys("区纪发〔2026〕5号").keys(k.save);
    assert_saved(&mut env);
    let records = live::<Accountability>(&env, id);
    let a = records.last().expect("saved");
    assert_eq!(a.person, "张某某");
    assert_eq!(a.position, "财务科科长");
    assert_eq!(a.entity, lead, "the unit defaults to the lead unit");
    assert_eq!(a.measure, AccountabilityMeasure::Admonition);
    assert_eq!(a.decided_by, DecidingBody::DisciplineCommission);
    assert_eq!(a.document, "区纪发〔2026〕5号");
    let screen = env.screen(120, 40);
    assert!(
        screen.contains("问责 张某某（财务科科长） 诫勉 纪委监委 区纪发〔2026〕5号"),
        "{screen}"
    );
}

#[test]
fn accountability_needs_the_person() {
    let mut env = TuiEnv::new("default", true);
    let id = open_open_finding(&mut env, &DEFAULT);
    let before = live::<Accountability>(&env, id).len();
    add(&mut env, &DEFAULT, 2);
    env.keys("<ctrl-s>");
    assert!(in_form(&env));
    let screen = env.screen(120, 40);
    assert!(screen.contains("被问责人不能为空"), "{screen}");
    assert_eq!(live::<Accountability>(&env, id).len(), before);
}

// ---------------------------------------------------------------- 移送, 督办

#[test]
fn a_referral_takes_a_relative_feedback_due_date() {
    let mut env = TuiEnv::new("default", true);
    let id = open_open_finding(&mut env, &DEFAULT);
    add(&mut env, &DEFAULT, 3);
    assert_eq!(focused_key(&env), "receiver");
    env.keys("<tab>区审移〔2026〕2号<tab>涉嫌虚报冒领专项资金<tab>2<tab>+30<ctrl-s>");
    assert_saved(&mut env);
    let r = live::<Referral>(&env, id).pop().expect("saved");
    assert_eq!(r.receiver, ReferralReceiver::DisciplineCommission);
    assert_eq!(r.doc_no, "区审移〔2026〕2号");
    assert_eq!(r.summary, "涉嫌虚报冒领专项资金");
    assert_eq!(r.persons, 2);
    assert_eq!(r.date, test_today());
    assert_eq!(
        r.feedback_due,
        Some(test_today() + chrono::Duration::days(30))
    );
    let screen = env.screen(120, 40);
    assert!(
        screen.contains("移送 纪委监委 区审移〔2026〕2号 已移送 涉嫌虚报冒领专项资金"),
        "{screen}"
    );
}

#[test]
fn a_supervision_presses_the_lead_unit_by_default() {
    let mut env = TuiEnv::new("default", true);
    let id = open_open_finding(&mut env, &DEFAULT);
    let lead = env.app.snap.finding(id).and_then(|r| r.finding.lead_unit());
    add(&mut env, &DEFAULT, 4);
    env.keys("督办函<enter><tab>限期报送整改方案<tab><tab>+15<ctrl-s>");
    assert_saved(&mut env);
    let s = live::<Supervision>(&env, id).pop().expect("saved");
    assert_eq!(s.kind, SupervisionKind::SupervisionLetter);
    assert_eq!(s.target_unit, lead);
    assert_eq!(s.summary, "限期报送整改方案");
    assert_eq!(
        s.response_due,
        Some(test_today() + chrono::Duration::days(15))
    );
    assert!(
        env.screen(120, 40)
            .contains("督办 督办函 审计员甲 限期报送整改方案")
    );
}

#[test]
fn esc_closes_the_menu_and_a_draft_finding_gets_none() {
    let mut env = TuiEnv::new("default", true);
    env.keys("3");
    env.keys("+<esc>");
    assert!(matches!(env.app.mode, Mode::Normal));
    // A finding not issued yet takes no records: the key says why instead.
    let draft = env
        .app
        .snap
        .findings
        .iter()
        .find(|r| r.status.status == Status::NotStarted)
        .map(|r| r.finding.id);
    if let Some(draft) = draft {
        let items = env.app.items();
        let at = items
            .iter()
            .position(|s| *s == Selected::Finding(draft))
            .expect("listed");
        env.keys("<home>");
        for _ in 0..at {
            env.keys("<down>");
        }
        env.keys("+");
        assert!(matches!(env.app.mode, Mode::Normal));
        assert!(env.screen(120, 40).contains("问题尚未下发"));
    }
}

// ---------------------------------------------------------------- amounts and evidence

#[test]
fn a_progress_report_takes_amounts_by_kind_and_attaches_a_real_file() {
    let mut env = TuiEnv::new("default", true);
    let id = open_open_finding(&mut env, &DEFAULT);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("缴款凭证.pdf");
    std::fs::write(&file, b"%PDF-1.4 receipt of 12 wan").expect("write");
    env.keys("r已将滞留资金缴入国库");
    move_to(&mut env, &DEFAULT, "amounts");
    env.keys("上缴财政 12万元<ctrl-j>归还原资金渠道 3.5");
    move_to(&mut env, &DEFAULT, "evidence");
    env.keys(&format!(
        "缴款退款凭证 {}<ctrl-j>会议纪要 党组会纪要（2026年第9次）",
        file.display()
    ));
    env.keys("<ctrl-s>");
    assert_saved(&mut env);
    let report = live::<ProgressReport>(&env, id).pop().expect("saved");
    assert_eq!(report.amounts.len(), 2);
    assert_eq!(report.amounts[0].kind, OutcomeKind::PaidToTreasury);
    assert_eq!(report.amounts[0].amount, Money::from_fen(12_000_000));
    assert_eq!(report.amounts[1].kind, OutcomeKind::ReturnedToChannel);
    assert_eq!(
        report.amount_rectified,
        Some(Money::from_fen(15_500_000)),
        "the total is the sum by kind"
    );
    assert_eq!(report.evidence.len(), 2);
    let attached = &report.evidence[0];
    assert_eq!(attached.kind, EvidenceKind::PaymentVoucher);
    assert_eq!(attached.file_name, "缴款凭证.pdf");
    let hash = attached.sha256.clone().expect("a checksum");
    let kept = env.app.db.join("evidence").join(&hash);
    assert_eq!(
        std::fs::read(&kept).expect("kept in the store"),
        b"%PDF-1.4 receipt of 12 wan"
    );
    let paper = &report.evidence[1];
    assert_eq!(
        (
            paper.kind,
            paper.file_name.as_str(),
            paper.sha256.as_deref()
        ),
        (EvidenceKind::Minutes, "党组会纪要（2026年第9次）", None)
    );
    let screen = env.screen(120, 40);
    assert!(screen.contains("[佐证 2]"), "{screen}");
    assert!(screen.contains("上缴财政"), "{screen}");
}

#[test]
fn a_bad_amount_line_is_named_and_nothing_is_saved() {
    let mut env = TuiEnv::new("default", true);
    let id = open_open_finding(&mut env, &DEFAULT);
    let before = live::<ProgressReport>(&env, id).len();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("凭证.pdf");
    std::fs::write(&file, b"never copied").expect("write");
    env.keys("r已整改");
    move_to(&mut env, &DEFAULT, "amounts");
    env.keys("上缴财政 12万元<ctrl-j>归还原资金渠道 三万");
    move_to(&mut env, &DEFAULT, "evidence");
    env.keys(&format!("{}<ctrl-j>/no/such/凭证.pdf", file.display()));
    env.keys("<ctrl-s>");
    assert!(in_form(&env), "nothing saved");
    assert_eq!(focused_key(&env), "amounts");
    let screen = env.screen(120, 40);
    assert!(screen.contains("第2行：无法识别的金额“三万”"), "{screen}");
    // The evidence field says which line names no file.
    let evidence = form(&env).field("evidence").and_then(|f| f.error.clone());
    assert!(
        evidence
            .as_deref()
            .is_some_and(|e| e.starts_with("第2行：找不到文件")),
        "{evidence:?}"
    );
    assert_eq!(live::<ProgressReport>(&env, id).len(), before);
    assert!(
        !env.app.db.join("evidence").exists(),
        "no file is copied for a refused save"
    );
}

// ---------------------------------------------------------------- 回头看 planning

/// A demo unit whose earlier findings a 2026 project would look back at, and how many.
fn unit_with_earlier_findings(env: &TuiEnv) -> (Id, String, usize) {
    let mut best = None;
    for u in &env.app.snap.units {
        let mut p = Project::new("probe", "probe", 2026, ProjectType::BudgetExecution);
        p.audited_units = vec![u.id];
        let n = env
            .app
            .ledger
            .lookback_candidates(&p, test_today())
            .expect("candidates")
            .len();
        if n >= 2 && best.as_ref().is_none_or(|(_, _, m)| n > *m) {
            best = Some((u.id, u.name.clone(), n));
        }
    }
    best.expect("a demo unit has earlier open findings")
}

/// A new 2026 project auditing `unit`, through the form; the look-back pop-up is open after.
fn create_project(env: &mut TuiEnv, k: &Keys, unit_name: &str, number: &str) -> Id {
    env.keys("2").keys(k.new);
    env.keys(number)
        .keys(k.next_field)
        .keys("区财政局2026年度预算执行审计");
    move_to(env, k, "audited_units");
    env.keys("<enter>").keys(unit_name).keys(" <enter>");
    env.keys(k.save);
    let project = env
        .app
        .ledger
        .all::<Project>()
        .expect("projects")
        .into_iter()
        .find(|p| p.number == number)
        .unwrap_or_else(|| panic!("saved: {}", env.screen(120, 40)));
    assert_eq!(project.year, 2026);
    project.id
}

fn plans_of(env: &TuiEnv, project: Id) -> Vec<CheckPlan> {
    env.app
        .ledger
        .all::<CheckPlan>()
        .expect("plans")
        .into_iter()
        .filter(|p| p.project == Some(project))
        .collect()
}

fn lookback_flow(k: &Keys) {
    let mut env = TuiEnv::new(k.preset, true);
    let (unit, unit_name, n) = unit_with_earlier_findings(&env);
    let project = create_project(&mut env, k, &unit_name, "审测〔2026〕11号");
    let screen = env.screen(120, 40);
    let Mode::LookBack(offer) = &env.app.mode else {
        panic!("the look-back pop-up is open:\n{screen}")
    };
    let candidates = offer.candidates.clone();
    assert_eq!(candidates.len(), n);
    assert!(screen.contains("纳入回头看范围？"), "{screen}");
    let first = env.app.snap.finding(candidates[0]).expect("finding");
    assert!(screen.contains(&*first.finding.number), "{screen}");
    assert!(screen.contains("[x]"), "all ticked: {screen}");
    // Untick the first, then Enter: the plan holds the rest.
    env.keys(" <enter>");
    assert!(matches!(env.app.mode, Mode::Normal));
    let plans = plans_of(&env, project);
    assert_eq!(plans.len(), 1, "{plans:#?}");
    let plan = &plans[0];
    assert_eq!(plan.kind, CheckKind::LookBack);
    assert_eq!(plan.title, "区财政局2026年度预算执行审计 回头看");
    assert_eq!(plan.unit, Some(unit));
    assert_eq!(plan.start, test_today());
    assert_eq!(plan.findings, candidates[1..].to_vec());
    assert!(env.screen(120, 40).contains("已创建回头看计划"));

    // A quick check on one of them joins the plan: the form names it, the keys are the same.
    let target = candidates[1];
    env.keys("3").keys(k.top);
    let at = env
        .app
        .items()
        .iter()
        .position(|s| *s == Selected::Finding(target))
        .expect("listed");
    for _ in 0..at {
        env.keys(k.down);
    }
    env.keys("c");
    let screen = env.screen(120, 40);
    assert!(
        screen.contains("区财政局2026年度预算执行审计 回头看"),
        "the form shows the plan:\n{screen}"
    );
    env.keys("回头看：制度已印发<enter>");
    assert_saved(&mut env);
    let check = live::<FollowUpCheck>(&env, target)
        .into_iter()
        .find(|c| c.note == "回头看：制度已印发")
        .expect("saved");
    assert_eq!(check.plan, Some(plan.id));
    assert_eq!(check.kind, CheckKind::LookBack);
    assert_eq!(check.project, Some(project));

    // The 回头看 panel's third view lists the plan; its page shows the verdict of the round.
    env.keys("5v");
    assert_eq!(env.app.nav.current().kind, ViewKind::CheckLog);
    env.keys("v");
    assert_eq!(env.app.nav.current().kind, ViewKind::Plans);
    let screen = env.screen(120, 40);
    assert!(screen.contains("检查计划"), "{screen}");
    let row = screen
        .lines()
        .find(|l| l.contains("审测〔2026〕11号"))
        .unwrap_or_else(|| panic!("the plan is listed:\n{screen}"));
    assert!(row.contains("区财政局2026年度"), "{row}");
    assert!(
        row.contains(&test_today().to_string()),
        "last check: {row}\n{screen}"
    );
    let at = env
        .app
        .items()
        .iter()
        .position(|s| *s == Selected::Plan(plan.id))
        .expect("listed");
    env.keys(k.top);
    for _ in 0..at {
        env.keys(k.down);
    }
    env.keys(k.open);
    assert_eq!(env.app.nav.current().kind, ViewKind::Plan(plan.id));
    let screen = env.screen(120, 40);
    let number = &*env.app.snap.finding(target).expect("f").finding.number;
    let verdict = format!("{} {}", test_today(), check.verdict_label());
    assert!(
        screen
            .lines()
            .any(|l| l.contains(number) && l.contains(&verdict)),
        "{number} {verdict} on the plan page:\n{screen}"
    );
    assert!(
        screen.contains("未检查"),
        "the others are not checked yet:\n{screen}"
    );
    // Enter on the row opens the finding.
    let pos = env
        .app
        .items()
        .iter()
        .position(|s| *s == Selected::Finding(target))
        .expect("on the page");
    env.keys(k.top);
    for _ in 0..pos {
        env.keys(k.down);
    }
    env.keys(k.open);
    assert_eq!(env.app.nav.current().kind, ViewKind::Finding(target));
    // Undo takes back the check, then the plan (its own step), not the project.
    env.keys(k.undo).keys(k.undo);
    assert!(plans_of(&env, project).is_empty());
    assert!(env.app.snap.project(project).is_some());
}

trait VerdictLabel {
    fn verdict_label(&self) -> &'static str;
}

impl VerdictLabel for FollowUpCheck {
    fn verdict_label(&self) -> &'static str {
        use rectify::domain::Labelled;
        self.verdict.label()
    }
}

#[test]
fn esc_or_an_empty_selection_makes_no_plan() {
    let mut env = TuiEnv::new("default", true);
    let (_, unit_name, _) = unit_with_earlier_findings(&env);
    let project = create_project(&mut env, &DEFAULT, &unit_name, "审测〔2026〕12号");
    assert!(matches!(env.app.mode, Mode::LookBack(_)));
    env.keys("<esc>");
    assert!(matches!(env.app.mode, Mode::Normal));
    assert!(plans_of(&env, project).is_empty());
    assert!(env.screen(120, 40).contains("未创建回头看计划"));

    let project = create_project(&mut env, &DEFAULT, &unit_name, "审测〔2026〕13号");
    assert!(matches!(env.app.mode, Mode::LookBack(_)));
    // * unticks everything; Enter with nothing ticked makes nothing.
    env.keys("*<enter>");
    assert!(matches!(env.app.mode, Mode::Normal));
    assert!(plans_of(&env, project).is_empty());
}

/// The snapshot keeps a finding's checks in its row, not in a list of its own: it still lists
/// every live check newest first, as a fresh read of the store would, those of an archived
/// finding too, across archiving and restoring the finding and archiving the check.
#[test]
fn the_snapshot_lists_every_live_check_even_of_an_archived_finding() {
    use rectify::store::EntityKind;
    use rectify::tui::model::Snapshot;
    fn stored(env: &TuiEnv) -> Vec<Id> {
        let mut all = env.app.ledger.all::<FollowUpCheck>().expect("checks");
        all.sort_by_key(|c| std::cmp::Reverse((c.date, c.id)));
        all.iter().map(|c| c.id).collect()
    }
    fn listed(snap: &Snapshot) -> Vec<Id> {
        snap.checks().map(|c| c.id).collect()
    }
    fn change(env: &mut TuiEnv, kind: EntityKind, id: Id, archived: bool) {
        let ledger = &mut env.app.ledger;
        if archived {
            ledger.archive(kind, id).expect("archive");
        } else {
            ledger.unarchive(kind, id).expect("unarchive");
        }
        let app = &mut env.app;
        app.snap
            .refresh(&app.ledger, &[(kind, id)])
            .expect("refresh");
        let fresh = Snapshot::load(&app.ledger, app.snap.today).expect("load");
        assert_eq!(listed(&app.snap), listed(&fresh));
        assert_eq!(listed(&app.snap), stored(env));
        for f in env
            .app
            .snap
            .findings
            .iter()
            .map(|r| r.finding.id)
            .chain([id])
        {
            let of: Vec<Id> = env.app.snap.checks_of(f).iter().map(|c| c.id).collect();
            let all: Vec<Id> = env
                .app
                .snap
                .checks()
                .filter(|c| c.finding == f)
                .map(|c| c.id)
                .collect();
            assert_eq!(of, all);
        }
    }

    let mut env = TuiEnv::new("default", true);
    let all = stored(&env);
    assert!(all.len() > 1, "the demo ledger has checks");
    assert_eq!(listed(&env.app.snap), all);
    let check = env.app.snap.checks().nth(1).cloned().expect("a check");
    assert_eq!(env.app.snap.check(check.id), Some(&check));

    change(&mut env, EntityKind::Finding, check.finding, true);
    assert!(env.app.snap.finding(check.finding).is_none());
    assert_eq!(env.app.snap.check(check.id), Some(&check));
    assert!(env.app.snap.checks_of(check.finding).contains(&&check));
    change(&mut env, EntityKind::Finding, check.finding, false);
    assert!(env.app.snap.finding(check.finding).is_some());
    change(&mut env, EntityKind::Check, check.id, true);
    assert_eq!(env.app.snap.check(check.id), None);
    change(&mut env, EntityKind::Finding, check.finding, true);
    change(&mut env, EntityKind::Check, check.id, false);
    assert_eq!(env.app.snap.check(check.id), Some(&check));
}

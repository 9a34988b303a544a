//! The records of schema 2 from the command line: `outcome`, `accountability`, `referral`,
//! `supervise`, `plan`, the new options of `followup` / `claim` / `determine` (amounts by kind,
//! evidence files and paper), what `show --json` says about them, and `check` verifying the
//! kept evidence files.
//!
//! Every test gets its own demo ledger in a temp dir and runs the binary through
//! `common::cli_env`, so nothing from the machine running the tests leaks in. Findings are
//! picked by what `list findings --json` says about them, not by number, and records by the id
//! their command printed, so the tests follow the demo if its story changes.

use chrono::{Duration, Local, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::RwLock;
use tempfile::TempDir;

mod common;

use common::cli_env::{Run, rectify_command};

/// Who the tests work as (`--user`).
const USER: &str = "审计员乙";

/// Children forked by one test inherit the open files of the others until they exec; no test
/// here opens a store in process, so a shared guard is all it takes (as in cli_workflow.rs).
static SPAWN_GUARD: RwLock<()> = RwLock::new(());

struct Demo {
    tmp: TempDir,
    db: PathBuf,
}

impl Demo {
    fn new() -> Demo {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = tmp.path().join("ledger");
        let demo = Demo { tmp, db };
        demo.run_as("演示数据", &["demo"]).ok();
        demo
    }

    /// A command line, words split at blanks (no word of these tests holds one).
    fn run(&self, line: &str) -> Run {
        self.run_as(USER, &line.split_whitespace().collect::<Vec<_>>())
    }

    fn run_as(&self, user: &str, args: &[&str]) -> Run {
        let _shared = SPAWN_GUARD.read().unwrap_or_else(|e| e.into_inner());
        let out = rectify_command()
            .arg("--db")
            .arg(&self.db)
            .args(["--user", user])
            .args(args)
            .output()
            .expect("cannot start the rectify binary");
        Run::from_output(format!("rectify {}", args.join(" ")), out)
    }

    fn findings(&self) -> Vec<Value> {
        array(self.run("list findings --json").json())
    }

    fn pick(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> String {
        self.findings()
            .iter()
            .find(|f| wanted(f))
            .map(|f| s(f, "number").to_string())
            .unwrap_or_else(|| panic!("the demo has no finding that is {what}"))
    }

    fn show(&self, number: &str) -> Value {
        self.run(&format!("show {number} --json")).json()
    }

    /// A command line that must succeed, with `--json` added; its JSON.
    fn step(&self, line: &str) -> Value {
        self.run(&format!("{line} --json")).json()
    }

    /// Bytes in the journal and files in the evidence folder: what a refusal must not change.
    fn written(&self) -> (u64, usize) {
        let journal = std::fs::read_dir(self.db.join("journal"))
            .expect("the store has a journal dir")
            .map(|e| e.expect("dir entry").path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("jsonl"))
            .map(|p| std::fs::metadata(p).expect("journal metadata").len())
            .sum();
        let kept = std::fs::read_dir(self.db.join("evidence")).map_or(0, |d| d.count());
        (journal, kept)
    }

    /// A command line that must be refused: exit 1, a reason on stderr, nothing written.
    fn refused(&self, line: &str) -> String {
        let before = self.written();
        let run = self.run(line);
        run.assert_no_panic();
        assert_eq!(run.code, Some(1), "expected a refusal:\n{}", run.context());
        assert!(!run.stderr.trim().is_empty(), "{}", run.context());
        let after = self.written();
        assert_eq!(
            after,
            before,
            "a refusal wrote to the ledger:\n{}",
            run.context()
        );
        run.stderr
    }

    fn refused_zh(&self, line: &str) -> String {
        let err = self.refused(line);
        assert!(has_cjk(&err), "the reason is in Chinese by default: {err}");
        err
    }

    /// A file outside the ledger to attach; its path.
    fn file(&self, name: &str, content: &str) -> String {
        let path = self.tmp.path().join(name);
        std::fs::write(&path, content).expect("write a file to attach");
        path.to_str().expect("a UTF-8 temp path").to_string()
    }
}

fn array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(items) => items,
        other => panic!("expected a JSON array: {other}"),
    }
}

fn s<'a>(item: &'a Value, key: &str) -> &'a str {
    item.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("field `{key}` is missing or not a string in {item}"))
}

fn has_cjk(text: &str) -> bool {
    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn is(status: &'static str) -> impl Fn(&Value) -> bool {
    move |f| f["status"] == status && f["reopened"] == false
}

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn issued(demo: &Demo, number: &str) -> NaiveDate {
    let text = s(&demo.show(number), "issued_on").to_string();
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").expect("a date")
}

/// The record of `shown[list]` that `saved` (a command's JSON) created.
fn by_id(shown: &Value, list: &str, saved: &Value) -> Value {
    let id = s(saved, "id");
    let items = shown[list].as_array();
    let found = items.and_then(|items| items.iter().find(|r| r["id"] == id));
    found
        .unwrap_or_else(|| panic!("{list} in show --json has no {id}: {shown}"))
        .clone()
}

/// The last 8 hex digits of an id, as lists print it.
fn short(id: &str) -> &str {
    &id[id.len() - 8..]
}

fn contains_all(text: &str, words: &[&str]) -> bool {
    words.iter().all(|w| text.contains(w))
}

// ---------------------------------------------------------------------------------------------
// Outcomes, accountability, supervision

#[test]
fn outcomes_are_recorded_without_moving_the_status() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let money = demo.step(&format!(
        "outcome {n} --kind 追回资金 --amount 12万元 --note 已追回"
    ));
    assert_eq!(money["record"], "outcome");
    assert_eq!(money["status"], "整改中", "an outcome moves no status");
    assert_eq!(money["kind"], "追回资金");
    assert_eq!(money["amount"]["fen"], 12_000_000);
    assert_eq!(money["recorded_by"], USER);
    let rules = demo.step(&format!(
        "outcome {n} --kind RulesImproved --rule 《非税收入管理办法》 --rule 《专户资金管理细则》"
    ));
    assert_eq!(
        rules["kind"], "完善制度",
        "labels in Chinese whatever was typed"
    );
    assert_eq!(rules["pieces"], 2, "counted by the rules named");
    assert_eq!(rules["amount"], Value::Null);

    let shown = demo.show(&n);
    assert_eq!(shown["status"], "整改中");
    let recovered = by_id(&shown, "outcomes", &money);
    assert_eq!(recovered["kind"], "追回资金");
    assert_eq!(recovered["amount"]["wan"], "12万元");
    assert_eq!(recovered["note"], "已追回");
    assert_eq!(recovered["recorded_by"], USER);
    let made = by_id(&shown, "outcomes", &rules);
    assert_eq!(made["documents"][1], "《专户资金管理细则》");
    assert_eq!(made["pieces"], 2);

    let run = demo.run(&format!("outcome {n} --kind 上缴财政 --amount 3500元"));
    let status = format!("问题 {n} 现在的状态：整改中");
    let said = contains_all(run.ok(), &["已登记整改成效", "3500元", &status]);
    assert!(said, "{}", run.context());
    let page = demo.run(&format!("show {n}"));
    assert!(
        page.ok().contains("《非税收入管理办法》"),
        "{}",
        page.context()
    );
}

#[test]
fn accountability_and_supervision_show_up_on_the_finding() {
    let demo = Demo::new();
    let n = demo.pick("未整改", is("未整改"));
    let saved = demo.step(&format!(
        "accountability {n} --person 张三 --position 财务科科长 --measure 诫勉 \
         --decided-by 纪委监委 --doc 区纪发〔2026〕3号"
    ));
    assert_eq!(saved["record"], "accountability");
    assert_eq!(saved["status"], "未整改");
    assert_eq!(saved["measure"], "诫勉");
    assert_eq!(saved["decided_by"], "纪委监委");

    let pressed = demo.step(&format!(
        "supervise {n} --kind 督办函 --summary 限期报送整改情况 --due +15"
    ));
    assert_eq!(pressed["record"], "supervision");
    assert_eq!(pressed["kind"], "督办函");
    let due = (today() + Duration::days(15)).to_string();
    assert_eq!(pressed["response_due"], due.as_str());

    let shown = demo.show(&n);
    let units = shown["units"].as_array();
    let lead = units.and_then(|u| u.iter().find(|u| u["role"] == "牵头"));
    let lead = lead.unwrap_or_else(|| panic!("no 牵头 unit in {shown}"));
    let pressed_unit = &pressed["target_unit"]["id"];
    assert_eq!(
        pressed_unit, &lead["id"],
        "the lead unit is pressed by default"
    );
    let person = by_id(&shown, "accountability", &saved);
    assert_eq!(person["person"], "张三");
    assert_eq!(person["position"], "财务科科长");
    assert_eq!(person["measure"], "诫勉");
    assert_eq!(person["document"], "区纪发〔2026〕3号");
    let step = by_id(&shown, "supervisions", &pressed);
    assert_eq!(step["kind"], "督办函");
    assert_eq!(step["summary"], "限期报送整改情况");
    assert_eq!(step["target_unit"]["name"], lead["name"]);
    assert_eq!(step["by"], USER);
    let page = demo.run(&format!("show {n}"));
    let said = contains_all(page.ok(), &["诫勉", "督办函", "限期报送整改情况"]);
    assert!(said, "{}", page.context());
}

// ---------------------------------------------------------------------------------------------
// Referrals

#[test]
fn referrals_are_added_updated_step_by_step_and_listed() {
    let demo = Demo::new();
    let n = demo.pick("未整改", is("未整改"));
    let sent = demo.step(&format!(
        "referral add {n} --to 纪委监委 --doc-no 区审移〔2026〕1号 --summary 违规出借财政资金 \
         --persons 2 --feedback-due +60"
    ));
    assert_eq!(sent["record"], "referral");
    assert_eq!(sent["receiver"], "纪委监委");
    assert_eq!(sent["referral_status"], "已移送");
    assert_eq!(
        sent["status"], "未整改",
        "the finding's status is untouched"
    );
    let id = s(&sent, "id").to_string();

    // An older referral whose feedback is overdue.
    let since = issued(&demo, &n);
    let due = since + Duration::days(30);
    let old = demo.step(&format!(
        "referral add {n} --to 公安 --doc-no 区审移〔2025〕9号 --date {since} --feedback-due {due}"
    ));
    let listed = array(demo.run("referral list --json").json());
    let row = |id: &str| {
        let found = listed.iter().find(|r| r["id"] == id);
        found
            .unwrap_or_else(|| panic!("{id} missing from {listed:?}"))
            .clone()
    };
    let fresh = row(&id);
    assert_eq!(fresh["number"], n.as_str());
    assert_eq!(fresh["doc_no"], "区审移〔2026〕1号");
    assert_eq!(fresh["status"], "已移送");
    assert_eq!(fresh["days_since_sent"], 0);
    assert_eq!(fresh["feedback_overdue"], false);
    assert_eq!(fresh["persons"], 2);
    let late = row(s(&old, "id"));
    assert_eq!(late["feedback_overdue"], true, "{late}");
    assert_eq!(late["days_since_sent"], (today() - since).num_days());
    let table = demo.run("referral list");
    assert!(
        contains_all(table.ok(), &["逾期", &n]),
        "{}",
        table.context()
    );

    // Updated by a short id: each step is its own change in the history.
    let accepted = demo.step(&format!("referral update {} --status 已受理", short(&id)));
    assert_eq!(accepted["changes"][0]["old"], "已移送");
    assert_eq!(accepted["changes"][0]["new"], "已受理");
    let run = demo.run(&format!(
        "referral update {} --status FedBack --feedback 已给予党内警告处分",
        short(&id)
    ));
    let said = contains_all(run.ok(), &["已受理 → 已反馈", "已给予党内警告处分"]);
    assert!(said, "{}", run.context());

    let referral = by_id(&demo.show(&n), "referrals", &sent);
    assert_eq!(referral["status"], "已反馈");
    assert_eq!(referral["feedback"], "已给予党内警告处分");
    let fed_back_on = today().to_string();
    assert_eq!(
        referral["feedback_on"],
        fed_back_on.as_str(),
        "today unless told"
    );

    let history = demo.run(&format!("history {n}"));
    let text = history.ok();
    for change in ["状态：已移送 → 已受理", "状态：已受理 → 已反馈"] {
        let line = text.lines().find(|l| l.contains(change));
        let line = line.unwrap_or_else(|| panic!("no `{change}` in\n{}", history.context()));
        assert!(contains_all(line, &[USER, "移送"]), "{line}");
    }
    let entries = array(demo.run(&format!("history {n} --json")).json());
    let steps: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e["entity"] == id.as_str() && e["field"] == "status")
        .map(|e| (s(e, "old_text"), s(e, "new_text")))
        .collect();
    assert_eq!(steps, [("已移送", "已受理"), ("已受理", "已反馈")]);
}

// ---------------------------------------------------------------------------------------------
// Amounts by kind and evidence files

#[test]
fn claims_and_determinations_carry_amounts_and_kept_evidence() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let voucher = demo.file("缴款凭证.pdf", "缴款书 2026 第5号 120000.00元");
    let saved = demo.step(&format!(
        "claim {n} --status 已整改 --note 已缴入国库 --measures 制定非税收入管理办法 --reason 无 \
         --next-steps 按月对账 --amount 上缴财政=12万元 --amount 归还原资金渠道=3500元 \
         --requested-deadline +30 --attach {voucher} --evidence-kind 缴款退款凭证 \
         --doc-no 财缴〔2026〕5号 --evidence 党组会议纪要"
    ));
    assert_eq!(saved["status"], "已报送待认定");
    assert_eq!(saved["amounts"][0]["kind"], "上缴财政");
    assert_eq!(saved["amounts"][0]["fen"], 12_000_000);
    assert_eq!(saved["amount_rectified"]["fen"], 12_350_000, "the total");
    let kept = &saved["evidence"][0];
    assert_eq!(kept["file_name"], "缴款凭证.pdf");
    assert_eq!(kept["kind"], "缴款退款凭证");
    assert_eq!(kept["doc_no"], "财缴〔2026〕5号");
    let hash = s(kept, "sha256").to_string();
    let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    assert!(hex, "{kept}");
    let copy = demo.db.join("evidence").join(&hash);
    let original = std::fs::read(&voucher).expect("the original");
    let msg = "the file is kept under <db>/evidence/<sha256>";
    assert_eq!(
        std::fs::read(&copy).expect("the kept copy"),
        original,
        "{msg}"
    );
    assert_eq!(saved["evidence"][1]["file_name"], "党组会议纪要");
    assert_eq!(
        saved["evidence"][1]["sha256"],
        Value::Null,
        "paper has no file"
    );

    let decided = demo.step(&format!(
        "determine {n} --verdict 已整改 --standard 认定标准第三条 --amount 上缴财政=12万元"
    ));
    assert_eq!(decided["status"], "已整改");
    let shown = demo.show(&n);
    let report = by_id(&shown, "progress_reports", &saved);
    assert_eq!(report["channel"], "系统录入");
    assert_eq!(report["measures"], "制定非税收入管理办法");
    assert_eq!(report["next_steps"], "按月对账");
    let asked = (today() + Duration::days(30)).to_string();
    assert_eq!(report["requested_deadline"], asked.as_str());
    assert_eq!(report["amounts"][1]["kind"], "归还原资金渠道");
    assert_eq!(report["amounts"][1]["text"], "3500元");
    assert_eq!(report["evidence"][0]["sha256"], hash.as_str());
    assert_eq!(report["evidence"][0]["size"], original.len(), "{report}");
    let determination = by_id(&shown, "determinations", &decided);
    assert_eq!(determination["standard"], "认定标准第三条");
    assert_eq!(determination["amounts"][0]["fen"], 12_000_000);

    // A check with a photo: the same machinery for every record that carries evidence.
    let photo = demo.file("现场照片.jpg", "jpeg bytes");
    let checked = demo.step(&format!(
        "followup {n} --verdict 已整改 --attach {photo} --evidence-kind 照片现场记录"
    ));
    assert_eq!(checked["evidence"][0]["kind"], "照片现场记录");
    let check = by_id(&demo.show(&n), "checks", &checked);
    assert_eq!(check["evidence"][0]["file_name"], "现场照片.jpg");

    let run = demo.run("check");
    let clean = contains_all(run.ok(), &["检查通过", "个佐证材料文件完好"]);
    assert!(clean, "{}", run.context());

    // Tampered with: check names the record and the file, and fails.
    std::fs::write(&copy, "缴款书 2026 第5号 1.00元").expect("tamper with the kept copy");
    let run = demo.run("check");
    run.assert_no_panic();
    assert_eq!(run.code, Some(1), "{}", run.context());
    let line = run.stdout.lines().find(|l| l.contains("缴款凭证.pdf"));
    let line = line.unwrap_or_else(|| panic!("the file is not named:\n{}", run.context()));
    assert!(contains_all(line, &["改动", "整改进展", &n]), "{line}");
    assert!(!run.stdout.contains("检查通过"), "{}", run.context());
    let report = demo.run("check --json");
    let value: Value = serde_json::from_str(&report.stdout).expect("check --json");
    assert_eq!(value["clean"], false);
    assert_eq!(value["evidence"][0]["problem"], "changed");
    assert_eq!(value["evidence"][0]["kind"], "progress");
    assert_eq!(value["evidence"][0]["finding"], n.as_str());

    std::fs::remove_file(&copy).expect("lose the kept copy");
    let run = demo.run("--lang en check");
    assert_eq!(run.code, Some(1), "{}", run.context());
    let said = contains_all(&run.stdout, &["缴款凭证.pdf", "missing"]);
    assert!(said, "{}", run.context());
}

// ---------------------------------------------------------------------------------------------
// Check plans

/// Projects by number: (year, audited unit ids).
fn projects(demo: &Demo) -> HashMap<String, (i64, Vec<String>)> {
    array(demo.run("list projects --json").json())
        .into_iter()
        .map(|p| {
            let units = p["audited_units"].as_array();
            let units = units.map(|u| u.iter().map(|u| s(u, "id").to_string()).collect());
            let year = p["year"].as_i64().expect("a year");
            (
                s(&p, "number").to_string(),
                (year, units.unwrap_or_default()),
            )
        })
        .collect()
}

#[test]
fn a_lookback_plan_takes_the_units_earlier_open_findings_and_checks_land_in_it() {
    let demo = Demo::new();
    let projects = projects(&demo);
    let findings = demo.findings();
    let of = |f: &Value, units: &[String]| {
        let theirs = f["units"].as_array();
        theirs.is_some_and(|us| us.iter().any(|u| units.iter().any(|id| u["id"] == *id)))
    };
    let year_of = |f: &Value| projects[s(&f["project"], "number")].0;
    let open = |f: &Value| !["未启动", "已整改", "已销号"].contains(&s(f, "status"));
    // Not looked back at (回头看) within the last year: the demo looks back at some already.
    let year_ago = (today() - Duration::days(365)).to_string();
    let looked_at = |number: &str| {
        let checks = demo.show(number)["checks"].clone();
        let checks = checks.as_array().cloned().unwrap_or_default();
        checks.iter().any(|c| {
            c["archived"] == false && c["kind"] == "回头看" && s(c, "date") > year_ago.as_str()
        })
    };
    // The newest project whose units have earlier open findings.
    let mut numbers: Vec<&String> = projects.keys().collect();
    numbers.sort_by_key(|n| std::cmp::Reverse((projects[*n].0, (*n).clone())));
    let (project, expected) = numbers
        .iter()
        .find_map(|n| {
            let (year, units) = &projects[*n];
            let earlier_open: BTreeSet<String> = findings
                .iter()
                .filter(|f| of(f, units) && year_of(f) < *year && open(f))
                .filter(|f| !looked_at(s(f, "number")))
                .map(|f| s(f, "id").to_string())
                .collect();
            (!earlier_open.is_empty()).then(|| ((*n).clone(), earlier_open))
        })
        .expect("a demo project with earlier open findings");

    let title = "回头看：往年问题整改情况";
    let plan = demo.step(&format!(
        "plan create --kind 回头看 --title {title} --project {project} --lookback --end +60 \
         --team 第一检查组"
    ));
    assert_eq!(plan["kind"], "回头看");
    assert_eq!(plan["project"]["number"], project.as_str());
    assert_eq!(plan["state"], "进行中");
    let picked: Vec<Value> = plan["findings"].as_array().expect("findings").clone();
    let ids: BTreeSet<String> = picked.iter().map(|f| s(f, "id").to_string()).collect();
    assert!(
        ids.is_superset(&expected),
        "the earlier open findings not looked back at lately: {expected:?} ⊄ {ids:?}"
    );
    let (year, units) = &projects[&project];
    for f in &picked {
        let full = findings
            .iter()
            .find(|x| x["id"] == f["id"])
            .expect("listed");
        assert!(of(full, units), "not a finding of the units: {full}");
        assert!(year_of(full) < *year, "not from an earlier year: {full}");
        assert_ne!(full["status"], "未启动");
        assert_eq!(f["check"], Value::Null, "nothing checked yet");
    }
    if units.len() == 1 {
        assert_eq!(plan["unit"]["id"], units[0].as_str(), "the project's unit");
    }
    let plan_id = s(&plan, "id").to_string();

    // A check of a finding in scope lands in the running plan by itself.
    let n = s(&picked[0], "number").to_string();
    let checked = demo.step(&format!("followup {n} --verdict 部分整改 --note 回头看"));
    assert_eq!(checked["plan"]["id"], plan_id.as_str());
    assert_eq!(checked["plan"]["auto"], true);
    let check = by_id(&demo.show(&n), "checks", &checked);
    assert_eq!(check["plan"]["title"], title, "show --json names the plan");
    let run = demo.run(&format!("followup {n} --verdict 已整改 --no-plan"));
    assert!(!run.ok().contains("检查计划"), "{}", run.context());
    let run = demo.run(&format!("followup {n} --verdict 部分整改"));
    let said = format!("计入正在进行的检查计划“{title}”");
    assert!(
        run.ok().contains(&said),
        "where the check went:\n{}",
        run.context()
    );

    let shown = demo.step(&format!("plan show {}", short(&plan_id)));
    assert_eq!(shown["checked_count"], 1);
    let rows = shown["findings"].as_array();
    let row = rows.and_then(|f| f.iter().find(|f| f["number"] == n.as_str()));
    let row = row.expect("the checked finding");
    assert_eq!(
        row["check"]["verdict"], "部分整改",
        "the round's latest check"
    );
    assert_eq!(row["check"]["checker"], USER);
    let page = demo.run(&format!("plan show {title}"));
    let listed = contains_all(page.ok(), &[&n, "部分整改", USER]);
    assert!(listed, "{}", page.context());
    if picked.len() > 1 {
        assert!(page.ok().contains("未检查"), "{}", page.context());
    }
    let plans = array(demo.run("plan list --json").json());
    let mine = plans
        .iter()
        .find(|p| p["id"] == plan_id.as_str())
        .expect("listed");
    assert_eq!(mine["checked_count"], 1);
    assert_eq!(mine["finding_count"], picked.len());

    // A finding outside the plan cannot be counted in it.
    let outside = findings
        .iter()
        .find(|f| !ids.contains(s(f, "id")) && open(f));
    let outside = s(outside.expect("a finding outside the plan"), "number");
    let line = format!(
        "followup {outside} --verdict 已整改 --plan {}",
        short(&plan_id)
    );
    let err = demo.refused_zh(&line);
    assert!(err.contains("不在检查计划"), "{err}");
}

#[test]
fn a_plan_of_named_findings_and_refusals_of_an_empty_one() {
    let demo = Demo::new();
    let a = demo.pick("未整改", is("未整改"));
    let b = demo.pick("整改中", is("整改中"));
    let plan = demo.step(&format!(
        "plan create --kind 专项督查 --title 超期问题专项督查 --finding {a} --finding {b} --finding {a}"
    ));
    assert_eq!(
        plan["finding_count"], 2,
        "a finding named twice counts once"
    );
    let checked = demo.step(&format!("followup {a} --verdict 部分整改"));
    assert_eq!(checked["check_kind"], "专项督查", "the plan's kind");
    let run = demo.run("plan list");
    assert!(run.ok().contains("超期问题专项督查"), "{}", run.context());

    let cases = [
        (
            "plan create --kind 回头看 --title 空计划",
            "至少要包含一个问题|--finding",
        ),
        (
            "plan create --kind 回头看 --title T --lookback",
            "--project",
        ),
        (
            "plan create --kind 好了 --title T --finding {a}",
            "回头看、专项督查",
        ),
        ("plan show 没有这个计划", "找不到检查计划"),
        ("plan show {a}", "不是检查计划"),
    ];
    for (line, says) in cases {
        let err = demo.refused_zh(&line.replace("{a}", &a));
        for word in says.split('|') {
            assert!(err.contains(word), "`{line}` should say {word}: {err}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Refusals: exit 1, a reason in Chinese, nothing written

#[test]
fn what_the_records_cannot_be_is_refused_with_nothing_written() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let early = issued(&demo, &n) - Duration::days(1);
    let voucher = demo.file("凭证.pdf", "voucher");
    // Each refusal must name these words (| between them); {n}, {early}, {file} filled in.
    let cases = [
        (
            "outcome {n} --kind 好了 --amount 1万元",
            "增收节支、上缴财政",
        ),
        ("outcome {n} --kind 追回资金", "--amount"),
        ("outcome {n} --kind 完善制度", "--rule"),
        (
            "outcome {n} --kind 完善制度 --rule 办法 --amount 1元",
            "按项数统计",
        ),
        (
            "outcome {n} --kind 追回资金 --amount 十二万",
            "无法识别的金额",
        ),
        ("outcome {n} --kind 追回资金 --amount 1万 --count 0", "项数"),
        (
            "outcome {n} --kind 追回资金 --amount 1万元 --date {early}",
            "早于问题下发日期",
        ),
        (
            "outcome {n} --kind 追回资金 --amount 1万元 --date +1",
            "晚于今天",
        ),
        (
            "accountability {n} --person 张三 --measure 好了 --decided-by 纪委监委",
            "诫勉",
        ),
        (
            "accountability {n} --person 张三 --measure 诫勉 --decided-by 好了",
            "组织部门",
        ),
        (
            "accountability {n} --person 张三 --measure 诫勉 --decided-by 纪委监委 --date +3",
            "晚于今天",
        ),
        ("referral add {n} --to 好了 --doc-no X", "纪委监委、公安"),
        (
            "referral add {n} --to 公安 --doc-no X --persons 两",
            "涉及人数",
        ),
        (
            "referral add {n} --to 公安 --doc-no X --date {early}",
            "早于问题下发日期",
        ),
        (
            "referral add {n} --to 公安 --doc-no X --feedback-due -1",
            "反馈期限",
        ),
        ("supervise {n} --kind 好了", "督办函"),
        (
            "supervise {n} --kind 约谈 --due -1",
            "回复期限应晚于督办日期",
        ),
        ("supervise {n} --kind 约谈 --unit {n}", "不是单位"),
        ("claim {n} --status 已整改 --amount 上缴财政", "类别=金额"),
        ("claim {n} --status 已整改 --amount 好了=1万元", "上缴财政"),
        ("claim {n} --status 已整改 --channel 好了", "纸质转录"),
        (
            "claim {n} --status 已整改 --attach /没有/这个文件.pdf",
            "这个文件.pdf",
        ),
        ("claim {n} --status 已整改 --doc-no 财缴5号", "--attach"),
        // Refused after the file was read: no copy is kept either.
        (
            "claim {n} --status 已整改 --attach {file} --date {early}",
            "早于问题下发日期",
        ),
        (
            "determine {n} --verdict 已整改 --amount 完善制度=1万元",
            "按项数统计",
        ),
        (
            "followup {n} --verdict 已整改 --evidence-kind 好了 --evidence 纪要",
            "制度文件",
        ),
        (
            "followup {n} --verdict 已整改 --plan 没有这个计划",
            "找不到检查计划",
        ),
        ("referral update {n} --status 已反馈", "是问题，不是移送"),
    ];
    for (line, says) in cases {
        let line = line
            .replace("{n}", &n)
            .replace("{early}", &early.to_string())
            .replace("{file}", &voucher);
        let err = demo.refused_zh(&line);
        for word in says.split('|') {
            assert!(err.contains(word), "`{line}` should say {word}: {err}");
        }
    }
    assert_eq!(demo.show(&n)["status"], "整改中");
    assert_eq!(demo.written().1, 0, "no evidence was kept");

    // An update must change something, and only a referral can be updated.
    let sent = demo.step(&format!(
        "referral add {n} --to 税务 --doc-no 区审移〔2026〕2号"
    ));
    let id = s(&sent, "id");
    let err = demo.refused_zh(&format!("referral update {id}"));
    assert!(err.contains("--status"), "{err}");
    let err = demo.refused_zh(&format!("referral update {id} --feedback-on +2"));
    assert!(err.contains("晚于今天"), "{err}");
    let checked = demo.step(&format!("followup {n} --verdict 部分整改"));
    let line = format!("referral update {} --status 已反馈", s(&checked, "id"));
    let err = demo.refused_zh(&line);
    assert!(contains_all(&err, &["跟踪检查", "不是移送"]), "{err}");
}

#[test]
fn refusals_are_in_english_with_lang_en() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let cases = [
        (
            "--lang en outcome {n} --kind nope --amount 1",
            "funds recovered",
        ),
        ("--lang en outcome {n} --kind RulesImproved", "--rule"),
        (
            "--lang en referral update {n} --status accepted",
            "not a referral",
        ),
        (
            "--lang en plan create --kind look-back --title Empty",
            "at least one finding",
        ),
        (
            "--lang en supervise {n} --kind interview --due -1",
            "after the supervision",
        ),
    ];
    for (line, says) in cases {
        let err = demo.refused(&line.replace("{n}", &n));
        assert!(err.contains(says), "`{line}`: {err}");
        assert!(!has_cjk(&err), "no Chinese in an English refusal: {err}");
    }
}

#[test]
fn records_without_a_number_resolve_by_their_short_id() {
    let demo = Demo::new();
    let n = demo.pick("整改中", is("整改中"));
    let sent = demo.step(&format!(
        "referral add {n} --to 税务 --doc-no 区审移〔2026〕7号"
    ));
    let shown = demo.step(&format!("show {}", short(s(&sent, "id"))));
    assert_eq!(shown["kind"], "referral");
    assert_eq!(shown["number"], n.as_str());
    let history = demo.run(&format!("history {}", short(s(&sent, "id"))));
    assert!(
        history.ok().contains("区审移〔2026〕7号"),
        "{}",
        history.context()
    );
}

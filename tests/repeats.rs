//! 屡审屡犯 suggestions (`ledger::repeats`): on the demo ledger, whose 区财政局 findings repeat
//! year after year and are linked with `repeat_of`, and on small hand-made cases for the
//! title-similarity threshold.

use chrono::NaiveDate;
use rectify::domain::{Finding, Id, ResponsibleUnit, StatClass, Unit, UnitKind, UnitRole};
use rectify::ledger::repeats::{
    DEFAULT_LIMIT, DEFAULT_YEARS, RepeatCandidate, TITLE_THRESHOLD, suggest, title_similarity,
};
use rectify::store::Record;
use std::collections::{HashMap, HashSet};

/// The demo ledger as `suggest` takes it: findings with their project's year, and units.
struct Demo {
    findings: Vec<(Finding, i32)>,
    units: Vec<Unit>,
}

impl Demo {
    fn load() -> Demo {
        let today = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
        let records = rectify::demo::story::demo_records(today);
        let mut years = HashMap::new();
        let mut units = Vec::new();
        let mut findings = Vec::new();
        for record in records {
            match record {
                Record::Project(p) => {
                    years.insert(p.id, p.year);
                }
                Record::Unit(u) => units.push(u),
                Record::Finding(f) => findings.push(f),
                _ => {}
            }
        }
        let findings = findings
            .into_iter()
            .map(|f| {
                let year = years[&f.project];
                (f, year)
            })
            .collect();
        Demo { findings, units }
    }

    fn get(&self, number: &str) -> (Finding, i32) {
        self.findings
            .iter()
            .find(|(f, _)| &*f.number == number)
            .cloned()
            .unwrap_or_else(|| panic!("no finding {number}"))
    }

    fn unit(&self, name: &str) -> Id {
        self.units
            .iter()
            .find(|u| u.name == name)
            .map(|u| u.id)
            .unwrap_or_else(|| panic!("no unit {name}"))
    }

    fn number(&self, id: Id) -> String {
        self.findings
            .iter()
            .find(|(f, _)| f.id == id)
            .map(|(f, _)| f.number.to_string())
            .unwrap_or_else(|| id.short())
    }

    fn year(&self, id: Id) -> i32 {
        self.findings
            .iter()
            .find(|(f, _)| f.id == id)
            .map(|(_, y)| *y)
            .expect("known finding")
    }

    fn suggest(&self, new: &Finding, year: i32, years: i32) -> Vec<RepeatCandidate> {
        let all = self.findings.iter().map(|(f, y)| (f, *y));
        suggest(new, year, all, &self.units, years, DEFAULT_LIMIT)
    }

    fn numbers(&self, found: &[RepeatCandidate]) -> Vec<String> {
        found.iter().map(|c| self.number(c.finding)).collect()
    }
}

/// The finding `number` with its links cleared, as it stood before anyone linked it.
fn unlinked(demo: &Demo, number: &str) -> (Finding, i32) {
    let (mut f, year) = demo.get(number);
    f.repeat_of = Box::default();
    (f, year)
}

/// A new finding at `unit` (as lead), in a project of its own.
fn finding(title: &str, category: &str, unit: Id) -> Finding {
    let deadline = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let mut f = Finding::new(Id::new(), "2024-99-01", title, deadline);
    f.category = category.into();
    f.units = Box::new([ResponsibleUnit {
        unit,
        role: UnitRole::Lead,
    }]);
    f
}

#[test]
fn the_demo_links_come_first() {
    let demo = Demo::load();
    let (linked, _) = demo.get("2023-01-01");
    assert!(linked.title.starts_with("预算编制不够细化"));
    assert!(!linked.repeat_of.is_empty(), "the demo links it");
    let (new, year) = unlinked(&demo, "2023-01-01");
    let found = demo.suggest(&new, year, DEFAULT_YEARS);
    let numbers = demo.numbers(&found);

    // What the demo links directly comes first ...
    let direct: HashSet<String> = linked.repeat_of.iter().map(|id| demo.number(*id)).collect();
    let first: HashSet<String> = numbers.iter().take(direct.len()).cloned().collect();
    assert_eq!(first, direct, "suggested: {numbers:?}");
    // ... then what those link in turn: the 2021 and 2022 findings of the same problem.
    let mut chain = direct.clone();
    for id in &linked.repeat_of {
        chain.extend(
            demo.get(&demo.number(*id))
                .0
                .repeat_of
                .iter()
                .map(|r| demo.number(*r)),
        );
    }
    let head: HashSet<String> = numbers.iter().take(chain.len()).cloned().collect();
    assert_eq!(head, chain, "suggested: {numbers:?}");
    let years: HashSet<i32> = found
        .iter()
        .take(chain.len())
        .map(|c| demo.year(c.finding))
        .collect();
    assert_eq!(years, HashSet::from([2021, 2022]));
    assert!(
        found.windows(2).all(|w| w[0].score >= w[1].score),
        "best first"
    );
}

#[test]
fn every_demo_link_is_suggested() {
    let demo = Demo::load();
    let linked: Vec<&(Finding, i32)> = demo
        .findings
        .iter()
        .filter(|(f, _)| !f.repeat_of.is_empty())
        .collect();
    assert!(linked.len() >= 3, "the demo has links to check");
    for (f, year) in linked {
        let (new, _) = unlinked(&demo, &f.number);
        let found: HashSet<Id> = demo
            .suggest(&new, *year, DEFAULT_YEARS)
            .iter()
            .map(|c| c.finding)
            .collect();
        for id in &f.repeat_of {
            assert!(
                found.contains(id),
                "{} should suggest {}",
                f.number,
                demo.number(*id)
            );
        }
    }
}

#[test]
fn another_unit_with_an_unrelated_title_gets_nothing() {
    let demo = Demo::load();
    let education = demo.unit("区教育局");
    let new = finding("食堂食品安全管理制度不健全", "后勤管理", education);
    assert!(demo.suggest(&new, 2024, DEFAULT_YEARS).is_empty());
    // The same title as 区财政局's repeated problem, at a unit unrelated to it: no match either,
    // a problem is a repeat of a unit's (or its 主管部门's) own history.
    let water = demo.unit("区水务局");
    let new = finding("预算编制不够细化", "预算管理", water);
    assert!(demo.suggest(&new, 2024, DEFAULT_YEARS).is_empty());
}

#[test]
fn the_same_competent_department_counts_either_way() {
    let mut demo = Demo::load();
    let finance = demo.unit("区财政局");
    let mut treasury = Unit::new("区财政国库支付中心", UnitKind::Other);
    treasury.parent = Some(finance);
    let treasury_id = treasury.id;
    demo.units.push(treasury);

    // The child repeats its 主管部门's problem.
    let new = finding("预算编制不够细化", "预算管理", treasury_id);
    let found = demo.suggest(&new, 2024, DEFAULT_YEARS);
    let numbers = demo.numbers(&found);
    for n in ["2023-01-01", "2022-01-01", "2021-01-01"] {
        assert!(numbers.contains(&n.to_string()), "{n} in {numbers:?}");
    }
    assert!(found[0].reasons[0].zh.contains("同一主管部门（区财政局）"));
    assert!(found[0].reasons[0].en.contains("same competent department"));

    // The 主管部门 repeats its child's problem (区城投集团's parent is 区财政局) ...
    let bonds = demo.get("2022-03-03").0;
    let new = finding(&bonds.title, &bonds.category, finance);
    assert!(
        demo.suggest(&new, 2024, DEFAULT_YEARS)
            .iter()
            .any(|c| c.finding == bonds.id)
    );
    // ... and so does a sibling under the same 主管部门.
    let new = finding(&bonds.title, &bonds.category, treasury_id);
    assert!(
        demo.suggest(&new, 2024, DEFAULT_YEARS)
            .iter()
            .any(|c| c.finding == bonds.id)
    );
}

#[test]
fn a_later_year_is_never_suggested() {
    let demo = Demo::load();
    let (first, year) = unlinked(&demo, "2021-01-01");
    assert!(demo.suggest(&first, year, DEFAULT_YEARS).is_empty());
    let (middle, year) = unlinked(&demo, "2022-01-01");
    let found = demo.suggest(&middle, year, DEFAULT_YEARS);
    assert!(!found.is_empty());
    assert!(found.iter().all(|c| demo.year(c.finding) < 2022));
}

#[test]
fn years_cuts_off_older_ones() {
    let demo = Demo::load();
    let (new, year) = unlinked(&demo, "2023-01-01");
    let old = demo.get("2021-01-01").0.id;
    let last_year = demo.suggest(&new, year, 1);
    assert!(!last_year.is_empty());
    assert!(last_year.iter().all(|c| demo.year(c.finding) == 2022));
    assert!(demo.suggest(&new, year, 2).iter().any(|c| c.finding == old));
    assert!(demo.suggest(&new, year, 0).is_empty());
}

#[test]
fn linked_archived_and_itself_are_left_out() {
    let mut demo = Demo::load();
    let (new, year) = demo.get("2023-01-01");
    let found = demo.suggest(&new, year, DEFAULT_YEARS);
    assert!(found.iter().all(|c| !new.repeat_of.contains(&c.finding)));
    assert!(!found.is_empty(), "the 2021 ones are not linked yet");

    // Itself, even if the caller passes it as an earlier year's.
    let (unlinked_new, _) = unlinked(&demo, "2023-01-01");
    demo.findings.push((unlinked_new.clone(), year - 1));
    let found = demo.suggest(&unlinked_new, year, DEFAULT_YEARS);
    assert!(found.iter().all(|c| c.finding != unlinked_new.id));

    let target = demo.get("2022-01-01").0.id;
    for (f, _) in &mut demo.findings {
        f.archived |= f.id == target;
    }
    let found = demo.suggest(&unlinked_new, year, DEFAULT_YEARS);
    assert!(found.iter().all(|c| c.finding != target));
}

#[test]
fn reasons_say_why_in_both_languages() {
    let demo = Demo::load();
    let (new, year) = unlinked(&demo, "2023-01-01");
    let found = demo.suggest(&new, year, DEFAULT_YEARS);
    let top = &found[0];
    let zh: Vec<&str> = top.reasons.iter().map(|m| m.zh.as_str()).collect();
    let en: Vec<&str> = top.reasons.iter().map(|m| m.en.as_str()).collect();
    assert_eq!(
        zh,
        [
            "同一牵头单位（区财政局）",
            "标题相近：预算编制不够细化、预算绩效管理不到位",
            "同一类别：预算管理",
            "同一统计定性：管理不规范",
        ]
    );
    assert_eq!(en[0], "same lead unit (区财政局)");
    assert_eq!(en[2], "same category: 预算管理");
    assert_eq!(en[3], "same statistical class: irregular management");
    // Every suggestion anywhere in the demo explains itself in both languages.
    for (f, y) in &demo.findings {
        for c in demo.suggest(f, *y, DEFAULT_YEARS) {
            assert!(
                c.reasons.len() >= 2,
                "a unit link and what makes it the same problem"
            );
            assert!(
                c.reasons
                    .iter()
                    .all(|m| !m.zh.is_empty() && !m.en.is_empty())
            );
        }
    }
}

#[test]
fn limit_is_respected() {
    let demo = Demo::load();
    let (new, year) = unlinked(&demo, "2023-01-01");
    let all = demo.findings.iter().map(|(f, y)| (f, *y));
    let found = suggest(&new, year, all, &demo.units, DEFAULT_YEARS, 1);
    assert_eq!(demo.numbers(&found), ["2022-01-01"]);
}

#[test]
fn titles_sharing_only_a_generic_word_are_not_similar() {
    // 资金 alone (and 不及时) is what half the titles say.
    assert_eq!(
        title_similarity("惠民资金发放不及时", "专项资金使用效益不高"),
        0.0
    );
    assert_eq!(title_similarity("资金", "资金"), 0.0);
    // One shared real word is chance, too.
    assert_eq!(
        title_similarity("专项资金滞留闲置", "涉粮资金拨付滞留"),
        0.0
    );
    // The same subject with a different problem stays below the threshold.
    assert!(title_similarity("医疗设备闲置", "医疗设备购置未执行政府采购") < TITLE_THRESHOLD);
}

#[test]
fn titles_of_the_same_problem_are_similar() {
    assert_eq!(
        title_similarity("预算编制不够细化", "预算编制不够细化"),
        1.0
    );
    let combined = "预算编制不够细化、预算绩效管理不到位";
    assert!(title_similarity("预算编制不够细化", combined) >= TITLE_THRESHOLD);
    assert!(title_similarity("预算绩效管理不到位", combined) >= TITLE_THRESHOLD);
    assert!(title_similarity("非税收入未及时缴库", "非税收入未及时缴入国库") >= TITLE_THRESHOLD);
    assert!(
        title_similarity("政府采购未执行", "政府购买服务未执行政府采购程序") >= TITLE_THRESHOLD
    );
    // Full-width and ASCII forms of a letter are the same letter.
    assert_eq!(
        title_similarity("ＰＰＰ项目付费超标", "PPP项目付费超标"),
        1.0
    );
}

#[test]
fn a_shared_generic_word_at_the_same_unit_is_not_a_repeat() {
    let unit = Unit::new("区文旅局", UnitKind::Other);
    let mut old = finding("专项资金使用效益不高", "绩效管理", unit.id);
    old.stat_class = StatClass::Irregular;
    let new = finding("惠民资金发放不及时", "惠民资金", unit.id);
    let found = suggest(
        &new,
        2024,
        [(&old, 2023)],
        std::slice::from_ref(&unit),
        DEFAULT_YEARS,
        5,
    );
    assert!(found.is_empty());
    // The same category makes it one, title aside; a similar title does too, category aside.
    let same_category = finding("救助资金结余未统筹使用", "惠民资金", unit.id);
    let similar = finding("惠民资金发放滞后", "社会救助", unit.id);
    let earlier = [(&same_category, 2022), (&similar, 2022)];
    let found = suggest(&new, 2024, earlier, &[unit], DEFAULT_YEARS, 5);
    assert_eq!(found.len(), 2);
}

#[test]
fn a_lead_unit_outranks_an_assisting_one_and_a_department() {
    let parent = Unit::new("区财政局", UnitKind::Other);
    let mut child = Unit::new("区财政国库支付中心", UnitKind::Other);
    child.parent = Some(parent.id);
    let new = finding("违规出借财政资金", "财政资金管理", parent.id);
    let lead = finding("违规出借财政资金", "财政资金管理", parent.id);
    let mut assist = finding("违规出借财政资金", "财政资金管理", child.id);
    let mut units = std::mem::take(&mut assist.units).into_vec();
    units.push(ResponsibleUnit {
        unit: parent.id,
        role: UnitRole::Assist,
    });
    assist.units = units.into();
    let department = finding("违规出借财政资金", "财政资金管理", child.id);
    let earlier = [(&department, 2023), (&assist, 2023), (&lead, 2023)];
    let found = suggest(&new, 2024, earlier, &[parent, child], DEFAULT_YEARS, 5);
    let order: Vec<Id> = found.iter().map(|c| c.finding).collect();
    assert_eq!(order, [lead.id, assist.id, department.id]);
    assert_eq!(found[1].reasons[0].zh, "同一单位（区财政局）");
    assert_eq!(found[2].reasons[0].zh, "同一主管部门（区财政局）");
}

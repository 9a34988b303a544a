//! The words of the filter language: keys, virtual tags and sort columns, each with its Chinese
//! and ASCII names and a one-line description. One table per kind, so that the parser, the
//! error messages ("did you mean …", "choose one of …") and the help all read the same list.

/// A `key:value` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    Status,
    Unit,
    Lead,
    Project,
    Year,
    Mode,
    Class,
    Severity,
    Source,
    Reason,
    Category,
    Number,
    Amount,
    Deadline,
    Overdue,
    Urgency,
    Sort,
}

impl Key {
    /// Keys compared as numbers or dates take `< <= > >= =` and ranges; the others only `:`.
    pub fn compares(self) -> bool {
        matches!(
            self,
            Key::Year | Key::Amount | Key::Deadline | Key::Overdue | Key::Urgency
        )
    }
}

/// A `+tag`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Overdue,
    NearDue,
    Awaiting,
    Repeat,
    Congress,
    Instructed,
    Assigned,
    KeySupervision,
    DuringAudit,
    Stale,
    LongTerm,
    Reopened,
    Open,
    Draft,
    DueCheck,
}

/// A column to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SortField {
    Number,
    Status,
    Urgency,
    Deadline,
    Amount,
    Overdue,
    Unit,
    Project,
    Title,
    Year,
    Mode,
    Severity,
}

impl SortField {
    /// Urgency and days overdue read most pressing first; every other column ascending.
    pub fn descending_by_default(self) -> bool {
        matches!(self, SortField::Urgency | SortField::Overdue)
    }
}

/// A word of the language: what it means, what it is called, and how the help describes it.
pub(super) struct Word<T: 'static> {
    pub what: T,
    /// Accepted names; the first is Chinese, the second ASCII. ASCII names match in any case.
    pub names: &'static [&'static str],
    /// How the help writes it.
    pub shown: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

macro_rules! words {
    ($($what:expr, [$($name:expr),+], $shown:expr, $zh:expr, $en:expr;)+) => {
        &[$(Word { what: $what, names: &[$($name),+], shown: $shown, zh: $zh, en: $en }),+]
    };
}

pub(super) const KEYS: &[Word<Key>] = words![
    Key::Status, ["状态", "status"], "状态:未整改 / status:未整改,部分整改",
        "整改状态，逗号分隔表示“或”：状态:未整改,部分整改", "status; commas mean \"any of\": status:未整改,部分整改";
    Key::Unit, ["单位", "unit"], "单位:财政 / unit:财政",
        "责任单位（牵头或配合）的全称或简称包含该文字", "a responsible unit (lead or assisting) whose name or short name contains the text";
    Key::Lead, ["牵头", "lead"], "牵头:财政 / lead:财政",
        "牵头责任单位的全称或简称包含该文字", "the lead unit's name or short name contains the text";
    Key::Project, ["项目", "project"], "项目:2022-03 / project:专项债券",
        "审计项目的编号或名称包含该文字", "the audit project's number or name contains the text";
    Key::Year, ["年度", "year"], "年度:2022 / year:2021..2023",
        "审计项目年度，可比较或写范围", "the audit project's year; compare or give a range";
    Key::Mode, ["方式", "mode"], "方式:持续整改 / mode:immediate",
        "整改方式：立行立改、分阶段整改、持续整改", "rectification mode: immediate, staged, long-term";
    Key::Class, ["定性", "class"], "定性:违规 / class:violation",
        "统计定性：违规、管理不规范、损失浪费、非金额", "statistical class: violation, irregular management, loss and waste, non-monetary";
    Key::Severity, ["严重", "severity", "程度"], "严重:重大 / severity:major",
        "严重程度：重大、较大、一般", "severity: major, serious, general";
    Key::Source, ["来源", "source"], "来源:上级交办 / source:上级交办",
        "问题来源", "where the finding came from";
    Key::Reason, ["原因", "reason"], "原因:体制机制 / reason:institutional",
        "未完成原因", "why it is not finished yet";
    Key::Category, ["类别", "category"], "类别:预算 / category:预算",
        "问题类别包含该文字", "the finding's category contains the text";
    Key::Number, ["编号", "number"], "编号:2022-03 / number:2022-03",
        "问题编号包含该文字", "the finding number contains the text";
    Key::Amount, ["金额", "amount"], "金额>100万 / amount<1.2亿",
        "涉及金额；不带单位的数字按万元计；无金额的问题不满足任何金额条件", "amount involved; a bare number is in 万元; findings without an amount match no amount test";
    Key::Deadline, ["时限", "deadline"], "时限<2023-06-30 / deadline<=+30",
        "整改时限（持续整改取当前阶段目标的时限）；+30 表示今天起30天", "deadline that counts (the current milestone for long-term items); +30 means 30 days from today";
    Key::Overdue, ["超期天数", "overdue", "超期"], "超期天数>90 / overdue>90",
        "超期天数（未超期为0）", "days overdue (0 when not overdue)";
    Key::Urgency, ["紧迫度", "urgency"], "紧迫度>=10 / urgency>=10",
        "督办紧迫度分数", "the supervision urgency score";
    Key::Sort, ["排序", "sort"], "排序:紧迫度 / sort:-amount",
        "排序列，逗号分隔多列，前加“-”倒序", "sort columns, several with commas, '-' reverses one";
];

pub(super) const TAGS: &[Word<Tag>] = words![
    Tag::Overdue, ["超期", "overdue"], "+超期 / +overdue",
        "已过整改时限且未整改到位", "past the deadline that counts and not rectified";
    Tag::NearDue, ["临期", "neardue", "due-soon"], "+临期 / +neardue",
        "未超期但临近整改时限", "not overdue but due soon";
    Tag::Awaiting, ["待认定", "awaiting"], "+待认定 / +awaiting",
        "已报送整改情况，等待审计认定", "a claim awaits the auditor's determination";
    Tag::Repeat, ["屡审屡犯", "repeat"], "+屡审屡犯 / +repeat",
        "重复以往问题，或被后来的问题重复", "repeats an earlier finding, or a later one repeats it";
    Tag::Congress, ["人大", "congress"], "+人大 / +congress",
        "纳入审计工作报告、报人大", "in the audit work report to the people's congress";
    Tag::Instructed, ["批示", "instructed"], "+批示 / +instructed",
        "有领导批示", "has a leader's instruction";
    Tag::Assigned, ["上级交办", "assigned"], "+上级交办 / +assigned",
        "上级审计机关交办", "assigned by the upper audit office";
    Tag::KeySupervision, ["重点督办", "key"], "+重点督办 / +key",
        "列为重点督办", "under key supervision";
    Tag::DuringAudit, ["边审边改", "during"], "+边审边改 / +during",
        "审计期间已边审边改", "rectified during the audit";
    Tag::Stale, ["无进展", "stale"], "+无进展 / +stale",
        "未整改到位，且超过N天（默认90）没有进展报送或检查", "open, with no progress report or check for N days (90 by default)";
    Tag::LongTerm, ["持续", "longterm", "持续整改"], "+持续 / +longterm",
        "整改方式或状态为持续整改", "long-term by mode or by status";
    Tag::Reopened, ["重开", "reopened"], "+重开 / +reopened",
        "销号后重新打开或被查出虚假整改", "reopened after closure, or found fake";
    Tag::Open, ["未完成", "open"], "+未完成 / +open",
        "已下发且尚未整改到位（不含已整改、已销号和草稿）", "issued and not rectified yet (not rectified, closed or a draft)";
    Tag::Draft, ["草稿", "draft"], "+草稿 / +draft",
        "尚未下发的问题", "not issued yet";
    Tag::DueCheck, ["待回头看", "duecheck", "待检查"], "+待回头看 / +duecheck",
        "7天内（含已过期）应做跟踪检查或回头看", "a follow-up check is due within 7 days (or overdue)";
];

/// Tags the domain names but the ledger cannot answer yet (no referral records).
pub(super) const UNSUPPORTED_TAGS: &[&str] = &["移送", "referred", "referral"];

pub(super) const SORTS: &[Word<SortField>] = words![
    SortField::Number, ["编号", "number"], "排序:编号 / sort:number",
        "问题编号（默认）", "finding number (the default)";
    SortField::Status, ["状态", "status"], "排序:状态 / sort:status",
        "整改状态，按流程先后", "status, in workflow order";
    SortField::Urgency, ["紧迫度", "urgency"], "排序:紧迫度 / sort:urgency",
        "督办紧迫度，最紧迫在前", "urgency, most urgent first";
    SortField::Deadline, ["时限", "deadline"], "排序:时限 / sort:deadline",
        "整改时限，最早在前", "deadline, earliest first";
    SortField::Amount, ["金额", "amount"], "排序:金额 / sort:-amount",
        "涉及金额，从小到大（-金额 从大到小）", "amount, smallest first (-amount: largest first)";
    SortField::Overdue, ["超期天数", "overdue", "超期"], "排序:超期天数 / sort:overdue",
        "超期天数，最多在前", "days overdue, most first";
    SortField::Unit, ["单位", "unit", "牵头"], "排序:单位 / sort:unit",
        "牵头单位", "lead unit";
    SortField::Project, ["项目", "project"], "排序:项目 / sort:project",
        "审计项目编号", "project number";
    SortField::Title, ["摘要", "title", "问题摘要"], "排序:摘要 / sort:title",
        "问题摘要", "title";
    SortField::Year, ["年度", "year"], "排序:年度 / sort:year",
        "项目年度，最早在前", "project year, oldest first";
    SortField::Mode, ["方式", "mode"], "排序:方式 / sort:mode",
        "整改方式", "rectification mode";
    SortField::Severity, ["严重", "severity", "程度"], "排序:严重 / sort:severity",
        "严重程度，重大在前", "severity, major first";
];

/// Look a name up in a table: exact for Chinese, any case for ASCII.
pub(super) fn lookup<T: Copy>(table: &'static [Word<T>], name: &str) -> Option<T> {
    table
        .iter()
        .find(|w| w.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|w| w.what)
}

/// The nearest name in the table, if it is close enough to be a likely typo.
pub(super) fn suggest<T>(table: &'static [Word<T>], name: &str) -> Option<&'static str> {
    let typed: Vec<char> = name.to_lowercase().chars().collect();
    let best = table
        .iter()
        .flat_map(|w| w.names.iter().copied())
        .map(|n| {
            (
                distance(&typed, &n.to_lowercase().chars().collect::<Vec<_>>()),
                n,
            )
        })
        .min_by_key(|(d, _)| *d)?;
    // Half the typed length (at least one edit): "stauts" → "status", but not "x" → "year".
    let limit = typed.len().div_ceil(2).max(1);
    (best.0 <= limit).then_some(best.1)
}

/// All the names of one language: index 0 Chinese, 1 ASCII.
pub(super) fn names_in<T>(table: &'static [Word<T>], index: usize, prefix: &str) -> String {
    let names: Vec<String> = table
        .iter()
        .filter_map(|w| w.names.get(index))
        .map(|n| format!("{prefix}{n}"))
        .collect();
    names.join(if index == 0 { "、" } else { ", " })
}

/// Levenshtein distance over chars (names are a few characters long).
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row.push((prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

/// Syntax that is not a key, tag or sort column, for the help.
const SYNTAX: &[(&str, &str, &str)] = &[
    (
        "词 / word",
        "不带键的词：在编号、摘要、问题描述、类别和责任单位名称中查找（不区分大小写和全半角），摘要还可按字序模糊匹配",
        "a word without a key: searched in number, title, facts, category and responsible units' names (any case or width); titles also match its characters in order",
    ),
    (
        "\"预算 编制\"",
        "引号内为整句，按原文查找，不做模糊匹配，也不解析键和标记",
        "quotes make a phrase, matched literally: no fuzzy matching, no keys or tags",
    ),
    (
        "-词 / -+超期 / -状态:已销号",
        "前加“-”表示排除",
        "a leading '-' excludes",
    ),
    (
        "a b c",
        "空格分隔的各条件须同时满足",
        "terms separated by spaces must all hold",
    ),
    (
        "金额>100万 / 年度:2021..2023 / 时限:..+30",
        "比较与范围：金额>100万、年度:2021..2023、时限:..+30",
        "comparisons and ranges: amount>100万, year:2021..2023, deadline:..+30",
    ),
];

/// Every key, tag, sort column and piece of syntax: (how it is written, zh, en).
pub fn vocabulary() -> Vec<(&'static str, &'static str, &'static str)> {
    let keys = KEYS.iter().map(|w| (w.shown, w.zh, w.en));
    let tags = TAGS.iter().map(|w| (w.shown, w.zh, w.en));
    let sorts = SORTS.iter().map(|w| (w.shown, w.zh, w.en));
    SYNTAX
        .iter()
        .copied()
        .chain(keys)
        .chain(tags)
        .chain(sorts)
        .collect()
}

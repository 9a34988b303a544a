//! Every label and message of the terminal app, in both languages, in one place.

use crate::i18n::{Lang, lang};

macro_rules! strings {
    ($( $variant:ident => $zh:literal, $en:literal; )+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum S { $( $variant ),+ }

        impl S {
            pub fn in_lang(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (S::$variant, Lang::Zh) => $zh, (S::$variant, Lang::En) => $en, )+
                }
            }

            /// The text in the current language.
            pub fn t(self) -> &'static str {
                self.in_lang(lang())
            }
        }
    };
}

strings! {
    AppTitle => "审计整改台账", "Audit rectification ledger";
    TabDashboard => "总览", "Dashboard";
    TabProjects => "项目", "Projects";
    TabFindings => "问题", "Findings";
    TabUnits => "责任单位", "Units";
    TabChecks => "回头看", "Checks";
    TooSmall => "窗口太小", "Window too small";
    TooSmallHint => "请把终端放大到至少 60×16", "enlarge the terminal to at least 60×16";
    Saved => "已保存", "Saved";
    Archived => "已归档", "Archived";
    Undone => "已撤销", "Undone";
    NothingToUndo => "没有可撤销的修改", "nothing to undo";
    NothingSelected => "没有选中的记录", "nothing selected";
    Help => "帮助", "Help";
    HelpClose => "按 Esc 关闭", "Esc closes";
    Pending => "等待后续按键", "waiting for the next key";
    // Dashboard.
    StatusCounts => "整改状态", "Status";
    RectificationRate => "整改率", "Rectification rate";
    OverdueList => "超期问题", "Overdue";
    DueChecks => "待回头看", "Due for a check";
    NoneHere => "（无）", "(none)";
    DashTotals => "整改情况", "Rectification";
    DashCaliber => "口径：", "Caliber: ";
    DashScopeAll => "{years}全部已下发问题", "all issued findings{years}";
    DashScopeReported => "{years}纳入审计工作报告的已下发问题", "issued findings listed in the work report{years}";
    DashYears => "{}年", " of {}";
    DashFindings => "问题总数", "Findings";
    DashRectified => "已整改到位", "Rectified";
    DashUnfinished => "未整改到位", "Not rectified";
    DashNotIssued => "未下发（不计入）", "not issued (not counted)";
    DashNotIssuedShort => "未下发", "not issued";
    DashSep => "，", ", ";
    DashParen => "（{}）", " ({})";
    DashAmount => "涉及金额", "Amount";
    DashAmountRectified => "认定整改金额", "Rectified amt";
    DashByDaysLate => "按超期天数", "by days late";
    DashByUnit => "按牵头单位", "By lead unit";
    DashByType => "按项目类型", "By project type";
    DashColRectified => "已整改", "Done";
    DashColRate => "整改率", "Rate";
    DashColOverdue => "超期", "Late";
    DashColAmount => "涉及金额(万元)", "10k yuan";
    DashNoLead => "未指定牵头单位", "no lead unit";
    DashLedBy => "{}牵头的问题", "findings led by {}";
    DashOfType => "{}项目的问题", "findings of {} projects";
    DashStatusIs => "整改状态：{}", "status: {}";
    DashOverdue => "超期{}", "overdue {}";
    Aging30 => "30天以内", "1-30 days";
    Aging90 => "31-90天", "31-90 days";
    Aging180 => "91-180天", "91-180 days";
    AgingOver => "180天以上", "over 180 days";
    DashWan => "{}万元", "{} (10k yuan)";
    // Columns.
    ColNumber => "编号", "No.";
    ColStatus => "状态", "Status";
    ColFlags => "标记", "Flags";
    ColTitle => "问题摘要", "Title";
    ColLead => "牵头单位", "Lead unit";
    ColDeadline => "整改时限", "Deadline";
    ColName => "名称", "Name";
    ColYear => "年度", "Year";
    ColType => "类型", "Type";
    ColFindings => "问题数", "Findings";
    ColOverdue => "超期", "Overdue";
    ColOpen => "未完成", "Open";
    ColLeader => "主要负责人", "Leader";
    ColDate => "日期", "Date";
    ColVerdict => "结论", "Verdict";
    ColMethod => "方式", "Method";
    ColChecker => "检查人", "Checker";
    ColNote => "检查情况", "Note";
    ColNextCheck => "下次检查", "Next check";
    ColDue => "应查日期", "Due";
    // Flags.
    FlagOverdue => "超期", "late";
    FlagNearDue => "临期", "due soon";
    FlagReopened => "重开", "reopened";
    Days => "天", "d";
    // Detail labels.
    Project => "项目", "Project";
    Units => "责任单位", "Responsible units";
    Mode => "整改方式", "Mode";
    Class => "定性", "Class";
    Amount => "涉及金额", "Amount";
    Issued => "下发日期", "Issued";
    Deadline => "整改时限", "Deadline";
    Milestones => "阶段目标", "Milestones";
    Reason => "未完成原因", "Reason";
    Facts => "问题描述", "Facts";
    Records => "整改记录", "Records";
    History => "修改历史", "History";
    Leader => "主要负责人", "Leader";
    Contacts => "联系人", "Contacts";
    Team => "审计组", "Team";
    Document => "文号", "Document";
    // Views.
    FindingsOfProject => "项目的问题", "findings of the project";
    FindingsOfUnit => "单位负责的问题", "findings of the unit";
    CheckQueue => "待回头看队列", "check queue";
    CheckLog => "检查记录", "check log";
    // Forms.
    NewUnit => "新建责任单位", "New unit";
    EditUnit => "编辑责任单位", "Edit unit";
    NewProject => "新建审计项目", "New project";
    EditProject => "编辑审计项目", "Edit project";
    NewFinding => "新建问题", "New finding";
    EditFinding => "编辑问题", "Edit finding";
    NewCheck => "登记回头看", "Record a follow-up check";
    FixErrors => "有栏目未通过校验，请按提示修改", "some fields are not valid; fix them first";
    DiscardChanges => "有未保存的修改，放弃吗？", "Discard unsaved changes?";
    ConfirmArchive => "确定归档这条记录吗？（可撤销）", "Archive this record? (can be undone)";
    YesNo => "Enter/y 确定   Esc/n 取消", "Enter/y yes   Esc/n no";
    Required => "必填", "required";
    // First run.
    Welcome => "欢迎使用 rectify 审计整改台账", "Welcome to rectify, the audit rectification ledger";
    WelcomeEmpty => "台账还是空的。", "The ledger is empty.";
    WelcomeDemo => "按 d 载入示例台账（区审计局 2021-2023 年的整改故事）", "press d to load the demo ledger (a district audit bureau, 2021-2023)";
    WelcomeStart => "按 Enter 从空台账开始", "press Enter to start with an empty ledger";
    WelcomeWhere => "数据保存在：", "Data lives in: ";
    DemoLoaded => "已载入示例台账", "demo ledger loaded";
    KeymapName => "按键方案", "keymap";
    CtxGlobal => "全局", "Everywhere";
    CtxList => "列表", "Lists";
    CtxForm => "表单", "Forms";
    CtxPopup => "弹窗", "Pop-ups";
    AsOf => "截至", "as of";
    EnterToChoose => "Enter 选择", "Enter to choose";
    Created => "创建", "created";
    To => "至", "to";
    DoneOn => "完成于", "done";
    Claim => "报送", "claim";
    Review => "认定", "review";
    Closed => "销号", "closed";
    ReopenedEvent => "重新打开", "reopened";
    Parent => "主管部门", "Competent dept";
    ChecksAreRecords => "检查记录不可修改：如有误请归档后重新登记", "a check is a record: archive it if it was wrong and record it again";
    SelectAFinding => "请先选中一个问题（回头看针对问题登记）", "select a finding first (checks are recorded on findings)";
    NoFilterToSave => "还没有筛选条件：先按 f 筛选，再保存为视图", "no filter yet: filter first (f), then save it as a view";
    ViewSaved => "视图已保存", "view saved";
    ViewApplied => "已应用视图", "view applied";
    Finder => "查找（汉字、拼音或首字母）", "Find (characters, pinyin or initials)";
    FilterPrompt => "筛选", "Filter";
    ViewNamePrompt => "视图名称", "View name";
    SavedViews => "常用视图", "Saved views";
    Filtered => "筛选", "filter";
    KindFinding => "问题", "finding";
    KindProject => "项目", "project";
    KindUnit => "单位", "unit";
    KindCheck => "检查", "check";
    NewProgress => "登记整改进展", "Record a progress report";
    NewDetermination => "登记整改认定", "Record a determination";
    NewClosure => "对账销号", "Close the finding (对账销号)";
    NewReopen => "重新打开问题", "Reopen the finding";
    NotIssuedYet => "问题尚未下发，不能登记整改记录", "the finding is not issued yet; no record can be added";
    CloseNeedsRectified => "只有已整改（已认定）的问题才能销号", "only a rectified (determined) finding can be closed";
    ReopenNeedsClosed => "只有已销号的问题才能重新打开", "only a closed finding can be reopened";
    BatchDone => "待回头看队列已全部检查", "the check queue is done";
    Repeats => "屡审屡犯", "repeat offence";
    RepeatsTitle => "可能屡审屡犯：空格勾选，Enter 关联，Esc 跳过", "Possible repeat offence: space ticks, Enter links, Esc skips";
    RepeatsLinked => "已关联以往问题（屡审屡犯）", "linked to earlier findings (repeat offence)";
    // Outcomes, accountability, referrals, supervision; evidence; check plans.
    AddRecordTitle => "添加记录", "Add a record";
    MenuOutcome => "整改成效", "Outcome";
    MenuAccountability => "追责问责", "Accountability";
    MenuReferral => "移送", "Referral";
    MenuSupervision => "督办", "Supervision";
    NewOutcome => "登记整改成效", "Record an outcome";
    NewAccountability => "登记追责问责", "Record accountability";
    NewReferral => "登记移送", "Record a referral";
    NewSupervision => "登记督办", "Record a supervision step";
    NoSuchFile => "找不到文件“{}”（纸质材料请直接写名称，不要以 / 或 ~ 开头）", "no such file \"{}\" (for paper, write its name without a leading / or ~)";
    NotACount => "项数应为正整数，如 2", "the count is a whole number, like 2";
    NoPersons => "人数应为整数，如 2", "the number of persons is a whole number, like 2";
    CheckPlans => "检查计划", "check plans";
    ColPlanKind => "类型", "Kind";
    ColPlanTitle => "计划名称", "Plan";
    ColProject => "项目编号", "Project";
    ColChecked => "已查", "Checked";
    ColLastCheck => "最近检查", "Last check";
    ColRoundCheck => "本轮检查", "This round";
    NotChecked => "未检查", "not checked";
    PlanPeriod => "期间", "Period";
    Onwards => "起", "onwards";
    PlanUnit => "被检查单位", "Unit";
    CreatedBy => "制定人", "Created by";
    LookBackTitle => "纳入回头看范围？", "Take into the look-back scope?";
    LookBackKeys => "空格 勾选  * 全选/全不选", "space ticks  * ticks all/none";
    LookBackConfirm => "创建计划", "make the plan";
    LookBackSkip => "跳过", "skip";
    LookBackCreated => "已创建回头看计划", "look-back plan created";
    LookBackSkipped => "未创建回头看计划", "no look-back plan created";
    PlansAreRecords => "检查计划不在此编辑：如有误请归档后重新制定", "plans are not edited here: archive a wrong one and make it again";
    KeymapWarning => "按键配置有误，已使用默认按键：", "keymap errors; using the default keys: ";
    // Live sync and the 冲突 queue.
    SyncedAt => "同步 {}", "synced {}";
    NotSyncedYet => "未同步", "not synced yet";
    Syncing => "同步中…", "syncing…";
    SyncFailedAt => "同步失败 {}", "sync failed {}";
    ToSend => "待发 {}", "{} to send";
    ConflictCount => "冲突 {}", "conflicts: {}";
    SyncFailed => "同步失败（按 ! 查看）：", "sync failed (! shows it): ";
    SyncBack => "同步已恢复", "sync works again";
    SyncHub => "同步目录", "Hub";
    SyncLastOk => "上次同步", "Last sync";
    SyncLastError => "上次失败", "Last failure";
    SyncPending => "待发出的操作", "Ops to send";
    SyncNone => "未设置同步目录（config.toml 中的 hub）", "no hub set (hub in config.toml)";
    ConflictsTitle => "冲突与重复编号", "Conflicts and duplicate numbers";
    ColRecord => "记录", "Record";
    ColField => "栏目", "Field";
    ColSides => "各方的值", "Values";
    FlagConflict => "冲突", "conflict";
    FlagDuplicate => "重号", "dup no.";
    ShownSide => "（当前显示）", " (shown)";
    DuplicateNumber => "编号重复", "duplicate number";
    DuplicateHint => "与同项目的另一问题编号相同：Enter 打开，e 编辑后重新编号", "another finding of the project has this number: Enter opens it, edit it to renumber";
    ConflictHint => "两人从同一版本分别修改了这一栏。Enter 选择保留哪个值（或编辑为新值）", "two people changed this field from the same version. Enter chooses the value to keep (or edit a new one)";
    ChooseSide => "选择保留的值（Enter 确定，Esc 取消）", "Keep which value? (Enter keeps, Esc cancels)";
    EditValue => "编辑…（输入新的值）", "edit… (type a new value)";
    ConflictSettled => "冲突已解决：保留 {} 的值", "conflict settled: kept the value by {}";
    ConflictGone => "这处冲突已不存在（可能已在别处解决）", "this conflict is gone (settled elsewhere?)";
    EmptyValue => "（空）", "(empty)";
    Yes => "是", "yes";
    No => "否", "no";
    ConflictFields => "冲突：{}（按 {} 处理）", "conflict: {} (press {} to settle)";
    ConflictMark => " ［冲突］", " [conflict]";
    WelcomeFetching => "已设置同步目录 {}：正在取回全组的台账，取到后自动打开。", "a hub is set ({}): fetching the team's ledger; it opens when it arrives.";
    WelcomeNoDemo => "有同步目录时不提供示例台账（示例会同步给全组）。", "no demo ledger with a hub (it would sync to the whole team).";
}

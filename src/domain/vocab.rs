//! The closed vocabularies of 审计整改 (domain.md §2–§3, §7).
//! Append new variants at the end only: bincode stores the variant index.

use crate::labelled_enum;

labelled_enum!(UnitKind, ("单位类型", "unit kind") {
    PartyGovernment => ("党政机关", "party/government organ"),
    PublicInstitution => ("事业单位", "public institution"),
    StateEnterprise => ("国有企业", "state-owned enterprise"),
    TownStreet => ("乡镇街道", "town/street office"),
    VillageCommunity => ("村社区", "village/community"),
    Other => ("其他", "other"),
});

labelled_enum!(ContactRole, ("联系人角色", "contact role") {
    PrincipalLeader => ("主要负责人", "principal leader"),
    DeputyLeader => ("分管领导", "deputy in charge"),
    Liaison => ("联络员", "liaison"),
    FinanceHead => ("财务负责人", "head of finance"),
});

labelled_enum!(ProjectType, ("项目类型", "project type") {
    BudgetExecution => ("预算执行审计", "budget execution audit"),
    FinalAccountsDraft => ("决算草案审计", "final accounts draft audit"),
    DepartmentBudget => ("部门预算执行审计", "departmental budget audit"),
    EconResponsibilityInOffice => ("经济责任审计(任中)", "economic responsibility audit (in office)"),
    EconResponsibilityDeparture => ("经济责任审计(离任)", "economic responsibility audit (departure)"),
    NaturalResources => ("自然资源资产审计", "natural resource assets audit"),
    InvestmentFinalAccounts => ("政府投资项目审计(竣工决算)", "government investment audit (final accounts)"),
    InvestmentTracking => ("政府投资项目跟踪审计", "government investment tracking audit"),
    SpecialInvestigation => ("专项审计调查", "special audit investigation"),
    SpecialFunds => ("专项资金审计", "special funds audit"),
    SpecialBonds => ("专项债券审计", "special bonds audit"),
    PolicyTracking => ("重大政策措施落实跟踪审计", "major policy tracking audit"),
    StateEnterprise => ("国有企业审计", "state-owned enterprise audit"),
    SocialSecurity => ("社会保障基金审计", "social security fund audit"),
    Performance => ("绩效审计", "performance audit"),
    InternalControl => ("内部控制评审", "internal control review"),
    InformationSystems => ("信息系统审计", "information systems audit"),
    Other => ("其他", "other"),
});

labelled_enum!(ProjectOrigin, ("项目来源", "project origin") {
    LocalPlan => ("本级计划", "own annual plan"),
    UpperOrganised => ("上级统一组织", "organised by upper office"),
    Authorised => ("授权审计", "authorised audit"),
    LeaderAssigned => ("领导交办", "assigned by leaders"),
    CongressOrGovernment => ("人大政府要求", "requested by congress/government"),
});

labelled_enum!(ProjectStage, ("项目阶段", "project stage") {
    Plan => ("计划", "planned"),
    Preparation => ("准备", "preparation"),
    Fieldwork => ("实施", "fieldwork"),
    Reporting => ("报告", "reporting"),
    Review => ("审理", "review"),
    Rectification => ("整改跟踪", "rectification follow-up"),
    Archived => ("归档", "archived"),
});

labelled_enum!(StatClass, ("统计定性", "statistical class") {
    Violation => ("违规", "violation"),
    Irregular => ("管理不规范", "irregular management"),
    LossWaste => ("损失浪费", "loss and waste"),
    NonMonetary => ("非金额", "non-monetary"),
});

labelled_enum!(Severity, ("严重程度", "severity") {
    Major => ("重大", "major"),
    Serious => ("较大", "serious"),
    General => ("一般", "general"),
});

labelled_enum!(UnitRole, ("责任角色", "role") {
    Lead => ("牵头", "lead"),
    Assist => ("配合", "assisting"),
});

labelled_enum!(
    /// 整改方式: how the problem is to be rectified. A separate axis from its status.
    Mode, ("整改方式", "rectification mode") {
    Immediate => ("立行立改", "immediate"),
    Staged => ("分阶段整改", "staged"),
    LongTerm => ("持续整改", "long-term"),
});

labelled_enum!(UnresolvedReason, ("未完成原因", "reason unfinished") {
    Institutional => ("体制机制", "institutional"),
    Historical => ("历史遗留", "historical legacy"),
    ComplexNeedsTime => ("情况复杂需时", "complex, needs time"),
    MultiDepartment => ("多部门协同", "needs several departments"),
    Judicial => ("司法程序", "in judicial proceedings"),
    FundingGap => ("资金缺口", "funding gap"),
    ConditionsLacking => ("客观条件暂不具备", "conditions not yet in place"),
    Other => ("其他", "other"),
});

labelled_enum!(FindingSource, ("问题来源", "finding source") {
    ThisAudit => ("本次审计", "this audit"),
    UpperAssigned => ("上级交办", "assigned by upper office"),
    LeaderInstruction => ("领导批示", "leaders' instruction"),
    CongressOpinion => ("人大审议意见", "congress review opinion"),
    FollowUpDiscovery => ("回头看新发现", "found in a follow-up"),
    ReferralFeedback => ("移送反馈", "referral feedback"),
});

labelled_enum!(CheckKind, ("检查类型", "check kind") {
    DeadlineCheck => ("到期跟踪检查", "deadline check"),
    LookBack => ("回头看", "look-back"),
    SpecialInspection => ("专项督查", "special inspection"),
    CongressInspection => ("人大督察", "congress inspection"),
    UpperInspection => ("上级检查", "upper-level inspection"),
});

labelled_enum!(CheckMethod, ("核查方式", "check method") {
    DocumentReview => ("资料审核", "document review"),
    SiteVisit => ("实地查看", "site visit"),
    PhoneInquiry => ("电话询问", "phone inquiry"),
    SpotCheck => ("抽查复核", "spot check"),
    DataComparison => ("数据比对", "data comparison"),
});

labelled_enum!(CheckVerdict, ("核查结论", "check verdict") {
    Rectified => ("已整改", "rectified"),
    Partial => ("部分整改", "partly rectified"),
    NotRectified => ("未整改", "not rectified"),
    LongTerm => ("持续整改", "long-term"),
    Fake => ("虚假整改", "fake rectification"),
});

labelled_enum!(ClaimedStatus, ("报送状态", "claimed status") {
    InProgress => ("整改中", "in progress"),
    Rectified => ("已整改", "rectified"),
    Partial => ("部分整改", "partly rectified"),
    RequestLongTerm => ("申请持续整改", "requests long-term"),
});

labelled_enum!(ReviewMethod, ("认定方式", "review method") {
    WrittenReview => ("书面审核", "written review"),
    SiteVisit => ("实地查看", "site visit"),
    SpotCheck => ("抽查复核", "spot check"),
    DataComparison => ("数据比对", "data comparison"),
    Inquiry => ("询问", "inquiry"),
});

labelled_enum!(ReviewVerdict, ("认定结论", "determination") {
    Rectified => ("已整改", "rectified"),
    Partial => ("部分整改", "partly rectified"),
    NotRectified => ("未整改", "not rectified"),
    LongTerm => ("持续整改", "long-term"),
    Rejected => ("不予认定", "rejected"),
});

labelled_enum!(ReopenReason, ("重新打开原因", "reopen reason") {
    Relapse => ("回头看发现反弹", "relapse found in follow-up"),
    WrongDetermination => ("认定有误", "wrong determination"),
    FakeRectification => ("虚假整改", "fake rectification"),
    UpperInspection => ("上级检查指出", "raised by upper inspection"),
});

labelled_enum!(
    /// 整改状态, always derived from the records (domain.md §7.4), never typed in.
    Status, ("整改状态", "status") {
    NotStarted => ("未启动", "not started"),
    InProgress => ("整改中", "in progress"),
    AwaitingReview => ("已报送待认定", "awaiting review"),
    Partial => ("部分整改", "partly rectified"),
    LongTerm => ("持续整改", "long-term"),
    NotRectified => ("未整改", "not rectified"),
    Rectified => ("已整改", "rectified"),
    Closed => ("已销号", "closed"),
});

impl Status {
    /// Rectified in substance: 已整改 or 已销号.
    pub fn is_rectified(self) -> bool {
        matches!(self, Status::Rectified | Status::Closed)
    }
}

// ---- Vocabularies of the records added in store schema 2 (domain.md §7.3). ----

labelled_enum!(
    /// 整改成效 / 审计成果: what a rectification achieved, as the annual report counts it.
    OutcomeKind, ("成效类别", "outcome kind") {
    IncreaseRevenue => ("增收节支", "revenue increased / spending saved"),
    PaidToTreasury => ("上缴财政", "paid to the treasury"),
    ReducedAppropriation => ("减少财政拨款或补贴", "appropriations or subsidies reduced"),
    ReturnedToChannel => ("归还原资金渠道", "returned to the original channel"),
    FundsDisbursed => ("促进资金拨付", "funds disbursed"),
    IdleFundsRevived => ("盘活存量资金", "idle funds put to use"),
    Recovered => ("追回资金", "funds recovered"),
    AccountsAdjusted => ("调整账项", "accounts adjusted"),
    InvestmentReduced => ("审减投资", "investment reduced by audit"),
    LossAvoided => ("挽回损失", "losses recovered or avoided"),
    RulesImproved => ("完善制度", "rules improved"),
    RecommendationAdopted => ("建议被采纳", "recommendation adopted"),
    Other => ("其他", "other"),
});

impl OutcomeKind {
    /// Outcomes counted in pieces (rules, recommendations) rather than in money.
    pub fn is_counted(self) -> bool {
        matches!(
            self,
            OutcomeKind::RulesImproved | OutcomeKind::RecommendationAdopted
        )
    }
}

labelled_enum!(
    /// 佐证材料 kinds.
    EvidenceKind, ("材料类别", "evidence kind") {
    Rules => ("制度文件", "rules or regulations"),
    Minutes => ("会议纪要", "meeting minutes"),
    PaymentVoucher => ("缴款退款凭证", "payment or refund voucher"),
    AdjustmentVoucher => ("账务调整凭证", "accounting adjustment voucher"),
    DisciplinaryDecision => ("处分问责决定", "disciplinary decision"),
    Contract => ("合同协议", "contract or agreement"),
    SitePhoto => ("照片现场记录", "photos or site record"),
    TrainingSignIn => ("培训签到", "training sign-in sheet"),
    CourtDocument => ("判决诉讼材料", "court documents"),
    Other => ("其他", "other"),
});

labelled_enum!(
    /// How a progress report reached the ledger.
    Channel, ("报送渠道", "channel") {
    Typed => ("系统录入", "typed in"),
    ExcelImport => ("Excel导入", "Excel import"),
    Paper => ("纸质转录", "from paper"),
    Packet => ("数据包", "data packet"),
});

labelled_enum!(
    /// 追责问责 measures; 党纪 and 政务 sanctions are spelled out because reports count them apart.
    AccountabilityMeasure, ("问责方式", "measure") {
    ReminderTalk => ("提醒谈话", "reminder talk"),
    CriticismEducation => ("批评教育", "criticism and education"),
    OrderedSelfExamination => ("责令检查", "ordered self-examination"),
    Admonition => ("诫勉", "admonition"),
    CircularCriticism => ("通报批评", "circulated criticism"),
    OrganisationalHandling => ("组织处理", "organisational handling"),
    PartyWarning => ("党内警告", "party warning"),
    PartySeriousWarning => ("党内严重警告", "serious party warning"),
    PartyPostRemoved => ("撤销党内职务", "removal from party post"),
    PartyProbation => ("留党察看", "party probation"),
    PartyExpelled => ("开除党籍", "expulsion from the party"),
    GovWarning => ("政务警告", "administrative warning"),
    Demerit => ("记过", "demerit"),
    MajorDemerit => ("记大过", "major demerit"),
    Demotion => ("降级", "demotion"),
    Dismissal => ("撤职", "dismissal from post"),
    Expulsion => ("开除", "expulsion"),
    ToJudiciary => ("移送司法", "handed to the judiciary"),
});

labelled_enum!(DecidingBody, ("决定机关", "deciding body") {
    DisciplineCommission => ("纪委监委", "discipline inspection commission"),
    OrganisationDept => ("组织部门", "organisation department"),
    CompetentDept => ("主管部门", "competent department"),
    OwnUnit => ("本单位", "the unit itself"),
    Judiciary => ("司法机关", "judicial organ"),
});

labelled_enum!(ReferralReceiver, ("移送对象", "referred to") {
    DisciplineCommission => ("纪委监委", "discipline inspection commission"),
    Police => ("公安", "police"),
    Procuratorate => ("检察院", "procuratorate"),
    Court => ("法院", "court"),
    CompetentDept => ("主管部门", "competent department"),
    Tax => ("税务", "tax office"),
    Other => ("其他", "other"),
});

labelled_enum!(ReferralStatus, ("移送状态", "referral status") {
    Sent => ("已移送", "sent"),
    Accepted => ("已受理", "accepted"),
    InHand => ("办理中", "in hand"),
    FedBack => ("已反馈", "fed back"),
    Concluded => ("已办结", "concluded"),
});

labelled_enum!(
    /// 督办: the escalation steps, mildest first.
    SupervisionKind, ("督办方式", "supervision kind") {
    PhoneReminder => ("电话催办", "phone reminder"),
    SupervisionLetter => ("督办函", "supervision letter"),
    Interview => ("约谈", "interview"),
    Circular => ("通报", "circular"),
    PromotionMeeting => ("提请推进会", "promotion meeting requested"),
    AccountabilityRequest => ("提请追责", "accountability requested"),
});

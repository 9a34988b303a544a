//! The demo ledger: a district audit bureau (区审计局) and the rectification of what its 2021–2023
//! projects found, told the way the seed report tells it (domain.md §0, §2.4–§2.6).
//!
//! The story is kept in compact text tables (one line per unit, project and finding) and played
//! out by small scripts, one per *scene* (closed, accepted, partial, long-term …). Projects carry
//! their real dates; the recent part of every script is dated relative to `today`, so that on
//! any day the ledger shows every status: 已销号 for most old items, 持续整改 for the seed's
//! three kinds of unfinished items, 已报送待认定 claims from last week, 临期 items of a project
//! issued 80 days ago, and a draft project still in 审理.

use crate::domain::{
    CheckKind, CheckMethod, CheckVerdict, ClaimedStatus, Closure, Contact, ContactRole,
    Determination, Finding, FindingFlags, FindingSource, FollowUpCheck, Id, Labelled, Milestone,
    Mode, Money, MoneyUnit, ProgressReport, Project, ProjectOrigin, ProjectStage, ProjectType,
    Reopen, ReopenReason, ResponsibleUnit, ReviewMethod, ReviewVerdict, Severity, StatClass, Team,
    Unit, UnitKind, UnitRole, UnresolvedReason,
};
use crate::store::Record;
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::HashMap;

/// 全称|简称|类型|主管部门简称|主要负责人|联系人（姓名,职务,角色,任职起[,任职止];…）
const UNITS: [&str; 13] = [
    "区财政局|财政局|党政机关|-|王建华|李晓燕,预算科科长,联络员,2019-03-01;周志强,副局长,分管领导,2020-06-15",
    "区水务局|水务局|党政机关|-|赵明亮|孙丽,办公室主任,联络员,2020-01-01;韩涛,财务科科长,财务负责人,2018-07-01",
    "区民政局|民政局|党政机关|-|刘红梅|郭静,社会救助科科长,联络员,2021-02-01",
    "区科工局|科工局|党政机关|-|张伟东|邓佳,规划财务科科长,联络员,2022-03-01;曹阳,副局长,分管领导,2021-09-01",
    "区发改委|发改委|党政机关|-|陈国庆|罗敏,综合科科长,联络员,2019-08-01",
    "区住建局|住建局|党政机关|-|黄志刚|谢娟,计划财务科科长,联络员,2020-04-01;唐勇,副局长,分管领导,2019-01-01",
    "区教育局|教育局|党政机关|-|吴秀英|许晨,财务审计科科长,联络员,2021-06-01",
    "区卫健委|卫健委|党政机关|-|杨建军|沈洁,规划财务科科长,联络员,2020-09-01",
    "区农业农村局|农业农村局|党政机关|-|马永福|胡兵,计划财务科科长,联络员,2019-05-01",
    "东坝镇|东坝镇|乡镇街道|-|林建平|钱国栋,党政办主任,联络员,2018-05-01,2022-12-31;冯雪,党政办主任,联络员,2023-01-01",
    "西河镇|西河镇|乡镇街道|-|王立新|白雪,党政办副主任,联络员,2021-01-01;蒋涛,财政所所长,财务负责人,2020-03-01",
    "区城投集团|城投集团|国有企业|财政局|董建设|高雅,综合部主任,联络员,2021-04-01;潘磊,财务部经理,财务负责人,2019-10-01",
    "区粮食和物资储备中心|粮储中心|事业单位|发改委|邹红|彭飞,业务科科长,联络员,2020-11-01",
];

/// 编号|名称|年度|类型|来源|文书日期|纳入审计工作报告|组长|主审|成员|被审计单位
/// (two more, a recent project and a draft, are dated from `today` in `project_rows`).
const PROJECTS: [&str; 10] = [
    "2021-01|2020年度区本级预算执行和决算草案审计|2021|BudgetExecution|LocalPlan|2021-07-16|1|陈志远|刘芳|孙伟,周婷|财政局,发改委,教育局,卫健委",
    "2021-04|区水务局2020年度部门预算执行审计|2021|DepartmentBudget|LocalPlan|2021-09-08|1|高峰|吴磊|何雪|水务局",
    "2021-06|东坝镇原党委书记李国华任期经济责任审计|2021|EconResponsibilityDeparture|LeaderAssigned|2021-11-12|1|马骏|黄静|杨帆|东坝镇",
    "2022-01|2021年度区本级预算执行和决算草案审计|2022|BudgetExecution|LocalPlan|2022-07-22|1|陈志远|刘芳|孙伟,林琳|财政局,民政局,科工局,住建局",
    "2022-03|区级地方政府专项债券管理使用情况审计|2022|SpecialBonds|UpperOrganised|2022-08-26|1|高峰|吴磊|郑浩,何雪|财政局,发改委,住建局,城投集团,水务局",
    "2022-05|涉粮资金改革专项审计调查|2022|SpecialInvestigation|UpperOrganised|2022-10-18|1|马骏|黄静|杨帆,周婷|粮储中心,发改委,财政局,农业农村局",
    "2022-07|城乡低保等社会救助资金专项审计|2022|SocialSecurity|LocalPlan|2022-11-24|1|陈志远|孙伟|林琳|民政局,东坝镇,西河镇",
    "2023-01|2022年度区本级预算执行和决算草案审计|2023|BudgetExecution|LocalPlan|2023-07-21|1|陈志远|刘芳|周婷,郑浩|财政局,教育局,农业农村局,科工局",
    "2023-04|西河镇党委书记王立新任中经济责任审计|2023|EconResponsibilityInOffice|LocalPlan|2023-09-14|0|马骏|黄静|杨帆|西河镇",
    "2023-06|区第二人民医院迁建工程竣工决算审计|2023|InvestmentFinalAccounts|LocalPlan|2023-11-17|1|高峰|吴磊|何雪,郑浩|城投集团,卫健委,住建局",
];

/// 项目序号|问题序号|方式(I立行立改 S分阶段 L持续)|情景|定性(V违规 I管理不规范 L损失浪费 N非金额)|
/// 程度(M重大 S较大 G一般)|涉及金额(万元)|责任单位(首个牵头，其余配合)|标记(L批示 K重点督办 U上级交办 D边审边改)|
/// 边审边改金额(万元)|未完成原因|屡审屡犯(问题编号)|问题摘要|问题描述|问题类别|定性依据|审计建议|原因说明
///
/// 情景 (scenes, see `play`): C 销号, K 销号后回头看, A 已整改待销号, P 部分整改, N 未整改, W 已报送待认定,
/// LO 持续整改且阶段目标超期, LF 持续整改按计划推进, G 整改中, E 临期, R 销号后反弹重新打开,
/// F 检查发现虚假整改, D 草稿未下发.
const FINDINGS: [&str; 80] = [
    "0|01|I|C|I|G|32000|财政局|-|-|-|-|预算编制不够细化|2020年区本级代编预算3.2亿元，占项目支出预算的27%，部分项目支出未细化到具体单位和项目，年中追加调整频繁。|预算管理|《中华人民共和国预算法》第三十二条、第四十六条|细化预算编制，压减代编预算规模，提高年初预算到位率。|-",
    "0|02|I|C|N|G|-|财政局|-|-|-|-|预算绩效管理不到位|部分项目未设定绩效目标，绩效自评流于形式，评价结果未与预算安排挂钩。|绩效管理|《中华人民共和国预算法》第十二条、第三十二条|健全全过程预算绩效管理，将评价结果作为安排预算的重要依据。|-",
    "0|03|I|K|V|M|3000|财政局/城投集团|L|-|-|-|违规出借财政资金|区财政局2019年向区城投集团出借财政资金3000万元，至审计时未收回。|财政资金管理|《国务院关于深化预算管理制度改革的决定》（国发〔2014〕45号）|限期收回出借资金，严禁违规出借财政资金。|-",
    "0|04|I|C|V|S|1250.6|财政局|-|-|-|-|非税收入未及时缴入国库|国有资源有偿使用收入等非税收入1250.6万元滞留财政专户，未及时缴入国库。|收入管理|《中华人民共和国预算法》第五十六条|及时将非税收入缴入国库。|-",
    "0|05|I|C|V|G|186.4|教育局|-|-|-|-|政府采购未执行|采购教学设备186.4万元，未按规定执行政府采购程序。|政府采购|《中华人民共和国政府采购法》第二条、第二十六条|严格执行政府采购制度，完善采购内控流程。|-",
    "0|06|I|C|V|G|12.86|卫健委|D|12.86|-|-|超标准列支会议费、培训费|2020年超标准列支会议费、培训费12.86万元。|三公经费|《财政违法行为处罚处分条例》第六条|清退超标准列支资金，严格执行会议费、培训费管理办法。|-",
    "0|07|I|K|I|S|560|发改委/财政局|-|-|-|-|上级专项资金滞留闲置|上级下达的服务业发展引导资金560万元滞留一年以上未分配使用。|资金使用|《财政违法行为处罚处分条例》第六条|加快资金分配使用，无法使用的按规定收回统筹。|-",
    "0|08|I|R|I|S|2300|财政局|-|-|-|-|决算草案编报不完整|部分政府性基金收支2300万元未纳入决算草案反映，决算编报不完整。|决算管理|《中华人民共和国预算法》第七十五条|完整编报决算草案，全面反映政府收支。|-",
    "1|01|I|C|I|G|420|水务局|-|-|-|-|项目支出预算执行率偏低|水利工程维修养护等5个项目预算执行率低于50%，涉及资金420万元。|预算执行|《中华人民共和国预算法》第五十七条|加快预算执行进度，提高资金使用效益。|-",
    "1|02|I|C|V|G|3.42|水务局|D|3.42|-|-|超标准列支公务接待费|超标准列支公务接待费3.42万元，部分接待无公函和接待清单。|三公经费|《党政机关国内公务接待管理规定》|清退超标准接待费用，严格执行公务接待管理规定。|-",
    "1|03|I|C|I|G|265.8|水务局|-|-|-|-|会计核算不实|将已完工工程款265.8万元长期挂往来账，未及时转入固定资产。|会计核算|《中华人民共和国会计法》第九条、第十条|及时调整会计账目，确保会计信息真实完整。|-",
    "1|04|I|K|V|S|98.6|水务局|-|-|-|-|化整为零规避公开招标|将河道清淤服务拆分为4个合同签订，合计98.6万元，规避公开招标。|政府采购|《中华人民共和国政府采购法》第二十八条|严禁化整为零规避公开招标，追究相关人员责任。|-",
    "1|05|I|C|V|G|76.3|水务局|-|-|-|-|结余资金未及时上缴|河道保洁经费结余76.3万元未按规定上缴财政。|资金管理|《中华人民共和国预算法》第五十六条|将结余资金上缴区财政。|-",
    "1|06|S|A|I|G|152.4|水务局|-|-|历史遗留|-|固定资产账实不符|部分水利设施已报废未核销，账面固定资产与实物相差152.4万元。|资产管理|《行政事业性国有资产管理条例》|开展资产清查，按程序核销或补登资产。|-",
    "2|01|I|K|V|S|120|东坝镇|-|-|-|-|违规出借财政资金|镇财政所向村集体经济组织出借财政资金120万元，未履行审批程序。|财政资金管理|《国务院关于深化预算管理制度改革的决定》（国发〔2014〕45号）|收回出借资金，规范镇级财政资金管理。|-",
    "2|02|I|C|I|G|45.6|东坝镇|-|-|-|-|惠民资金发放不及时|2020年耕地地力保护补贴45.6万元滞后5个月发放。|惠民资金|《农业相关转移支付资金管理办法》|及时足额发放补贴资金。|-",
    "2|03|I|C|N|S|-|东坝镇|-|-|-|-|重大经济事项未经集体决策|3项工程建设和大额资金支出事项未经党委会集体研究。|决策管理|“三重一大”集体决策制度相关规定|严格执行“三重一大”决策制度。|-",
    "2|04|I|C|V|G|38.5|东坝镇|-|-|-|-|以拨代支虚列支出|年末将未实际发生的项目支出38.5万元拨入村级账户，虚列支出。|会计核算|《中华人民共和国预算法》第九十二条|调整账务，据实列支。|-",
    "2|05|S|P|I|S|-|东坝镇/住建局|-|-|情况复杂需时|-|项目未批先建|文化活动中心等2个项目未履行立项审批即开工建设。|建设程序|《政府投资条例》第九条、第十一条|补办相关手续，严格履行基本建设程序。|补办用地和规划手续涉及市级部门审批，需要一定时间。",
    "2|06|L|LO|I|M|2180|东坝镇/财政局|K|-|历史遗留|-|存量债务化解进度滞后|镇级存量债务2180万元，至审计时仅化解320万元，化债计划未按期完成。|债务管理|《中华人民共和国预算法》第三十五条|制定化债方案，落实偿债资金来源。|镇级存量债务多形成于2015年以前的基础设施建设，债权人分散，需结合镇级财力分年度化解。",
    "3|01|L|LF|I|S|-|财政局|K|-|体制机制|2021-01-01 2021-01-02|预算编制不够细化、预算绩效管理不到位|审计连续多年指出，部分项目支出预算未细化到具体项目，绩效目标不明确，评价结果运用不充分。|预算管理|《中华人民共和国预算法》第三十二条、第四十六条|完善预算编制制度，建立健全预算支出标准体系。|问题根源在于区级预算支出标准体系尚未建立，需完善预算编制制度、严格按照《预算法》规定逐步解决，属于推进改革中的问题。",
    "3|02|L|LO|V|S|486.32|住建局/财政局|LK|-|情况复杂需时|-|应收未收廉租房易地建设费|3个商品房开发项目应缴未缴廉租房易地建设费486.32万元。|收入管理|《廉租住房保障办法》及区政府关于廉租住房易地建设费征收的规定|依法追缴欠缴费用，足额缴入国库。|区住建局已收回易地建设费210万元；剩余款项涉及的开发企业经营困难，已聘请律师签订委托代理合同，正在通过司法途径追缴，需要一定时间。",
    "3|03|I|C|I|G|64.8|民政局|-|-|-|-|临时救助资金发放不及时|临时救助资金64.8万元审批后平均滞后60天发放。|惠民资金|《社会救助暂行办法》|优化审批流程，确保救助资金及时发放。|-",
    "3|04|I|C|I|G|350|科工局|-|-|-|-|企业扶持资金拨付不及时|中小企业发展专项资金350万元下达后超过6个月未拨付。|资金使用|《财政违法行为处罚处分条例》第六条|加快资金拨付，提高资金使用效益。|-",
    "3|05|I|N|V|M|1500|财政局/城投集团|LK|-|多部门协同|2021-01-03|违规出借财政资金|2021年再次向区城投集团出借财政资金1500万元用于项目周转，属屡审屡犯。|财政资金管理|《国务院关于深化预算管理制度改革的决定》（国发〔2014〕45号）|收回出借资金，建立暂付性款项清理机制，追究相关人员责任。|城投集团以项目回款偿还借款，回款进度受项目结算影响，需财政局与城投集团协同推进。",
    "3|06|I|K|V|G|28.7|住建局|-|-|-|-|物业专项资金超范围列支|物业管理专项资金超范围列支办公费用28.7万元。|资金使用|《财政违法行为处罚处分条例》第六条|归还原资金渠道，规范专项资金使用。|-",
    "3|07|I|A|V|S|420|财政局/城投集团|-|-|-|-|国有资本经营预算收入未足额收缴|应收区城投集团等国有企业利润420万元未足额收缴。|收入管理|《中华人民共和国预算法》第五十六条|足额收缴国有资本收益。|-",
    "3|08|I|W|V|G|85|民政局|-|-|-|-|政府购买服务未执行政府采购程序|养老服务购买项目85万元未执行政府采购程序。|政府采购|《中华人民共和国政府采购法》第二条|规范政府购买服务程序。|-",
    "3|09|I|C|I|G|213.5|科工局|-|-|-|-|往来款长期挂账未清理|往来款213.5万元挂账3年以上未清理。|会计核算|《中华人民共和国会计法》第九条|清理往来款项，及时调整账务。|-",
    "4|01|L|LF|I|M|8650|财政局/发改委/住建局/城投集团|LKU|-|多部门协同|-|专项债券项目资金缺口|棚户区改造等3个专项债券项目存在资金缺口8650万元，项目难以按期完工。|专项债券|《地方政府专项债务预算管理办法》（财预〔2016〕155号）|统筹多渠道资金，落实缺口资金来源。|需要区财政局、区发改委、区住建局、区城投集团以及市级相关部门和银行共同协调解决，单一部门无法独立完成。",
    "4|02|I|P|I|S|3200|城投集团/财政局|-|-|资金缺口|-|专项债券资金闲置|专项债券资金3200万元拨付后闲置超过1年，未形成实物工作量。|专项债券|《地方政府专项债券项目资金绩效管理办法》（财预〔2021〕61号）|加快项目建设进度，确实无法使用的按程序调整用途。|-",
    "4|03|I|C|V|G|186.7|城投集团|-|-|-|-|专项债券项目收益未按规定归集偿债|停车场项目收入186.7万元未归集至偿债专户。|专项债券|《地方政府专项债务预算管理办法》（财预〔2016〕155号）|及时归集项目收益，保障按期偿债。|-",
    "4|04|I|K|V|M|1200|水务局|U|-|-|-|擅自改变专项债券资金用途|将污水管网项目专项债券资金1200万元用于其他项目。|专项债券|《中华人民共和国预算法》第九十二条|归还原资金渠道，严格按批准用途使用债券资金。|-",
    "4|05|I|C|N|G|-|发改委|-|-|-|-|项目前期论证不充分|2个项目收益与融资自求平衡方案测算依据不足，收益预测偏高。|项目管理|《政府投资条例》第九条|加强项目前期论证，科学测算项目收益。|-",
    "4|06|I|C|I|G|760|住建局|-|-|-|-|专项债券资金支付不及时|专项债券资金760万元到位后滞留3个月以上未支付。|专项债券|《财政违法行为处罚处分条例》第六条|加快资金支付进度。|-",
    "4|07|S|N|I|S|-|城投集团/住建局|-|-|多部门协同|-|专项债券项目未按期开工|老旧小区改造项目发行债券后超过6个月未开工。|专项债券|《地方政府专项债券项目资金绩效管理办法》（财预〔2021〕61号）|加快推进项目前期工作，尽早开工建设。|项目涉及征收拆迁，需住建、街道等部门协同推进。",
    "5|01|I|C|V|S|142|粮储中心|D|142|-|-|粮食风险基金未专款专用|粮食风险基金142万元用于弥补日常经费。|涉粮资金|《粮食风险基金管理办法》|归还原资金渠道，确保专款专用。|-",
    "5|02|I|K|V|S|316.5|粮储中心/财政局|U|-|-|-|储备粮轮换差价收入未及时上缴|区级储备粮轮换差价收入316.5万元未及时上缴财政。|涉粮资金|《中华人民共和国预算法》第五十六条|及时上缴轮换差价收入。|-",
    "5|03|S|P|L|S|58.2|粮储中心|-|-|情况复杂需时|-|储备粮库存账实不符|抽查2个库点，账面库存与实际库存相差93吨，涉及金额58.2万元。|粮食储备|《粮食流通管理条例》|查明原因，追究责任，弥补亏库损失。|亏库原因涉及多年轮换损耗，需委托第三方逐库清查认定。",
    "5|04|I|C|N|G|-|发改委|D|-|-|-|粮食安全责任制考核流于形式|粮食安全责任制考核未细化指标，考核结果未运用。|制度建设|《粮食安全省长责任制考核办法》|完善考核办法，强化结果运用。|-",
    "5|05|I|C|I|G|230|财政局|-|-|-|-|涉粮资金拨付滞留|上级下达的粮食产业发展资金230万元滞留财政未拨付。|涉粮资金|《财政违法行为处罚处分条例》第六条|及时拨付涉粮资金。|-",
    "5|06|I|W|V|G|36.8|农业农村局|-|-|-|-|向非种粮主体发放耕地地力保护补贴|向已流转改种苗木的土地承包户发放耕地地力保护补贴36.8万元。|惠民资金|《农业相关转移支付资金管理办法》|追回违规发放资金，建立补贴面积核实机制。|-",
    "5|07|I|C|V|G|88.4|粮储中心|D|88.4|-|-|仓储设施维修未执行政府采购|仓储设施维修项目88.4万元未执行政府采购程序。|政府采购|《中华人民共和国政府采购法》第二条|严格执行政府采购程序。|-",
    "5|08|L|LO|L|S|412|粮储中心/发改委|-|-|客观条件暂不具备|-|粮库智能化升级设备闲置|粮库智能化升级项目建成后因网络和配套设施未完善，设备闲置，涉及412万元。|资产管理|《行政事业性国有资产管理条例》|完善配套设施，尽快发挥设备效益。|受省级粮食信息平台对接进度限制，配套网络尚不具备接入条件，需待平台升级后推进。",
    "6|01|I|K|V|S|18.62|民政局|-|-|-|-|向不符合条件人员发放低保金|数据比对发现，向有车辆、工商登记等不符合条件的42户发放低保金18.62万元。|惠民资金|《最低生活保障审核确认办法》（民发〔2021〕57号）|追回违规发放资金，开展数据比对常态化核查。|-",
    "6|02|I|C|I|G|53.4|民政局|-|-|-|-|惠民资金发放不及时|特困人员救助供养资金53.4万元滞后2个月发放。|惠民资金|《社会救助暂行办法》|按月及时发放救助资金。|-",
    "6|03|I|C|V|G|4.86|东坝镇|D|4.86|-|-|死亡人员未及时停发低保金|低保动态管理不到位，向11名已故人员继续发放低保金4.86万元。|惠民资金|《最低生活保障审核确认办法》（民发〔2021〕57号）|追回多发资金，建立与公安、卫健部门数据共享机制。|-",
    "6|04|I|F|N|G|-|西河镇|-|-|-|-|临时救助审批手续不全|抽查临时救助档案36份，21份缺少入户调查记录。|内部管理|《社会救助暂行办法》|补齐审批资料，规范审批流程。|-",
    "6|05|I|A|I|G|96|民政局/财政局|-|-|-|-|救助资金结余未统筹使用|社会救助资金结余96万元连续两年未统筹使用。|资金使用|《中华人民共和国预算法》第四十二条|按规定统筹盘活结余资金。|-",
    "6|06|S|N|I|G|-|西河镇/民政局|-|-|体制机制|-|救助资金未实现社会化发放|部分临时救助资金仍以现金方式发放，未实现社会化发放。|惠民资金|《社会救助暂行办法》|推行惠民资金“一卡通”社会化发放。|镇级惠民资金“一卡通”系统需全区统一建设，镇里无法单独完成。",
    "7|01|L|LO|I|S|-|财政局|K|-|体制机制|2022-01-01|预算编制不够细化、预算绩效管理不到位|部分部门预算代编比例仍然较高，项目绩效目标设置笼统，问题屡审屡犯。|预算管理|《中华人民共和国预算法》第三十二条、第四十六条|加快建立预算支出标准体系，将绩效评价结果与预算安排挂钩。|虽经连续整改，根源上仍需区级财政部门完善预算编制制度，严格按照《预算法》建立健全预算支出标准体系，属体制机制问题，需在工作中逐步解决。",
    "7|02|I|A|V|S|865.2|财政局|-|-|-|2021-01-04|非税收入未及时缴库|非税收入865.2万元滞留财政专户，未及时缴入国库，属屡审屡犯。|收入管理|《中华人民共和国预算法》第五十六条|及时缴库，建立非税收入定期清缴机制。|-",
    "7|03|I|C|V|G|8.9|教育局|D|8.9|-|-|超标准列支培训费|超标准列支教师培训费8.9万元。|三公经费|《财政违法行为处罚处分条例》第六条|清退超标准列支资金。|-",
    "7|04|I|W|I|S|135|教育局|-|-|-|-|学生营养餐补助资金滞留|学生营养改善计划补助资金135万元滞留教育局未及时拨付学校。|惠民资金|《财政违法行为处罚处分条例》第六条|及时拨付补助资金。|-",
    "7|05|S|P|I|S|980|农业农村局/财政局|-|-|情况复杂需时|-|高标准农田建设资金滞留闲置|高标准农田建设资金980万元因项目调整滞留闲置。|资金使用|《农田建设补助资金管理办法》|加快项目实施，盘活闲置资金。|项目选址调整需重新履行招标程序，资金需随工程进度拨付。",
    "7|06|I|C|V|G|67.5|科工局|-|-|-|-|政府采购未执行|信息化运维服务67.5万元未执行政府采购程序。|政府采购|《中华人民共和国政府采购法》第二条|严格执行政府采购制度。|-",
    "7|07|I|K|I|S|2860|财政局|-|-|-|-|存量资金未及时收回统筹|结转两年以上的存量资金2860万元未收回统筹使用。|资金管理|《中华人民共和国预算法》第四十二条|收回存量资金统筹用于重点领域。|-",
    "7|08|I|N|I|G|154|农业农村局|-|-|情况复杂需时|-|会计核算不实|将项目支出154万元列入基本支出，会计核算不实。|会计核算|《中华人民共和国会计法》第九条|调整账目，规范会计核算。|涉及以前年度账务追溯调整，需会同代理记账机构逐笔核对。",
    "7|09|S|G|V|G|23.6|教育局|-|-|情况复杂需时|-|校舍维修工程结算多计|3所学校校舍维修工程结算多计工程款23.6万元。|工程结算|《建设工程价款结算暂行办法》（财建〔2004〕369号）|核减多计工程款，追回已多付资金。|施工单位对核减金额有异议，正在委托第三方造价机构复核。",
    "8|01|I|C|N|S|-|西河镇|-|-|-|-|重大经济事项未经集体决策|4项大额资金支出未经党委会集体研究决定。|决策管理|“三重一大”集体决策制度相关规定|严格执行集体决策制度。|-",
    "8|02|I|A|V|S|200|西河镇|-|-|-|-|违规出借财政资金|镇政府向辖区企业出借财政资金200万元。|财政资金管理|《国务院关于深化预算管理制度改革的决定》（国发〔2014〕45号）|收回出借资金。|-",
    "8|03|I|K|V|G|46.3|西河镇|-|-|-|-|工程结算多计|村道硬化工程结算多计工程量，多付工程款46.3万元。|工程结算|《建设工程价款结算暂行办法》（财建〔2004〕369号）|追回多付工程款。|-",
    "8|04|I|W|I|G|28|西河镇|-|-|-|-|惠民资金发放不及时|高龄津贴等惠民资金28万元滞后3个月发放。|惠民资金|《社会救助暂行办法》|及时发放惠民资金。|-",
    "8|05|L|LF|I|S|1360|西河镇/财政局|-|-|历史遗留|-|村级债务化解不力|12个村级组织债务1360万元，多年未化解。|债务管理|《村集体经济组织财务制度》|摸清债务底数，分类制定化解方案。|村级债务多形成于2010年以前，债权债务关系复杂，需结合村集体经济收入逐年化解。",
    "8|06|I|R|V|S|560|西河镇/财政局|K|-|-|-|土地出让收入未及时缴库|土地出让收入560万元滞留镇财政所账户未缴库。|收入管理|《中华人民共和国预算法》第五十六条|及时缴入国库。|-",
    "9|01|I|C|V|S|386.4|城投集团|D|386.4|-|-|工程结算多计|迁建工程结算多计工程量和套高定额单价，多计工程款386.4万元，审计期间已审减。|工程结算|《建设工程价款结算暂行办法》（财建〔2004〕369号）|核减多计工程款。|-",
    "9|02|I|K|V|S|120|城投集团|-|-|-|-|未按合同约定扣回预付款|未按合同约定扣回施工单位预付款120万元。|合同管理|《中华人民共和国民法典》第五百零九条|按合同约定扣回预付款。|-",
    "9|03|S|P|V|S|460|卫健委/城投集团|-|-|情况复杂需时|-|医疗设备购置未执行政府采购|医疗设备购置460万元未执行政府采购程序。|政府采购|《中华人民共和国政府采购法》第二条、第二十六条|完善采购程序，追究相关人员责任。|部分设备合同已履行完毕，责任认定需纪检部门配合核查。",
    "9|04|I|N|I|G|-|城投集团|-|-|多部门协同|-|工程变更未履行审批程序|17项设计变更未履行审批程序即实施。|建设管理|《政府投资条例》第二十一条|补办变更审批手续，建立变更管理制度。|补办变更审批需发改、住建和设计单位共同确认。",
    "9|05|S|G|I|G|95|住建局/城投集团|-|-|-|-|质量保证金未按规定预留|未按规定预留工程质量保证金95万元。|建设管理|《建设工程质量保证金管理办法》第七条|按规定预留质量保证金。|-",
    "9|06|L|LF|I|M|2350|城投集团/财政局/卫健委|LK|-|资金缺口|-|建设资金缺口导致拖欠工程款|迁建工程建设资金缺口2350万元，拖欠施工单位工程款。|资金保障|《保障中小企业款项支付条例》第八条|多渠道筹措资金，按期清偿拖欠款项。|受区级财力所限，缺口资金需通过年度预算安排和争取上级补助资金逐年解决。",
    "9|07|S|G|I|S|12000|卫健委/城投集团|-|-|-|-|竣工项目未及时办理资产移交|工程已投入使用，资产1.2亿元未办理竣工财务决算和资产移交。|资产管理|《基本建设财务规则》（财政部令第81号）|加快办理竣工财务决算和资产移交。|-",
    "10|01|I|C|V|G|2.36|科工局|D|2.36|-|-|超标准列支差旅费|超标准报销差旅住宿费2.36万元。|三公经费|《财政违法行为处罚处分条例》第六条|清退超标准报销费用。|-",
    "10|02|I|E|N|G|-|科工局|-|-|-|-|绩效目标设置不合理|5个项目绩效目标以产出数量为主，缺少效益指标。|绩效管理|《项目支出绩效评价管理办法》（财预〔2020〕10号）|完善绩效目标设置。|-",
    "10|03|I|W|V|G|39.8|科工局|-|-|-|-|政府采购未执行|办公家具采购39.8万元未执行政府采购程序。|政府采购|《中华人民共和国政府采购法》第二条|严格执行政府采购程序。|-",
    "10|04|I|E|I|S|180|科工局|L|-|-|-|专项资金滞留闲置|科技创新专项资金180万元滞留闲置。|资金使用|《财政违法行为处罚处分条例》第六条|加快资金拨付使用。|-",
    "10|05|S|G|V|S|65|科工局|-|-|-|-|企业扶持资金审核把关不严|向不符合条件的2家企业拨付扶持资金65万元。|资金使用|《财政违法行为处罚处分条例》第六条|追回违规拨付资金，完善审核机制。|-",
    "11|01|I|D|V|S|72.5|卫健委|-|-|-|-|药品采购未执行集中带量采购|3家社区卫生服务中心药品采购72.5万元未通过集中采购平台。|药品采购|《国务院办公厅关于推动药品集中带量采购工作常态化制度化开展的意见》|严格执行集中带量采购。|-",
    "11|02|I|D|I|G|156|卫健委|-|-|-|-|公共卫生服务补助资金拨付滞后|基本公共卫生服务补助资金156万元拨付滞后。|资金使用|《财政违法行为处罚处分条例》第六条|及时拨付补助资金。|-",
    "11|03|S|D|L|S|230|卫健委|-|-|-|-|医疗设备闲置|2台大型医疗设备购置后闲置超过1年，涉及230万元。|资产管理|《行政事业性国有资产管理条例》|盘活闲置设备。|-",
];

/// The demo ledger: a believable district story (区审计局, 2021–2023 projects), dated so that
/// on `today` every status and mode appears.
pub fn demo_records(today: chrono::NaiveDate) -> Vec<crate::store::Record> {
    let units = build_units();
    let projects: Vec<Option<Project>> = project_rows(today)
        .iter()
        .map(|row| parse_project(row, &units))
        .collect();
    let mut findings = Vec::new();
    let mut tails = Vec::new();
    let mut played = Vec::new();
    let mut numbers: HashMap<String, Id> = HashMap::new();
    for row in FINDINGS {
        let Some(spec) = Spec::parse(row) else {
            continue;
        };
        let Some(Some(project)) = projects.get(spec.project) else {
            continue;
        };
        let finding = build_finding(&spec, project, &units, &numbers, today);
        numbers.insert(finding.number.to_string(), finding.id);
        let records = play(&spec, &finding, project, &units, today);
        played.push(lookback::Played {
            id: finding.id,
            year: project.year,
            units: finding.units.iter().map(|u| u.unit).collect(),
            closed: matches!(spec.scene, "C" | "K"),
            issued: finding.issued_on,
            last: records.iter().filter_map(Record::date).max(),
            looked_back_lately: records.iter().any(|r| {
                matches!(r, Record::Check(c) if c.kind == CheckKind::LookBack && c.date > plus(today, -365))
            }),
        });
        tails.extend(records);
        findings.push(finding);
    }
    // The newest issued project looks back at its units' earlier findings.
    let newest = projects
        .iter()
        .flatten()
        .filter(|p| p.doc_date.is_some_and(|d| d <= today))
        .max_by_key(|p| p.doc_date);
    let plan = newest.map_or_else(Vec::new, |p| lookback::plan(p, &played, today));
    let mut out: Vec<Record> = units.into_iter().map(Record::Unit).collect();
    out.extend(projects.into_iter().flatten().map(Record::Project));
    out.extend(findings.into_iter().map(Record::Finding));
    out.extend(tails);
    out.extend(plan);
    out
}

fn plus(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days))
        .unwrap_or(date)
}

fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// `-` marks an empty cell.
fn cell(text: &str) -> Option<&str> {
    (text != "-").then_some(text)
}

fn wan(text: &str) -> Option<Money> {
    cell(text).and_then(|t| Money::parse_in(t, MoneyUnit::Wan).ok())
}

fn find_unit<'a>(units: &'a [Unit], short: &str) -> Option<&'a Unit> {
    units.iter().find(|u| u.short_name == short)
}

fn build_units() -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for (k, row) in UNITS.iter().enumerate() {
        let fields: Vec<&str> = row.split('|').collect();
        let &[name, short, kind, parent, leader, contacts] = fields.as_slice() else {
            continue;
        };
        let mut unit = Unit::new(name, UnitKind::parse_label(kind).unwrap_or(UnitKind::Other));
        unit.short_name = short.to_string();
        unit.parent = find_unit(&units, parent).map(|u| u.id);
        unit.leader = leader.to_string();
        for (n, contact) in contacts.split(';').enumerate() {
            let c: Vec<&str> = contact.split(',').collect();
            let &[name, position, role, from, ..] = c.as_slice() else {
                continue;
            };
            unit.contacts.push(Contact {
                name: name.to_string(),
                position: position.to_string(),
                phone: format!("0571-8652{:04}", 1000 + k * 40 + n * 7),
                role: ContactRole::parse_label(role).unwrap_or(ContactRole::Liaison),
                valid_from: date(from),
                valid_to: c.get(4).and_then(|t| date(t)),
            });
        }
        units.push(unit);
    }
    units
}

/// The fixed projects, then one issued 80 days ago (its items are 临期 now) and one still in
/// 审理 (its findings are drafts). Their numbers end in -02 and -09, which no fixed one uses.
fn project_rows(today: NaiveDate) -> Vec<String> {
    let recent = plus(today, -80);
    let (ry, ty) = (recent.year(), today.year());
    let mut rows: Vec<String> = PROJECTS.iter().map(|r| r.to_string()).collect();
    rows.push(format!(
        "{ry}-02|区科工局{}年度部门预算执行审计|{ry}|DepartmentBudget|LocalPlan|{recent}|0|刘芳|周婷|林琳|科工局",
        ry - 1
    ));
    rows.push(format!(
        "{ty}-09|区卫健委{}年度医疗卫生专项资金审计|{ty}|SpecialFunds|LocalPlan|-|0|高峰|何雪|郑浩|卫健委",
        ty - 1
    ));
    rows
}

fn parse_project(row: &str, units: &[Unit]) -> Option<Project> {
    if row.split('|').count() != 11 {
        return None;
    }
    let mut cells = row.split('|');
    let mut next = || cells.next().unwrap_or("-");
    let (number, name, year, kind, origin) = (next(), next(), next(), next(), next());
    let (doc, report, leader, chief, members, audited) =
        (next(), next(), next(), next(), next(), next());
    let mut p = Project::new(
        number,
        name,
        year.parse().ok()?,
        ProjectType::parse_label(kind).ok()?,
    );
    p.origin = ProjectOrigin::parse_label(origin).ok()?;
    p.doc_date = date(doc);
    p.deadline = p.doc_date.map(|d| plus(d, 90));
    match p.doc_date {
        Some(_) => {
            let seq = number
                .rsplit('-')
                .next()
                .unwrap_or("")
                .trim_start_matches('0');
            p.doc_no = format!("区审报〔{}〕{}号", p.year, seq);
        }
        None => p.stage = ProjectStage::Review,
    }
    p.in_work_report = report == "1";
    p.team = Team {
        leader: leader.to_string(),
        chief: chief.to_string(),
        members: members.split(',').map(String::from).collect(),
    };
    p.audited_units = audited
        .split(',')
        .filter_map(|s| find_unit(units, s))
        .map(|u| u.id)
        .collect();
    Some(p)
}

/// The value whose one-letter code is `code` in `codes`.
fn pick<T: Copy>(code: &str, codes: &str, values: &[T]) -> Option<T> {
    let k = codes.chars().position(|c| code.chars().eq([c]))?;
    values.get(k).copied()
}

/// One line of `FINDINGS`.
struct Spec<'a> {
    project: usize,
    seq: &'a str,
    mode: Mode,
    scene: &'a str,
    class: StatClass,
    severity: Severity,
    amount: Option<Money>,
    units: Vec<&'a str>,
    flags: &'a str,
    during: Option<Money>,
    reason: Option<UnresolvedReason>,
    repeats: Vec<&'a str>,
    title: &'a str,
    facts: &'a str,
    category: &'a str,
    legal: &'a str,
    advice: &'a str,
    why: &'a str,
}

impl<'a> Spec<'a> {
    fn parse(row: &'a str) -> Option<Spec<'a>> {
        if row.split('|').count() != 18 {
            return None;
        }
        let mut cells = row.split('|');
        let mut next = || cells.next().unwrap_or("-");
        use StatClass::*;
        // Struct fields are evaluated in the order written, which is the column order.
        Some(Spec {
            project: next().parse().ok()?,
            seq: next(),
            mode: pick(
                next(),
                "ISL",
                &[Mode::Immediate, Mode::Staged, Mode::LongTerm],
            )?,
            scene: next(),
            class: pick(
                next(),
                "VILN",
                &[Violation, Irregular, LossWaste, NonMonetary],
            )?,
            severity: pick(
                next(),
                "MSG",
                &[Severity::Major, Severity::Serious, Severity::General],
            )?,
            amount: wan(next()),
            units: next().split('/').collect(),
            flags: next(),
            during: wan(next()),
            reason: cell(next()).and_then(|r| UnresolvedReason::parse_label(r).ok()),
            repeats: cell(next())
                .map(|r| r.split(' ').collect())
                .unwrap_or_default(),
            title: next(),
            facts: next(),
            category: next(),
            legal: next(),
            advice: next(),
            why: cell(next()).unwrap_or(""),
        })
    }

    fn seq_no(&self) -> i64 {
        self.seq.parse().unwrap_or(0)
    }

    /// A small spread (0–14 days) so that the same scene does not land on the same day.
    fn jitter(&self) -> i64 {
        (self.project as i64 * 5 + self.seq_no() * 7) % 15
    }
}

fn default_why(reason: Option<UnresolvedReason>) -> &'static str {
    match reason {
        Some(UnresolvedReason::Institutional) => {
            "问题根源在于相关制度和标准体系尚不健全，需在深化改革中逐步解决。"
        }
        Some(UnresolvedReason::MultiDepartment) => {
            "问题涉及多个部门和市级相关单位，需协同研究解决方案。"
        }
        Some(UnresolvedReason::Judicial) => "剩余款项已进入司法程序，需待判决生效后执行追缴。",
        Some(UnresolvedReason::FundingGap) => "受区级财力所限，缺口资金需逐年安排解决。",
        Some(UnresolvedReason::Historical) => {
            "问题形成于以前年度，资料和责任人变动较大，需逐步清理。"
        }
        _ => "问题情况复杂，事实认定和处理程序需要一定时间。",
    }
}

/// The three steps of a 持续整改 timetable (时间表与路线图), by the reason it is unfinished.
fn milestone_titles(reason: Option<UnresolvedReason>) -> Vec<&'static str> {
    use UnresolvedReason::*;
    match reason {
        Some(Institutional) => {
            "制定整改工作方案并明确责任分工/出台预算支出标准等配套制度/建立健全长效机制并全面落实"
        }
        Some(ComplexNeedsTime | Judicial) => {
            "聘请律师签订委托代理合同/提起诉讼并取得生效判决/申请强制执行追缴到位"
        }
        Some(MultiDepartment | FundingGap) => {
            "召开多部门协调会明确资金来源/落实年度缺口资金/缺口资金全部落实到位"
        }
        Some(Historical) => "摸清底数并制定分类化解方案/完成年度化解任务/全部化解到位",
        _ => "制定整改方案/完成阶段性整改任务/全面完成整改",
    }
    .split('/')
    .collect()
}

fn build_finding(
    s: &Spec,
    p: &Project,
    units: &[Unit],
    numbers: &HashMap<String, Id>,
    t: NaiveDate,
) -> Finding {
    use UnitRole::{Assist, Lead};
    let j = s.jitter();
    let issued = if s.scene == "D" { None } else { p.doc_date };
    let i = issued.unwrap_or(t);
    let deadline = match s.scene {
        "G" => plus(t, 20 + (j * 13) % 180),
        "E" => plus(t, 3 + j % 10),
        "R" => plus(t, 40 + j * 5),
        "F" => plus(t, 60 + j),
        "LO" | "LF" => plus(t, 300 + j * 5),
        "D" => plus(t, 120),
        _ if s.mode == Mode::Staged => plus(i, 180),
        _ => plus(i, 90),
    }
    .max(i);
    let mut f = Finding::new(p.id, &format!("{}-{}", p.number, s.seq), s.title, deadline);
    f.facts = s.facts.into();
    f.stat_class = s.class;
    f.category = s.category.into();
    f.legal_basis = s.legal.into();
    f.severity = s.severity;
    f.amount = s.amount;
    f.recommendation = s.advice.into();
    f.units = s
        .units
        .iter()
        .enumerate()
        .filter_map(|(k, short)| {
            let u = find_unit(units, short)?;
            let role = if k == 0 { Lead } else { Assist };
            Some(ResponsibleUnit { unit: u.id, role })
        })
        .collect();
    f.responsible_person = s
        .units
        .first()
        .and_then(|u| find_unit(units, u))
        .map(|u| u.leader.as_str().into())
        .unwrap_or_default();
    let members = &p.team.members;
    f.auditor = members
        .get(s.seq_no() as usize % members.len().max(1))
        .unwrap_or(&p.team.chief)
        .as_str()
        .into();
    f.mode = s.mode;
    f.during_audit = s.flags.contains('D');
    f.during_audit_amount = s.during;
    f.issued_on = issued;
    let done = |d: NaiveDate| (d <= t).then_some(d);
    let m = |title: &str, due: NaiveDate, done_on| Milestone {
        title: title.to_string(),
        due: due.max(i),
        done_on,
    };
    f.milestones = match s.mode {
        Mode::LongTerm => {
            // The second step is past due and not done for LO, ahead for LF.
            let second = plus(t, if s.scene == "LO" { -40 - j } else { 60 + j * 3 });
            let steps = [
                (plus(i, 60), done(plus(i, 50))),
                (second.max(plus(i, 61)), None),
                (deadline, None),
            ];
            let titles = milestone_titles(s.reason).into_iter();
            titles
                .zip(steps)
                .map(|(title, (due, on))| m(title, due, on))
                .collect()
        }
        Mode::Staged => {
            let finished = match s.scene {
                "C" | "K" => done(plus(i, 150 + j)),
                "A" => done(plus(t, -30 - j)),
                _ => None,
            };
            Box::new([
                m(
                    "制定分阶段整改方案并报审计局备案",
                    plus(i, 30),
                    done(plus(i, 25)),
                ),
                m("完成全部整改任务", deadline, finished),
            ])
        }
        Mode::Immediate => Box::default(),
    };
    let upper = s.flags.contains('U');
    f.flags = FindingFlags {
        report_to_congress: p.in_work_report && issued.is_some(),
        leader_instruction: s.flags.contains('L'),
        upper_assigned: upper || p.origin == ProjectOrigin::UpperOrganised,
        key_supervision: s.flags.contains('K'),
    };
    f.repeat_of = s
        .repeats
        .iter()
        .filter_map(|n| numbers.get(*n).copied())
        .collect();
    f.unresolved_reason = s.reason;
    if s.reason.is_some() || s.mode == Mode::LongTerm {
        let why = Some(s.why).filter(|w| !w.is_empty());
        f.justification = why.unwrap_or_else(|| default_why(s.reason)).into();
    }
    if upper {
        f.source = FindingSource::UpperAssigned;
    }
    f
}

mod lookback;
mod script;
use script::play;

#[cfg(test)]
mod tests;

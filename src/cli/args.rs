//! The command line, declared once with clap; completions and the man page come from here too.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "rectify",
    version,
    about = "审计整改台账 — a keyboard-first ledger of audit findings and their rectification",
    long_about = "审计整改台账：记录审计查出问题、整改进展、认定、销号与回头看。\n\
                  A keyboard-first ledger of audit-found problems, their rectification, \
                  determinations, closure and follow-up checks.\n\n\
                  Without a subcommand, opens the ledger."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalOpts {
    /// 台账目录 / the ledger directory (default: the platform data dir)
    #[arg(long, global = true, env = "RECTIFY_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// 界面语言（默认中文）/ language of messages (default: Chinese, or config.toml)
    #[arg(long, global = true, value_enum, env = "RECTIFY_LANG")]
    pub lang: Option<LangArg>,

    /// 操作人（默认为系统用户）/ who is working (default: the OS user)
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// 配置文件 / the config file (default: config.toml in the config dir)
    #[arg(long, global = true, env = "RECTIFY_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// 按键方案：default、vim、emacs 或文件路径 / keymap: default, vim, emacs or a file
    #[arg(long, global = true, value_name = "NAME|PATH")]
    pub keymap: Option<String>,

    /// 用 ASCII 字符画边框 / draw borders with ASCII characters
    #[arg(long, global = true)]
    pub ascii: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    Zh,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 载入示例台账 / load the demo ledger (or a synthetic one for benchmarks)
    Demo(DemoArgs),
    /// 列出记录 / list findings, projects, units or checks
    List(ListArgs),
    /// 显示一条记录的详情与历史 / show one record with its records and history
    Show(ShowArgs),
    /// 查找（汉字、拼音或首字母）/ find records (characters, pinyin or initials)
    Search(SearchArgs),
    /// 校验日志与视图 / verify the journal and the view; --repair rebuilds the view
    Check(CheckArgs),
    /// 登记跟踪检查（回头看）/ record a follow-up check of a finding
    Followup(super::workflow_cmd::FollowupArgs),
    /// 登记整改进展（单位报送）/ record a progress report (the unit's claim)
    Claim(super::workflow_cmd::ClaimArgs),
    /// 登记整改结果认定 / record a determination of a finding's rectification
    Determine(super::workflow_cmd::DetermineArgs),
    /// 对账销号 / close a rectified finding
    Close(super::workflow_cmd::CloseArgs),
    /// 重新打开已销号的问题 / reopen a closed finding
    Reopen(super::workflow_cmd::ReopenArgs),
    /// 登记整改成效（追回资金、完善制度 …）/ record an outcome of the rectification
    Outcome(super::records_cmd::OutcomeArgs),
    /// 登记追责问责（每人一条）/ record the accountability of one person
    Accountability(super::records_cmd::AccountabilityArgs),
    /// 移送：登记、更新办理情况、列出 / referrals: add, update, list
    Referral {
        #[command(subcommand)]
        command: super::referral_cmd::ReferralCommand,
    },
    /// 登记督办（督办函、约谈 …）/ record a supervision step
    Supervise(super::records_cmd::SuperviseArgs),
    /// 检查计划（回头看）：制定、列出、查看 / check plans: create, list, show
    Plan {
        #[command(subcommand)]
        command: super::plan_cmd::PlanCommand,
    },
    /// 年度整改情况报告（向人大报告）/ the annual rectification report to the people's congress
    Report(super::report_cmd::ReportArgs),
    /// 修改历史（谁、何时、改了什么）/ the timeline of changes to a record
    History(super::history_cmd::HistoryArgs),
    /// 导出整改台账（xlsx、csv）或完整备份（json）/ export the ledger (xlsx, csv) or the full backup (json)
    Export(super::exchange_cmd::ExportArgs),
    /// 与同步目录交换更改（目录或 ssh://主机/路径）/ exchange changes with the team's hub (a directory or ssh://host/path)
    Sync(super::sync_cmd::SyncArgs),
    /// 待处理的冲突与重复编号 / the conflicts and duplicate numbers to settle
    Conflicts(super::sync_cmd::ConflictsArgs),
    /// Internal: the far side of `rectify sync ssh://…`.
    #[command(hide = true, name = "sync-serve")]
    SyncServe(super::sync_cmd::ServeArgs),
    /// 从 Excel/CSV 导入（更新进展、新建问题）/ import from Excel or CSV (progress updates, new findings)
    Import(super::exchange_cmd::ImportArgs),
    /// 从 JSON 备份恢复到空台账 / restore a JSON backup into an empty ledger
    Restore(super::exchange_cmd::RestoreArgs),
    /// 生成 shell 补全脚本 / print shell completions
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// 生成 man 手册页 / print the man page (roff)
    Man,
    /// 按键方案 / keymaps
    Keymap {
        #[command(subcommand)]
        command: KeymapCommand,
    },
    /// Internal: the app's store helper (the app starts it; see `tui::host`).
    #[command(hide = true, name = "store-host")]
    StoreHost(StoreHostArgs),
    /// Internal: a writer for the crash tests (prints each acknowledged op id).
    #[command(hide = true)]
    DebugWriter {
        /// How many findings to write (0 = until killed)
        #[arg(long, default_value_t = 0)]
        count: u64,
    },
}

#[derive(Debug, Args)]
pub struct StoreHostArgs {
    /// The descriptor the store's lock was handed down on
    #[arg(long)]
    pub lock_fd: i32,
    /// Leave after this many milliseconds without a call (stay while the app runs if absent)
    #[arg(long)]
    pub idle_ms: Option<u64>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 即使台账非空也载入 / load even into a ledger that is not empty
    #[arg(long)]
    pub force: bool,
    /// 生成 N 个合成问题（用于性能测试）/ write N synthetic findings (for benchmarks)
    #[arg(long, value_name = "N")]
    pub synthetic: Option<usize>,
    /// 合成数据的随机种子 / seed of the synthetic ledger
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListKind {
    Findings,
    Projects,
    Units,
    Checks,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(value_enum)]
    pub kind: ListKind,
    /// 输出 JSON / print JSON
    #[arg(long)]
    pub json: bool,
    /// 按此日期计算状态 / derive statuses as of this date (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// 只列此项目（编号或名称）的问题 / only findings of this project (number or id)
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// 只列此单位负责的问题 / only findings this unit is responsible for (name or id)
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,
    /// 只列此状态 / only this status (e.g. 未整改)
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// 只列超期问题 / only overdue findings
    #[arg(long)]
    pub overdue: bool,
    /// 只列待回头看的问题 / only findings due for a follow-up check
    #[arg(long)]
    pub due_check: bool,
    /// 包括已归档记录 / include archived records
    #[arg(long)]
    pub archived: bool,
    /// 筛选表达式（与界面筛选行相同）/ a filter expression (the same language as the TUI's)
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// 查找内容，如 czj、财政、2022 zxzq / what to find, e.g. czj, 财政, 2022 zxzq
    pub query: String,
    /// 最多显示几条 / at most this many results
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// 问题编号、项目编号、单位名称或记录编号 / a finding or project number, unit name or record id
    pub target: String,
    #[arg(long)]
    pub json: bool,
    /// 按此日期计算状态 / derive status as of this date
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 从日志重建视图 / rebuild the view from the journal
    #[arg(long)]
    pub repair: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum KeymapCommand {
    /// 校验按键文件 / check a keymap file (errors with file:line)
    Check { file: PathBuf },
}

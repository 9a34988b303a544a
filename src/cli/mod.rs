//! The command-line front end: parse, open the store, run one command, print.

pub mod args;
mod check_cmd;
mod demo_cmd;
mod entry;
mod exchange_cmd;
mod history_cmd;
mod inputs;
mod json;
mod list;
mod listing;
mod output;
mod plan_cmd;
mod records_cmd;
mod referral_cmd;
mod report_cmd;
mod search_cmd;
mod show;
mod sync_cmd;
mod tui_cmd;
mod welcome;
mod workflow_cmd;

use crate::config::{Config, Overrides};
use crate::i18n::{self, Lang, Msg};
use crate::ledger::{Ledger, LedgerError};
use crate::store::{SledStore, Store, StoreError};
use args::{Cli, Command, KeymapCommand, LangArg};
use chrono::NaiveDate;
use clap::CommandFactory;
use std::path::{Path, PathBuf};

pub use output::Out;

/// Why a command stopped.
#[derive(Debug)]
pub enum CliError {
    /// Something the user should read; exit 1.
    Fail(Msg),
    /// stdout was closed (e.g. `| head`): stop quietly.
    BrokenPipe,
}

impl From<Msg> for CliError {
    fn from(m: Msg) -> Self {
        CliError::Fail(m)
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        CliError::Fail(e.msg().clone())
    }
}

impl From<LedgerError> for CliError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Invalid(errors) => CliError::Fail(Msg::new(
                errors
                    .iter()
                    .map(|e| e.msg.zh.clone())
                    .collect::<Vec<_>>()
                    .join("；"),
                errors
                    .iter()
                    .map(|e| e.msg.en.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            )),
            LedgerError::NotFound(m) | LedgerError::Rule(m) => CliError::Fail(m),
            LedgerError::Store(e) => e.into(),
        }
    }
}

pub type CliResult<T = ()> = Result<T, CliError>;

/// What every command needs: where the store is, who is working, today's date, the settings.
pub struct Context {
    pub db: PathBuf,
    pub user: String,
    pub today: NaiveDate,
    pub config: Config,
    /// Where config.toml is looked for; the user's keymap.toml sits beside it.
    pub config_dir: Option<PathBuf>,
}

impl Context {
    pub fn open(&self) -> CliResult<Ledger<SledStore>> {
        let store = SledStore::open(&self.db, &self.user)?;
        for warning in store.warnings() {
            eprintln!("{}{}", i18n::tr("注意：", "note: "), warning);
        }
        let mut ledger = Ledger::new(store);
        ledger.config.near_due_days = self.config.near_due_days;
        Ok(ledger)
    }

    /// The ledger for the terminal app: its store in a helper process (see `tui::host`), which
    /// leaves when idle unless a sync hub keeps the app busy anyway.
    pub fn open_for_app(&self) -> CliResult<Ledger<crate::tui::host::RemoteStore>> {
        let idle = match self.config.hub {
            Some(_) => None,
            None => Some(std::time::Duration::from_secs(
                self.config.store_idle_seconds,
            )),
        };
        let store = crate::tui::host::RemoteStore::open(&self.db, &self.user, idle)?;
        for warning in store.warnings() {
            eprintln!("{}{}", i18n::tr("注意：", "note: "), warning);
        }
        let mut ledger = Ledger::new(store);
        ledger.config.near_due_days = self.config.near_due_days;
        Ok(ledger)
    }

    /// A date option, or today.
    pub fn date_or_today(&self, text: Option<&str>) -> CliResult<NaiveDate> {
        match text {
            Some(t) => Ok(crate::domain::date::parse_date(t, self.today)?),
            None => Ok(self.today),
        }
    }
}

/// The longest line of an error message printed whole (see `text::clip_message`).
const MESSAGE_LINE_CHARS: usize = 400;

/// Print a command-line syntax error from clap and exit with its code (2). clap quotes the bad
/// value back whole: a 120 KB argument or an escape sequence is cut short and made inert, as
/// our own messages are. Help and version go out as clap prints them.
pub fn exit_on_clap_error(e: clap::Error) -> ! {
    use clap::error::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        e.exit()
    }
    let plain = e.render().to_string();
    let clipped = crate::text::clip_message(&plain, MESSAGE_LINE_CHARS);
    if clipped == plain {
        e.exit()
    }
    eprint!("{clipped}");
    std::process::exit(e.exit_code())
}

/// Run the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    // The language first, so that even config warnings speak it.
    let flag_lang = cli.global.lang.map(|l| match l {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    });
    i18n::set_lang(flag_lang.unwrap_or(Lang::Zh));
    let config_path = cli
        .global
        .config
        .clone()
        .or_else(crate::config::default_path);
    let (file_config, warnings) = match &config_path {
        Some(path) => crate::config::load(path),
        None => (Config::default(), Vec::new()),
    };
    let config = file_config.with_overrides(Overrides {
        lang: flag_lang,
        db: cli.global.db.clone(),
        user: cli.global.user.clone().filter(|u| !u.trim().is_empty()),
    });
    i18n::set_lang(config.lang);
    for w in &warnings {
        eprintln!("{}{}", i18n::tr("配置：", "config: "), w);
    }
    let config_dir = config_path
        .as_ref()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    match dispatch(cli, config, config_dir) {
        Ok(code) => code,
        Err(CliError::BrokenPipe) => 0,
        Err(CliError::Fail(msg)) => {
            // Messages quote what was typed: cut a pasted megabyte short and disarm escapes.
            let text = crate::text::clip_message(&msg.to_string(), MESSAGE_LINE_CHARS);
            eprintln!("{}{}", i18n::tr("错误：", "error: "), text);
            1
        }
    }
}

fn dispatch(cli: Cli, config: Config, config_dir: Option<PathBuf>) -> CliResult<i32> {
    let Some(db) = config
        .db
        .clone()
        .or_else(crate::store::paths::default_store_dir)
    else {
        return Err(Msg::new(
            "无法确定台账位置：请用 --db 或环境变量 RECTIFY_DB 指定",
            "cannot find a place for the ledger: give --db or set RECTIFY_DB",
        )
        .into());
    };
    let ctx = Context {
        db,
        user: config.user.clone().unwrap_or_else(crate::user::os_user),
        today: chrono::Local::now().date_naive(),
        config,
        config_dir,
    };
    let mut out = Out::stdout();
    match cli.command {
        None => tui_cmd::run(&ctx, &cli.global, &mut out),
        Some(Command::Keymap {
            command: KeymapCommand::Check { file },
        }) => tui_cmd::check_keymap(&file, &mut out),
        Some(Command::Demo(a)) => demo_cmd::run(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::List(a)) => list::run(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Search(a)) => {
            search_cmd::run(&ctx, &a.query, a.limit, a.json, &mut out).map(|_| 0)
        }
        Some(Command::Show(a)) => show::run(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Check(a)) => check_cmd::run(&ctx, &a, &mut out),
        Some(Command::Followup(a)) => workflow_cmd::followup(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Claim(a)) => workflow_cmd::claim(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Determine(a)) => workflow_cmd::determine(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Close(a)) => workflow_cmd::close(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Reopen(a)) => workflow_cmd::reopen(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Outcome(a)) => records_cmd::outcome(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Accountability(a)) => {
            records_cmd::accountability(&ctx, &a, &mut out).map(|_| 0)
        }
        Some(Command::Referral { command }) => {
            referral_cmd::run(&ctx, &command, &mut out).map(|_| 0)
        }
        Some(Command::Supervise(a)) => records_cmd::supervise(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Plan { command }) => plan_cmd::run(&ctx, &command, &mut out).map(|_| 0),
        Some(Command::History(a)) => history_cmd::run(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Report(a)) => report_cmd::run(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Export(a)) => exchange_cmd::export(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Sync(a)) => sync_cmd::run(&ctx, &a, &mut out),
        Some(Command::Conflicts(a)) => sync_cmd::conflicts(&ctx, &a, &mut out),
        Some(Command::SyncServe(a)) => sync_cmd::serve(&a),
        Some(Command::StoreHost(a)) => Ok(crate::tui::host::serve(
            &ctx.db,
            &ctx.user,
            a.lock_fd,
            a.idle_ms.map(std::time::Duration::from_millis),
        )),
        Some(Command::Import(a)) => exchange_cmd::import(&ctx, &a, &mut out),
        Some(Command::Restore(a)) => exchange_cmd::restore(&ctx, &a, &mut out).map(|_| 0),
        Some(Command::Completions { shell }) => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "rectify", &mut buf);
            out.raw(&buf).map(|_| 0)
        }
        Some(Command::Man) => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
                .map_err(|e| {
                    Msg::new(
                        format!("生成手册页失败：{e}"),
                        format!("cannot render the man page: {e}"),
                    )
                })?;
            out.raw(&buf).map(|_| 0)
        }
        Some(Command::DebugWriter { count }) => {
            demo_cmd::debug_writer(&ctx, count, &mut out).map(|_| 0)
        }
    }
}

//! A hub in a PostgreSQL table: `rectify sync postgres://user@host/db`.
//!
//! One row per journal line, append-only:
//! `rectify_ops(replica uuid, seq bigint, line text, account name default current_user, at
//! timestamptz default now(), primary key (replica, seq))`. A replica's log is the concatenation of
//! its lines in `seq` order, each followed by '\n', so byte offsets map onto rows: the length of a
//! log is `sum(octet_length(line) + 1)`.
//!
//! The trust anchor is the `account` column. PostgreSQL fills it from the session's role, and an
//! auditor's role is granted `SELECT` and `INSERT (replica, seq, line)` only (README): it can
//! neither set `account` itself nor change or remove a row. The owner of a log is that account, and
//! a log whose rows carry more than one account is refused.

use super::hub::{Hub, HubResult, LogInfo};
use crate::domain::Id;
use crate::i18n::Msg;
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};
use std::time::Duration;

/// The table, as `rectify sync` creates it when it may (README shows the grants that go with it).
pub const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS rectify_ops (
    replica uuid NOT NULL,
    seq bigint NOT NULL CHECK (seq > 0),
    line text NOT NULL,
    account name NOT NULL DEFAULT current_user,
    at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (replica, seq)
)";

/// Lines sent in one INSERT.
const CHUNK_LINES: usize = 2000;

pub struct PgHub {
    /// The address without its password, for messages.
    shown: String,
    client: Client,
}

/// Whether a hub text names a PostgreSQL database.
pub fn is_pg_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// The address with any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((creds, host)) => match creds.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

fn db_msg(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

/// A failed statement, with what to do when the role lacks a grant.
fn failed(shown: &str, what_zh: &str, what_en: &str, e: &postgres::Error) -> Msg {
    let (hint_zh, hint_en) = if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
        (
            "。请管理员为本角色授予 SELECT 和 INSERT (replica, seq, line)（见 README“团队同步”）",
            ". Ask the administrator to grant this role SELECT and INSERT (replica, seq, line) (README, sync section)",
        )
    } else {
        ("", "")
    };
    Msg::new(
        format!(
            "PostgreSQL 同步库 {shown} {what_zh}失败：{}{hint_zh}",
            db_msg(e)
        ),
        format!(
            "{what_en} the PostgreSQL hub {shown} failed: {}{hint_en}",
            db_msg(e)
        ),
    )
}

impl PgHub {
    /// Connect, and create the table when it is missing and this role may create it.
    pub fn connect(url: &str) -> HubResult<PgHub> {
        let shown = redact(url);
        let mut config: Config = url.parse().map_err(|e: postgres::Error| {
            Msg::new(
                format!("无法识别的 PostgreSQL 地址 {shown}：{e}"),
                format!("cannot read the PostgreSQL address {shown}: {e}"),
            )
        })?;
        if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            config.password(password);
        }
        config
            .application_name("rectify")
            .connect_timeout(Duration::from_secs(15));
        let client = config.connect(NoTls).map_err(|e| {
            Msg::new(
                format!("无法连接 PostgreSQL 同步库 {shown}：{}", db_msg(&e)),
                format!(
                    "cannot connect to the PostgreSQL hub {shown}: {}",
                    db_msg(&e)
                ),
            )
        })?;
        let mut hub = PgHub { shown, client };
        hub.ensure_table()?;
        Ok(hub)
    }

    fn err(&self, what_zh: &str, what_en: &str, e: &postgres::Error) -> Msg {
        failed(&self.shown, what_zh, what_en, e)
    }

    fn ensure_table(&mut self) -> HubResult<()> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('rectify_ops') IS NOT NULL", &[])
            .and_then(|row| row.try_get(0))
            .map_err(|e| self.err("读取", "reading", &e))?;
        if exists {
            return Ok(());
        }
        match self.client.batch_execute(CREATE_TABLE) {
            Ok(()) => Ok(()),
            Err(e) if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => Err(Msg::new(
                format!(
                    "PostgreSQL 同步库 {} 中还没有表 rectify_ops，当前角色也无权创建：请管理员按 README“团队同步”一节建表并授权",
                    self.shown
                ),
                format!(
                    "the PostgreSQL hub {} has no table rectify_ops yet and this role may not create it: ask the administrator to set it up as README's sync section shows",
                    self.shown
                ),
            )),
            Err(e) => Err(self.err("建表", "creating the table in", &e)),
        }
    }
}

impl Hub for PgHub {
    fn describe(&self) -> String {
        self.shown.clone()
    }

    fn logs(&mut self) -> HubResult<Vec<LogInfo>> {
        let rows = self
            .client
            .query(
                "SELECT replica::text,
                        coalesce(sum(octet_length(line) + 1), 0)::bigint,
                        string_agg(DISTINCT account::text, ', ' ORDER BY account::text),
                        count(DISTINCT account)
                 FROM rectify_ops GROUP BY replica ORDER BY replica",
                &[],
            )
            .map_err(|e| self.err("读取", "reading", &e))?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let read = |e: postgres::Error| self.err("读取", "reading", &e);
            let replica_text: String = row.try_get(0).map_err(read)?;
            let len: i64 = row.try_get(1).map_err(read)?;
            let accounts: String = row.try_get(2).map_err(read)?;
            let distinct: i64 = row.try_get(3).map_err(read)?;
            let replica = Id::parse(&replica_text)?;
            if distinct > 1 {
                return Err(Msg::new(
                    format!(
                        "PostgreSQL 同步库 {} 中副本 {} 的日志由多个账户写入（{accounts}）：有人冒用该副本写入。已停止同步，未导入任何内容",
                        self.shown,
                        replica.short()
                    ),
                    format!(
                        "the log of replica {} on the PostgreSQL hub {} was written by more than one account ({accounts}): someone wrote as that replica. Sync stopped; nothing was taken",
                        replica.short(),
                        self.shown
                    ),
                ));
            }
            out.push(LogInfo {
                replica,
                len: u64::try_from(len).unwrap_or(0),
                owner: accounts,
            });
        }
        Ok(out)
    }

    fn read(&mut self, replica: Id, from: u64) -> HubResult<Vec<u8>> {
        let from_i = i64::try_from(from).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(
                "SELECT line, upto - octet_length(line) - 1 FROM (
                     SELECT seq, line, sum(octet_length(line) + 1) OVER (ORDER BY seq) AS upto
                     FROM rectify_ops WHERE replica = $1::text::uuid
                 ) t WHERE upto > $2 ORDER BY seq",
                &[&replica.to_string(), &from_i],
            )
            .map_err(|e| self.err("读取", "reading", &e))?;
        let mut bytes = Vec::new();
        let mut skip = 0usize;
        for (i, row) in rows.iter().enumerate() {
            let read = |e: postgres::Error| self.err("读取", "reading", &e);
            let line: &str = row.try_get(0).map_err(read)?;
            if i == 0 {
                let start: i64 = row.try_get(1).map_err(read)?;
                skip = usize::try_from(from_i.saturating_sub(start)).unwrap_or(0);
            }
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
        }
        // `from` fell inside the first line: the log's bytes start there.
        Ok(bytes.split_off(skip.min(bytes.len())))
    }

    fn append(&mut self, replica: Id, at: u64, bytes: &[u8]) -> HubResult<()> {
        let text = std::str::from_utf8(bytes).map_err(|_| {
            Msg::new(
                "本地日志不是 UTF-8 文本",
                "the local journal is not UTF-8 text",
            )
        })?;
        let Some(body) = text.strip_suffix('\n') else {
            return Err(Msg::new(
                "要推送的日志不以整行结束",
                "the journal bytes to push do not end with a whole line",
            ));
        };
        let lines: Vec<&str> = body.split('\n').collect();
        let shown = self.shown.clone();
        let err =
            |what_zh: &str, what_en: &str, e: postgres::Error| failed(&shown, what_zh, what_en, &e);
        let id = replica.to_string();
        let mut tx = self
            .client
            .transaction()
            .map_err(|e| err("写入", "writing to", e))?;
        // One pusher per replica at a time; the primary key would refuse a second one anyway.
        tx.execute("SELECT pg_advisory_xact_lock(hashtext($1::text))", &[&id])
            .map_err(|e| err("写入", "writing to", e))?;
        let row = tx
            .query_one(
                "SELECT coalesce(sum(octet_length(line) + 1), 0)::bigint, coalesce(max(seq), 0)
                 FROM rectify_ops WHERE replica = $1::text::uuid",
                &[&id],
            )
            .map_err(|e| err("读取", "reading", e))?;
        let len: i64 = row.try_get(0).map_err(|e| err("读取", "reading", e))?;
        let mut seq: i64 = row.try_get(1).map_err(|e| err("读取", "reading", e))?;
        if u64::try_from(len).ok() != Some(at) {
            return Err(Msg::new(
                format!(
                    "PostgreSQL 同步库 {shown} 中本副本的日志长度为 {len} 字节，应为 {at}：它被别人改动过，已停止推送"
                ),
                format!(
                    "this replica's log on the PostgreSQL hub {shown} holds {len} bytes where {at} were expected: someone changed it; nothing was pushed"
                ),
            ));
        }
        for chunk in lines.chunks(CHUNK_LINES) {
            tx.execute(
                "INSERT INTO rectify_ops (replica, seq, line)
                 SELECT $1::text::uuid, $2::bigint + n, l
                 FROM unnest($3::text[]) WITH ORDINALITY AS u(l, n)",
                &[&id, &seq, &chunk],
            )
            .map_err(|e| err("写入", "writing to", e))?;
            seq += chunk.len() as i64;
        }
        tx.commit().map_err(|e| err("写入", "writing to", e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://zhang:s3cret@db.audit.local:5432/rectify"),
            "postgres://zhang:***@db.audit.local:5432/rectify"
        );
        assert_eq!(
            redact("postgresql://zhang@db/rectify?sslmode=disable"),
            "postgresql://zhang@db/rectify?sslmode=disable"
        );
        assert_eq!(redact("postgres://db/rectify"), "postgres://db/rectify");
        assert!(is_pg_url("postgresql://db/x") && !is_pg_url("/srv/hub"));
    }
}

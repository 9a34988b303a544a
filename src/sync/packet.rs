//! Offline packets: the journals a store holds, in one file encrypted with the team passphrase
//! (age's passphrase recipient, scrypt), for a bureau whose auditors meet without a network.
//!
//! Inside the encryption: a line `rectify-packet 1`, a line of JSON naming who exported it and
//! the length of each journal, then the journals' bytes one after another, verbatim.
//!
//! On import every journal is checked as a hub pull checks it: each line's checksum and the hash
//! chain from its first line, that it continues exactly from what this store already holds, that
//! every op names the replica of its journal, and that one replica's ops name one account (the
//! exporter's own, for the exporter's replica). What a packet cannot show is who wrote it: there
//! is no file owner or database role behind it, only the team passphrase, so the accounts in a
//! packet are what the exporting store recorded (README, "Offline packets"). Nothing is written
//! unless the whole packet passes.

use super::{append_copy, read_local, store_err};
use crate::domain::Id;
use crate::i18n::Msg;
use crate::store::journal::{self, JournalPos};
use crate::store::sled_store::journal_files;
use crate::store::{SledStore, Store};
use age::secrecy::SecretString;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

const MAGIC: &[u8] = b"rectify-packet 1\n";

/// Who made a packet, as their store saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exporter {
    pub replica: Id,
    /// The OS account that ran the export.
    pub account: String,
    /// The name the store records changes under.
    pub author: String,
    pub at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct Header {
    exported_by: Exporter,
    logs: Vec<HeaderLog>,
}

#[derive(Serialize, Deserialize)]
struct HeaderLog {
    replica: Id,
    len: u64,
}

/// A decrypted packet.
#[derive(Debug, Clone)]
pub struct Packet {
    pub exported_by: Exporter,
    /// Each replica's journal from its first line.
    pub logs: Vec<(Id, Vec<u8>)>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub logs: usize,
    pub ops: u64,
}

/// What an import took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub exported_by: Exporter,
    /// Ops new to this store.
    pub pulled: u64,
    /// Replicas those ops came from.
    pub replicas: usize,
    /// Journals in the packet.
    pub logs: usize,
}

fn damaged(why_zh: &str, why_en: &str) -> Msg {
    Msg::new(
        format!("数据包已损坏或不是 rectify 数据包（{why_zh}），未导入任何内容"),
        format!("the packet is damaged or not a rectify packet ({why_en}); nothing was imported"),
    )
}

/// Gather every journal this store holds, up to what it has applied.
pub fn collect(store: &mut SledStore) -> Result<Packet, Msg> {
    store.catch_up().map_err(store_err)?;
    let mut logs = Vec::new();
    for (replica, _) in journal_files(store.dir()).map_err(store_err)? {
        let end = store.journal_end(replica).map_err(store_err)?;
        if end.offset > 0 {
            logs.push((replica, read_local(store, replica, 0, end.offset)?));
        }
    }
    Ok(Packet {
        exported_by: Exporter {
            replica: store.replica(),
            account: crate::user::os_user(),
            author: store.author().to_string(),
            at: Utc::now(),
        },
        logs,
    })
}

/// The plain bytes of a packet (before encryption).
pub fn encode(packet: &Packet) -> Result<Vec<u8>, Msg> {
    let header = Header {
        exported_by: packet.exported_by.clone(),
        logs: packet
            .logs
            .iter()
            .map(|(replica, bytes)| HeaderLog {
                replica: *replica,
                len: bytes.len() as u64,
            })
            .collect(),
    };
    let json = serde_json::to_vec(&header).map_err(|e| {
        Msg::new(
            format!("编码数据包失败：{e}"),
            format!("encoding the packet failed: {e}"),
        )
    })?;
    let size = MAGIC.len() + json.len() + 1 + packet.logs.iter().map(|l| l.1.len()).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&json);
    out.push(b'\n');
    for (_, bytes) in &packet.logs {
        out.extend_from_slice(bytes);
    }
    Ok(out)
}

/// Read the plain bytes of a packet back.
pub fn decode(plain: &[u8]) -> Result<Packet, Msg> {
    let Some(rest) = plain.strip_prefix(MAGIC) else {
        return Err(damaged(
            "开头不是 rectify-packet 1",
            "it does not start with rectify-packet 1",
        ));
    };
    let Some(nl) = rest.iter().position(|b| *b == b'\n') else {
        return Err(damaged("缺少头部", "no header"));
    };
    let header: Header = serde_json::from_slice(&rest[..nl]).map_err(|e| {
        damaged(
            &format!("头部无法解析：{e}"),
            &format!("cannot parse the header: {e}"),
        )
    })?;
    let mut body = &rest[nl + 1..];
    let mut logs = Vec::with_capacity(header.logs.len());
    let mut seen = BTreeSet::new();
    for log in header.logs {
        let len = usize::try_from(log.len).unwrap_or(usize::MAX);
        if len > body.len() || !seen.insert(log.replica) {
            return Err(damaged(
                "日志长度与内容不符",
                "the journals do not match their lengths",
            ));
        }
        let (bytes, after) = body.split_at(len);
        logs.push((log.replica, bytes.to_vec()));
        body = after;
    }
    if !body.is_empty() {
        return Err(damaged("末尾有多余内容", "bytes left over at the end"));
    }
    Ok(Packet {
        exported_by: header.exported_by,
        logs,
    })
}

/// Encrypt with the team passphrase (age, scrypt).
pub fn seal(plain: &[u8], passphrase: &SecretString) -> Result<Vec<u8>, Msg> {
    let failed = |e: std::io::Error| {
        Msg::new(
            format!("加密数据包失败：{e}"),
            format!("encrypting the packet failed: {e}"),
        )
    };
    let encryptor = age::Encryptor::with_user_passphrase(passphrase.clone());
    let mut out = Vec::with_capacity(plain.len() + 1024);
    let mut writer = encryptor.wrap_output(&mut out).map_err(failed)?;
    writer.write_all(plain).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

/// Decrypt with the team passphrase; a wrong passphrase or any damage is an error.
pub fn unseal(sealed: &[u8], passphrase: &SecretString) -> Result<Vec<u8>, Msg> {
    use age::DecryptError as E;
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|_| {
        damaged(
            "不是 age 加密文件，或文件头已损坏",
            "not an age file, or its header is damaged",
        )
    })?;
    if !decryptor.is_scrypt() {
        return Err(damaged(
            "不是用口令加密的",
            "it is not encrypted with a passphrase",
        ));
    }
    let identity = age::scrypt::Identity::new(passphrase.clone());
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            E::DecryptionFailed | E::KeyDecryptionFailed | E::NoMatchingKeys => Msg::new(
                "团队口令不对（或数据包文件头已损坏），未导入任何内容",
                "wrong team passphrase (or the packet's header is damaged); nothing was imported",
            ),
            E::ExcessiveWork { required, target } => Msg::new(
                format!("数据包的口令强度参数（{required}）远超本机可接受的范围（约 {target}），未导入任何内容"),
                format!("the packet's passphrase work factor ({required}) is far above what this machine accepts (about {target}); nothing was imported"),
            ),
            E::InvalidMac => damaged("文件头校验失败", "its header fails its MAC"),
            other => damaged(&other.to_string(), &other.to_string()),
        })?;
    let mut plain = Vec::with_capacity(sealed.len());
    reader
        .read_to_end(&mut plain)
        .map_err(|_| damaged("内容校验失败", "its content fails authentication"))?;
    Ok(plain)
}

/// Write this store's journals into an encrypted packet at `path` (replacing it whole, or
/// leaving it untouched on failure).
pub fn export(
    store: &mut SledStore,
    path: &Path,
    passphrase: &SecretString,
) -> Result<ExportReport, Msg> {
    let packet = collect(store)?;
    let sealed = seal(&encode(&packet)?, passphrase)?;
    write_file(path, &sealed)?;
    Ok(ExportReport {
        logs: packet.logs.len(),
        ops: packet
            .logs
            .iter()
            .map(|(_, b)| b.iter().filter(|c| **c == b'\n').count() as u64)
            .sum(),
    })
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Msg> {
    let io = |e: std::io::Error| {
        Msg::new(
            format!("写入数据包 {} 失败：{e}", path.display()),
            format!("writing the packet {} failed: {e}", path.display()),
        )
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "packet".into());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

/// Read and decrypt a packet file.
pub fn read(path: &Path, passphrase: &SecretString) -> Result<Packet, Msg> {
    let sealed = std::fs::read(path).map_err(|e| {
        Msg::new(
            format!("读取数据包 {} 失败：{e}", path.display()),
            format!("reading the packet {} failed: {e}", path.display()),
        )
    })?;
    decode(&unseal(&sealed, passphrase)?)
}

fn refused(replica: Id, why: Msg) -> Msg {
    Msg::new(
        format!(
            "数据包中副本 {} 的日志未通过校验：{}。未导入任何内容",
            replica.short(),
            why.zh
        ),
        format!(
            "the journal of replica {} in the packet failed its checks: {}. Nothing was imported",
            replica.short(),
            why.en
        ),
    )
}

/// New lines of one replica, checked and ready to append.
struct Take<'a> {
    replica: Id,
    at: JournalPos,
    bytes: &'a [u8],
    ops: u64,
}

/// Check one journal of a packet against itself, its exporter and this store.
fn check_log<'a>(
    store: &SledStore,
    exporter: &Exporter,
    replica: Id,
    data: &'a [u8],
) -> Result<Option<Take<'a>>, Msg> {
    let whole =
        journal::verify_tail(JournalPos::START, data).map_err(|why| refused(replica, why))?;
    if whole.complete != data.len() {
        return Err(refused(
            replica,
            Msg::new("它在一批操作的中途结束", "it ends in the middle of a batch"),
        ));
    }
    let mut accounts = BTreeSet::new();
    for op in &whole.ops {
        if op.replica != replica {
            return Err(refused(
                replica,
                Msg::new(
                    format!("其中的操作 {} 声称来自另一个副本", op.id),
                    format!("its op {} claims to come from another replica", op.id),
                ),
            ));
        }
        if !op.account.is_empty() {
            accounts.insert(op.account.as_str());
        }
    }
    if accounts.len() > 1 {
        let list = accounts.into_iter().collect::<Vec<_>>().join(", ");
        return Err(refused(
            replica,
            Msg::new(
                format!("其中的操作声称由多个账户写入（{list}）"),
                format!("its ops claim more than one account ({list})"),
            ),
        ));
    }
    if replica == exporter.replica
        && let Some(account) = accounts.first()
        && *account != exporter.account
    {
        return Err(refused(
            replica,
            Msg::new(
                format!(
                    "导出者是账户 {}，但其副本的操作声称由 {account} 写入",
                    exporter.account
                ),
                format!(
                    "the exporter is account {}, but the ops of its replica claim {account}",
                    exporter.account
                ),
            ),
        ));
    }
    let have = store.journal_end(replica).map_err(store_err)?;
    if (data.len() as u64) <= have.offset {
        // Nothing new; what there is must be what this store already holds.
        if read_local(store, replica, 0, data.len() as u64)? != data {
            return Err(refused(
                replica,
                Msg::new(
                    "它与本台账已有的该副本日志不一致",
                    "it differs from what this ledger already holds of that replica",
                ),
            ));
        }
        return Ok(None);
    }
    let offset = usize::try_from(have.offset).unwrap_or(usize::MAX);
    let tail = journal::verify_tail(have, &data[offset..]).map_err(|why| {
        refused(
            replica,
            Msg::new(
                format!("它没有接续本台账已有的部分：{}", why.zh),
                format!(
                    "it does not continue what this ledger already holds: {}",
                    why.en
                ),
            ),
        )
    })?;
    Ok(Some(Take {
        replica,
        at: have,
        bytes: &data[offset..],
        ops: tail.ops.len() as u64,
    }))
}

/// This store's own journal coming back in a packet: it may be behind, never ahead or different.
fn check_own(store: &SledStore, data: &[u8]) -> Result<(), Msg> {
    let me = store.replica();
    let end = store.journal_end(me).map_err(store_err)?;
    let same =
        (data.len() as u64) <= end.offset && read_local(store, me, 0, data.len() as u64)? == data;
    if same {
        return Ok(());
    }
    Err(Msg::new(
        "数据包中本副本的日志与本地不一致（比本地长或内容不同）：可能有人冒用本副本写入，或本地台账是从旧备份恢复的。未导入任何内容",
        "this replica's journal in the packet does not match the local one (it is longer or different): someone wrote as this replica, or the ledger was restored from an old backup. Nothing was imported",
    ))
}

/// Verify a whole packet, then append what is new and apply it.
pub fn import(store: &mut SledStore, packet: &Packet) -> Result<ImportReport, Msg> {
    store.catch_up().map_err(store_err)?;
    let mut takes = Vec::new();
    for (replica, data) in &packet.logs {
        if *replica == store.replica() {
            check_own(store, data)?;
        } else if let Some(take) = check_log(store, &packet.exported_by, *replica, data)? {
            takes.push(take);
        }
    }
    for take in &takes {
        append_copy(store, take.replica, take.at, take.bytes)?;
    }
    store.catch_up().map_err(store_err)?;
    Ok(ImportReport {
        exported_by: packet.exported_by.clone(),
        pulled: takes.iter().map(|t| t.ops).sum(),
        replicas: takes.len(),
        logs: packet.logs.len(),
    })
}

impl crate::ledger::Ledger<SledStore> {
    /// Write every journal this ledger holds into an encrypted packet (see `packet`).
    pub fn export_packet(
        &mut self,
        path: &Path,
        passphrase: &SecretString,
    ) -> Result<ExportReport, Msg> {
        export(self.store_for_sync(), path, passphrase)
    }

    /// Take what is new in a decrypted packet, after checking all of it.
    pub fn import_packet(&mut self, packet: &Packet) -> Result<ImportReport, Msg> {
        import(self.store_for_sync(), packet)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Packet {
        Packet {
            exported_by: Exporter {
                replica: Id::new(),
                account: "zhang".into(),
                author: "张审计".into(),
                at: Utc::now(),
            },
            logs: vec![
                (Id::new(), b"a\nb\n".to_vec()),
                (Id::new(), b"c\n".to_vec()),
            ],
        }
    }

    #[test]
    fn plain_packets_round_trip_and_refuse_wrong_lengths() {
        let p = sample();
        let bytes = encode(&p).expect("encode");
        let back = decode(&bytes).expect("decode");
        assert_eq!(back.logs, p.logs);
        assert_eq!(back.exported_by, p.exported_by);
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        let mut longer = bytes.clone();
        longer.push(b'x');
        assert!(decode(&longer).is_err());
        assert!(decode(b"something else").is_err());
    }
}

//! The evidence folder: files attached to records, kept content-addressed under
//! `<store>/evidence/<sha256>`.
//!
//! Naming a copy by its SHA-256 means the same file attached twice is kept once, a record's
//! entry names exactly the bytes it rests on, and `verify` can tell when a kept file was changed
//! or lost. A copy is written to a temporary name, fsynced and renamed, so a crash leaves either
//! the whole file or nothing under its final name.

use super::error::{StoreError, StoreResult};
use crate::domain::{EvidenceEntry, EvidenceKind};
use crate::i18n::Msg;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub const EVIDENCE_DIR: &str = "evidence";
/// Scans and photos are large, but a single piece of evidence above this is a mistake.
pub const MAX_EVIDENCE_BYTES: u64 = 512 * 1024 * 1024;

/// Where the kept copy of a file with this hash lives.
pub fn path_of(store_dir: &Path, sha256: &str) -> PathBuf {
    store_dir.join(EVIDENCE_DIR).join(sha256)
}

/// Copy `source` into the store's evidence folder and describe it.
pub fn attach(
    store_dir: &Path,
    source: &Path,
    kind: EvidenceKind,
    doc_no: &str,
) -> StoreResult<EvidenceEntry> {
    let shown = source.display().to_string();
    let file_name = source
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let mut input = File::open(source).map_err(|e| {
        StoreError::io(
            &format!("打开佐证材料 {shown}"),
            &format!("opening the evidence file {shown}"),
            e,
        )
    })?;
    let meta = input
        .metadata()
        .map_err(|e| StoreError::io("读取佐证材料", "reading the evidence file", e))?;
    if !meta.is_file() {
        return Err(StoreError::Invalid(Msg::new(
            format!("{shown} 不是普通文件，不能作为佐证材料"),
            format!("{shown} is not a regular file and cannot be attached"),
        )));
    }
    if meta.len() > MAX_EVIDENCE_BYTES {
        return Err(StoreError::Invalid(Msg::new(
            format!(
                "{shown} 过大（{} MB），单个佐证材料最多 {} MB",
                meta.len() / 1_048_576,
                MAX_EVIDENCE_BYTES / 1_048_576
            ),
            format!(
                "{shown} is too large ({} MB); one piece of evidence may be at most {} MB",
                meta.len() / 1_048_576,
                MAX_EVIDENCE_BYTES / 1_048_576
            ),
        )));
    }
    let folder = store_dir.join(EVIDENCE_DIR);
    super::paths::prepare_private_dir(&folder)?;
    let tmp = folder.join(format!(".incoming-{}", crate::domain::Id::new()));
    let result = copy_hashing(&mut input, &tmp);
    let (hash, size) = match result {
        Ok(done) => done,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let target = folder.join(&hash);
    if target.exists() {
        let _ = std::fs::remove_file(&tmp);
    } else {
        std::fs::rename(&tmp, &target)
            .and_then(|()| File::open(&folder)?.sync_all())
            .map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                StoreError::io("保存佐证材料", "keeping the evidence file", e)
            })?;
    }
    Ok(EvidenceEntry {
        file_name,
        kind,
        doc_no: doc_no.trim().to_string(),
        sha256: Some(hash),
        size: Some(size),
    })
}

fn copy_hashing(input: &mut File, tmp: &Path) -> StoreResult<(String, u64)> {
    let io = |e| StoreError::io("复制佐证材料", "copying the evidence file", e);
    let mut output = private_file(tmp).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = input.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        output.write_all(&buf[..n]).map_err(io)?;
        size += n as u64;
    }
    output.sync_all().map_err(io)?;
    Ok((hex(&hasher.finalize()), size))
}

fn private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What became of an attached file's kept copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// Present and unchanged.
    Intact,
    /// Registered on paper only: nothing to keep.
    PaperOnly,
    Missing,
    /// Present but its content no longer has the recorded hash.
    Changed,
}

/// Check the kept copy of one entry against its recorded hash.
pub fn verify(store_dir: &Path, entry: &EvidenceEntry) -> StoreResult<Kept> {
    let Some(hash) = &entry.sha256 else {
        return Ok(Kept::PaperOnly);
    };
    let path = path_of(store_dir, hash);
    let mut file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Kept::Missing),
        Err(e) => return Err(StoreError::io("读取佐证材料", "reading evidence", e)),
    };
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher)
        .map_err(|e| StoreError::io("读取佐证材料", "reading evidence", e))?;
    Ok(if hex(&hasher.finalize()) == *hash {
        Kept::Intact
    } else {
        Kept::Changed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_kept_once_under_its_hash_and_verified() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let store = tmp.path().join("store");
        std::fs::create_dir_all(&store).unwrap_or_else(|e| panic!("{e}"));
        let source = tmp.path().join("缴款凭证.pdf");
        std::fs::write(&source, "voucher 12 万元").unwrap_or_else(|e| panic!("{e}"));
        let entry = attach(
            &store,
            &source,
            EvidenceKind::PaymentVoucher,
            " 财缴〔2023〕5号 ",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(entry.file_name, "缴款凭证.pdf");
        assert_eq!(entry.doc_no, "财缴〔2023〕5号");
        assert_eq!(entry.size, Some("voucher 12 万元".len() as u64));
        let hash = entry.sha256.clone().unwrap_or_default();
        assert!(crate::domain::evidence::is_sha256_hex(&hash));
        assert_eq!(verify(&store, &entry), Ok(Kept::Intact));
        // Attaching the same bytes again keeps one copy and leaves no temporary files behind.
        attach(&store, &source, EvidenceKind::Other, "").unwrap_or_else(|e| panic!("{e}"));
        let kept = std::fs::read_dir(store.join(EVIDENCE_DIR))
            .unwrap_or_else(|e| panic!("{e}"))
            .count();
        assert_eq!(kept, 1);
        std::fs::write(path_of(&store, &hash), b"edited").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verify(&store, &entry), Ok(Kept::Changed));
        std::fs::remove_file(path_of(&store, &hash)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verify(&store, &entry), Ok(Kept::Missing));
    }

    #[test]
    fn a_missing_file_or_a_folder_is_refused_with_its_name() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let err = attach(
            tmp.path(),
            &tmp.path().join("无此文件.pdf"),
            EvidenceKind::Other,
            "",
        )
        .err()
        .map(|e| e.msg().zh.clone())
        .unwrap_or_default();
        assert!(err.contains("无此文件.pdf"), "{err}");
        let err = attach(tmp.path(), tmp.path(), EvidenceKind::Other, "")
            .err()
            .map(|e| e.msg().zh.clone())
            .unwrap_or_default();
        assert!(err.contains("不是普通文件"), "{err}");
    }
}

//! What the record commands read from their options besides plain text: 佐证材料 (files to
//! attach, paper registered by name), amounts by kind (`上缴财政=12万元`), and optional dates.
//! Everything here is read before the store is opened, so a typo costs nothing.

use super::{CliResult, Context};
use crate::domain::{
    Determination, EvidenceEntry, EvidenceKind, FollowUpCheck, KindAmount, Labelled, Money,
    Outcome, OutcomeKind, ProgressReport,
};
use crate::i18n::{Msg, tr};
use crate::store::evidence::{self, MAX_EVIDENCE_BYTES};
use chrono::NaiveDate;
use clap::Args;
use std::path::{Path, PathBuf};

/// A file to write, as typed with `-o`: refused when it is empty or holds control characters or
/// escape sequences (a paste gone wrong: such a name is invisible in a listing, or acts on the
/// terminal that lists it), before anything is opened or written.
pub fn output_path(path: &Path) -> Result<(), Msg> {
    let text = path.to_string_lossy();
    if text.trim().is_empty() {
        return Err(Msg::new(
            "输出文件名为空：请用 -o 指定，如 -o 整改台账.xlsx",
            "the output file name is empty: give one with -o, e.g. -o ledger.xlsx",
        ));
    }
    if text.chars().any(char::is_control) {
        let shown = crate::text::display_safe(&text);
        return Err(Msg::new(
            format!("输出文件名“{shown}”含有控制字符（换行、ESC 等），请改用普通文件名"),
            format!(
                "the output file name \"{shown}\" contains control characters (newline, ESC …); use a plain name"
            ),
        ));
    }
    Ok(())
}

/// The evidence options, shared by every command whose record carries 佐证材料.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// 附上佐证材料文件，复制进台账（可重复）/ attach an evidence file, copied into the ledger (repeatable)
    #[arg(long = "attach", value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// 登记纸质佐证材料，只记名称（可重复）/ register paper evidence by its name, no file (repeatable)
    #[arg(long = "evidence", value_name = "NAME")]
    pub evidence: Vec<String>,
    /// 佐证材料类别（默认其他）/ the kind of the evidence (default: 其他)
    #[arg(long, value_name = "KIND")]
    pub evidence_kind: Option<String>,
    /// 佐证材料文号 / the evidence's document number
    #[arg(long, value_name = "DOC-NO")]
    pub doc_no: Option<String>,
}

/// Files to copy into the evidence folder once the record is known to be accepted.
pub struct Attachments {
    files: Vec<PathBuf>,
    kind: EvidenceKind,
    doc_no: String,
}

impl EvidenceArgs {
    /// The paper entries to put in the record now, and the files to attach when it is saved.
    /// Each file must be a readable regular file of a sensible size.
    pub fn read(&self) -> CliResult<(Vec<EvidenceEntry>, Attachments)> {
        let kind = match &self.evidence_kind {
            Some(k) => EvidenceKind::parse_label(k)?,
            None => EvidenceKind::Other,
        };
        let doc_no = self
            .doc_no
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string();
        if self.attach.is_empty()
            && self.evidence.is_empty()
            && (self.evidence_kind.is_some() || self.doc_no.is_some())
        {
            return Err(Msg::new(
                "--evidence-kind 和 --doc-no 说明的是佐证材料，请同时用 --attach 文件 或 --evidence 名称 给出材料",
                "--evidence-kind and --doc-no describe evidence: give it with --attach FILE or --evidence NAME",
            )
            .into());
        }
        for file in &self.attach {
            check_file(file)?;
        }
        let paper = self
            .evidence
            .iter()
            .map(|name| EvidenceEntry {
                file_name: name.trim().to_string(),
                kind,
                doc_no: doc_no.clone(),
                sha256: None,
                size: None,
            })
            .collect();
        Ok((
            paper,
            Attachments {
                files: self.attach.clone(),
                kind,
                doc_no,
            },
        ))
    }
}

/// Refuse early, with the file's name, what `attach` would refuse after the record was checked.
fn check_file(path: &Path) -> CliResult {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Msg::new(
            format!("无法读取佐证材料文件 {shown}：{e}"),
            format!("cannot read the evidence file {shown}: {e}"),
        )
    })?;
    if !meta.is_file() {
        return Err(Msg::new(
            format!("{shown} 不是普通文件，不能作为佐证材料"),
            format!("{shown} is not a regular file and cannot be attached"),
        )
        .into());
    }
    if meta.len() > MAX_EVIDENCE_BYTES {
        return Err(Msg::new(
            format!(
                "{shown} 过大，单个佐证材料最多 {} MB",
                MAX_EVIDENCE_BYTES / 1_048_576
            ),
            format!(
                "{shown} is too large; one piece of evidence may be at most {} MB",
                MAX_EVIDENCE_BYTES / 1_048_576
            ),
        )
        .into());
    }
    Ok(())
}

impl Attachments {
    /// Entries standing in for the files while the record is checked (same name, kind and
    /// 文号; no checksum yet), so the ledger judges the record as it will be saved.
    pub fn placeholders(&self) -> Vec<EvidenceEntry> {
        self.files
            .iter()
            .map(|f| EvidenceEntry {
                file_name: file_name(f),
                kind: self.kind,
                doc_no: self.doc_no.clone(),
                sha256: None,
                size: None,
            })
            .collect()
    }

    /// Copy each file into the store's evidence folder; the entries name the kept copies.
    pub fn keep(&self, store_dir: &Path) -> CliResult<Vec<EvidenceEntry>> {
        let mut kept = Vec::with_capacity(self.files.len());
        for file in &self.files {
            kept.push(evidence::attach(store_dir, file, self.kind, &self.doc_no)?);
        }
        Ok(kept)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// "佐证材料：凭证.pdf（已保存 1a2b3c4d）、会议纪要（纸质）".
pub fn evidence_text(entries: &[EvidenceEntry]) -> String {
    let items: Vec<String> = entries
        .iter()
        .map(|e| match &e.sha256 {
            Some(hash) => format!(
                "{}（{} {}）",
                e.file_name,
                tr("已保存", "kept,"),
                hash.chars().take(8).collect::<String>()
            ),
            None => format!("{}（{}）", e.file_name, tr("纸质", "paper")),
        })
        .collect();
    format!(
        "{}{}",
        tr("佐证材料：", "evidence: "),
        items.join(tr("、", ", "))
    )
}

/// Records that carry a list of 佐证材料.
pub trait HasEvidence {
    fn evidence_mut(&mut self) -> &mut Vec<EvidenceEntry>;
}

macro_rules! has_evidence {
    ($($ty:ty),+) => {
        $(impl HasEvidence for $ty {
            fn evidence_mut(&mut self) -> &mut Vec<EvidenceEntry> {
                &mut self.evidence
            }
        })+
    };
}

has_evidence!(FollowUpCheck, ProgressReport, Determination, Outcome);

/// `--amount 上缴财政=12万元` (repeatable): amounts by outcome kind.
pub fn kind_amounts(texts: &[String]) -> CliResult<Vec<KindAmount>> {
    texts.iter().map(|t| kind_amount(t)).collect()
}

fn kind_amount(text: &str) -> CliResult<KindAmount> {
    let Some((kind, amount)) = text.split_once(['=', '＝']) else {
        return Err(Msg::new(
            format!("金额“{}”须写成“类别=金额”，如 上缴财政=12万元", text.trim()),
            format!(
                "write the amount \"{}\" as KIND=AMOUNT, e.g. 上缴财政=12万元",
                text.trim()
            ),
        )
        .into());
    };
    Ok(KindAmount {
        kind: OutcomeKind::parse_label(kind)?,
        amount: Money::parse(amount)?,
    })
}

/// The total of amounts by kind, if any were given.
pub fn total(amounts: &[KindAmount]) -> Option<Money> {
    (!amounts.is_empty()).then(|| Money::sum(amounts.iter().map(|a| a.amount)))
}

/// An optional date option.
pub fn opt_date(ctx: &Context, text: Option<&str>) -> CliResult<Option<NaiveDate>> {
    text.map(|t| ctx.date_or_today(Some(t))).transpose()
}

/// A date that tells what has already happened (a feedback received …): not after today.
pub fn past_date(ctx: &Context, text: Option<&str>, what: (&str, &str)) -> CliResult<NaiveDate> {
    let date = ctx.date_or_today(text)?;
    if date > ctx.today {
        return Err(Msg::new(
            format!("{}{date} 晚于今天，只能登记已发生的事", what.0),
            format!(
                "the {} {date} is after today; only what has happened can be recorded",
                what.1
            ),
        )
        .into());
    }
    Ok(date)
}

//! 佐证材料 and amounts by kind: the pieces several records carry.
//!
//! An evidence entry always names the document; when a file is attached its SHA-256 names the
//! copy kept in the store's evidence folder (content-addressed, so the same file attached twice
//! is stored once and any later change to it is detectable).

use super::labels::Labelled;
use super::money::Money;
use super::validate::{Checker, MAX_NAME, MAX_SHORT};
use super::vocab::{EvidenceKind, OutcomeKind};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceEntry {
    /// The file's name as the unit sent it, or the paper document's title.
    pub file_name: String,
    pub kind: EvidenceKind,
    /// 文号, when the document has one.
    #[serde(default)]
    pub doc_no: String,
    /// Lower-case hex SHA-256 of the attached file; `None` for paper registered by name only.
    #[serde(default)]
    pub sha256: Option<String>,
    /// Size in bytes of the attached file.
    #[serde(default)]
    pub size: Option<u64>,
}

/// An amount of one outcome kind (整改金额 by kind: 上缴财政 12 万元, 归还原资金渠道 3 万元 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindAmount {
    pub kind: OutcomeKind,
    pub amount: Money,
}

pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Check a record's evidence list; problems are reported under `field`.
pub fn check_evidence(c: &mut Checker, field: &'static str, evidence: &[EvidenceEntry]) {
    for entry in evidence {
        c.line(
            field,
            ("材料名称", "evidence name"),
            &entry.file_name,
            MAX_NAME,
        );
        c.optional_line(field, ("文号", "document number"), &entry.doc_no, MAX_SHORT);
        if let Some(hash) = &entry.sha256
            && !is_sha256_hex(hash)
        {
            c.fail(
                field,
                Msg::new(
                    format!("材料“{}”的校验值不是有效的 SHA-256", entry.file_name),
                    format!(
                        "the checksum of “{}” is not a valid SHA-256",
                        entry.file_name
                    ),
                ),
            );
        }
    }
}

/// Check amounts by kind: none negative, each kind at most once, no money for counted kinds.
pub fn check_amounts(c: &mut Checker, field: &'static str, amounts: &[KindAmount]) {
    for (i, entry) in amounts.iter().enumerate() {
        if entry.amount.fen() < 0 {
            c.fail(
                field,
                Msg::new("金额不能为负数", "an amount cannot be negative"),
            );
        }
        if entry.kind.is_counted() {
            c.fail(
                field,
                Msg::new(
                    format!("“{}”按项数统计，不记金额", entry.kind.zh()),
                    format!("“{}” is counted, not measured in money", entry.kind.en()),
                ),
            );
        }
        if amounts[..i].iter().any(|e| e.kind == entry.kind) {
            c.fail(
                field,
                Msg::new(
                    format!("“{}”重复填写，请合并为一项", entry.kind.zh()),
                    format!("“{}” is given twice; merge them", entry.kind.en()),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_by_kind_refuse_negatives_repeats_and_counted_kinds() {
        let ok = [
            KindAmount {
                kind: OutcomeKind::PaidToTreasury,
                amount: Money::from_fen(100),
            },
            KindAmount {
                kind: OutcomeKind::Recovered,
                amount: Money::from_fen(5),
            },
        ];
        let mut c = Checker::new();
        check_amounts(&mut c, "amounts", &ok);
        assert!(c.errors.is_empty());

        let bad = [
            KindAmount {
                kind: OutcomeKind::PaidToTreasury,
                amount: Money::from_fen(-1),
            },
            KindAmount {
                kind: OutcomeKind::PaidToTreasury,
                amount: Money::from_fen(1),
            },
            KindAmount {
                kind: OutcomeKind::RulesImproved,
                amount: Money::from_fen(1),
            },
        ];
        let mut c = Checker::new();
        check_amounts(&mut c, "amounts", &bad);
        assert_eq!(c.errors.len(), 3);
    }

    #[test]
    fn evidence_needs_a_name_and_a_real_checksum() {
        let entry = |name: &str, hash: Option<&str>| EvidenceEntry {
            file_name: name.into(),
            kind: EvidenceKind::Rules,
            doc_no: String::new(),
            sha256: hash.map(str::to_string),
            size: None,
        };
        let mut c = Checker::new();
        check_evidence(
            &mut c,
            "evidence",
            &[
                entry("制度.pdf", Some(&"a".repeat(64))),
                entry("纸质凭证", None),
            ],
        );
        assert!(c.errors.is_empty());
        let mut c = Checker::new();
        check_evidence(
            &mut c,
            "evidence",
            &[entry(" ", None), entry("x.pdf", Some("not-a-hash"))],
        );
        assert_eq!(c.errors.len(), 2);
    }
}

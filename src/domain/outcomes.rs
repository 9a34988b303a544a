//! What rectification achieved and who answered for it: 整改成效 (outcomes, counted in the
//! annual report) and 追责问责 (one record per person). Both hang on a finding and are
//! append-only like every other record.

use super::evidence::{EvidenceEntry, check_evidence};
use super::ids::Id;
use super::labels::Labelled;
use super::money::Money;
use super::validate::{Checker, FieldError, MAX_NAME, MAX_SHORT, MAX_TEXT, MAX_TITLE};
use super::vocab::{AccountabilityMeasure, DecidingBody, OutcomeKind};
use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// 整改成效: money recovered, rules made, recommendations adopted …
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub id: Id,
    pub finding: Id,
    /// When it happened (the voucher's or the rule's date).
    pub date: NaiveDate,
    pub recorded_by: String,
    pub kind: OutcomeKind,
    /// For money kinds.
    pub amount: Option<Money>,
    /// For counted kinds: how many rules / recommendations (defaults to the documents named).
    pub count: Option<u32>,
    /// 完善制度: the names of the rules made or revised.
    pub documents: Vec<String>,
    pub note: String,
    pub evidence: Vec<EvidenceEntry>,
    pub archived: bool,
}

impl Outcome {
    /// How many pieces this outcome counts for (rules, recommendations; 1 for anything else).
    pub fn pieces(&self) -> u32 {
        self.count.unwrap_or_else(|| {
            u32::try_from(self.documents.len())
                .unwrap_or(u32::MAX)
                .max(1)
        })
    }

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line(
            "recorded_by",
            ("登记人", "recorded by"),
            &self.recorded_by,
            MAX_SHORT,
        );
        if self.kind.is_counted() {
            if self.amount.is_some() {
                c.fail(
                    "amount",
                    Msg::new(
                        format!("“{}”按项数统计，不填金额", self.kind.zh()),
                        format!("“{}” is counted; leave the amount empty", self.kind.en()),
                    ),
                );
            }
        } else if self.amount.is_none_or(|m| m.fen() <= 0) {
            c.fail(
                "amount",
                Msg::new(
                    format!("“{}”需要填写大于零的金额", self.kind.zh()),
                    format!("“{}” needs an amount above zero", self.kind.en()),
                ),
            );
        }
        if self.kind == OutcomeKind::RulesImproved && self.documents.is_empty() {
            c.fail(
                "documents",
                Msg::new(
                    "完善制度需列出制度名称（每行一项）",
                    "rules improved needs the names of the rules (one per line)",
                ),
            );
        }
        if self.count == Some(0) {
            c.fail(
                "count",
                Msg::new("项数应大于零", "the count must be above zero"),
            );
        }
        for doc in &self.documents {
            c.line("documents", ("制度名称", "rule name"), doc, MAX_TITLE);
        }
        c.text("note", ("说明", "note"), &self.note, MAX_TEXT);
        check_evidence(&mut c, "evidence", &self.evidence);
        c.into_result()
    }
}

/// 追责问责: one person, one measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Accountability {
    pub id: Id,
    pub finding: Id,
    /// The day of the decision.
    pub date: NaiveDate,
    pub recorded_by: String,
    pub person: String,
    pub position: String,
    /// The person's unit, as written in the decision.
    pub entity: String,
    pub measure: AccountabilityMeasure,
    pub decided_by: DecidingBody,
    /// 文号 of the decision.
    pub document: String,
    pub note: String,
    pub archived: bool,
}

impl Accountability {
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line(
            "recorded_by",
            ("登记人", "recorded by"),
            &self.recorded_by,
            MAX_SHORT,
        );
        c.line("person", ("被问责人", "person"), &self.person, MAX_SHORT);
        c.optional_line("position", ("职务", "position"), &self.position, MAX_NAME);
        c.optional_line("entity", ("所在单位", "unit"), &self.entity, MAX_NAME);
        c.optional_line(
            "document",
            ("决定文号", "decision number"),
            &self.document,
            MAX_NAME,
        );
        c.text("note", ("说明", "note"), &self.note, MAX_TEXT);
        c.into_result()
    }
}

//! 责任单位 / 被审计单位: the audited and responsible units.

use super::ids::Id;
use super::validate::{Checker, FieldError, MAX_NAME, MAX_SHORT};
use super::vocab::{ContactRole, UnitKind};
use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub id: Id,
    /// 全称, e.g. 区财政局.
    pub name: String,
    /// 简称, e.g. 财政局.
    pub short_name: String,
    pub kind: UnitKind,
    /// 主管部门.
    pub parent: Option<Id>,
    /// 主要负责人 (第一责任人).
    pub leader: String,
    /// Contacts with their period, so that 新官理旧账 keeps the history.
    pub contacts: Vec<Contact>,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub position: String,
    pub phone: String,
    pub role: ContactRole,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

impl Unit {
    pub fn new(name: &str, kind: UnitKind) -> Unit {
        Unit {
            id: Id::new(),
            name: name.to_string(),
            short_name: String::new(),
            kind,
            parent: None,
            leader: String::new(),
            contacts: Vec::new(),
            archived: false,
        }
    }

    /// The short name if there is one, else the full name.
    pub fn display_name(&self) -> &str {
        if self.short_name.trim().is_empty() {
            &self.name
        } else {
            &self.short_name
        }
    }

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line("name", ("单位名称", "unit name"), &self.name, MAX_NAME);
        c.optional_line(
            "short_name",
            ("单位简称", "short name"),
            &self.short_name,
            MAX_SHORT,
        );
        c.optional_line(
            "leader",
            ("主要负责人", "principal leader"),
            &self.leader,
            MAX_SHORT,
        );
        if self.parent == Some(self.id) {
            c.fail(
                "parent",
                Msg::new(
                    "主管部门不能是单位自身",
                    "a unit cannot be its own competent department",
                ),
            );
        }
        for contact in &self.contacts {
            c.line(
                "contacts",
                ("联系人姓名", "contact name"),
                &contact.name,
                MAX_SHORT,
            );
            c.optional_line(
                "contacts",
                ("职务", "position"),
                &contact.position,
                MAX_SHORT,
            );
            c.optional_line("contacts", ("电话", "phone"), &contact.phone, MAX_SHORT);
            if let (Some(from), Some(to)) = (contact.valid_from, contact.valid_to)
                && to < from
            {
                c.fail(
                    "contacts",
                    Msg::new(
                        format!("联系人{}的任职结束日期早于开始日期", contact.name),
                        format!("contact {} ends before they start", contact.name),
                    ),
                );
            }
        }
        c.into_result()
    }
}

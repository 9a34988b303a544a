//! 审计项目: an audit project and its team.

use super::ids::Id;
use super::validate::{Checker, FieldError, MAX_NAME, MAX_SHORT, MAX_TITLE};
use super::vocab::{ProjectOrigin, ProjectStage, ProjectType};
use crate::i18n::Msg;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: Id,
    /// Display number, e.g. `2022-03`.
    pub number: String,
    pub name: String,
    pub year: i32,
    pub kind: ProjectType,
    pub origin: ProjectOrigin,
    pub audited_units: Vec<Id>,
    pub team: Team,
    /// 审计结果文书文号, e.g. 区审报〔2022〕3号.
    pub doc_no: String,
    pub doc_date: Option<NaiveDate>,
    /// 整体整改时限.
    pub deadline: Option<NaiveDate>,
    pub stage: ProjectStage,
    /// 纳入审计工作报告 (reported to the people's congress).
    pub in_work_report: bool,
    pub archived: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Team {
    /// 审计组长.
    pub leader: String,
    /// 主审.
    pub chief: String,
    pub members: Vec<String>,
}

impl Project {
    pub fn new(number: &str, name: &str, year: i32, kind: ProjectType) -> Project {
        Project {
            id: Id::new(),
            number: number.to_string(),
            name: name.to_string(),
            year,
            kind,
            origin: ProjectOrigin::LocalPlan,
            audited_units: Vec::new(),
            team: Team::default(),
            doc_no: String::new(),
            doc_date: None,
            deadline: None,
            stage: ProjectStage::Rectification,
            in_work_report: false,
            archived: false,
        }
    }

    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut c = Checker::new();
        c.line(
            "number",
            ("项目编号", "project number"),
            &self.number,
            MAX_SHORT,
        );
        c.line("name", ("项目名称", "project name"), &self.name, MAX_TITLE);
        c.optional_line(
            "doc_no",
            ("文号", "document number"),
            &self.doc_no,
            MAX_NAME,
        );
        c.optional_line(
            "team",
            ("审计组长", "team leader"),
            &self.team.leader,
            MAX_SHORT,
        );
        c.optional_line(
            "team",
            ("主审", "chief auditor"),
            &self.team.chief,
            MAX_SHORT,
        );
        for member in &self.team.members {
            c.line("team", ("审计组成员", "team member"), member, MAX_SHORT);
        }
        if !(1980..=2100).contains(&self.year) {
            c.fail(
                "year",
                Msg::new(
                    format!("年度{}不合理，应在1980至2100之间", self.year),
                    format!("year {} is out of range (1980–2100)", self.year),
                ),
            );
        }
        if let Some(doc_date) = self.doc_date
            && (doc_date.year() < self.year)
        {
            c.fail(
                "doc_date",
                Msg::new(
                    "文书日期早于项目年度",
                    "the document date is before the project's year",
                ),
            );
        }
        if let (Some(doc_date), Some(deadline)) = (self.doc_date, self.deadline)
            && deadline < doc_date
        {
            c.fail(
                "deadline",
                Msg::new(
                    "整体整改时限早于文书日期",
                    "the overall deadline is before the document date",
                ),
            );
        }
        c.into_result()
    }
}

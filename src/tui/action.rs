//! Everything a key can do, by name. Keymaps bind keys to these names (snake_case), and the
//! help popup and status-bar hints show their descriptions, so a new action is added here once,
//! with its doc, and appears everywhere.

use crate::i18n::Lang;

macro_rules! actions {
    ($( $variant:ident => $name:literal, $zh:literal, $en:literal; )+) => {
        /// A named command the user can bind to a key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $variant ),+
        }

        impl Action {
            pub const ALL: &'static [Action] = &[$( Action::$variant ),+];

            /// The name used in keymap files.
            pub fn name(self) -> &'static str {
                match self { $( Action::$variant => $name ),+ }
            }

            /// What it does, for the help popup and the status bar.
            pub fn describe(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $( (Action::$variant, Lang::Zh) => $zh, (Action::$variant, Lang::En) => $en, )+
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name { $( $name => Some(Action::$variant), )+ _ => None }
            }
        }
    };
}

actions! {
    // Anywhere.
    Quit => "quit", "退出", "quit";
    Help => "help", "帮助：全部按键", "help: all keys";
    NextTab => "next_tab", "下一个面板", "next panel";
    PrevTab => "prev_tab", "上一个面板", "previous panel";
    TabDashboard => "tab_dashboard", "总览", "dashboard";
    TabProjects => "tab_projects", "项目", "projects";
    TabFindings => "tab_findings", "问题", "findings";
    TabUnits => "tab_units", "责任单位", "units";
    TabChecks => "tab_checks", "回头看", "follow-up checks";
    Back => "back", "返回上一处", "go back";
    Undo => "undo", "撤销上一次修改", "undo the last change";
    // Lists.
    Up => "up", "上移", "move up";
    Down => "down", "下移", "move down";
    PageUp => "page_up", "上翻一页", "page up";
    PageDown => "page_down", "下翻一页", "page down";
    Top => "top", "到顶部", "go to top";
    Bottom => "bottom", "到底部", "go to bottom";
    Open => "open", "打开", "open";
    New => "new", "新建", "new";
    Edit => "edit", "编辑", "edit";
    Archive => "archive", "归档", "archive";
    RecordCheck => "record_check", "登记回头看", "record a follow-up check";
    RecordProgress => "record_progress", "登记整改进展（单位报送）", "record a progress report (the unit's claim)";
    RecordDetermination => "record_determination", "登记整改认定", "record a determination";
    CloseFinding => "close_finding", "对账销号", "close the finding (对账销号)";
    ReopenFinding => "reopen_finding", "重新打开已销号问题", "reopen a closed finding";
    AddRecord => "add_record", "添加记录：整改成效、追责问责、移送、督办", "add a record: outcome, accountability, referral, supervision";
    BatchChecks => "batch_checks", "逐条回头看：保存后打开下一条", "check the due queue one after another";
    OpenUnit => "open_unit", "转到牵头单位", "go to the lead unit";
    OpenProject => "open_project", "转到所属项目", "go to the project";
    ToggleDetail => "toggle_detail", "显示/隐藏详情", "show/hide details";
    Find => "find", "查找（拼音或汉字）", "find (pinyin or characters)";
    Filter => "filter", "筛选问题（筛选语言）", "filter findings (filter language)";
    Views => "views", "常用视图", "saved views";
    SaveView => "save_view", "保存当前筛选为视图", "save the current filter as a view";
    NextView => "next_view", "切换视图：待查队列/检查记录/检查计划；总览中到下一部分", "switch view: due queue / check log / check plans; the next section of the dashboard";
    Conflicts => "conflicts", "冲突队列：同步后待处理的冲突与重复编号，及同步状态", "the conflict queue: conflicts and duplicate numbers to settle, and how sync stands";
    // Forms.
    NextField => "next_field", "下一栏", "next field";
    PrevField => "prev_field", "上一栏", "previous field";
    Save => "save", "保存", "save";
    Cancel => "cancel", "取消", "cancel";
    Pick => "pick", "选择（下拉列表）", "choose from a list";
    // Editing inside a text field.
    CursorLeft => "cursor_left", "光标左移", "cursor left";
    CursorRight => "cursor_right", "光标右移", "cursor right";
    CursorHome => "cursor_home", "到行首", "start of line";
    CursorEnd => "cursor_end", "到行尾", "end of line";
    DeleteBack => "delete_back", "删除前一字", "delete before";
    DeleteForward => "delete_forward", "删除后一字", "delete after";
    DeleteWordBack => "delete_word_back", "删除前一词", "delete word before";
    ClearField => "clear_field", "清空本栏", "clear the field";
    Newline => "newline", "换行（多行栏）", "new line (multi-line field)";
    // Pop-ups: pickers and confirmations.
    Confirm => "confirm", "确认", "confirm";
}

impl Action {
    /// Short label for the status bar (the description without its explanation).
    pub fn hint(self, lang: Lang) -> &'static str {
        let text = self.describe(lang);
        text.split(['：', ':', '（']).next().unwrap_or(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for a in Action::ALL {
            assert!(seen.insert(a.name()), "duplicate name {}", a.name());
            assert_eq!(Action::from_name(a.name()), Some(*a));
            assert!(!a.describe(Lang::Zh).is_empty() && !a.describe(Lang::En).is_empty());
        }
        assert_eq!(Action::from_name("no_such_action"), None);
    }
}

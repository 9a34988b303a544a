//! Saved views: a name for a filter (with its sort), recalled with a key. Kept in
//! `views.toml` beside config.toml; a few useful ones ship as defaults.

use crate::i18n::Msg;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    pub filter: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct ViewsFile {
    #[serde(default)]
    view: Vec<SavedView>,
}

/// The views a new user starts with.
pub fn defaults() -> Vec<SavedView> {
    let v = |name: &str, filter: &str| SavedView {
        name: name.into(),
        filter: filter.into(),
    };
    vec![
        v("督办优先（按紧迫度）", "-状态:已整改,已销号 排序:紧迫度"),
        v("超期未整改", "+超期 排序:-超期天数"),
        v("本周回头看", "+待回头看 排序:时限"),
        v("待认定", "+待认定 排序:时限"),
        v("临期", "+临期 排序:时限"),
        v("屡审屡犯", "+屡审屡犯"),
        v("报人大", "+人大 -状态:已销号"),
        v("持续整改", "+持续 排序:时限"),
    ]
}

pub struct Views {
    pub list: Vec<SavedView>,
    path: Option<PathBuf>,
}

impl Views {
    /// Read `views.toml` in `dir`; the defaults when there is none. A damaged file is reported
    /// and the defaults are used (the file is left alone, not overwritten).
    pub fn load(dir: Option<&Path>) -> (Views, Option<Msg>) {
        let path = dir.map(|d| d.join("views.toml"));
        let Some(p) = path.as_ref().filter(|p| p.exists()) else {
            return (
                Views {
                    list: defaults(),
                    path,
                },
                None,
            );
        };
        match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|text| toml::from_str::<ViewsFile>(&text).map_err(|e| e.to_string()))
        {
            Ok(file) => (
                Views {
                    list: file.view,
                    path,
                },
                None,
            ),
            Err(e) => {
                let msg = Msg::new(
                    format!("{} 无法读取（{e}），使用默认视图", p.display()),
                    format!("cannot read {} ({e}); using the default views", p.display()),
                );
                // Keep the defaults in memory but never write over the user's file.
                (
                    Views {
                        list: defaults(),
                        path: None,
                    },
                    Some(msg),
                )
            }
        }
    }

    /// Add (or replace, by name) a view and write the file.
    pub fn save(&mut self, view: SavedView) -> Result<(), Msg> {
        self.list.retain(|v| v.name != view.name);
        self.list.push(view);
        let Some(path) = &self.path else {
            return Err(Msg::new(
                "没有可写入视图的配置目录",
                "there is no config directory to save views in",
            ));
        };
        let text = toml::to_string(&ViewsFile {
            view: self.list.clone(),
        })
        .map_err(|e| {
            Msg::new(
                format!("视图无法保存：{e}"),
                format!("cannot save the views: {e}"),
            )
        })?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Msg::new(
                    format!("无法创建 {}：{e}", dir.display()),
                    format!("cannot create {}: {e}", dir.display()),
                )
            })?;
        }
        crate::store::paths::write_atomically(path, text.as_bytes()).map_err(|e| {
            Msg::new(
                format!("视图无法保存：{e}"),
                format!("cannot save the views: {e}"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_view_is_a_valid_filter() {
        for v in defaults() {
            assert!(
                crate::search::filter::parse(&v.filter).is_ok(),
                "{}: {}",
                v.name,
                v.filter
            );
        }
    }

    #[test]
    fn saved_views_survive_a_reload_and_a_damaged_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (mut views, warning) = Views::load(Some(dir.path()));
        assert!(warning.is_none());
        assert_eq!(views.list, defaults());
        views
            .save(SavedView {
                name: "我的".into(),
                filter: "+超期 单位:财政".into(),
            })
            .unwrap();
        let (again, _) = Views::load(Some(dir.path()));
        assert!(
            again
                .list
                .iter()
                .any(|v| v.name == "我的" && v.filter == "+超期 单位:财政")
        );
        std::fs::write(dir.path().join("views.toml"), "[[view]\nname=").unwrap();
        let (mut broken, warning) = Views::load(Some(dir.path()));
        assert!(warning.is_some());
        assert!(
            broken
                .save(SavedView {
                    name: "x".into(),
                    filter: "+超期".into()
                })
                .is_err()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("views.toml")).unwrap(),
            "[[view]\nname="
        );
    }
}

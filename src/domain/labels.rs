//! Enumerations with a Chinese and an English label.
//!
//! Every closed vocabulary of the domain (统计定性, 整改方式, 核查方式 …) is declared with
//! `labelled_enum!`, which gives it its labels, the list of all values, and a parser that
//! accepts the Chinese label, the English label or the Rust name. The variants are serialised by
//! name in JSON and by index in bincode, so **never reorder or rename a variant**: append new ones.

use crate::i18n::{Lang, Msg, lang};

pub trait Labelled: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// What the vocabulary is called, for error messages.
    const WHAT: (&'static str, &'static str);
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
    fn ident(self) -> &'static str;

    fn label(self) -> &'static str {
        self.label_in(lang())
    }

    fn label_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    /// Parse a label in either language (or the Rust name), ignoring surrounding blanks and
    /// ASCII case.
    fn parse_label(text: &str) -> Result<Self, Msg> {
        let text = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|v| {
                v.zh() == text
                    || v.en().eq_ignore_ascii_case(text)
                    || v.ident().eq_ignore_ascii_case(text)
            })
            .ok_or_else(|| {
                let zh_all: Vec<&str> = Self::ALL.iter().map(|v| v.zh()).collect();
                let en_all: Vec<&str> = Self::ALL.iter().map(|v| v.en()).collect();
                let text = crate::text::excerpt(text);
                Msg::new(
                    format!(
                        "“{}”不是有效的{}，可选：{}",
                        text,
                        Self::WHAT.0,
                        zh_all.join("、")
                    ),
                    format!(
                        "\"{}\" is not a valid {}; choose one of: {}",
                        text,
                        Self::WHAT.1,
                        en_all.join(", ")
                    ),
                )
            })
    }
}

/// Declare a labelled enum: `labelled_enum!(Name, ("中文名", "English name") { Variant => ("中文", "English"), … })`.
#[macro_export]
macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident, ($wzh:expr, $wen:expr) { $($(#[$vmeta:meta])* $variant:ident => ($zh:expr, $en:expr)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::domain::labels::Labelled for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const WHAT: (&'static str, &'static str) = ($wzh, $wen);
            fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
            fn ident(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::domain::labels::Labelled::label(*self))
            }
        }
    };
}

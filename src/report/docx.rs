//! The annual report as a Word document for the office, in the usual layout of a government
//! report (公文): title in 小标宋 二号, headings in 黑体 三号, body in 仿宋 三号 with a two-character
//! first-line indent and fixed 28-point lines. Written with the `docx-rs` crate.

use super::text::Block;
use crate::i18n::Msg;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts, SpecialIndentType,
};

/// 三号 = 16 pt; sizes are in half-points.
const BODY: usize = 32;
/// 二号 = 22 pt.
const TITLE: usize = 44;
/// Fixed 28-point lines (in twentieths of a point), the common 公文 spacing.
const LINE: i32 = 560;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE)
}

fn paragraph(text: &str, font: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).fonts(fonts(font)).size(size))
        .line_spacing(spacing())
}

/// The report's blocks as a .docx file's bytes.
pub fn write(blocks: &[Block]) -> Result<Vec<u8>, Msg> {
    let mut doc = Docx::new()
        .default_fonts(fonts("仿宋_GB2312"))
        .default_size(BODY);
    for block in blocks {
        match block {
            Block::Title(t) => {
                doc = doc.add_paragraph(
                    paragraph(t, "方正小标宋简体", TITLE).align(AlignmentType::Center),
                );
            }
            Block::Heading(h) => {
                doc = doc.add_paragraph(paragraph(h, "黑体", BODY).indent(
                    None,
                    Some(SpecialIndentType::FirstLine(640)),
                    None,
                    None,
                ));
            }
            Block::Paragraph(p) => {
                doc = doc.add_paragraph(paragraph(p, "仿宋_GB2312", BODY).indent(
                    None,
                    Some(SpecialIndentType::FirstLine(640)),
                    None,
                    None,
                ));
            }
            Block::Note(lines) => {
                for line in lines {
                    doc = doc.add_paragraph(paragraph(line, "楷体_GB2312", 24));
                }
            }
        }
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut bytes).map_err(|e| {
        Msg::new(
            format!("生成 Word 文档失败：{e}"),
            format!("cannot build the Word document: {e}"),
        )
    })?;
    Ok(bytes.into_inner())
}

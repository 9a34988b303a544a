//! Printing to stdout: buffered, UTF-8, quiet on a closed pipe, and every stored string made
//! safe first (see `text::display_safe`).

use super::{CliError, CliResult};
use std::io::{BufWriter, Stdout, Write};

pub struct Out {
    w: BufWriter<Stdout>,
}

fn map_err(e: std::io::Error) -> CliError {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        CliError::BrokenPipe
    } else {
        CliError::Fail(crate::i18n::Msg::new(
            format!("输出失败：{e}"),
            format!("cannot write output: {e}"),
        ))
    }
}

impl Out {
    pub fn stdout() -> Out {
        Out {
            w: BufWriter::new(std::io::stdout()),
        }
    }

    pub fn line(&mut self, text: &str) -> CliResult {
        self.w.write_all(text.as_bytes()).map_err(map_err)?;
        self.w.write_all(b"\n").map_err(map_err)
    }

    pub fn raw(&mut self, bytes: &[u8]) -> CliResult {
        self.w.write_all(bytes).map_err(map_err)?;
        self.flush()
    }

    pub fn json(&mut self, value: &serde_json::Value) -> CliResult {
        let text = serde_json::to_string_pretty(value).map_err(|e| {
            CliError::Fail(crate::i18n::Msg::new(
                format!("JSON 编码失败：{e}"),
                format!("cannot encode JSON: {e}"),
            ))
        })?;
        self.line(&text)?;
        self.flush()
    }

    pub fn flush(&mut self) -> CliResult {
        self.w.flush().map_err(map_err)
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        let _ = self.w.flush();
    }
}

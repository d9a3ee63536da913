//! Fenced code blocks of Markdown documents, for the tests that run a document's examples.

/// One fenced code block.
pub struct Block {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// The words after the opening fence, such as `yaml error` or `console`.
    pub info: String,
    pub body: String,
}

/// The fenced blocks of a Markdown text. Fences must start at the beginning of a line.
pub fn fenced_blocks(text: &str) -> Result<Vec<Block>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, String, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match open.take() {
            None => {
                if let Some(rest) = line.strip_prefix("```") {
                    let ticks = "`".repeat(3 + rest.chars().take_while(|&c| c == '`').count());
                    let info = rest.trim_start_matches('`').trim().to_owned();
                    open = Some((i + 1, ticks, info, String::new()));
                }
            }
            Some((start, ticks, info, body)) => {
                if line.trim_end() == ticks {
                    blocks.push(Block {
                        line: start,
                        info,
                        body,
                    });
                } else {
                    open = Some((start, ticks, info, body + line + "\n"));
                }
            }
        }
    }
    match open {
        Some((start, ..)) => Err(format!("{start}: code block is never closed")),
        None => Ok(blocks),
    }
}

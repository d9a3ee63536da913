//! Diagnostics: what went wrong, where in the YAML, and what to do about it.

use crate::locate::{locate, Location, Target};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt;
use std::rc::Rc;

/// One step of a YAML path: a mapping key (with which occurrence of it, for duplicates)
/// or a list position.
///
/// Keys are shared (`Rc<str>`): every node's path extends its parent's, and most paths
/// are never shown, so copying one must not copy its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(Rc<str>, usize),
    Index(usize),
}

/// Where a node sits in the document, e.g. `models.ApiKey.fields.user_id.foreign_key`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path(Vec<Segment>);

impl Path {
    pub fn root() -> Path {
        Path(Vec::new())
    }

    pub fn key(&self, key: &str) -> Path {
        self.key_nth(key, 0)
    }

    /// The `n`th (from 0) entry with this key, for pointing at a duplicate.
    pub fn key_nth(&self, key: &str, n: usize) -> Path {
        self.then(Segment::Key(key.into(), n))
    }

    pub fn index(&self, i: usize) -> Path {
        self.then(Segment::Index(i))
    }

    /// This path and one more step, allocated once.
    fn then(&self, last: Segment) -> Path {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(last);
        Path(segments)
    }

    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// The key of the last mapping entry on the path, if it ends in one.
    pub fn last_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key, _)) => Some(key),
            _ => None,
        }
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(document)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(key, _) if crate::check_identifier(key).is_err() => {
                    write!(f, "{}{key:?}", if i == 0 { "" } else { "." })?
                }
                Segment::Key(key, _) if i == 0 => f.write_str(key)?,
                Segment::Key(key, _) => write!(f, ".{key}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Every kind of mistake modelgen reports in a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file is not readable YAML (or not UTF-8, or too large or too deep).
    Syntax,
    /// A node has the wrong shape: `fields: 3` where a mapping belongs.
    WrongShape,
    /// A key modelgen does not know, usually a typo: `tabel: users`.
    UnknownKey,
    /// A required key is absent: a relation without its kind.
    MissingKey,
    /// The same key twice in one mapping.
    DuplicateKey,
    /// A field type modelgen does not know: `strng(255)`.
    UnknownType,
    /// A known type with wrong or missing parameters: `str` without a length.
    BadTypeParams,
    /// A word in a field shorthand that is not a flag: `int pk uniq`.
    UnknownFlag,
    /// An option value outside its allowed set: `on_delete: explode`.
    BadValue,
    /// A name that cannot be an identifier: empty, spaces, quotes, path separators.
    BadName,
    /// Two models, tables, columns or indexes with one name.
    DuplicateName,
    /// A model without a primary key.
    MissingPrimaryKey,
    /// A reference to a model, mixin, field or column that does not exist.
    UnknownReference,
    /// A foreign key whose column type differs from the column it references.
    TypeMismatch,
    /// A relation whose `back_populates` does not point back at it.
    BadBackPopulates,
    /// A relation that cannot be tied to a foreign key.
    BadRelation,
    /// A default that does not fit its column's type.
    BadDefault,
    /// A `#[derive(Model)]` struct that cannot be a model (`build --from-rust`).
    Derive,
}

impl ErrorKind {
    /// A stable short name, shown in brackets after `error`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::WrongShape => "wrong-shape",
            ErrorKind::UnknownKey => "unknown-key",
            ErrorKind::MissingKey => "missing-key",
            ErrorKind::DuplicateKey => "duplicate-key",
            ErrorKind::UnknownType => "unknown-type",
            ErrorKind::BadTypeParams => "bad-type-params",
            ErrorKind::UnknownFlag => "unknown-flag",
            ErrorKind::BadValue => "bad-value",
            ErrorKind::BadName => "bad-name",
            ErrorKind::DuplicateName => "duplicate-name",
            ErrorKind::MissingPrimaryKey => "missing-primary-key",
            ErrorKind::UnknownReference => "unknown-reference",
            ErrorKind::TypeMismatch => "type-mismatch",
            ErrorKind::BadBackPopulates => "bad-back-populates",
            ErrorKind::BadRelation => "bad-relation",
            ErrorKind::BadDefault => "bad-default",
            ErrorKind::Derive => "derive",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: ErrorKind,
    pub message: String,
    pub path: Path,
    /// Whether the key or the value of the entry at `path` is at fault.
    pub target: Target,
    /// The part of the value to underline (a word inside a shorthand), if narrower than it.
    pub highlight: Option<String>,
    pub expected: Option<String>,
    pub help: Option<String>,
    /// Known up front only for syntax errors; everything else is located when rendered.
    pub location: Option<Location>,
}

impl Diagnostic {
    pub fn new(kind: ErrorKind, path: Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            message: message.into(),
            path,
            target: Target::Value,
            highlight: None,
            expected: None,
            help: None,
            location: None,
        }
    }

    /// Point at the key of the entry rather than its value.
    pub fn at_key(mut self) -> Diagnostic {
        self.target = Target::Key;
        self
    }

    pub fn highlight(mut self, text: impl Into<String>) -> Diagnostic {
        self.highlight = Some(text.into());
        self
    }

    pub fn expected(mut self, text: impl Into<String>) -> Diagnostic {
        self.expected = Some(text.into());
        self
    }

    pub fn help(mut self, text: impl Into<String>) -> Diagnostic {
        self.help = Some(text.into());
        self
    }

    pub fn help_opt(mut self, text: Option<String>) -> Diagnostic {
        self.help = text;
        self
    }
}

/// The most diagnostics one report shows. Locating each parses the spec again up to its
/// place, so a spec with thousands of errors would otherwise take minutes to report.
pub const MAX_SHOWN: usize = 50;

/// The most of a source line a diagnostic shows, in bytes.
const MAX_SNIPPET: usize = 4096;

/// `text` with every character [`modelgen_ir::check_text`] refuses replaced by `�`.
fn shown_text(text: &str) -> String {
    text.chars()
        .map(|c| match modelgen_ir::check_text(c.encode_utf8(&mut [0; 4])) {
            Ok(()) => c,
            Err(_) => '\u{fffd}',
        })
        .collect()
}

/// As [`shown_text`], each replacement as long in UTF-8 as what it replaces, so byte
/// offsets into the original still fall on the same characters.
fn same_length_shown(text: &str) -> String {
    text.chars()
        .map(|c| match (c, modelgen_ir::check_text(c.encode_utf8(&mut [0; 4]))) {
            ('\r', _) | (_, Ok(())) => c,
            (_, Err(_)) => match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}',
                _ => '\u{fffd}',
            },
        })
        .collect()
}

/// All diagnostics of one run, with the text they refer to.
#[derive(Debug, Clone)]
pub struct Diagnostics {
    pub file: String,
    pub text: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Renders the diagnostics (the first [`MAX_SHOWN`] found) with a source snippet;
    /// `color` picks ANSI styling.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        let shown = &self.items[..self.items.len().min(MAX_SHOWN)];
        // What the spec holds reaches a terminal only as text it shows: its control and
        // bidirectional characters are replaced (the source by ones of equal length, so
        // the spans found in the original still fit).
        let text = same_length_shown(&self.text);
        let cleaned: Vec<Diagnostic> = shown
            .iter()
            .map(|d| Diagnostic {
                message: shown_text(&d.message),
                expected: d.expected.as_deref().map(shown_text),
                help: d.help.as_deref().map(shown_text),
                ..d.clone()
            })
            .collect();
        let mut located: Vec<_> = shown.iter().zip(&cleaned).map(|(d, c)| (self.span(d), c)).collect();
        // Report in reading order; unlocated (whole-document) problems first.
        located.sort_by_key(|(span, _)| span.as_ref().map(|s| s.start));
        let mut out = String::new();
        for (span, diagnostic) in located {
            out.push_str(&renderer.render(&[self.group(diagnostic, span, &text)]));
            out.push_str("\n\n");
        }
        let n = self.items.len();
        out.push_str(&format!(
            "error: {} has {n} error{}",
            shown_text(&self.file),
            if n == 1 { "" } else { "s" }
        ));
        if n > shown.len() {
            out.push_str(&format!("; the first {} found are shown", shown.len()));
        }
        out.push('\n');
        out
    }

    fn group<'a>(&'a self, d: &'a Diagnostic, span: Option<std::ops::Range<usize>>, text: &'a str) -> Group<'a> {
        let title = Level::ERROR.primary_title(&d.message).id(d.kind.code());
        let mut group = match span {
            Some(span) => Group::with_title(title).element(self.snippet(span, text)),
            None => Group::with_title(title).element(annotate_snippets::Origin::path(self.file.as_str())),
        };
        if !d.path.segments().is_empty() {
            group = group.element(Level::NOTE.message(format!("at {}", d.path)));
        }
        if let Some(expected) = &d.expected {
            group = group.element(Level::NOTE.message(format!("expected {expected}")));
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        group
    }

    /// The source line holding `span`, numbered as in the file. Only that line goes to
    /// the renderer, and at most [`MAX_SNIPPET`] bytes of it, so a huge one-line file
    /// costs no more than a short one. An error further along a line than that is shown
    /// by its line and column alone.
    fn snippet<'a>(&'a self, span: std::ops::Range<usize>, text: &'a str) -> annotate_snippets::Element<'a> {
        // An error at the very end (an unclosed bracket) belongs to the last line, not to
        // the empty one after its newline.
        let line_start = match text.strip_suffix('\n') {
            Some(body) if span.start == text.len() => body.rfind('\n').map_or(0, |i| i + 1),
            _ => text[..span.start].rfind('\n').map_or(0, |i| i + 1),
        };
        let line = text[..line_start].matches('\n').count() + 1;
        if span.start - line_start > MAX_SNIPPET {
            let column = text[line_start..span.start].chars().count() + 1;
            return annotate_snippets::Origin::path(self.file.as_str())
                .line(line)
                .char_column(column)
                .into();
        }
        let mut end = text[span.start..]
            .find('\n')
            .map_or(text.len(), |n| span.start + n)
            .min(span.start + MAX_SNIPPET);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let span = span.start - line_start..span.end.min(end) - line_start;
        Snippet::source(&text[line_start..end])
            .line_start(line)
            .path(self.file.as_str())
            .annotation(AnnotationKind::Primary.span(span))
            .into()
    }

    /// The byte range to underline, found only now that there is something to show.
    fn span(&self, d: &Diagnostic) -> Option<std::ops::Range<usize>> {
        let loc = d.location.or_else(|| locate(&self.text, &d.path, d.target))?;
        let start = loc.offset.min(self.text.len());
        let line_end = self.text[start..].find('\n').map_or(self.text.len(), |n| start + n);
        let line = &self.text[start..line_end];
        if let Some(word) = d.highlight.as_deref().filter(|w| !w.is_empty()) {
            if let Some(at) = line.find(word) {
                return Some(start + at..start + at + word.len());
            }
        }
        let in_flow = self.text[..start]
            .rsplit('\n')
            .next()
            .is_some_and(|before| before.matches(['{', '[']).count() > before.matches(['}', ']']).count());
        let len = match d.target {
            Target::Key => line.find(':').unwrap_or(line.len()),
            Target::Value => value_len(line, in_flow),
        };
        Some(start..(start + len.max(1)).min(self.text.len()))
    }
}

/// The length of the YAML value that starts `line`: a quoted string, a bracketed flow
/// collection, or a plain scalar (which, inside a flow collection, ends at `,`, `}` or `]`).
fn value_len(line: &str, in_flow: bool) -> usize {
    let bytes = line.as_bytes();
    match bytes.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if bytes[i] == q {
                    return i + 1;
                }
                i += 1;
            }
            line.len()
        }
        Some(b'[' | b'{') => {
            let mut depth = 0;
            for (i, c) in line.char_indices() {
                match c {
                    '[' | '{' => depth += 1,
                    ']' | '}' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
            }
            line.len()
        }
        _ => {
            let mut end = line.find(" #").unwrap_or(line.len());
            if in_flow {
                end = line[..end].find([',', '}', ']']).unwrap_or(end);
            }
            line[..end].trim_end().len()
        }
    }
}

/// The closest known word to a misspelt one, if it is close enough to be what was meant.
pub fn suggest<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(word, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// "did you mean `x`?" for the closest known word, if any.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    suggest(word, known).map(|k| format!("did you mean `{k}`?"))
}

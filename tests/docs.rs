//! The spec reference (`docs/spec.md`) is tested like code: every fenced ```yaml block must
//! load, every ```yaml error block must fail with the message its `# error:` line names,
//! and the root `models.yaml` must appear verbatim, so the examples cannot drift.

use modelgen_tests::markdown::{fenced_blocks, Block};
use modelgen_tests::workspace_root;

const DOC: &str = "docs/spec.md";

/// How a ```yaml block is checked, from its info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// ```yaml: a whole spec that loads.
    Valid,
    /// ```yaml error: a whole spec that is rejected with the `# error:` text.
    Error,
    /// ```yaml fragment: a snippet that cannot be a whole spec; not checked.
    Fragment,
}

/// `None` for blocks in another language.
fn mode(block: &Block) -> Result<Option<Mode>, String> {
    let mut words = block.info.split_whitespace();
    if words.next() != Some("yaml") {
        return Ok(None);
    }
    let mode = match words.next() {
        None => Mode::Valid,
        Some("error") => Mode::Error,
        Some("fragment") => Mode::Fragment,
        Some(other) => return Err(format!("unknown yaml block tag `{other}`")),
    };
    match words.next() {
        None => Ok(Some(mode)),
        Some(extra) => Err(format!("unexpected `{extra}` after the block tag")),
    }
}

fn read_doc() -> String {
    std::fs::read_to_string(workspace_root().join(DOC)).unwrap_or_else(|e| panic!("reading {DOC}: {e}"))
}

/// The substring a ```yaml error block promises, from its first `# error:` comment line.
fn expected_error(body: &str) -> Option<&str> {
    body.lines()
        .take_while(|l| l.trim_start().starts_with('#') || l.trim().is_empty())
        .find_map(|l| l.trim_start().strip_prefix("# error:"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[test]
fn every_yaml_block_in_the_spec_reference_is_checked() {
    let doc = read_doc();
    let blocks = fenced_blocks(&doc).unwrap_or_else(|e| panic!("{DOC}:{e}"));
    let mut failures = Vec::new();
    let mut checked = [0usize; 3];
    for block in &blocks {
        let at = format!("{DOC}:{} (```{})", block.line, block.info);
        let mode = match mode(block) {
            Ok(Some(mode)) => mode,
            Ok(None) => continue,
            Err(e) => {
                failures.push(format!("{at}: {e}"));
                continue;
            }
        };
        match mode {
            Mode::Fragment => checked[2] += 1,
            Mode::Valid => {
                checked[0] += 1;
                if let Err(d) = modelgen_spec::load(&block.body, DOC) {
                    failures.push(format!(
                        "{at}: should be a valid spec, but (lines count from the top of the block):\n{}\n{}",
                        d.render(false),
                        block.body
                    ));
                }
                let errors = modelgen_tests::schema_errors(&block.body);
                if !errors.is_empty() {
                    failures.push(format!("{at}: loads, but fails the editor schema: {errors:?}"));
                }
            }
            Mode::Error => {
                checked[1] += 1;
                let Some(expected) = expected_error(&block.body) else {
                    failures.push(format!(
                        "{at}: an error block needs a `# error: <text>` line at its top"
                    ));
                    continue;
                };
                match modelgen_spec::load(&block.body, DOC) {
                    Ok(_) => failures.push(format!("{at}: should be rejected, but it loads:\n{}", block.body)),
                    Err(d) => {
                        let report = d.render(false);
                        if !report.contains(expected) {
                            failures.push(format!("{at}: the report does not contain {expected:?}:\n{report}"));
                        }
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the yaml blocks in {DOC} fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let [valid, errors, _fragments] = checked;
    assert!(valid > 0, "{DOC} has no ```yaml examples");
    assert!(errors > 0, "{DOC} has no ```yaml error examples");
}

#[test]
fn the_spec_reference_shows_the_root_models_yaml_verbatim() {
    let doc = read_doc();
    let models = std::fs::read_to_string(workspace_root().join("models.yaml")).expect("reading models.yaml");
    let blocks = fenced_blocks(&doc).unwrap_or_else(|e| panic!("{DOC}:{e}"));
    let found = blocks
        .iter()
        .any(|b| matches!(mode(b), Ok(Some(Mode::Valid))) && b.body == models);
    assert!(
        found,
        "{DOC} must contain models.yaml exactly, in a ```yaml block; update the example to match models.yaml"
    );
}

#[test]
fn fenced_blocks_are_read_with_their_tags() {
    let text = "intro\n```yaml\na: 1\n```\n\n```yaml error\n# error: boom\nb\n```\n````text\n```\n````\n";
    let blocks = fenced_blocks(text).unwrap();
    let got: Vec<_> = blocks
        .iter()
        .map(|b| (b.line, b.info.as_str(), b.body.as_str(), mode(b)))
        .collect();
    assert_eq!(
        got,
        [
            (2, "yaml", "a: 1\n", Ok(Some(Mode::Valid))),
            (6, "yaml error", "# error: boom\nb\n", Ok(Some(Mode::Error))),
            (10, "text", "```\n", Ok(None)),
        ]
    );
    assert_eq!(
        expected_error("# a comment\n# error: no pk\nmodels: {}\n"),
        Some("no pk")
    );
    assert_eq!(expected_error("models: {}\n# error: too late\n"), None);
    assert!(fenced_blocks("```yaml\nunclosed\n").is_err());
    assert!(mode(&Block {
        line: 1,
        info: "yaml eror".into(),
        body: String::new()
    })
    .is_err());
}

/// A ```text block right after a ```yaml error block is what `modelgen check` prints for
/// it, so the reference's rendered errors cannot drift from the real ones.
#[test]
fn the_printed_errors_in_the_spec_reference_are_the_real_ones() {
    let doc = read_doc();
    let blocks = fenced_blocks(&doc).unwrap_or_else(|e| panic!("{DOC}:{e}"));
    let mut compared = 0;
    for pair in blocks.windows(2) {
        let (spec, printed) = (&pair[0], &pair[1]);
        if spec.info != "yaml error" || printed.info != "text" {
            continue;
        }
        let rendered = match modelgen_spec::load(&spec.body, "models.yaml") {
            Ok(_) => panic!("{DOC}:{}: the spec loads", spec.line),
            Err(d) => d.render(false),
        };
        assert_eq!(
            rendered, printed.body,
            "{DOC}:{}: the printed errors differ",
            printed.line
        );
        compared += 1;
    }
    assert!(compared >= 1, "no printed errors were compared");
}

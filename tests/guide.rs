//! The user guide (`docs/guide.md`) is run as a script, so every example in it works:
//!
//! - ```` ```console ```` blocks: each `$ command` runs with `sh` in one scratch project
//!   (shared by the whole guide, in order), with the built `modelgen` first on `PATH`; the
//!   lines after it are its expected output (stdout and stderr as a terminal shows them).
//!   A line `...` stands for any number of lines, `[..]` for any text within a line. A
//!   command is expected to exit 0 unless it ends with `# exit N`.
//! - ```` ```<lang> file=PATH ```` blocks are written to PATH in the project before the
//!   commands that follow them.
//! - ```` ```<lang> repo=PATH ```` blocks must appear verbatim in that file of this
//!   repository, where another test builds and runs them (the build.rs example crate).
//!
//! Any other block fails the test: the guide has no untested examples.

use modelgen_tests::markdown::{fenced_blocks, Block};
use modelgen_tests::{modelgen_bin, workspace_root};
use std::path::Path;
use std::process::Command;

const GUIDE: &str = "docs/guide.md";

#[test]
fn every_example_in_the_user_guide_works() {
    let text = std::fs::read_to_string(workspace_root().join(GUIDE)).unwrap();
    let blocks = fenced_blocks(&text).unwrap_or_else(|e| panic!("{GUIDE}:{e}"));
    let project = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut commands = 0;
    for block in &blocks {
        let at = format!("{GUIDE}:{}", block.line);
        match run_block(block, project.path(), &mut commands) {
            Ok(()) => {}
            Err(e) => failures.push(format!("{at} (```{}):\n{e}", block.info)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of the examples in {GUIDE} fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(commands >= 20, "the guide runs {commands} commands; is it all there?");
}

fn run_block(block: &Block, project: &Path, commands: &mut usize) -> Result<(), String> {
    let mut words = block.info.split_whitespace();
    let lang = words.next().unwrap_or("");
    let tag = words.next();
    if let Some(extra) = words.next() {
        return Err(format!("unexpected `{extra}` in the block's info string"));
    }
    match (lang, tag.and_then(|t| t.split_once('='))) {
        ("console", None) if tag.is_none() => {
            // A failed step does not stop the block: later steps may put things right.
            let errors: Vec<String> = console_steps(&block.body)?
                .into_iter()
                .filter_map(|(command, expected)| {
                    *commands += 1;
                    run_command(project, &command, &expected).err()
                })
                .collect();
            match errors.is_empty() {
                true => Ok(()),
                false => Err(errors.join("\n\n")),
            }
        }
        (_, Some(("file", path))) => {
            if Path::new(path)
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                return Err(format!("`{path}` must be a plain relative path"));
            }
            let target = project.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, &block.body).map_err(|e| format!("writing {path}: {e}"))
        }
        (_, Some(("repo", path))) => {
            let file = std::fs::read_to_string(workspace_root().join(path)).map_err(|e| format!("{path}: {e}"))?;
            match file.contains(&block.body) {
                true => Ok(()),
                false => Err(format!("the block is not a verbatim part of {path}:\n{}", block.body)),
            }
        }
        _ => Err("untested block: use ```console, ```<lang> file=PATH or ```<lang> repo=PATH".into()),
    }
}

/// The `$ command` lines of a console block with the output lines after each.
fn console_steps(body: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut steps: Vec<(String, Vec<String>)> = Vec::new();
    for line in body.lines() {
        match (line.strip_prefix("$ "), steps.last_mut()) {
            (Some(command), _) => steps.push((command.to_owned(), Vec::new())),
            (None, Some((_, output))) => output.push(line.to_owned()),
            (None, None) => return Err(format!("output before any `$ command`: {line}")),
        }
    }
    Ok(steps)
}

fn run_command(project: &Path, command: &str, expected: &[String]) -> Result<(), String> {
    let want_code = command
        .rsplit_once("# exit ")
        .map(|(_, code)| {
            code.trim()
                .parse::<i32>()
                .map_err(|_| format!("bad `# exit` in `{command}`"))
        })
        .transpose()?
        .unwrap_or(0);
    let bin_dir = modelgen_bin().parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .current_dir(project)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    let actual = String::from_utf8_lossy(&out.stdout).into_owned();
    let actual: Vec<&str> = actual.lines().map(str::trim_end).collect();
    let code = out.status.code().unwrap_or(-1);
    let expected: Vec<&str> = expected.iter().map(|l| l.trim_end()).collect();
    if code != want_code || !lines_match(&expected, &actual) {
        return Err(format!(
            "$ {command}\nexpected exit {want_code}, got {code}; expected output:\n{}\nactual output:\n{}",
            expected.join("\n"),
            actual.join("\n")
        ));
    }
    Ok(())
}

/// `...` matches any number of lines; `[..]` any text within a line.
fn lines_match(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| lines_match(rest, &actual[skip..])),
        Some((want, rest)) => match actual.split_first() {
            Some((got, tail)) => line_matches(want, got) && lines_match(rest, tail),
            None => false,
        },
    }
}

fn line_matches(want: &str, got: &str) -> bool {
    let mut parts = want.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = got.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i == parts.len() - 1 {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[test]
fn output_patterns_match_as_documented() {
    assert!(lines_match(&["a", "...", "z"], &["a", "b", "c", "z"]));
    assert!(lines_match(&["a", "...", "z"], &["a", "z"]));
    assert!(!lines_match(&["a", "z"], &["a", "b", "z"]));
    assert!(!lines_match(&["a"], &["a", "b"]));
    assert!(line_matches(
        "created [..].sql",
        "created migrations/0001_initial.up.sql"
    ));
    assert!(line_matches("[..]", "anything"));
    assert!(line_matches("a[..]b[..]c", "a1b2c"));
    assert!(!line_matches("a[..]b", "a1c"));
    assert!(!line_matches("exact", "exactly"));
    assert_eq!(
        console_steps("$ a\nout\n$ b # exit 1\n").unwrap(),
        [
            ("a".to_owned(), vec!["out".to_owned()]),
            ("b # exit 1".to_owned(), vec![])
        ]
    );
    assert!(console_steps("stray\n$ a\n").is_err());
}

//! Compile-fail cases, one file per mistake, grouped by category: each `.stderr` is the
//! exact message a user gets, reviewed like a snapshot. `TRYBUILD=overwrite` rewrites them.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    for category in [
        "attributes",
        "types",
        "keys",
        "columns",
        "shapes",
        "repr",
        "indexes",
        "mixins",
        "relations",
        "soft_delete",
        "checks",
        "foreign_keys",
    ] {
        t.compile_fail(format!("tests/ui/{category}/*.rs"));
    }
}

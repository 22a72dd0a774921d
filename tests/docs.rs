//! The committed documents generated from the code are up to date.

/// docs/parameters.md is the parameter table as [`ddviz::scene::reference_markdown`] renders it.
/// With `DDVIZ_BLESS=1` the test writes the file instead of comparing.
#[test]
fn the_committed_parameter_reference_is_the_generated_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/parameters.md");
    let want = ddviz::scene::reference_markdown();
    if std::env::var("DDVIZ_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &want).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        return;
    }
    let got = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        got == want,
        "docs/parameters.md differs from the parameter table: regenerate it with `{}` (or DDVIZ_BLESS=1 cargo test --test docs)",
        ddviz::scene::REFERENCE_COMMAND
    );
}

//! The parameter reference, generated from the table: every row of [`PARAMS`] as a line of a
//! Markdown table (committed as docs/parameters.md, and checked against the table by a test).

use super::table::{Change, Kind, PARAMS};
use super::{Platform, Scene};

/// The command that writes docs/parameters.md.
pub const REFERENCE_COMMAND: &str = "cargo run --bin ddviz -- docs-params > docs/parameters.md";

/// Every parameter as a Markdown table: its URL key and CLI flag, what it is, the values allowed
/// natively and in the browser, its default, whether only the web app uses it, and what a change
/// of it does.
pub fn reference_markdown() -> String {
    let defaults = Scene::default();
    let mut out = format!(
        "<!-- Generated from the parameter table (src/scene/table.rs) by `{REFERENCE_COMMAND}`; do not edit. -->\n\n\
         # Scene parameters\n\n\
         Every parameter is a URL key (`key=value` in the page's address or `--scene`) and a flag of the CLI \
         (`--key value`). Web-only parameters change how the page shows a scene, never its numbers.\n\n\
         | Key | URL / CLI | What it is | Allowed (CLI) | Allowed (browser) | Default | Web only | A change |\n\
         |---|---|---|---|---|---|---|---|\n"
    );
    for p in PARAMS {
        let default = p.format((p.get)(&defaults));
        let web_only = p.help.starts_with("web:");
        let help = p.help.strip_prefix("web:").map_or(p.help, str::trim_start);
        let row = [
            format!("`{}`", p.key),
            format!("`{0}=` / `--{0}`", p.key),
            cell(help),
            cell(&p.kind.allowed(Platform::Native)),
            cell(&p.kind.allowed(Platform::Web)),
            if default.is_empty() { "(none)".to_string() } else { format!("`{}`", cell(&default)) },
            if web_only { "yes" } else { "no" }.to_string(),
            change_text(p.change, p.reselect, p.kind),
        ];
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// What a change of a parameter does, in words.
fn change_text(change: Change, reselect: bool, kind: Kind) -> String {
    let what = match change {
        Change::Sweep => "a new sweep (and fit)",
        Change::View => "the curves redrawn from the same numbers",
        Change::Style => "every panel redrawn in the new look",
        Change::Size => "moves the selection (size sweep) or a new sweep (sample sweep)",
        Change::Layout => "the page's layout changes",
        Change::Time => "the training panel and the fit panel are redrawn",
    };
    let mut text = what.to_string();
    if reselect {
        text.push_str("; the selection goes back to the scene's own");
    }
    if matches!(kind, Kind::Real { log: true, .. }) {
        text.push_str("; its slider moves logarithmically");
    }
    text
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_has_one_row_per_parameter_with_its_default() {
        let md = reference_markdown();
        let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
        assert_eq!(rows.len(), PARAMS.len());
        assert!(rows[0].starts_with("| `family` | `family=` / `--family` | feature family |"), "{}", rows[0]);
        assert!(md.contains(
            "| `n` | `n=` / `--n` | training points (the largest n of a sample sweep) | an integer from 2 to 5000 | an integer from 2 to 1000 | `30` | no |"
        ));
        assert!(rows.iter().any(|r| r.starts_with("| `theme` |") && r.contains("| yes |")));
        assert!(md.contains(REFERENCE_COMMAND));
    }
}

//! The crate's modules form layers, and nothing points back up: the model at the bottom,
//! then the shared analysis and the reader abstraction, the formats side by side, dispatch
//! and writers, and the command line on top. A `crate::…` path in a module's code (tests
//! and comments aside) may name only its own layer's helpers or a layer below.

use std::path::Path;

/// Each module and the layer it sits in; a module may use those of lower layers.
const LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("error", 0),
    ("detect", 0),
    ("analysis", 1),
    ("source", 1),
    ("html", 1),
    ("text", 2),
    ("tdesktop_json", 2),
    ("tdesktop_html", 2),
    ("tme_html", 2),
    ("read", 3),
    ("write", 4),
    ("stats", 4),
    ("cli", 5),
];

/// The crate root's functions, which dispatch as `read` does.
const ROOT_FUNCTIONS: &[&str] = &["read_as", "read_path", "parse", "parse_bytes", "parse_path"];

fn layer(module: &str) -> Option<u8> {
    if ROOT_FUNCTIONS.contains(&module) {
        return layer("read");
    }
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|&(_, layer)| layer)
}

/// The code of a file's text: without its test module and its comment lines.
fn code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap();
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn files(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(path).unwrap() {
        found.extend(files(&entry.unwrap().path()));
    }
    found
}

/// Every `crate::NAME` in `code` whose NAME is a module of [`LAYERS`] or a root function.
fn uses(code: &str) -> Vec<&str> {
    code.match_indices("crate::")
        .map(|(at, _)| {
            let rest = &code[at + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| layer(name).is_some())
        .collect()
}

#[test]
fn nothing_points_back_up() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut upward = Vec::new();
    for &(module, own) in LAYERS {
        let dir = src.join(module);
        let path = if dir.is_dir() {
            dir
        } else {
            src.join(format!("{module}.rs"))
        };
        for file in files(&path) {
            for used in uses(&code(&std::fs::read_to_string(&file).unwrap())) {
                if used != module && layer(used) >= Some(own) {
                    upward.push(format!("{} uses crate::{used}", file.display()));
                }
            }
        }
    }
    assert!(upward.is_empty(), "{upward:#?}");
}

#[test]
fn the_check_sees_uses_in_code_only() {
    let text = "use crate::read::Reader;\n// crate::cli in a comment\nfn f() { crate::error::x(); }\n\
                #[cfg(test)]\nmod tests { use crate::write; }\n";
    assert_eq!(uses(&code(text)), ["read", "error"]);
}

//! `tgexport snapshot DIR [--check]`: insta-format snapshots of a corpus of exports, so a
//! tgexport upgrade or a parser change shows up as a reviewable diff.
//!
//! Each input `DIR/a/b.txt` gets `DIR/snapshots/a__b.txt.snap` holding its pretty JSON.
//! `--check` compares instead of writing: changed outputs are printed as diffs and written
//! beside their snapshot as `.snap.new`, which `--accept` (or, in a Cargo project,
//! `cargo insta review`) accepts.

use std::path::{Path, PathBuf};

use tgexport::Error;

use super::diagnostic::Diagnostics;
use super::inputs::{self, Input};
use super::{InputArgs, output};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of exports.
    dir: PathBuf,
    /// Compare with the stored snapshots instead of writing them; exit with 3 on any change.
    #[arg(long, conflicts_with = "accept")]
    check: bool,
    /// Accept the pending `.snap.new` files that `--check` wrote.
    #[arg(long)]
    accept: bool,
}

/// Exit code of `--check` when some output changed.
pub const CHANGED: u8 = 3;

/// Writes, checks or accepts the snapshots; returns how many differ (0 unless checking).
pub fn run(args: &Args, diagnostics: &mut Diagnostics) -> Result<usize, Error> {
    if args.accept {
        return accept(&args.dir.join("snapshots")).map(|()| 0);
    }
    let input_args = InputArgs {
        inputs: vec![args.dir.clone()],
        from: None,
        quiet: true,
        strict: false,
    };
    let snapshots = args.dir.join("snapshots");
    let mut changed = 0;
    for input in inputs::expand(&input_args)? {
        let Some(path) = input.path() else { continue };
        if path.starts_with(&snapshots) {
            continue;
        }
        let relative = path.strip_prefix(&args.dir).unwrap_or(path);
        let name = relative.to_string_lossy().replace(['/', '\\'], "__");
        let snap = snapshots.join(format!("{name}.snap"));
        let pending = snapshots.join(format!("{name}.snap.new"));
        let contents = match snapshot(&input, &input_args, &relative.to_string_lossy()) {
            Ok(contents) => contents,
            Err(err) => match input.skipped(&err) {
                Some(warning) => {
                    diagnostics.warn(Some(path), &[warning]);
                    continue;
                }
                None => return Err(err),
            },
        };
        if !args.check {
            std::fs::create_dir_all(&snapshots)
                .map_err(|e| Error::from(e).with_path(&snapshots))?;
            output::write_to(Some(&snap), |out, _| {
                out.write_all(contents.as_bytes()).map_err(Error::from)
            })?;
            remove_if_present(&pending)?;
            continue;
        }
        let stored = std::fs::read_to_string(&snap).unwrap_or_default();
        if body(&stored) == body(&contents) {
            remove_if_present(&pending)?;
            continue;
        }
        changed += 1;
        println!("{}", diff(&snap, body(&stored), body(&contents)));
        output::write_to(Some(&pending), |out, _| {
            out.write_all(contents.as_bytes()).map_err(Error::from)
        })?;
    }
    Ok(changed)
}

/// Moves every pending `.snap.new` in `snapshots` over its `.snap`.
fn accept(snapshots: &Path) -> Result<(), Error> {
    let entries = std::fs::read_dir(snapshots).map_err(|e| Error::from(e).with_path(snapshots))?;
    for entry in entries {
        let pending = entry
            .map_err(|e| Error::from(e).with_path(snapshots))?
            .path();
        if pending.extension().is_some_and(|e| e == "new") {
            let snap = pending.with_extension("");
            std::fs::rename(&pending, &snap).map_err(|e| Error::from(e).with_path(&pending))?;
            eprintln!("accepted {}", snap.display());
        }
    }
    Ok(())
}

/// The snapshot of one input: insta's header, then the export as pretty JSON.
fn snapshot(input: &Input, args: &InputArgs, name: &str) -> Result<String, Error> {
    let mut reader = inputs::open(input, args, false)?;
    let json = tgexport::write::json(&mut reader, Vec::new()).map_err(|e| input.blame(e))?;
    let json = String::from_utf8(json).expect("serde_json writes UTF-8");
    Ok(format!(
        "---\nsource: tgexport snapshot\nexpression: {name:?}\n---\n{json}"
    ))
}

/// A snapshot without its header, which may differ in metadata alone.
fn body(snapshot: &str) -> &str {
    snapshot
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(snapshot, |(_, body)| body)
}

fn diff(snap: &Path, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let header = format!("{} (stored)", snap.display());
    diff.unified_diff()
        .context_radius(3)
        .header(&header, "current output")
        .to_string()
}

fn remove_if_present(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::from(e).with_path(path)),
        _ => Ok(()),
    }
}

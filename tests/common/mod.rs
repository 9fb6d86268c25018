//! What several test files share.

use std::path::{Path, PathBuf};

/// `relative` inside the real exports beside the repository (`../shared/realworld/`), or
/// `None` with a note where it is absent. Under CI (`CI` set) an absent export fails the
/// test instead: there a skip would pass silently for a run that checked nothing.
pub fn realworld(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/realworld")
        .join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is absent: CI runs with ../shared beside the repository",
        path.display()
    );
    eprintln!("skipped: {} is absent", path.display());
    None
}

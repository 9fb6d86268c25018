//! Where output goes: standard output, or a file replaced only once it is complete.

use std::io::Write;
use std::path::Path;

use tgexport::Error;

/// Runs `write` against `path` (through a temporary file renamed into place once all was
/// written, so a failure never leaves a partial file; devices and pipes directly) or
/// against standard output.
pub fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<(), Error>,
) -> Result<(), Error> {
    let Some(path) = path else {
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        write(&mut stdout)?;
        return stdout.flush().map_err(Error::from);
    };
    // A device or pipe (`-o /dev/null`) cannot be replaced by a rename: write to it.
    if path.exists() && !path.is_file() {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::from(e).with_path(path))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut out)?;
        return out.flush().map_err(|e| Error::from(e).with_path(path));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::from(e).with_path(dir))?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
        write(&mut out)?;
        out.flush().map_err(|e| Error::from(e).with_path(path))?;
    }
    temp.persist(path)
        .map_err(|e| Error::from(e.error).with_path(path))?;
    Ok(())
}

//! Where output goes: standard output, or a file replaced only once it is complete.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use tgexport::Error;

use super::diagnostic::Diagnostics;

/// The first error writing the output, shared with the writer that met it: tells a
/// failing output (which ends the run) from a failing input (which ends that input).
#[derive(Debug, Clone, Default)]
pub struct Failure(Arc<Mutex<Option<std::io::Error>>>);

impl Failure {
    /// The output's error, if writing it failed.
    pub fn take(&self) -> Option<Error> {
        self.lock().take().map(Error::from)
    }

    fn watch<W: Write>(&self, inner: W) -> Watched<W> {
        Watched {
            inner,
            failure: self.clone(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<std::io::Error>> {
        // A recorded error stays true even if a writer panicked while holding the lock.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record<T>(&self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(err) = &result {
            self.lock()
                .get_or_insert_with(|| std::io::Error::new(err.kind(), err.to_string()));
        }
        result
    }
}

/// A writer that records its first error in a [`Failure`].
struct Watched<W> {
    inner: W,
    failure: Failure,
}

impl<W: Write> Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.failure.record(self.inner.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.failure.record(self.inner.write_all(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.failure.record(self.inner.flush())
    }
}

/// Runs `write` against `path` (through a temporary file renamed into place once all was
/// written, so a failure never leaves a partial file; devices and pipes directly) or
/// against standard output. `write` also gets the [`Failure`] of the output.
pub fn write_to(
    path: Option<&Path>,
    write: impl FnOnce(&mut (dyn Write + Send), &Failure) -> Result<(), Error>,
) -> Result<(), Error> {
    stage(path, write)?.commit()
}

/// An output written whole, waiting to be put in place: several files that stand or fall
/// together are all staged before any is committed.
pub struct Staged(Option<(tempfile::NamedTempFile, PathBuf)>);

impl Staged {
    /// Renames the written file into place (nothing to do for standard output or a device).
    pub fn commit(self) -> Result<(), Error> {
        if let Some((temp, path)) = self.0 {
            temp.persist(&path)
                .map_err(|e| Error::from(e.error).with_path(&path))?;
        }
        Ok(())
    }
}

/// [`write_to`] but for putting a file in place: dropping the [`Staged`] output instead of
/// committing it leaves no trace.
pub fn stage(
    path: Option<&Path>,
    write: impl FnOnce(&mut (dyn Write + Send), &Failure) -> Result<(), Error>,
) -> Result<Staged, Error> {
    let failure = Failure::default();
    let Some(path) = path else {
        let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
        write(&mut failure.watch(&mut stdout), &failure)?;
        stdout.flush().map_err(Error::from)?;
        return Ok(Staged(None));
    };
    // A device or pipe (`-o /dev/null`) cannot be replaced by a rename: write to it.
    if path.exists() && !path.is_file() {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| Error::from(e).with_path(path))?;
        let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
        write(&mut failure.watch(&mut out), &failure)?;
        out.flush().map_err(|e| Error::from(e).with_path(path))?;
        return Ok(Staged(None));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| Error::from(e).with_path(dir))?;
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, temp.as_file_mut());
        write(&mut failure.watch(&mut out), &failure)?;
        out.flush().map_err(|e| Error::from(e).with_path(path))?;
    }
    Ok(Staged(Some((temp, path.to_owned()))))
}

/// The error that keeps an output file from being written when the run had errors, or
/// warnings under `--strict`; standard output has already been written, and the exit
/// code tells instead.
pub fn refuse_if_failed(
    path: Option<&Path>,
    diagnostics: &Diagnostics,
    strict: bool,
) -> Result<(), Error> {
    let (errors, warnings) = (diagnostics.errors(), diagnostics.warnings());
    let why = match path {
        Some(_) if errors > 0 => format!("{errors} input(s) failed"),
        Some(_) if strict && warnings > 0 => format!("--strict, and {warnings} warning(s)"),
        _ => return Ok(()),
    };
    let source = std::io::Error::other(format!("not written: {why}"));
    Err(Error::Io {
        path: path.map(Path::to_owned),
        source,
    })
}

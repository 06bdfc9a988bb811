//! Writing a file the user named, safely: the one helper behind every file
//! the app writes (CSV and Excel exports, chart pictures, backups).
//!
//! The bytes go to a temporary name in the target's folder and are renamed
//! over the target only once complete, and only over a regular file (or no
//! file): a device, a named pipe, a socket or a folder is refused, and so is
//! an existing file unless the user said it may be replaced. A symbolic link
//! is followed to the regular file it names, which is then replaced (the link
//! stays a link); a link to nothing is refused. Temporary names carry the
//! writer's process id, so leftovers of a killed run are recognised (only
//! names this app makes) and removed by the next write to that folder.
//!
//! Files that hold the shop (the database, its backups and their temporary
//! names) are made readable by their owner only (0600, folders 0700, on
//! Unix; on Windows they get the permissions of the folder they are in, which
//! for the user's own data folder is already private); exports keep the
//! user's usual permissions, as they are meant to be shared.

use std::path::{Path, PathBuf};

/// Whether an existing regular file may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Refuse: the user has not said the file may go.
    Never,
    /// The user confirmed (the window asked, or `--force` was given).
    Allowed,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "{} already exists and was left as it is. Choose another name, or say it may be replaced (--force on the command line).",
        path.display()
    )]
    Exists { path: PathBuf },
    #[error(
        "{} is {kind}, not a file; nothing was written to it. Choose the name of a file instead.",
        path.display()
    )]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "the folder {} does not exist; create it first or choose another folder.",
        path.display()
    )]
    NoFolder { path: PathBuf },
    #[error("could not write {}: {detail}", path.display())]
    Io { path: PathBuf, detail: String },
}

/// What kind of thing is at `path` (without following a final link), for a message.
fn kind_of(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Where `path` really writes: itself, or the regular file a link names.
/// Refuses anything that is not a regular file (or nothing yet).
fn resolve(path: &Path, replace: Replace) -> Result<PathBuf, FileError> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => {
            return Err(FileError::Io {
                path: path.to_path_buf(),
                detail: e.to_string(),
            });
        }
    };
    let target = if meta.file_type().is_symlink() {
        let real = std::fs::canonicalize(path).map_err(|_| FileError::NotAFile {
            path: path.to_path_buf(),
            kind: "a link to a file that does not exist",
        })?;
        let meta = std::fs::metadata(&real).map_err(|e| FileError::Io {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?;
        if let Some(kind) = kind_of(&meta) {
            return Err(FileError::NotAFile {
                path: path.to_path_buf(),
                kind: if kind == "a folder" {
                    "a link to a folder"
                } else {
                    "a link to something that is not a file"
                },
            });
        }
        real
    } else {
        if let Some(kind) = kind_of(&meta) {
            return Err(FileError::NotAFile {
                path: path.to_path_buf(),
                kind,
            });
        }
        path.to_path_buf()
    };
    if replace == Replace::Never {
        return Err(FileError::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(target)
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The suffix of every temporary name this app makes (with SQLite's own
/// `-journal`, `-wal` and `-shm` beside a backup's).
const MARK: &str = ".shopkeeper.partial";
const SIDECARS: [&str; 4] = ["", "-journal", "-wal", "-shm"];

/// Whether the process that made a temporary file may still be writing it.
fn alive(pid: u32, made: Option<std::time::SystemTime>) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        let _ = made;
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Elsewhere: a temporary file untouched for a day is a leftover.
        made.and_then(|t| t.elapsed().ok())
            .is_none_or(|age| age < std::time::Duration::from_secs(24 * 3600))
    }
}

/// The process id in a temporary name this app made, or None for any other name:
/// `.NAME.PID.shopkeeper.partial` (now) and, for the target `name`,
/// `.NAME.PID.partial` and `NAME.partial` (earlier versions).
fn leftover_pid(file: &str, name: Option<&str>) -> Option<u32> {
    let file = SIDECARS
        .iter()
        .rev()
        .find_map(|s| file.strip_suffix(s).filter(|_| !s.is_empty()))
        .unwrap_or(file);
    if let Some(rest) = file.strip_prefix('.').and_then(|f| f.strip_suffix(MARK)) {
        let (_, pid) = rest.rsplit_once('.')?;
        return pid.parse().ok();
    }
    let name = name?;
    if file == format!("{name}.partial") {
        return Some(0);
    }
    let pid = file
        .strip_prefix(&format!(".{name}."))?
        .strip_suffix(".partial")?;
    pid.parse().ok()
}

/// Removes the temporary files this app left in `dir` when it was killed
/// while writing (only names it makes, of processes no longer running).
/// Earlier versions' names are removed only for the target `name`.
/// Returns what was removed.
pub fn remove_leftovers(dir: &Path, name: Option<&str>) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&file, name) else {
            continue;
        };
        let meta = entry.metadata().ok();
        if !meta.as_ref().is_some_and(std::fs::Metadata::is_file) {
            continue;
        }
        if pid != 0 && alive(pid, meta.and_then(|m| m.modified().ok())) {
            continue;
        }
        if std::fs::remove_file(entry.path()).is_ok() {
            removed.push(entry.path());
        }
    }
    removed
}

/// Creates the empty file `path` (it must not exist), readable and writable
/// by its owner only.
pub fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Creates `dir` and the folders above it that are missing, each usable by
/// its owner only (folders that exist are left as they are).
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Whether other accounts may read (or write) `path`. False on Windows and
/// for a path that does not exist.
pub fn open_to_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Makes `path` usable by its owner only: 0600 for a file, 0700 for a folder.
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if std::fs::metadata(path)?.is_dir() {
            0o700
        } else {
            0o600
        };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// A file being written: bytes go to `temp()`, and `commit` puts them at
/// the target. Dropped without `commit`, the temporary file is removed.
#[derive(Debug)]
pub struct SafeFile {
    shown: PathBuf,
    target: PathBuf,
    temp: PathBuf,
    replace: Replace,
    done: bool,
}

impl SafeFile {
    /// Checks that `path` may be written (see the module doc) and chooses the
    /// temporary name; removes this app's leftovers in the folder first.
    pub fn prepare(path: &Path, replace: Replace) -> Result<SafeFile, FileError> {
        SafeFile::prepare_as(path, replace, false)
    }

    /// `prepare` for a file that holds the shop (a backup, a database): the
    /// temporary file is created now, empty and owner-only, and keeps that
    /// mode when it becomes the target.
    pub fn prepare_private(path: &Path, replace: Replace) -> Result<SafeFile, FileError> {
        SafeFile::prepare_as(path, replace, true)
    }

    fn prepare_as(path: &Path, replace: Replace, private: bool) -> Result<SafeFile, FileError> {
        let target = resolve(path, replace)?;
        let dir = folder_of(&target);
        if !dir.is_dir() {
            return Err(FileError::NoFolder {
                path: dir.to_path_buf(),
            });
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".into());
        remove_leftovers(dir, Some(&name));
        let temp = dir.join(format!(".{name}.{}{MARK}", std::process::id()));
        let file = SafeFile {
            shown: path.to_path_buf(),
            target,
            temp,
            replace,
            done: false,
        };
        file.remove_temp();
        if private {
            create_private(&file.temp).map_err(|e| FileError::Io {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
        }
        Ok(file)
    }

    /// Where to write the bytes.
    pub fn temp(&self) -> &Path {
        &self.temp
    }

    /// Renames the finished temporary file over the target (checked again:
    /// still no file, or a regular one that may be replaced).
    pub fn commit(mut self) -> Result<(), FileError> {
        resolve(&self.shown, self.replace)?;
        std::fs::rename(&self.temp, &self.target).map_err(|e| FileError::Io {
            path: self.shown.clone(),
            detail: e.to_string(),
        })?;
        self.done = true;
        self.remove_sidecars();
        Ok(())
    }

    fn remove_temp(&self) {
        let _ = std::fs::remove_file(&self.temp);
        self.remove_sidecars();
    }

    fn remove_sidecars(&self) {
        for ext in &SIDECARS[1..] {
            let mut f = self.temp.as_os_str().to_owned();
            f.push(ext);
            let _ = std::fs::remove_file(PathBuf::from(f));
        }
    }
}

impl Drop for SafeFile {
    fn drop(&mut self) {
        if !self.done {
            self.remove_temp();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_own_temporary_names_count_as_leftovers() {
        assert_eq!(
            leftover_pid(".a.csv.123.shopkeeper.partial", None),
            Some(123)
        );
        assert_eq!(
            leftover_pid(".a.sqlite3.9.shopkeeper.partial-wal", None),
            Some(9)
        );
        assert_eq!(leftover_pid(".a.csv.123.partial", Some("a.csv")), Some(123));
        assert_eq!(leftover_pid(".a.csv.123.partial", Some("b.csv")), None);
        assert_eq!(
            leftover_pid("a.sqlite3.partial", Some("a.sqlite3")),
            Some(0)
        );
        assert_eq!(
            leftover_pid("a.sqlite3.partial-journal", Some("a.sqlite3")),
            Some(0)
        );
        assert_eq!(leftover_pid("a.csv", Some("a.csv")), None);
        assert_eq!(leftover_pid(".x.partial", None), None);
    }
}

//! File dialogs behind one small trait: the real one uses rfd; tests hand the
//! app the paths a user would have picked.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    Picked(PathBuf),
    Cancelled,
    /// No system dialog could open (for example no desktop portal): the app
    /// asks for the path in its own window instead.
    Unavailable,
}

/// A system dialog that "returns" faster than a person can click has not
/// been shown at all.
fn answered(picked: Option<PathBuf>, started: std::time::Instant) -> DialogOutcome {
    match picked {
        Some(p) => DialogOutcome::Picked(p),
        None if started.elapsed() < std::time::Duration::from_millis(150) => {
            DialogOutcome::Unavailable
        }
        None => DialogOutcome::Cancelled,
    }
}

/// A file type offered in a dialog: ("SQLite database", &["sqlite3", "db"]).
pub type Filter<'a> = (&'a str, &'a [&'a str]);

/// A dialog's question: its title, the file types it offers, and the
/// folder it opens in (the one last used for the same kind of file).
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    pub title: &'a str,
    pub filters: &'a [Filter<'a>],
    pub folder: Option<&'a Path>,
}

pub trait Dialogs {
    fn save_file(&mut self, ask: Ask, suggested_name: &str) -> DialogOutcome;
    fn open_file(&mut self, ask: Ask) -> DialogOutcome;
}

fn dialog(ask: Ask) -> rfd::FileDialog {
    let mut dialog = rfd::FileDialog::new().set_title(ask.title);
    if let Some(folder) = ask.folder.filter(|f| f.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    for (name, exts) in ask.filters {
        dialog = dialog.add_filter(*name, exts);
    }
    dialog
}

/// The system's own dialogs.
#[derive(Debug, Default)]
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn save_file(&mut self, ask: Ask, suggested_name: &str) -> DialogOutcome {
        let dialog = dialog(ask).set_file_name(suggested_name);
        let started = std::time::Instant::now();
        answered(dialog.save_file(), started)
    }

    fn open_file(&mut self, ask: Ask) -> DialogOutcome {
        let started = std::time::Instant::now();
        answered(dialog(ask).pick_file(), started)
    }
}

/// Dialogs that answer from a queue of paths, for tests: each call takes the
/// next path, or is "cancelled" when the queue is empty.
#[derive(Debug, Default, Clone)]
pub struct ScriptedDialogs {
    pub answers: Arc<Mutex<VecDeque<PathBuf>>>,
    /// Answer "no dialog available" instead of cancelling when out of answers.
    pub unavailable: bool,
    /// The titles of the dialogs that were asked for, in order.
    pub asked: Arc<Mutex<Vec<String>>>,
    /// The names save dialogs offered, in order.
    pub suggested: Arc<Mutex<Vec<String>>>,
    /// The folders the dialogs opened in, in order (None: the system's choice).
    pub folders: Arc<Mutex<Vec<Option<PathBuf>>>>,
}

impl ScriptedDialogs {
    pub fn push(&self, path: impl Into<PathBuf>) {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(path.into());
        }
    }

    fn next(&self, ask: Ask) -> DialogOutcome {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(ask.title.to_owned());
        }
        if let Ok(mut folders) = self.folders.lock() {
            folders.push(ask.folder.map(Path::to_path_buf));
        }
        match self.answers.lock().ok().and_then(|mut q| q.pop_front()) {
            Some(p) => DialogOutcome::Picked(p),
            None if self.unavailable => DialogOutcome::Unavailable,
            None => DialogOutcome::Cancelled,
        }
    }
}

impl Dialogs for ScriptedDialogs {
    fn save_file(&mut self, ask: Ask, suggested: &str) -> DialogOutcome {
        if let Ok(mut s) = self.suggested.lock() {
            s.push(suggested.to_owned());
        }
        self.next(ask)
    }

    fn open_file(&mut self, ask: Ask) -> DialogOutcome {
        self.next(ask)
    }
}

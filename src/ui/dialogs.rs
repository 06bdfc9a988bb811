//! File dialogs behind one small trait: the real one uses rfd; tests hand the
//! app the paths a user would have picked.

use std::collections::VecDeque;
use std::path::PathBuf;
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

pub trait Dialogs {
    fn save_file(&mut self, title: &str, suggested_name: &str, filters: &[Filter])
    -> DialogOutcome;
    fn open_file(&mut self, title: &str, filters: &[Filter]) -> DialogOutcome;
}

/// The system's own dialogs.
#[derive(Debug, Default)]
pub struct NativeDialogs;

impl Dialogs for NativeDialogs {
    fn save_file(
        &mut self,
        title: &str,
        suggested_name: &str,
        filters: &[Filter],
    ) -> DialogOutcome {
        let mut dialog = rfd::FileDialog::new()
            .set_title(title)
            .set_file_name(suggested_name);
        for (name, exts) in filters {
            dialog = dialog.add_filter(*name, exts);
        }
        let started = std::time::Instant::now();
        answered(dialog.save_file(), started)
    }

    fn open_file(&mut self, title: &str, filters: &[Filter]) -> DialogOutcome {
        let mut dialog = rfd::FileDialog::new().set_title(title);
        for (name, exts) in filters {
            dialog = dialog.add_filter(*name, exts);
        }
        let started = std::time::Instant::now();
        answered(dialog.pick_file(), started)
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
}

impl ScriptedDialogs {
    pub fn push(&self, path: impl Into<PathBuf>) {
        if let Ok(mut q) = self.answers.lock() {
            q.push_back(path.into());
        }
    }

    fn next(&self, title: &str) -> DialogOutcome {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(title.to_owned());
        }
        match self.answers.lock().ok().and_then(|mut q| q.pop_front()) {
            Some(p) => DialogOutcome::Picked(p),
            None if self.unavailable => DialogOutcome::Unavailable,
            None => DialogOutcome::Cancelled,
        }
    }
}

impl Dialogs for ScriptedDialogs {
    fn save_file(&mut self, title: &str, suggested: &str, _filters: &[Filter]) -> DialogOutcome {
        if let Ok(mut s) = self.suggested.lock() {
            s.push(suggested.to_owned());
        }
        self.next(title)
    }

    fn open_file(&mut self, title: &str, _filters: &[Filter]) -> DialogOutcome {
        self.next(title)
    }
}

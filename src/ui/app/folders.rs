//! The folders the file dialogs open in: the one last used for the same
//! kind of file, kept between sessions (a shopkeeper exporting for the
//! accountant every month finds the accountant's folder already open).

use std::path::{Path, PathBuf};

use super::modals::Purpose;

/// Kinds of file, each remembering its own folder: reports and documents
/// go to one place, backups often to another (a USB stick), imports come
/// from a third (Downloads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Folder {
    Saved,
    Backups,
    Imports,
    Databases,
    Pictures,
}

impl Folder {
    const ALL: [Folder; 5] = [
        Folder::Saved,
        Folder::Backups,
        Folder::Imports,
        Folder::Databases,
        Folder::Pictures,
    ];

    fn key(self) -> &'static str {
        match self {
            Folder::Saved => "folder_saved",
            Folder::Backups => "folder_backups",
            Folder::Imports => "folder_imports",
            Folder::Databases => "folder_databases",
            Folder::Pictures => "folder_pictures",
        }
    }
}

impl Purpose {
    pub(super) fn folder(&self) -> Folder {
        match self {
            Purpose::NewDatabase | Purpose::OpenDatabase => Folder::Databases,
            Purpose::Export(..) | Purpose::SaveChart(..) | Purpose::Print(..) => Folder::Saved,
            Purpose::Import(_) => Folder::Imports,
            Purpose::BackUpNow => Folder::Backups,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub(super) struct Folders {
    last: [Option<PathBuf>; Folder::ALL.len()],
}

impl Folders {
    pub(super) fn load(storage: Option<&dyn eframe::Storage>) -> Folders {
        let mut folders = Folders::default();
        if let Some(storage) = storage {
            for kind in Folder::ALL {
                folders.last[kind as usize] = storage
                    .get_string(kind.key())
                    .filter(|s| !s.is_empty())
                    .map(PathBuf::from);
            }
        }
        folders
    }

    pub(super) fn save(&self, storage: &mut dyn eframe::Storage) {
        for kind in Folder::ALL {
            if let Some(dir) = &self.last[kind as usize] {
                // A folder whose name is not Unicode is not kept: the
                // dialog then opens where the system chooses.
                if let Some(text) = dir.to_str() {
                    storage.set_string(kind.key(), text.to_owned());
                }
            }
        }
    }

    /// The folder a dialog for `kind` opens in, while it still exists.
    pub(super) fn get(&self, kind: Folder) -> Option<&Path> {
        self.last[kind as usize]
            .as_deref()
            .filter(|dir| dir.is_dir())
    }

    /// Remembers the folder of a file just chosen.
    pub(super) fn used(&mut self, kind: Folder, file: &Path) {
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            self.last[kind as usize] = Some(dir.to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Memory(HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn each_kind_keeps_its_own_folder_between_sessions() {
        let exports = tempfile::tempdir().unwrap();
        let stick = tempfile::tempdir().unwrap();
        let mut folders = Folders::default();
        folders.used(Folder::Saved, &exports.path().join("sales.xlsx"));
        folders.used(Folder::Backups, &stick.path().join("shop-backup.sqlite3"));
        // A bare name (typed without a folder) changes nothing.
        folders.used(Folder::Saved, Path::new("sales.csv"));

        let mut storage = Memory::default();
        folders.save(&mut storage);
        let next_session = Folders::load(Some(&storage));
        assert_eq!(next_session.get(Folder::Saved), Some(exports.path()));
        assert_eq!(next_session.get(Folder::Backups), Some(stick.path()));
        assert_eq!(next_session.get(Folder::Imports), None);

        // A folder since removed (a USB stick taken out) is not offered.
        let gone = stick.path().to_path_buf();
        drop(stick);
        assert!(!gone.exists());
        assert_eq!(next_session.get(Folder::Backups), None);
    }
}

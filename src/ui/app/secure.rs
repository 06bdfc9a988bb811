//! Carrying out what Settings > Security asks: making the shop's files
//! private, and encrypting, decrypting or re-keying the shop in the
//! background. The shop must be alone with the task that re-writes it, so
//! the window lets go of it first (its lists' readers too) and opens it again
//! when the task ends.

use super::App;
use crate::store::{self, Passphrase, Store, secret};
use crate::ui::security::SecurityAction;

impl App {
    pub(super) fn security(&mut self, action: SecurityAction) {
        let (name, keys, work): (&str, Vec<Option<Passphrase>>, Work) = match action {
            SecurityAction::MakePrivate => {
                match self.store.make_private() {
                    Ok(n) => self.info(format!(
                        "Only you can read this shop's files now ({n} changed)."
                    )),
                    Err(e) => self.error(format!(
                        "The files could not all be made private: {e}. Check that they are yours."
                    )),
                }
                let encrypted = self.store.encrypted();
                let loose = self.store.open_to_others().len();
                if let Some(form) = self.settings_form.take() {
                    self.settings_form = Some(form.with_security(encrypted, loose));
                }
                return;
            }
            SecurityAction::Encrypt(new) => (
                "Encrypting the shop",
                vec![Some(new.clone()), None],
                Box::new(move |s| {
                    secret::encrypt(s, &new).map(|(_, b)| {
                        format!(
                            "The shop is encrypted: the window asks for its passphrase when it opens. {b}"
                        )
                    })
                }),
            ),
            SecurityAction::Decrypt(current) => (
                "Turning encryption off",
                vec![None, Some(current.clone())],
                Box::new(move |s| {
                    secret::decrypt(s, &current)
                        .map(|(_, b)| format!("The shop is no longer encrypted. {b}"))
                }),
            ),
            SecurityAction::Change(current, new) => (
                "Changing the passphrase",
                vec![Some(new.clone()), Some(current.clone())],
                Box::new(move |s| {
                    secret::change(s, &current, &new)
                        .map(|(_, b)| format!("The shop has its new passphrase. {b}"))
                }),
            ),
        };
        if !self.on_file(name) {
            return;
        }
        if self.job.is_some() || self.import.as_ref().is_some_and(|i| i.busy()) {
            self.error("A task is already running; wait for it to finish, then try again.");
            return;
        }
        let stand_in = match Store::open_in_memory() {
            Ok(s) => s,
            Err(e) => {
                self.error(format!("{name} could not start: {e}"));
                return;
            }
        };
        // Let go of the file: this window's connection and its lists' readers.
        let location = self.store.location();
        // Whatever happened, the key it was open with opens it as it was.
        let mut keys = keys;
        keys.push(location.key.clone());
        self.settings_form = None;
        self.import = None;
        self.backups = None;
        self.store = stand_in;
        self.panels = super::all_panels();
        self.reopen_keyed = Some((location.path.clone(), keys));
        self.start_job_at(name, location, move |store, _| {
            let taken =
                std::mem::replace(store, Store::open_in_memory().map_err(|e| e.to_string())?);
            work(taken).map_err(|e| format!("{e}"))
        });
    }

    /// After an encrypting task: opens the shop again with the first key that does.
    pub(super) fn reopen_after_secret(&mut self) {
        let Some((path, keys)) = self.reopen_keyed.take() else {
            return;
        };
        let mut last = None;
        for key in &keys {
            match Store::open_keyed(&path, store::Mode::Existing, key.as_ref()) {
                Ok(s) => {
                    self.store = s;
                    self.after_open();
                    return;
                }
                Err(e) => last = Some(e),
            }
        }
        if let Some(e) = last {
            self.cannot_open(path, &e);
        }
    }
}

type Work = Box<dyn FnOnce(Store) -> Result<String, secret::SecretError> + Send>;

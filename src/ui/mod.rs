//! The window: egui only. Panels read through `store` and send `Command`s that
//! the app runs at the end of the frame. No SQL lives here.

pub mod app;
pub mod backups;
pub mod customers;
pub mod dialogs;
pub mod import;
pub mod orders;
pub mod products;
pub mod reports;
pub mod settings;
pub mod trends;
pub mod widgets;

pub use app::{App, AppOptions, Panel};
pub use dialogs::{DialogOutcome, Dialogs, NativeDialogs, ScriptedDialogs};

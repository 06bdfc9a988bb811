//! The window: egui only, no SQL. `app/` is the window itself (its frame, the
//! commands room panels talk through, what runs without drawing, the modals);
//! one module per panel (each a `View`), each reading through `store` and
//! sending `Command`s that the app runs at the end of the frame; `widgets/`
//! holds what the panels share (the list scaffold, paged rows, form fields);
//! `dialogs` the file dialogs behind a trait so tests can hand in paths;
//! `fonts` the system's fonts as fallbacks for other scripts; `security` the
//! Settings dialog's Security section.
//! Files point one way: app -> panels -> widgets -> app/commands.

pub mod app;
pub mod backups;
pub mod customers;
pub mod dialogs;
pub mod fonts;
pub mod import;
pub mod insights;
pub mod orders;
pub mod products;
pub mod reports;
pub mod security;
pub mod settings;
pub mod shop_identity;
pub mod trends;
pub mod widgets;

pub use app::{AUTO_LOCK, App, AppOptions, Panel};
pub use dialogs::{DialogOutcome, Dialogs, NativeDialogs, ScriptedDialogs};

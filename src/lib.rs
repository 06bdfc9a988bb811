//! Shopkeeper: an offline desktop app for a small online shop. Customers,
//! products and orders live in one local SQLite file.
//!
//! Layers (arrows point one way): `ui` / `cli` -> `jobs` / `import` /
//! `export` / `documents` / `demo` -> `store` -> `domain`. `domain` holds
//! plain types and rules (no I/O), `store` all SQL, `export` report tables to
//! CSV/XLSX/PNG files, `documents` an order's invoice, packing slip or credit
//! note to PDF, `import` CSV files to the store, `demo` made-up shops, `jobs`
//! slow work on worker threads, `ui` all egui, and `cli` the subcommands.
//! `files` (used by `export` and `store`) writes a file the user named
//! safely; `fonts` finds the system's fonts for scripts ours lack (for the
//! window and the documents); `memory` gives freed memory back to the
//! system (the window's threads, each job when it ends).

pub mod cli;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod export;
pub mod files;
pub mod fonts;
pub mod import;
pub mod jobs;
pub mod memory;
pub mod store;
pub mod ui;

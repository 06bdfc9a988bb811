//! Shopkeeper's integration tests, as one test binary: every test binary links
//! egui, SQLite and the app again, so one binary with a module per area builds
//! once instead of fifteen times.
//!
//! - `common`: shared data helpers (temp databases, customers, products,
//!   dumps) and, in `common::ui`, the one way a test opens the window.
//! - one module per area, each a file beside this one (`desktop`: the window
//!   as a desktop app, issue 17).
//!
//! Run everything with `cargo test --test main`, one area with
//! `cargo test --test main store::`, one test by (part of) its name:
//! `cargo test --test main ui::a_new_customer`.
//!
//! The tests run on parallel threads of this one process: a test must not
//! change process-wide state (environment variables, the current directory);
//! give a child process its own environment instead (see `cli::shopkeeper`).

mod common;

mod backup;
mod bad_files;
mod cli;
mod crash;
mod desktop;
mod files;
mod import;
mod import_mapping;
mod import_refunds;
mod input;
mod insights_customers;
mod insights_time;
mod invoices;
mod invoicing;
mod layers;
mod memory;
mod migrations;
mod money_properties;
mod money_ui;
mod numbers;
mod order_properties;
mod orders;
mod platform;
mod privacy;
mod product_insights;
mod reports;
mod screens;
mod store;
mod tax_summary;
mod track_stock;
mod trends;
mod two_windows;
mod ui;
mod undo;

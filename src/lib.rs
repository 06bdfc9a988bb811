//! Shopkeeper: an offline desktop app for a small online shop. Customers,
//! products and orders live in one local SQLite file.
//!
//! Layers (arrows point one way): `ui` -> `store` / `jobs` -> `domain`.
//! `domain` holds plain types and rules, `store` all SQL, `ui` all egui, and
//! `cli` the command-line subcommands.

pub mod cli;
pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod jobs;
pub mod store;
pub mod ui;

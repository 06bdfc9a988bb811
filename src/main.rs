//! The `shopkeeper` binary: parse the command line, then run a subcommand or
//! open the window. Errors are printed as one sentence.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use shopkeeper::cli::{self, Cli};
use shopkeeper::store::{Mode, Passphrase, Store};
use shopkeeper::ui::{App, AppOptions, NativeDialogs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command),
        None => run_window(&cli).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        Err(e) => {
            eprintln!("Error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_window(cli: &Cli) -> Result<()> {
    // Before any thread starts: the window's workers share two heaps.
    shopkeeper::memory::few_arenas();
    let path = cli::database_path(cli)?;
    // The default database is created on first start; a file named with --db
    // must exist (a missing or empty one is offered as a new shop, after asking).
    let mode = if cli.db.is_some() {
        Mode::Existing
    } else {
        Mode::Create
    };
    // A file that cannot be opened does not stop the window: it opens on an
    // empty stand-in and explains what is wrong and what can be done.
    // An encrypted shop's passphrase may come from the environment; else the
    // window asks for it before anything reads the file.
    let key = std::env::var("SHOPKEEPER_PASSPHRASE")
        .ok()
        .filter(|k| !k.is_empty())
        .map(Passphrase::new);
    let (store, problem) = match Store::open_keyed(&path, mode, key.as_ref()) {
        Ok(store) => (store, None),
        Err(e) => (Store::open_in_memory()?, Some(e)),
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Shopkeeper")
        .with_app_id("shopkeeper")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([820.0, 520.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    // eframe keeps the window's settings (app.ron) in the data folder and
    // would make it open to other accounts (0755) when it is not there yet,
    // as with a shop opened elsewhere (--db): it is made private first.
    if let Ok(default) = shopkeeper::cli::default_database_path()
        && let Some(folder) = default.parent()
    {
        let _ = shopkeeper::files::create_private_dir_all(folder);
    }
    eframe::run_native(
        "Shopkeeper",
        options,
        Box::new(move |cc| {
            let mut app = App::new(
                cc,
                AppOptions {
                    store,
                    dialogs: Box::new(NativeDialogs),
                    search_wait: AppOptions::SEARCH_WAIT,
                    system_fonts: true,
                    locale: None,
                    auto_lock: shopkeeper::ui::AUTO_LOCK,
                },
            );
            if let Some(e) = problem {
                app.cannot_open(path, &e);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("the window could not open (is a display available?)")
}

//! The commands room: what a panel may read while drawing (`PanelCtx`), what it
//! asks the app to do once the frame is drawn (`Command`), the one write
//! helper every panel uses, and the `View` trait each panel implements.
//! Panels import this file only, never the app itself.

use crate::domain::{ReportSpec, ShopSettings};
use crate::export::Format;
use crate::import::ImportKind;
use crate::store::{Store, StoreError};

/// The panels of the navigation column, in order (Ctrl+1 .. Ctrl+6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Panel {
    #[default]
    Customers,
    Products,
    Orders,
    Trends,
    Reports,
    Insights,
}

impl Panel {
    pub const ALL: [Panel; 6] = [
        Panel::Customers,
        Panel::Products,
        Panel::Orders,
        Panel::Trends,
        Panel::Reports,
        Panel::Insights,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Panel::Customers => "Customers",
            Panel::Products => "Products",
            Panel::Orders => "Orders",
            Panel::Trends => "Trends",
            Panel::Reports => "Reports",
            Panel::Insights => "Insights",
        }
    }

    pub fn from_label(s: &str) -> Option<Panel> {
        Panel::ALL.into_iter().find(|p| p.label() == s)
    }

    /// Its keyboard shortcuts: its place in the list with Ctrl, or Cmd on a
    /// Mac (where Ctrl works too, as it always has).
    pub fn shortcuts(self) -> [egui::KeyboardShortcut; 2] {
        let key = match self {
            Panel::Customers => egui::Key::Num1,
            Panel::Products => egui::Key::Num2,
            Panel::Orders => egui::Key::Num3,
            Panel::Trends => egui::Key::Num4,
            Panel::Reports => egui::Key::Num5,
            Panel::Insights => egui::Key::Num6,
        };
        [egui::Modifiers::COMMAND, egui::Modifiers::CTRL]
            .map(|modifiers| egui::KeyboardShortcut::new(modifiers, key))
    }
}

/// Something one panel asks another to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Open {
    /// A customer's detail (Customers).
    Customer(i64),
    /// An order's detail (Orders).
    Order(i64),
    /// The new-order form for this customer: id and name (Orders).
    NewOrderFor(i64, String),
}

/// What a panel asks the app to do once the frame is drawn.
#[derive(Debug, Clone)]
pub enum Command {
    /// Something was written: every cached list reloads.
    DataChanged,
    Info(String),
    Error(String),
    /// Show something in the panel that holds it.
    Open(Open),
    /// Ask where to save this report, then write it in the background (a
    /// CSV file as the shop's local format suggests, see `CsvOptions::for_format`).
    Export(ReportSpec, Format),
    /// The same, as a CSV file written with these options.
    ExportCsv(ReportSpec, crate::export::CsvOptions),
    /// Ask where to save an invoice or packing slip (or those of the orders
    /// shown), then write it in the background.
    Print(crate::jobs::documents::Print),
    /// Ask where to save a picture of a chart (RGBA pixels), then write it as PNG.
    SaveChart {
        name: String,
        width: u32,
        height: u32,
        rgba: Vec<u8>,
    },
    NewDatabase,
    OpenDatabase,
    /// Ask which CSV file to import, then show it before importing.
    Import(ImportKind),
    /// Ask where to save a backup, then write it in the background.
    BackUpNow,
    /// Show the backups kept beside the database.
    Backups,
    OpenSettings,
    /// Settings, on its "Shop identity" page.
    OpenShopIdentity,
    /// Reverse the newest change of this session that is not undone yet.
    Undo,
    /// Create a demo shop in a new file beside this one and open it.
    OpenDemoShop,
    Quit,
    /// Let go of an encrypted shop and ask for its passphrase again.
    Lock,
}

/// What a panel may use while drawing.
pub struct PanelCtx<'a> {
    pub store: &'a mut Store,
    pub settings: &'a ShopSettings,
    /// Bumped after every write; caches compare it to know they are stale.
    pub generation: u64,
    pub commands: &'a mut Vec<Command>,
    /// How long a frame waits for a list's new search before drawing the old rows.
    pub search_wait: std::time::Duration,
    /// The most rows a report holds on screen.
    pub screen_rows: usize,
    /// The PDF this window wrote last, for "Open".
    pub last_document: Option<std::path::PathBuf>,
}

impl PanelCtx<'_> {
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Runs one write in its own transaction. On success every list reloads
    /// and `done` is shown; on failure the reason is shown. Returns what the
    /// write returned, or None when it failed (the error is already shown).
    pub fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<T, StoreError>,
        done: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        match self.store.write(f) {
            Ok(value) => {
                self.send(Command::DataChanged);
                self.send(Command::Info(done(&value)));
                Some(value)
            }
            Err(e) => {
                self.send(Command::Error(e.to_string()));
                None
            }
        }
    }

    /// Like [`PanelCtx::write`], but hands a failure back instead of showing
    /// it (forms show it beside their fields).
    pub fn write_or_return<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<T, StoreError>,
        done: impl FnOnce(&T) -> String,
    ) -> Result<T, StoreError> {
        let value = self.store.write(f)?;
        self.send(Command::DataChanged);
        self.send(Command::Info(done(&value)));
        Ok(value)
    }
}

/// One page of the window: drawn when chosen in the navigation column.
pub trait View {
    /// Which navigation entry this is.
    fn id(&self) -> Panel;

    /// Draws the page into the window's remaining space.
    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx);

    /// Starts reading what the page shows first, in the background, before
    /// it is first drawn (the window asks once its own first frame is drawn).
    fn prefetch(&mut self, ctx: &PanelCtx) {
        let _ = ctx;
    }

    /// Shows what another panel asked for, if this page holds it. Returns
    /// true when it did (the app then switches to this page).
    fn open(&mut self, target: &Open) -> bool {
        let _ = target;
        false
    }

    /// What the page holds typed and not saved ("the new order"), which
    /// closing the window would lose; None when nothing.
    fn unsaved(&self) -> Option<&'static str> {
        None
    }
}

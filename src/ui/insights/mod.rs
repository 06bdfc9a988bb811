//! The Insights panel (Ctrl+6): the questions a shop owner asks, one tab per
//! view. Every view works from a summary or off the window's thread, so a
//! frame stays fast at a million orders: `customers` (lifetime value,
//! segments, cohorts, and `new_returning`), `products` (ABC, reorder, dead
//! stock), `margin` and `time`.

pub mod customers;
pub mod margin;
mod new_returning;
pub mod products;
mod time;

use super::app::commands::{Panel, PanelCtx, View};
use crate::domain::{ReportSpec, ReportTable};
use crate::jobs::{Job, Outcome};
use crate::store::reports;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Customers,
    Products,
    Margin,
    Time,
}

impl Tab {
    const ALL: [Tab; 4] = [Tab::Customers, Tab::Products, Tab::Margin, Tab::Time];

    fn label(self) -> &'static str {
        match self {
            Tab::Customers => "Customers",
            Tab::Products => "Products",
            Tab::Margin => "Margin",
            Tab::Time => "Time",
        }
    }
}

#[derive(Default)]
pub struct InsightsPanel {
    tab: Tab,
    customers: customers::CustomersView,
    products: products::ProductsView,
    margin: margin::MarginView,
    time: time::TimeView,
}

impl View for InsightsPanel {
    fn id(&self) -> Panel {
        Panel::Insights
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading("Insights");
                ui.add_space(8.0);
                for tab in Tab::ALL {
                    ui.selectable_value(&mut self.tab, tab, tab.label());
                }
            });
            ui.separator();
            match self.tab {
                Tab::Customers => self.customers.ui(ui, ctx),
                Tab::Products => self.products.ui(ui, ctx),
                Tab::Margin => self.margin.ui(ui, ctx),
                Tab::Time => self.time.ui(ui, ctx),
            }
        });
    }
}

/// Figures read in the background for a key (the range chosen, the data
/// generation, …): the last ones read, and the read under way, which a read
/// for another key cancels. The views of this panel keep theirs in one.
pub(super) struct Keyed<K, T: Send + 'static> {
    /// The last figures read and their key.
    pub data: Option<(K, Outcome<T>)>,
    running: Option<(K, Job<T>)>,
}

impl<K, T: Send + 'static> Default for Keyed<K, T> {
    fn default() -> Self {
        Keyed {
            data: None,
            running: None,
        }
    }
}

impl<K: Copy + PartialEq, T: Send + 'static> Keyed<K, T> {
    /// Takes a finished read; unless `key`'s figures are had or being read,
    /// cancels the read under way and starts `start`'s.
    pub fn load(&mut self, key: K, start: impl FnOnce() -> Job<T>) {
        if let Some((k, job)) = &self.running
            && let Some(outcome) = job.poll()
        {
            self.data = Some((*k, outcome));
            self.running = None;
        }
        let have = self.data.as_ref().is_some_and(|(k, _)| *k == key);
        let asked = self.running.as_ref().is_some_and(|(k, _)| *k == key);
        if have || asked {
            return;
        }
        if let Some((_, old)) = self.running.take() {
            old.progress.cancel();
        }
        self.running = Some((key, start()));
    }
}

/// A job reading one report (up to 100,000 rows) on a connection of its
/// own, waking the window when done.
pub(super) fn read_report(
    ectx: &egui::Context,
    ctx: &PanelCtx,
    name: &str,
    spec: ReportSpec,
) -> Job<ReportTable> {
    let wake = ectx.clone();
    Job::spawn(
        name,
        ctx.store.location(),
        move || wake.request_repaint(),
        move |store, _| {
            reports::run(store.conn(), &spec, 100_000)
                .map(|(t, _)| t)
                .map_err(|e| e.to_string())
        },
    )
}

/// How far a bar chart's money axis reaches above its tallest bar: the top
/// quarter or so is left for the legend, which otherwise lay over the
/// newest bar (Margin, New and returning).
const LEGEND_ROOM: f64 = 1.35;

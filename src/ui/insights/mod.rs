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

//! The Insights panel (Ctrl+6): one tab per view. A minimal one holding the
//! product and margin views; the panel itself (its other tabs) is another
//! branch's, combined at merge.

pub mod margin;
pub mod products;

use super::app::commands::{Panel, PanelCtx, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Products,
    Margin,
}

#[derive(Default)]
pub struct InsightsPanel {
    tab: Tab,
    products: products::ProductsView,
    margin: margin::MarginView,
}

impl View for InsightsPanel {
    fn id(&self) -> Panel {
        Panel::Insights
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.tab, Tab::Products, "Products");
                ui.selectable_value(&mut self.tab, Tab::Margin, "Margin");
            });
            ui.separator();
            match self.tab {
                Tab::Products => self.products.ui(ui, ctx),
                Tab::Margin => self.margin.ui(ui, ctx),
            }
        });
    }
}

//! The Insights panel (Ctrl+6): the questions an owner asks, answered from
//! summaries kept with the orders. This minimal panel shows the customers
//! view only (`customers`); the panel with a tab per view comes with the
//! time and product views.

pub mod customers;

use super::app::commands::{Panel, PanelCtx, View};

#[derive(Default)]
pub struct InsightsPanel {
    customers: customers::CustomersView,
}

impl View for InsightsPanel {
    fn id(&self) -> Panel {
        Panel::Insights
    }

    fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut PanelCtx) {
        self.customers.ui(ui, ctx);
    }
}

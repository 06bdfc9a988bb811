//! Which columns of a list table are shown: the user picks them from the
//! toolbar's "Columns" menu (the first column always stays), and the choice
//! is remembered between runs (egui's memory, which eframe saves). Column
//! widths are remembered per choice by the table itself.

use egui_extras::{Column, TableBuilder};

/// One column of a list table: its header and starting and least widths.
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub name: &'static str,
    pub width: f32,
    pub min: f32,
    /// Takes what the others leave (a name, which reads clipped): see [`add`].
    pub flex: bool,
}

/// A column: `col("Total spent", 100.0, 90.0)`.
pub const fn col(name: &'static str, width: f32, min: f32) -> Col {
    Col {
        name,
        width,
        min,
        flex: false,
    }
}

/// A column that takes what the others leave: `flex("Customer", 170.0, 80.0)`.
pub const fn flex(name: &'static str, width: f32, min: f32) -> Col {
    Col {
        flex: true,
        ..col(name, width, min)
    }
}

fn memory_id(table: &str) -> egui::Id {
    egui::Id::unique(("hidden_columns", table))
}

fn hidden(ctx: &egui::Context, table: &str) -> Vec<String> {
    ctx.data_mut(|d| d.get_persisted::<Vec<String>>(memory_id(table)))
        .unwrap_or_default()
}

/// The indices of the columns shown, in order (the first always).
pub fn shown(ctx: &egui::Context, table: &str, cols: &[Col]) -> Vec<usize> {
    let hidden = hidden(ctx, table);
    (0..cols.len())
        .filter(|&i| i == 0 || !hidden.iter().any(|h| h == cols[i].name))
        .collect()
}

/// The toolbar's "Columns" menu: a tick box per column but the first.
pub fn chooser_ui(ui: &mut egui::Ui, table: &str, cols: &[Col]) {
    // The menu stays open while ticking, until a click outside it.
    let config = egui::containers::menu::MenuConfig::new()
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    let (response, _) = egui::containers::menu::MenuButton::new("Columns")
        .config(config)
        .ui(ui, |ui| {
            let mut hidden = hidden(ui.ctx(), table);
            let mut changed = false;
            for c in cols.iter().skip(1) {
                let mut on = !hidden.iter().any(|h| h == c.name);
                if ui.checkbox(&mut on, c.name).changed() {
                    hidden.retain(|h| h != c.name);
                    if !on {
                        hidden.push(c.name.to_owned());
                    }
                    changed = true;
                }
            }
            if changed {
                ui.ctx()
                    .data_mut(|d| d.insert_persisted(memory_id(table), hidden));
            }
        });
    response.on_hover_text("Choose the columns shown; hidden ones make room for the rest");
}

/// The table's columns: each shown one resizable from its starting width,
/// one taking what is left of the window now (a resizable one would keep
/// the width a wider window gave it, out of view once a detail opens): the
/// flexible one when shown (so the columns after it stay in sight when a
/// detail opens: the Orders' Status read "Shi" at 1366), else the last.
pub fn add<'a>(mut table: TableBuilder<'a>, cols: &[Col], shown: &[usize]) -> TableBuilder<'a> {
    let rest = shown
        .iter()
        .position(|&i| cols.get(i).is_some_and(|c| c.flex))
        .unwrap_or(shown.len().saturating_sub(1));
    for (k, &i) in shown.iter().enumerate() {
        let Some(c) = cols.get(i) else { continue };
        table = table.column(if k == rest {
            Column::remainder()
                .at_least(c.min)
                .resizable(false)
                .clip(true)
        } else {
            Column::initial(c.width).at_least(c.min).clip(true)
        });
    }
    table
}

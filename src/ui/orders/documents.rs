//! An order's documents in the window: "Invoice…", "Packing slip…" and a
//! "Credit note…" per refund in the order's detail, "Print invoices…" and "Print packing slips…" for the
//! orders the filter shows. Each asks where to save (a default name such as
//! `INV-00042 Isla Thomas.pdf`) and writes in the background through
//! `jobs::documents` (the path `shopkeeper invoice` takes); the status bar
//! shows its progress and Cancel. Once written, "Open" hands the file to the
//! system's viewer for printing.

use std::path::Path;

use crate::jobs::documents::{self, Print, Target, Which};
use crate::store;
use crate::store::orders::{OrderDetail, OrderQuery};
use crate::ui::app::commands::{Command, PanelCtx};

/// The order detail's buttons.
pub fn buttons_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx, d: &OrderDetail) {
    // A cancelled order gets no invoice or packing slip, but what it gave
    // back needs its credit note when it had been invoiced (one cancelled
    // before it was invoiced needs none, and offering it only led to a
    // refusal).
    let cancelled = d.summary.status == crate::domain::OrderStatus::Cancelled;
    if cancelled && (!d.invoiced || !d.payments.iter().any(|p| p.refund)) {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        let id = d.summary.id;
        // As its invoice was made out, once issued (read on a click only).
        let customer = |conn: &rusqlite::Connection| {
            store::invoices::made_out_to(conn, id)
                .ok()
                .flatten()
                .unwrap_or_else(|| d.summary.customer_name.clone())
        };
        if !cancelled
            && ui
                .button("Invoice…")
                .on_hover_text("Save the invoice as a PDF (it gets its number the first time)")
                .clicked()
        {
            // Its number, or the one it will be given (for the file's name only).
            let conn = ctx.store.conn();
            let number = match store::invoices::invoice_of(conn, id) {
                Ok(Some(i)) => Some(i.number),
                _ => store::invoices::identity(conn).ok().and_then(|f| {
                    let next = store::invoices::next_seq(conn, store::invoices::Kind::Invoice);
                    next.ok().map(|n| f.invoice_format.number(n))
                }),
            };
            let name = documents::default_file_name(
                Which::Invoice,
                id,
                number.as_deref(),
                &customer(conn),
            );
            ctx.send(Command::Print(Print {
                which: Which::Invoice,
                target: Target::Order(id),
                name,
            }));
        }
        if !cancelled && ui.button("Packing slip…").clicked() {
            let name = documents::default_file_name(
                Which::PackingSlip,
                id,
                None,
                &customer(ctx.store.conn()),
            );
            ctx.send(Command::Print(Print {
                which: Which::PackingSlip,
                target: Target::Order(id),
                name,
            }));
        }
        for refund in d.payments.iter().filter(|p| p.refund) {
            if ui
                // Two refunds of one day are told apart by their amounts.
                // The day the shop's way; the amount in brackets, as a
                // comma would run into a decimal comma ("19,31 €").
                .button(format!(
                    "Credit note {} ({})…",
                    // Its number once issued, else its refund's day.
                    refund
                        .credit_note
                        .clone()
                        .unwrap_or_else(|| crate::ui::widgets::date_text(&refund.date)),
                    ctx.settings.currency.format(refund.amount)
                ))
                .on_hover_text(format!(
                    "Save the credit note of the refund of {} on {} as a PDF{}",
                    ctx.settings.currency.format(refund.amount),
                    crate::ui::widgets::date_text(&refund.date),
                    // A credit note names the invoice it corrects.
                    if d.invoice.is_none() {
                        "; the order has no invoice yet, so it is given its invoice number first"
                    } else {
                        ""
                    }
                ))
                .clicked()
            {
                // Its number, or the one it will be given (for the file's name only).
                let conn = ctx.store.conn();
                let number = match store::invoices::credit_note_of(conn, refund.id) {
                    Ok(Some(n)) => n.number,
                    _ => {
                        let kind = store::invoices::Kind::Credit;
                        match (
                            store::invoices::format(conn, kind),
                            store::invoices::next_seq(conn, kind),
                        ) {
                            (Ok(f), Ok(n)) => f.number(n),
                            _ => format!("Credit note {}", refund.date),
                        }
                    }
                };
                ctx.send(Command::Print(Print {
                    which: Which::Invoice,
                    target: Target::Refund(refund.id),
                    name: format!("{number} {}.pdf", customer(conn)).replace(['/', '\\', ':'], "_"),
                }));
            }
        }
        open_ui(ui, ctx);
    });
}

/// Under the Orders toolbar: print the documents of the orders shown.
pub fn range_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx, query: &OrderQuery) {
    ui.horizontal_wrapped(|ui| {
        let range = match (&query.from, &query.to) {
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("to {t}"),
            (None, None) => "all".to_owned(),
        };
        for (label, which) in [
            ("Print invoices…", Which::Invoice),
            ("Print packing slips…", Which::PackingSlip),
        ] {
            let hint = match which {
                Which::Invoice => format!(
                    "One PDF, a page per order shown (cancelled orders are left out), at most {}. \
                     An order without an invoice number is given one now, dated today, in the \
                     order they were placed; a number given is never taken back.",
                    documents::MOST_ORDERS
                ),
                Which::PackingSlip => format!(
                    "One PDF, a page per order shown (cancelled orders are left out), at most {}.",
                    documents::MOST_ORDERS
                ),
            };
            if ui.button(label).on_hover_text(hint).clicked() {
                let what = match which {
                    Which::Invoice => "Invoices",
                    Which::PackingSlip => "Packing slips",
                };
                ctx.send(Command::Print(Print {
                    which,
                    target: Target::Shown(query.clone()),
                    name: format!("{what} {}.pdf", range.replace(' ', "_")),
                }));
            }
        }
        open_ui(ui, ctx);
    });
}

fn open_ui(ui: &mut egui::Ui, ctx: &mut PanelCtx) {
    if let Some(path) = ctx.last_document.clone() {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Named, as it shows in the toolbar and in each order's detail: a
        // bare "Open" read as opening something of the order shown.
        let short = if name.chars().count() > 40 {
            format!("{}…", name.chars().take(39).collect::<String>())
        } else {
            name.clone()
        };
        if ui
            .button(format!("Open {short}"))
            .on_hover_text(format!(
                "Open {name}, saved last, in the system's viewer to print it"
            ))
            .clicked()
            && let Err(e) = open_in_viewer(&path)
        {
            ctx.send(Command::Error(e));
        }
    }
}

/// Hands `path` to the system's viewer.
pub fn open_in_viewer(path: &Path) -> Result<(), String> {
    #[cfg(target_os = "windows")]
    let mut command = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(target_os = "macos")]
    let mut command = std::process::Command::new("open");
    #[cfg(not(any(target_os = "windows", target_os = "macos")))]
    let mut command = std::process::Command::new("xdg-open");
    command.arg(path).spawn().map(|_| ()).map_err(|e| {
        format!(
            "Could not open {} in a viewer ({e}); open it from your file manager.",
            path.display()
        )
    })
}

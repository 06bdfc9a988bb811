//! `shopkeeper invoice`, `packing-slip`, `credit-note` and `invoices`: an
//! order's documents as PDF (ORDER is a number such as 42 or #000042, or a
//! reference); an unknown order or a file that cannot be written is refused
//! and nothing is written.

use std::path::Path;

use anyhow::Result;

use super::{Command, open_to_read, replace};
use crate::store;

/// Runs one of the document commands (any other command is refused).
pub(super) fn run(path: &Path, command: &Command) -> Result<i32> {
    match command {
        Command::Invoice { order, out, force } | Command::PackingSlip { order, out, force } => {
            use crate::jobs::documents::{Which, write_order};
            let which = match command {
                Command::Invoice { .. } => Which::Invoice,
                _ => Which::PackingSlip,
            };
            let mut store = open_to_read(path)?;
            let id = store::invoices::find_order(store.conn(), order)
                .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
            let written = write_order(&mut store, id, which, out, replace(*force))
                .map_err(anyhow::Error::msg)?;
            let number = match which {
                Which::Invoice => written.number.map(|n| format!(" {n}")).unwrap_or_default(),
                Which::PackingSlip => String::new(),
            };
            println!(
                "Wrote the {}{number} of order {} to {} ({}).",
                which.label(),
                store::orders::order_number(id),
                out.display(),
                crate::jobs::documents::pages_text(written.pages)
            );
            Ok(0)
        }
        Command::CreditNote {
            order,
            refund,
            out,
            force,
        } => {
            use crate::jobs::documents::{refund_to_credit, write_credit_note};
            let mut store = open_to_read(path)?;
            let id = store::invoices::find_order(store.conn(), order)
                .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
            let payment = refund_to_credit(&store, id, *refund).map_err(anyhow::Error::msg)?;
            let had_invoice = store::invoices::invoice_of(store.conn(), id)?.is_some();
            let written = write_credit_note(&mut store, payment, out, replace(*force))
                .map_err(anyhow::Error::msg)?;
            let given = crate::jobs::documents::given_with(
                &store,
                id,
                had_invoice,
                &format!("shopkeeper invoice {id}"),
            );
            println!(
                "Wrote credit note {} of order {} to {} ({}).{given}",
                written.number.unwrap_or_default(),
                store::orders::order_number(id),
                out.display(),
                crate::jobs::documents::pages_text(written.pages)
            );
            Ok(0)
        }
        Command::Invoices {
            from,
            to,
            packing_slips,
            out,
            force,
        } => {
            use crate::jobs::documents::{Which, write_orders};
            let which = if *packing_slips {
                Which::PackingSlip
            } else {
                Which::Invoice
            };
            let mut store = open_to_read(path)?;
            let started = std::time::Instant::now();
            let ids = store::invoices::orders_between(store.conn(), from, to)
                .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
            let written = write_orders(
                &mut store,
                &ids,
                which,
                out,
                replace(*force),
                &crate::jobs::Progress::default(),
            )
            .map_err(anyhow::Error::msg)?;
            println!(
                "Wrote {} {}{} ({}) to {} in {:.1} s.",
                written.documents,
                which.label(),
                if written.documents == 1 { "" } else { "s" },
                crate::jobs::documents::pages_text(written.pages),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        _ => anyhow::bail!("not a document command"),
    }
}

//! An order's figures -> invoice, packing slip and credit note, as PDF.
//! No egui, no SQL: the store hands it plain types (`store::invoices::
//! OrderDocument`, the shop's `ShopIdentity`), and it gives back bytes.
//!
//! Written with krilla: text is shaped (rustybuzz: Arabic letters join,
//! right-to-left runs read right), fonts are embedded and subset, and the
//! text is real text (selectable and searchable, with its Unicode). The
//! fonts are egui's Ubuntu face and the system's fallbacks (`text`). A
//! [`Book`] holds any number of documents, each starting on a new page; long
//! orders run over several pages with the table's header repeated. Memory
//! grows with the pages written (their compressed content), not with the
//! orders read: each document is laid out, drawn and dropped in turn.

mod flow;
mod invoice;
mod page;
mod slip;
pub mod text;

use crate::domain::invoice::{LogoKind, ShopIdentity};
use crate::domain::{Currency, Money};
use crate::store::invoices::{CreditNote, OrderDocument};
use crate::store::orders::PaymentRow;

/// A refund's goods and shipping and its tax per rate, as its credit note
/// gives them (the tax report's refunds per rate follow the same rule).
pub use invoice::refund_tax_per_rate;
pub use text::Fonts;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(
        "the shop's logo could not be read ({0}); choose another picture in Settings > Shop identity"
    )]
    Logo(String),
    #[error("the PDF could not be made: {0}")]
    Pdf(String),
}

/// The shop as every document of a book prints it.
pub struct Shop<'a> {
    /// The shop's name (Settings), printed when no legal name is given.
    pub name: &'a str,
    pub identity: &'a ShopIdentity,
    pub currency: &'a Currency,
    /// How dates are printed (Settings > Formats).
    pub date_style: crate::domain::format::DateStyle,
    pub logo: Option<(LogoKind, &'a [u8])>,
    /// Where the shop is (Settings > Shop): how it names its invoice and its
    /// tax number (`domain::invoice::invoice_title`).
    pub country: &'a str,
}

impl Shop<'_> {
    /// How an amount is printed: the one place documents format money
    /// (as on screen, with the shop's currency).
    pub fn money(&self, m: Money) -> String {
        self.currency.format(m)
    }

    /// How a tax rate is printed ("5,5%" with a decimal comma), as on screen.
    pub fn rate(&self, rate: crate::domain::Rate) -> String {
        self.currency.style.decimal_text(&rate.to_string())
    }

    /// How a stored date ('2026-03-31') is printed: the shop's way, as on screen.
    pub fn date(&self, stored: &str) -> String {
        self.date_style.show(stored)
    }

    fn title(&self) -> &str {
        let legal = self.identity.legal_name.trim();
        if legal.is_empty() { self.name } else { legal }
    }
}

/// A PDF of one or more documents.
pub struct Book<'a> {
    doc: krilla::Document,
    shop: Shop<'a>,
    fonts: &'a Fonts,
    logo: Option<krilla::image::Image>,
    pages: usize,
}

impl<'a> Book<'a> {
    /// A new, empty PDF. A logo that is not a readable picture is refused.
    pub fn new(shop: Shop<'a>, fonts: &'a Fonts) -> Result<Book<'a>, DocumentError> {
        let logo = match shop.logo {
            None => None,
            Some((kind, bytes)) => {
                let data = krilla::Data::from(bytes.to_vec());
                let image = match kind {
                    LogoKind::Png => krilla::image::Image::from_png(data, true),
                    LogoKind::Jpeg => krilla::image::Image::from_jpeg(data, true),
                };
                Some(image.map_err(DocumentError::Logo)?)
            }
        };
        Ok(Book {
            doc: krilla::Document::new(),
            shop,
            fonts,
            logo,
            pages: 0,
        })
    }

    /// Pages written so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Adds the invoice of an order (whose `invoice` must be issued).
    pub fn invoice(&mut self, order: &OrderDocument) {
        let sheets = invoice::invoice(&self.shop, self.fonts, order, self.logo_size());
        self.draw(sheets);
    }

    /// Adds a credit note for `refund` of the order; `units` are the
    /// refund's own: (the order line's id, units taken back).
    pub fn credit_note(
        &mut self,
        order: &OrderDocument,
        note: &CreditNote,
        refund: &PaymentRow,
        units: &[(i64, i64)],
    ) {
        let sheets = invoice::credit_note(
            &self.shop,
            self.fonts,
            order,
            note,
            refund,
            units,
            self.logo_size(),
        );
        self.draw(sheets);
    }

    /// Adds the packing slip of an order.
    pub fn packing_slip(&mut self, order: &OrderDocument) {
        let sheets = slip::packing_slip(&self.shop, self.fonts, order, self.logo_size());
        self.draw(sheets);
    }

    fn logo_size(&self) -> Option<(f32, f32)> {
        self.logo.as_ref().map(|i| {
            let (w, h) = i.size();
            (w.max(1) as f32, h.max(1) as f32)
        })
    }

    fn draw(&mut self, sheets: Vec<page::Sheet>) {
        let paper = self.shop.identity.paper.size();
        for sheet in &sheets {
            page::draw(&mut self.doc, self.fonts, paper, sheet, self.logo.as_ref());
            self.pages += 1;
        }
    }

    /// The PDF's bytes.
    pub fn finish(self) -> Result<Vec<u8>, DocumentError> {
        self.doc
            .finish()
            .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
    }
}

//! Invoices, packing slips and credit notes (issue 15): numbering (also with
//! two connections at once), the shop's identity, the PDFs' text read back
//! (every figure of the order as its detail holds it, formatted as on
//! screen), and the command line's refusals.

use std::path::Path;
use std::process::Command;

use egui_kittest::kittest::Queryable;

use shopkeeper::documents::{Book, Fonts, Shop};
use shopkeeper::domain::invoice::{NumberFormat, Paper, ShopIdentity};
use shopkeeper::domain::{Currency, CustomerDraft, Discount, Money, OrderStatus, Rate, Terms};
use shopkeeper::files::Replace;
use shopkeeper::jobs::Progress;
use shopkeeper::jobs::documents::{Which, write_order, write_orders};
use shopkeeper::store::orders::{Placement, RefundLine, RefundRequest};
use shopkeeper::store::{self, Store, invoices};

use crate::common::{add_customer, add_product, line, order, refund_one, temp_db};

fn place(
    store: &mut Store,
    o: &shopkeeper::domain::NewOrder,
    date: &str,
    reference: Option<&str>,
) -> i64 {
    let how = Placement {
        at: Some((date.into(), "10:00:00".into())),
        external_ref: reference.map(str::to_owned),
        log: false,
        ..Default::default()
    };
    store.write(|tx| store::orders::place(tx, o, &how)).unwrap()
}

/// A shop with one order of a discount, a percent line discount, two tax
/// rates, shipping taxed at its rate, a payment and a part refund.
fn shop_with_a_rich_order(path: &Path) -> (Store, i64) {
    let mut s = Store::open(path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let a = add_product(&mut s, "MUG-1", "Striped Mug", "12.50", 50);
    let b = add_product(&mut s, "TEA-2", "Green Tea, 100 bags", "7.99", 50);
    let mut first = line(a, 3, 1250);
    first.tax_rate = Rate(20_000);
    first.discount = Discount::Percent(Rate(10_000));
    let mut second = line(b, 2, 799);
    second.tax_rate = Rate(5_000);
    let mut o = order(c, vec![first, second]);
    o.terms = Terms {
        discount: Discount::Amount(Money(200)),
        shipping: Money(495),
        shipping_rate: Rate(20_000),
        tax_included: false,
        tax: None,
    };
    o.discount_code = Some("SPRING".into());
    let id = place(&mut s, &o, "2026-03-02", Some("WEB-1001"));
    s.write(|tx| store::orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    (s, id)
}

/// Isla Thomas and 50 striped mugs at $12.50, two of them ordered on
/// 2026-03-02: (customer, product, order).
/// The shop says who it is on its invoices (the window asks a shop that
/// does not, before its first invoice).
fn say_who_the_shop_is(s: &mut Store) {
    let identity = ShopIdentity {
        legal_name: "Thomas & Daughters Ltd".into(),
        address: "1 High Street\nYork YO1 7HH".into(),
        ..Default::default()
    };
    s.write(|tx| invoices::save_identity(tx, &identity))
        .unwrap();
}

fn isla_buys_two_mugs(s: &mut Store) -> (i64, i64, i64) {
    let c = add_customer(s, "Isla Thomas", "isla@example.com");
    let p = add_product(s, "MUG-1", "Striped Mug", "12.50", 50);
    let id = place(s, &order(c, vec![line(p, 2, 1250)]), "2026-03-02", None);
    (c, p, id)
}

/// The text of each page of a PDF, one drawn string a line: its glyphs
/// mapped back to Unicode through each font's ToUnicode map (lopdf reads the
/// objects and content streams; its own text extraction stumbles on the
/// comments atop krilla's maps).
fn pdf_pages(bytes: &[u8]) -> Vec<String> {
    use std::collections::HashMap;
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut pages = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let mut maps: HashMap<Vec<u8>, HashMap<u16, String>> = HashMap::new();
        for (name, font) in doc.get_page_fonts(page_id).unwrap() {
            let mut map = HashMap::new();
            if let Ok(r) = font.get(b"ToUnicode").and_then(lopdf::Object::as_reference) {
                let stream = doc.get_object(r).unwrap().as_stream().unwrap();
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                read_cmap(&String::from_utf8_lossy(&data), &mut map);
            }
            maps.insert(name, map);
        }
        let content = doc.get_page_content(page_id).unwrap();
        let ops = lopdf::content::Content::decode(&content)
            .unwrap()
            .operations;
        let mut font: Vec<u8> = Vec::new();
        let mut text = String::new();
        let decode = |font: &Vec<u8>, bytes: &[u8], text: &mut String| {
            let map = &maps[font];
            for pair in bytes.chunks(2) {
                let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                text.push_str(map.get(&code).map(String::as_str).unwrap_or("\u{fffd}"));
            }
        };
        for op in ops {
            match op.operator.as_str() {
                "Tf" => font = op.operands[0].as_name().unwrap().to_vec(),
                "Tj" => decode(&font, op.operands[0].as_str().unwrap(), &mut text),
                "TJ" => {
                    for item in op.operands[0].as_array().unwrap() {
                        if let Ok(s) = item.as_str() {
                            decode(&font, s, &mut text);
                        }
                    }
                }
                "ET" => text.push('\n'),
                _ => {}
            }
        }
        pages.push(text);
    }
    pages
}

/// Reads a ToUnicode map's `bfchar` and `bfrange` entries.
fn read_cmap(cmap: &str, map: &mut std::collections::HashMap<u16, String>) {
    let hex = |h: &str| -> Vec<u16> {
        let h = h.trim_matches(|c| c == '<' || c == '>');
        (0..h.len() / 4)
            .map(|i| u16::from_str_radix(&h[i * 4..i * 4 + 4], 16).unwrap())
            .collect()
    };
    let utf16 = |units: &[u16]| String::from_utf16_lossy(units);
    let mut section = "";
    for l in cmap.lines() {
        let l = l.trim();
        if l.ends_with("beginbfchar") {
            section = "char";
            continue;
        }
        if l.ends_with("beginbfrange") {
            section = "range";
            continue;
        }
        if l.starts_with("end") {
            section = "";
            continue;
        }
        let parts: Vec<&str> = l.split_whitespace().collect();
        match (section, parts.len()) {
            ("char", 2) => {
                map.insert(hex(parts[0])[0], utf16(&hex(parts[1])));
            }
            ("range", 3) => {
                let (a, b, mut to) = (hex(parts[0])[0], hex(parts[1])[0], hex(parts[2]));
                for code in a..=b {
                    map.insert(code, utf16(&to));
                    if let Some(last) = to.last_mut() {
                        *last += 1;
                    }
                }
            }
            _ => {}
        }
    }
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_pages(bytes).join("\n")
}

/// The credit note of refund `payment` of order `id`, issued on
/// 2026-03-09: the refund and the note's text.
fn credit_note_text(s: &mut Store, id: i64, payment: i64) -> (store::orders::PaymentRow, String) {
    let note = s
        .write(|tx| invoices::issue_credit_note(tx, payment, "2026-03-09"))
        .unwrap();
    let doc = invoices::document(s.conn(), id).unwrap();
    let refund = store::orders::payments(s.conn(), id)
        .unwrap()
        .into_iter()
        .find(|p| p.id == payment)
        .unwrap();
    let units = store::orders::refund_units(s.conn(), payment).unwrap();
    let text = pdf_text(&book_bytes(s, |b| {
        b.credit_note(&doc, &note, &refund, &units)
    }));
    (refund, text)
}

fn book_bytes(s: &Store, f: impl FnOnce(&mut Book)) -> Vec<u8> {
    let settings = store::settings::load(s.conn()).unwrap();
    let identity = invoices::identity(s.conn()).unwrap();
    let shop = Shop {
        name: &settings.shop_name,
        identity: &identity,
        currency: &settings.currency,
        date_style: settings.date_style,
        logo: None,
        country: &settings.country,
    };
    let fonts = Fonts::builtin();
    let mut book = Book::new(shop, &fonts).unwrap();
    f(&mut book);
    book.finish().unwrap()
}

#[test]
fn an_invoice_number_is_given_once_and_kept() {
    let (_dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let mut identity = invoices::identity(s.conn()).unwrap();
    identity.invoice_format = NumberFormat {
        prefix: "INV-2026-".into(),
        digits: 5,
    };
    s.write(|tx| invoices::save_identity(tx, &identity))
        .unwrap();
    s.write(|tx| invoices::set_next_seq(tx, invoices::Kind::Invoice, 42))
        .unwrap();
    let first = s
        .write(|tx| invoices::issue_invoice(tx, id, "2026-03-03"))
        .unwrap();
    assert_eq!(first.number, "INV-2026-00042");
    let again = s
        .write(|tx| invoices::issue_invoice(tx, id, "2026-04-01"))
        .unwrap();
    assert_eq!(again, first, "issuing again gives the same number and date");
    // The next number can never go back to one given.
    let e = s
        .write(|tx| invoices::set_next_seq(tx, invoices::Kind::Invoice, 42))
        .unwrap_err();
    assert!(e.to_string().contains("never reused"), "{e}");
    // A cancelled order gets none.
    let c = add_customer(&mut s, "Other", "other@example.com");
    let p = add_product(&mut s, "X-1", "Thing", "1.00", 5);
    let other = place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-03-04", None);
    s.write(|tx| store::orders::set_status(tx, other, OrderStatus::Cancelled))
        .unwrap();
    let e = s
        .write(|tx| invoices::issue_invoice(tx, other, "2026-03-04"))
        .unwrap_err();
    assert!(e.to_string().contains("cancelled"), "{e}");
    assert_eq!(
        invoices::next_seq(s.conn(), invoices::Kind::Invoice).unwrap(),
        43
    );
    crate::common::assert_checks(&s);
}

#[test]
fn two_connections_issuing_at_once_never_share_a_number() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "P-1", "Pen", "1.00", 10_000);
    let ids: Vec<i64> = (0..60)
        .map(|_| place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-01-05", None))
        .collect();
    drop(s);
    let halves: Vec<Vec<i64>> = vec![
        ids.iter().copied().step_by(2).collect(),
        ids.iter().copied().skip(1).step_by(2).collect(),
    ];
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let threads: Vec<_> = halves
        .into_iter()
        .map(|half| {
            let path = path.clone();
            let barrier = std::sync::Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                barrier.wait();
                half.iter()
                    .map(|id| {
                        s.write(|tx| invoices::issue_invoice(tx, *id, "2026-01-06"))
                            .unwrap()
                            .seq
                    })
                    .collect::<Vec<i64>>()
            })
        })
        .collect();
    let mut seqs: Vec<i64> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    seqs.sort_unstable();
    assert_eq!(
        seqs,
        (1..=60).collect::<Vec<i64>>(),
        "consecutive, none twice"
    );
}

#[test]
fn a_refund_gets_a_credit_note_naming_the_invoice() {
    let (_dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let identity = ShopIdentity {
        payment_terms: "Payable within 14 days.".into(),
        ..invoices::identity(s.conn()).unwrap()
    };
    s.write(|tx| invoices::save_identity(tx, &identity))
        .unwrap();
    let payment = crate::common::refund_one_noted(&mut s, id, "2026-03-09", Some("Chipped"));
    let (refund, text) = credit_note_text(&mut s, id, payment);
    // The note the text is of (issuing again gives it, as checked below).
    let note = s
        .write(|tx| invoices::issue_credit_note(tx, payment, "2026-03-09"))
        .unwrap();
    assert_eq!(note.issued.number, "CN-00001");
    let doc = invoices::document(s.conn(), id).unwrap();
    let invoice = doc.invoice.clone().expect("the invoice was issued with it");
    let currency = Currency::default();
    for want in [
        "CREDIT NOTE".to_owned(),
        "CN-00001".into(),
        invoice.number.clone(),
        "#".to_owned() + &format!("{id:06}"),
        currency.format(refund.amount),
        "Chipped".into(),
        "Striped Mug".into(),
    ] {
        assert!(text.contains(&want), "{want} missing from:\n{text}");
    }
    // A credit note asks for no payment: no payment terms.
    assert!(!text.contains("Payable within 14 days."), "{text}");
    // Issuing again gives the same note.
    let again = s
        .write(|tx| invoices::issue_credit_note(tx, payment, "2026-03-10"))
        .unwrap();
    assert_eq!(again, note);

    // A second refund, of a tea and the shipping: its note lists the tea
    // alone (each note used to list the units of every refund of the order)
    // and what the amount gives back; the first note still lists the mug alone.
    let tea: i64 = s
        .conn()
        .query_row(
            "SELECT max(id) FROM order_items WHERE order_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let req = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: tea,
            quantity: 1,
            restock: false,
        }],
        shipping: true,
        method: "Card".into(),
        date: "2026-03-10".into(),
        ..Default::default()
    };
    let second = s.write(|tx| store::orders::refund(tx, id, &req)).unwrap();
    let second_note = s
        .write(|tx| invoices::issue_credit_note(tx, second, "2026-03-10"))
        .unwrap();
    let doc = invoices::document(s.conn(), id).unwrap();
    let payments = store::orders::payments(s.conn(), id).unwrap();
    let text_of = |payment: i64, note: &invoices::CreditNote| {
        let refund = payments.iter().find(|p| p.id == payment).unwrap();
        let units = store::orders::refund_units(s.conn(), payment).unwrap();
        let text = pdf_text(&book_bytes(&s, |b| {
            b.credit_note(&doc, note, refund, &units)
        }));
        (text, refund.parts)
    };
    let (first_text, _) = text_of(payment, &note);
    assert!(first_text.contains("Striped Mug"), "{first_text}");
    assert!(!first_text.contains("Green Tea"), "{first_text}");
    let (text, parts) = text_of(second, &second_note);
    assert!(text.contains("Green Tea"), "{text}");
    assert!(!text.contains("Striped Mug"), "{text}");
    assert_eq!(parts.shipping, 495);
    for (label, amount) in [
        ("Goods", parts.revenue),
        ("Shipping", parts.shipping),
        ("Tax", parts.tax),
    ] {
        let want = format!("{label}\n{}", currency.format(Money(amount)));
        assert!(text.contains(&want), "{want:?} missing from:\n{text}");
    }
    // Its tax per rate, as on the invoice: the tea's 5 % and the shipping's
    // 20 %, adding up to the tax given back; each on what it gave back
    // without tax, adding up to the goods and shipping given back.
    let lines: Vec<&str> = text.lines().collect();
    let cents = |amount: &str| -> i64 {
        amount
            .trim_start_matches('$')
            .replace('.', "")
            .parse()
            .unwrap()
    };
    let per_rate: Vec<(i64, i64)> = ["Tax 5% on ", "Tax 20% on "]
        .iter()
        .map(|label| {
            let at = lines
                .iter()
                .position(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("{label} missing from:\n{text}"));
            (cents(&lines[at][label.len()..]), cents(lines[at + 1]))
        })
        .collect();
    assert!(
        per_rate.iter().all(|(b, t)| *b > 0 && *t > 0),
        "{per_rate:?}"
    );
    assert_eq!(
        per_rate.iter().map(|p| p.1).sum::<i64>(),
        parts.tax,
        "{text}"
    );
    assert_eq!(
        per_rate.iter().map(|p| p.0).sum::<i64>(),
        parts.revenue + parts.shipping,
        "{text}"
    );
    // The tea alone at 5 %, the shipping alone at 20 %.
    assert_eq!(per_rate[0].0, parts.revenue, "{text}");
    assert_eq!(per_rate[1].0, parts.shipping, "{text}");
}

/// An invoice gives the sale as made and when its goods went out: the day
/// the order was shipped ("Date of supply", which an invoice must give
/// where it is not the invoice's day), and no refund (a German tryout's
/// accountant found a part refund on both the invoice and its credit note).
#[test]
fn an_invoice_gives_the_date_of_supply_and_leaves_refunds_to_credit_notes() {
    let (_dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let doc = invoices::document(s.conn(), id).unwrap();
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    assert!(!text.contains("Date of supply"), "not shipped yet:\n{text}");

    s.write(|tx| store::orders::ship(tx, id, Some("DHL"), None))
        .unwrap();
    refund_one(&mut s, id, "2026-03-09");
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-10"))
        .unwrap();
    let doc = invoices::document(s.conn(), id).unwrap();
    let shipped = doc
        .detail
        .history
        .iter()
        .find(|h| h.to == OrderStatus::Shipped)
        .map(|h| h.at[..10].to_owned())
        .unwrap();
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    let money = |m: Money| Currency::default().format(m);
    let m = &doc.detail.money;
    assert!(m.refunded.0 > 0);
    for want in [
        format!("Date of supply: {shipped}"),
        format!("Total\n{}", money(m.total)),
        format!("Paid\n{}", money(m.paid)),
        format!("Balance\n{}", money(m.balance)),
    ] {
        assert!(text.contains(&want), "{want:?} missing from:\n{text}");
    }
    assert!(!text.contains("Refunded"), "{text}");
    assert!(!text.contains(&money(m.refunded)), "{text}");
}

/// Every figure of the order, formatted as the screen formats it, is in the
/// invoice's text; and the packing slip has no price at all.
#[test]
fn the_invoice_holds_every_figure_of_the_order() {
    let (_dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let mut identity = ShopIdentity {
        legal_name: "Thomas & Daughters Ltd".into(),
        address: "1 High Street\nYork YO1 7HH".into(),
        tax_number: "GB123456789".into(),
        payment_terms: "Payable within 14 days.".into(),
        footer: "Thank you for shopping with us.".into(),
        ..Default::default()
    };
    identity.paper = Paper::Letter;
    s.write(|tx| invoices::save_identity(tx, &identity))
        .unwrap();
    assert_eq!(invoices::identity(s.conn()).unwrap(), identity);
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-03"))
        .unwrap();
    let doc = invoices::document(s.conn(), id).unwrap();
    let d = &doc.detail;
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    let money = |m: Money| Currency::default().format(m);
    let mut wanted: Vec<String> = vec![
        "INVOICE".into(),
        "INV-00001".into(),
        "2026-03-03".into(),
        format!("#{id:06}"),
        "WEB-1001".into(),
        "Thomas & Daughters Ltd".into(),
        "GB123456789".into(),
        "Isla Thomas".into(),
        "isla@example.com".into(),
        "Payable within 14 days.".into(),
        "Thank you for shopping with us.".into(),
        // The lines' amounts after their own discounts (33.75 + 15.98),
        // then the order's 2.00 off once.
        "Subtotal\n$49.73".into(),
        "Order discount (SPRING)\n-$2.00".into(),
        money(d.money.shipping),
        money(d.money.tax),
        money(d.money.total),
        money(d.money.paid),
        money(d.money.balance),
        "Tax 20%".into(),
        "Tax 5%".into(),
    ];
    for l in &d.lines {
        wanted.extend([
            l.name.clone(),
            l.sku.clone(),
            money(l.unit_price),
            money(Money(l.line_total.0 - l.line_discount.0)),
            l.tax_rate.to_string(),
        ]);
        if l.line_discount.0 != 0 {
            wanted.push(format!("-{}", money(l.line_discount)));
        }
    }
    for want in &wanted {
        assert!(text.contains(want.as_str()), "{want} missing from:\n{text}");
    }
    // The mug's line reads after its 10 % (3.75 off 37.50), not before it.
    assert_eq!(
        d.lines.iter().map(|l| l.line_discount).collect::<Vec<_>>(),
        [Money(375), Money(0)]
    );
    assert!(text.contains("-$3.75\n20%\n$33.75"), "{text}");
    assert!(!text.contains("$37.50"), "{text}");
    assert!(d.money.tax.0 > 0 && d.money.discounts.0 > 0 && d.money.shipping.0 > 0);
    // Each rate with the amount it was charged on, as an invoice must say
    // (worked by hand): the mug 37.50 - 10 % = 33.75 and the tea 15.98 share
    // the order's 2.00 off as 1.36 and 0.64, so the mug comes to 32.39 (tax
    // 6.48) and the tea to 15.34 (tax 0.77); the shipping's 4.95 is taxed
    // at 20 % (0.99).
    for (label, tax) in [
        ("Tax 20% on $37.34", "$7.47"),
        ("Tax 5% on $15.34", "$0.77"),
    ] {
        let want = format!("{label}\n{tax}");
        assert!(text.contains(&want), "{want:?} missing from:\n{text}");
    }
    let slip = pdf_text(&book_bytes(&s, |b| b.packing_slip(&doc)));
    for want in [
        "PACKING SLIP",
        "MUG-1",
        "TEA-2",
        "Striped Mug",
        "Isla Thomas",
    ] {
        assert!(slip.contains(want), "{want} missing from:\n{slip}");
    }
    assert!(!slip.contains('$'), "no prices on a packing slip:\n{slip}");
}

/// With prices including tax, each rate still names the amount without tax
/// it was charged on, and goods sold without tax (a gift card) say so, with
/// shipping that was not taxed among them.
#[test]
fn the_invoice_gives_what_each_rate_was_charged_on() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let mug = add_product(&mut s, "MUG-1", "Striped Mug", "12.00", 50);
    let card = add_product(&mut s, "GIFT-25", "Gift card", "25.00", 50);
    let mut first = line(mug, 2, 1200);
    first.tax_rate = Rate(20_000);
    let second = line(card, 1, 2500);
    let mut o = order(c, vec![first, second]);
    o.terms = Terms {
        discount: Discount::None,
        shipping: Money(390),
        shipping_rate: Rate::ZERO,
        tax_included: true,
        tax: None,
    };
    let id = place(&mut s, &o, "2026-03-02", None);
    let doc = invoices::document(s.conn(), id).unwrap();
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    // 24.00 with 20 % in it: 20.00 and 4.00 of tax; the card's 25.00 and
    // the shipping's 3.90 without any.
    for want in [
        "Tax 20% included, on $20.00 before tax\n$4.00",
        "No tax on $28.90\n$0.00",
    ] {
        assert!(text.contains(want), "{want:?} missing from:\n{text}");
    }
    assert_eq!(doc.detail.money.total, Money(5290));
}

/// Tax a platform's file gave as an amount, with no rate (kept as given):
/// the invoice gives it as the order's tax, not as nothing.
#[test]
fn the_invoice_gives_a_tax_given_as_an_amount() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let mug = add_product(&mut s, "MUG-1", "Striped Mug", "12.00", 50);
    let mut o = order(c, vec![line(mug, 2, 1200)]);
    o.terms.tax = Some(Money(199));
    let id = place(&mut s, &o, "2026-03-02", None);
    let doc = invoices::document(s.conn(), id).unwrap();
    assert_eq!(doc.detail.money.tax, Money(199));
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    assert!(text.contains("Tax\n$1.99"), "{text}");
    assert!(text.contains("Total\n$25.99"), "{text}");
    // Its line names no rate: "0%" beside a tax of 1.99 contradicted it
    // (a tryout's Shopify orders); it shows its share of the tax instead
    // (an empty column said nothing).
    assert!(!text.contains("0%"), "{text}");
    assert!(text.contains("$12.00\n$1.99\n$24.00"), "{text}");
}

/// A long order runs over several pages, each with the table's header; a
/// name in Greek and Cyrillic keeps its letters (Ubuntu has them).
#[test]
fn a_long_order_runs_over_pages_with_the_header_repeated() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ζωή Κωνσταντίνου Жуковская", "zoe@example.com");
    let lines: Vec<_> = (0..200)
        .map(|i| {
            let p = add_product(
                &mut s,
                &format!("SKU-{i:03}"),
                &format!("Product number {i} with a rather long descriptive name that wraps"),
                "1.00",
                100,
            );
            line(p, 1 + i % 3, 100 + i)
        })
        .collect();
    let id = place(&mut s, &order(c, lines), "2026-02-01", None);
    let doc = invoices::document(s.conn(), id).unwrap();
    let bytes = book_bytes(&s, |b| b.invoice(&doc));
    let texts = pdf_pages(&bytes);
    let pages = texts.len();
    assert!(pages >= 5, "{pages} pages");
    for (i, text) in texts.iter().enumerate() {
        let page = i + 1;
        assert!(text.contains("Unit price"), "page {page}: {text}");
        assert!(
            text.contains(&format!("Page {page} of {pages}")),
            "page {page}"
        );
    }
    let all = pdf_text(&bytes);
    assert!(all.contains("Ζωή Κωνσταντίνου Жуковская"), "{all}");
    assert!(all.contains("SKU-199"));
    assert!(all.contains(&Currency::default().format(doc.detail.money.total)));
}

#[test]
fn a_batch_is_one_pdf_with_a_page_per_order_and_cancel_writes_nothing() {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "P-1", "Pen", "1.00", 1000);
    for day in 1..=9 {
        place(
            &mut s,
            &order(c, vec![line(p, 1, 100)]),
            &format!("2026-05-0{day}"),
            None,
        );
    }
    let ids = invoices::orders_between(s.conn(), "2026-05-02", "2026-05-08").unwrap();
    assert_eq!(ids.len(), 7);
    let out = dir.path().join("may.pdf");
    let cancelled = Progress::default();
    cancelled.cancel();
    let e = write_orders(
        &mut s,
        &ids,
        Which::PackingSlip,
        &out,
        Replace::Never,
        &cancelled,
    )
    .unwrap_err();
    assert!(e.contains("cancelled"), "{e}");
    assert!(!out.exists());
    let written = write_orders(
        &mut s,
        &ids,
        Which::Invoice,
        &out,
        Replace::Never,
        &Progress::default(),
    )
    .unwrap();
    assert_eq!((written.documents, written.pages), (7, 7));
    let text = pdf_text(&std::fs::read(&out).unwrap());
    for n in 1..=7 {
        assert!(text.contains(&format!("INV-{n:05}")), "{n}");
    }
    // Again, without leave to replace: refused, the file as it was.
    let before = std::fs::read(&out).unwrap();
    let e = write_order(&mut s, ids[0], Which::Invoice, &out, Replace::Never).unwrap_err();
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn a_logo_must_be_a_small_png_or_jpeg() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let e = s
        .write(|tx| invoices::set_logo(tx, Some(b"not a picture")))
        .unwrap_err();
    assert!(e.to_string().contains("PNG or JPEG"), "{e}");
    assert!(invoices::logo(s.conn()).unwrap().is_none());
    let mut png = Vec::new();
    image::RgbaImage::from_pixel(4, 2, image::Rgba([200, 20, 20, 255]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    s.write(|tx| invoices::set_logo(tx, Some(&png))).unwrap();
    let (kind, bytes) = invoices::logo(s.conn()).unwrap().unwrap();
    assert_eq!(bytes, png);
    let settings = store::settings::load(s.conn()).unwrap();
    let identity = invoices::identity(s.conn()).unwrap();
    let fonts = Fonts::builtin();
    let mut book = Book::new(
        Shop {
            name: &settings.shop_name,
            identity: &identity,
            currency: &settings.currency,
            date_style: settings.date_style,
            logo: Some((kind, &bytes)),
            country: &settings.country,
        },
        &fonts,
    )
    .unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "P-1", "Pen", "1.00", 10);
    let id = place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-01-05", None);
    book.packing_slip(&invoices::document(s.conn(), id).unwrap());
    let pdf = book.finish().unwrap();
    assert!(
        pdf.windows(8).any(|w| w == b"/XObject"),
        "the logo is drawn"
    );
}

fn shopkeeper() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shopkeeper"));
    c.env_remove("SHOPKEEPER_DB");
    c
}

#[test]
fn the_command_line_prints_and_refuses_clearly() {
    let (dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let c = add_customer(&mut s, "Gone", "gone@example.com");
    let p = add_product(&mut s, "G-1", "Gone thing", "1.00", 10);
    let cancelled = place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-03-05", None);
    s.write(|tx| store::orders::set_status(tx, cancelled, OrderStatus::Cancelled))
        .unwrap();
    drop(s);
    let db = path.to_str().unwrap();
    let out = dir.path().join("inv.pdf");
    let run = |args: &[&str]| {
        let o = shopkeeper()
            .arg("--db")
            .arg(db)
            .args(args)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
        )
    };
    let (ok, said) = run(&["invoice", "WEB-1001", "--out", out.to_str().unwrap()]);
    assert!(ok, "{said}");
    assert!(
        said.contains("INV-00001") && said.contains(&format!("#{id:06}")),
        "{said}"
    );
    assert!(pdf_text(&std::fs::read(&out).unwrap()).contains("INV-00001"));
    // The same number again, by number this time.
    let again = dir.path().join("again.pdf");
    let (ok, said) = run(&[
        "invoice",
        &format!("#{id:06}"),
        "--out",
        again.to_str().unwrap(),
    ]);
    assert!(ok && said.contains("INV-00001"), "{said}");
    for (args, words) in [
        (vec!["invoice", "999"], "there is no order \"999\""),
        (vec!["packing-slip", &*cancelled.to_string()], "cancelled"),
        (vec!["invoice", &*id.to_string()], "already exists"),
    ] {
        let target = if words == "already exists" {
            out.clone()
        } else {
            dir.path().join("no.pdf")
        };
        let (ok, said) = run(&[&args[..], &["--out", target.to_str().unwrap()]].concat());
        assert!(!ok && said.contains(words), "{args:?}: {said}");
        assert!(
            said.contains("nothing was written") || words == "already exists",
            "{said}"
        );
        assert!(!dir.path().join("no.pdf").exists());
    }
    let folder = dir.path().join("missing").join("x.pdf");
    let (ok, said) = run(&["packing-slip", "1", "--out", folder.to_str().unwrap()]);
    assert!(!ok && said.contains("does not exist"), "{said}");
    let range = dir.path().join("range.pdf");
    let (ok, said) = run(&[
        "invoices",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--out",
        range.to_str().unwrap(),
    ]);
    assert!(ok && said.contains("Wrote 1 invoice"), "{said}");
    let (ok, said) = run(&[
        "invoices",
        "--from",
        "2026-3-1",
        "--to",
        "2026-03-31",
        "--out",
        dir.path().join("bad.pdf").to_str().unwrap(),
    ]);
    assert!(!ok && said.contains("YYYY-MM-DD"), "{said}");
    assert!(!dir.path().join("bad.pdf").exists());
}

/// In the window: the order's "Invoice…" offers `INV-… Name.pdf`, writes it
/// in the background and offers "Open"; "Print packing slips…" writes the
/// orders the filter shows into one PDF.
#[test]
fn the_window_saves_an_invoice_and_a_range_of_packing_slips() {
    use crate::common::ui::{button, ready_store, wait_for, window_with};
    use shopkeeper::ui::dialogs::ScriptedDialogs;
    let (dir, mut s) = ready_store();
    let (c, p, id) = isla_buys_two_mugs(&mut s);
    place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-03",
        None,
    );
    let dialogs = ScriptedDialogs::default();
    let invoice = dir.path().join("invoice.pdf");
    let slips = dir.path().join("slips.pdf");
    dialogs.push(&invoice);
    dialogs.push(&slips);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label(&format!("#{id:06}")).click();
    h.run();
    button(&h, "Invoice…").click();
    h.run();
    // The shop never said who it is: the window asks before its first
    // invoice, which would name "My Shop" alone.
    assert!(crate::common::ui::shows(
        &h,
        "Your shop's details are not on invoices yet"
    ));
    button(&h, "Write it anyway").click();
    // Its file, and the job's word that it is done: the next print is
    // refused while a job runs ("A task is already running").
    wait_for(&mut h, "the invoice", |h| {
        invoice.exists()
            && crate::common::ui::texts(h)
                .iter()
                .any(|t| t.starts_with("Saved invoice"))
    });
    assert_eq!(
        dialogs.suggested.lock().unwrap().as_slice(),
        ["INV-00001 Isla Thomas.pdf"]
    );
    let text = pdf_text(&std::fs::read(&invoice).unwrap());
    assert!(
        text.contains("INV-00001") && text.contains("$25.00"),
        "{text}"
    );
    assert!(
        h.query_all_by_label("Open invoice.pdf").next().is_some(),
        "Open is offered, naming the file"
    );
    button(&h, "Print packing slips…").click();
    wait_for(&mut h, "the packing slips", |_| slips.exists());
    let pages = pdf_pages(&std::fs::read(&slips).unwrap());
    assert_eq!(pages.len(), 2, "a page per order shown");
    assert!(pages.iter().all(|p| p.contains("PACKING SLIP")));
}

/// A shop that never said who it is is asked before its first invoice;
/// "Set up shop identity…" opens Settings on that page, and once a legal
/// name is saved there the invoice is written without asking.
#[test]
fn the_first_invoice_of_a_shop_without_its_details_asks_for_them() {
    use crate::common::ui::{button, ready_store, shows, text_input, wait_for, window_with};
    use shopkeeper::ui::dialogs::ScriptedDialogs;
    let (dir, mut s) = ready_store();
    let (_, _, id) = isla_buys_two_mugs(&mut s);
    let dialogs = ScriptedDialogs::default();
    let invoice = dir.path().join("invoice.pdf");
    dialogs.push(&invoice);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label(&format!("#{id:06}")).click();
    h.run();
    button(&h, "Invoice…").click();
    h.run();
    assert!(shows(&h, "Your shop's details are not on invoices yet"));
    button(&h, "Set up shop identity…").click();
    h.run();
    h.run();
    assert!(!shows(&h, "Your shop's details are not on invoices yet"));
    text_input(&h, "Legal name").focus();
    text_input(&h, "Legal name").type_text("Thomas Ltd");
    h.run();
    button(&h, "Save").click();
    h.run();
    assert!(
        invoices::invoice_of(h.state().store().conn(), id)
            .unwrap()
            .is_none(),
        "no number was given while asking"
    );
    button(&h, "Invoice…").click();
    wait_for(&mut h, "the invoice", |_| invoice.exists());
    let text = pdf_text(&std::fs::read(&invoice).unwrap());
    assert!(text.contains("Thomas Ltd"), "{text}");
}

/// Settings > Shop identity: what is typed there is saved with the settings
/// and printed on the next invoice, with the number format it sets.
#[test]
fn the_shop_identity_is_set_in_settings() {
    use crate::common::ui::{button, open_window, ready_store, text_input};
    let (_dir, mut s) = ready_store();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Striped Mug", "12.50", 50);
    let id = place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-02",
        None,
    );
    let mut h = open_window(s);
    h.run();
    h.get_by_label("File").click();
    h.run();
    button(&h, "Settings…").click();
    h.run();
    h.get_by_label("Shop identity").click();
    h.run();
    for (field, text) in [
        ("Legal name", "Thomas Ltd"),
        ("Tax number", "GB999"),
        ("Invoice prefix", "INV-2026-"),
    ] {
        text_input(&h, field).focus();
        if field == "Invoice prefix" {
            for _ in 0.."INV-".len() {
                h.key_press(egui::Key::Backspace);
            }
        }
        text_input(&h, field).type_text(text);
        h.run();
    }
    text_input(&h, "Next invoice number").focus();
    h.key_press(egui::Key::Backspace);
    text_input(&h, "Next invoice number").type_text("42");
    h.run();
    button(&h, "Save").click();
    h.run();
    let mut s = Store::open(h.state().store().path()).unwrap();
    let identity = invoices::identity(s.conn()).unwrap();
    assert_eq!(
        (identity.legal_name.as_str(), identity.tax_number.as_str()),
        ("Thomas Ltd", "GB999")
    );
    let issued = s
        .write(|tx| invoices::issue_invoice(tx, id, "2026-03-03"))
        .unwrap();
    assert_eq!(issued.number, "INV-2026-00042");
}

/// A refund's credit note as a file (the window's "Credit note…"): numbered
/// once, naming the invoice it was issued with.
#[test]
fn a_credit_note_is_written_to_a_file() {
    let (dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let item: i64 = s
        .conn()
        .query_row(
            "SELECT max(id) FROM order_items WHERE order_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let req = RefundRequest {
        lines: vec![RefundLine {
            order_item_id: item,
            quantity: 1,
            restock: false,
        }],
        method: "Cash".into(),
        date: "2026-03-10".into(),
        ..Default::default()
    };
    let payment = s.write(|tx| store::orders::refund(tx, id, &req)).unwrap();
    let out = dir.path().join("cn.pdf");
    let written =
        shopkeeper::jobs::documents::write_credit_note(&mut s, payment, &out, Replace::Never)
            .unwrap();
    assert_eq!(written.number.as_deref(), Some("CN-00001"));
    let text = pdf_text(&std::fs::read(&out).unwrap());
    assert!(
        text.contains("CN-00001") && text.contains("INV-00001"),
        "{text}"
    );
    let again =
        shopkeeper::jobs::documents::write_credit_note(&mut s, payment, &out, Replace::Allowed)
            .unwrap();
    assert_eq!(again.number.as_deref(), Some("CN-00001"));
    assert_eq!(
        invoices::credit_note_of(s.conn(), payment)
            .unwrap()
            .map(|n| n.seq),
        Some(1)
    );
}

/// Settings > Shop identity > Choose logo…: a file that is not a picture is
/// refused with its reason; a PNG is kept in the database on Save.
#[test]
fn a_logo_is_chosen_in_settings() {
    use crate::common::ui::{button, ready_store, window_with};
    use shopkeeper::ui::dialogs::ScriptedDialogs;
    let (dir, s) = ready_store();
    let bad = dir.path().join("notes.txt");
    std::fs::write(&bad, "not a picture").unwrap();
    let good = dir.path().join("logo.png");
    image::RgbaImage::from_pixel(8, 4, image::Rgba([20, 120, 200, 255]))
        .save(&good)
        .unwrap();
    let dialogs = ScriptedDialogs::default();
    dialogs.push(&bad);
    dialogs.push(&good);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.get_by_label("File").click();
    h.run();
    button(&h, "Settings…").click();
    h.run();
    h.get_by_label("Shop identity").click();
    h.run_steps(10);
    button(&h, "Choose logo…").click();
    h.run_steps(3);
    assert!(
        h.query_all_by_label_contains("not a PNG or JPEG")
            .next()
            .is_some(),
        "the reason is shown: {:?} asked {:?}",
        crate::common::ui::texts(&h),
        dialogs.asked.lock().unwrap()
    );
    button(&h, "Choose logo…").click();
    h.run_steps(3);
    button(&h, "Save").click();
    h.run();
    let s = Store::open(h.state().store().path()).unwrap();
    let (_, bytes) = invoices::logo(s.conn()).unwrap().expect("the logo is kept");
    assert_eq!(bytes, std::fs::read(&good).unwrap());
}

/// Dates on documents follow the shop's date format (Settings > Formats),
/// as on screen.
#[test]
fn documents_print_dates_the_shops_way() {
    let (_dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let mut settings = store::settings::load(s.conn()).unwrap();
    settings.date_style = shopkeeper::domain::format::DateStyle::DayMonthYear;
    s.write(|tx| store::settings::save(tx, &settings)).unwrap();
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-03"))
        .unwrap();
    let doc = invoices::document(s.conn(), id).unwrap();
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    assert!(text.contains("03/03/2026"), "{text}");
    assert!(text.contains("02/03/2026"), "{text}");
    assert!(!text.contains("2026-03-0"), "{text}");
    let slip = pdf_text(&book_bytes(&s, |b| b.packing_slip(&doc)));
    assert!(slip.contains("02/03/2026"), "{slip}");
}

/// `shopkeeper credit-note ORDER [--refund N] --out FILE.pdf`: the credit
/// note of a refund, naming the invoice (an order without one is given its
/// number with the note, as in the window); an order without a refund, one
/// cancelled before it was invoiced, or a refund that is not there, is
/// refused and no file is written.
#[test]
fn the_command_line_writes_a_credit_note_and_refuses_clearly() {
    let (dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let c = add_customer(&mut s, "Other", "other@example.com");
    let p = add_product(&mut s, "O-1", "Other thing", "1.00", 10);
    let unrefunded = place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-03-05", None);
    s.write(|tx| store::orders::mark_paid(tx, unrefunded, "Cash", "2026-03-05"))
        .unwrap();
    s.write(|tx| invoices::issue_invoice(tx, unrefunded, "2026-03-05"))
        .unwrap();
    let first = refund_one(&mut s, id, "2026-03-09");
    drop(s);
    let db = path.to_str().unwrap();
    let run = |args: &[&str]| {
        let o = shopkeeper()
            .arg("--db")
            .arg(db)
            .args(args)
            .output()
            .unwrap();
        (
            o.status.success(),
            String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
        )
    };
    let no = dir.path().join("no.pdf");
    let no = no.to_str().unwrap();
    // (Refunded but never invoiced: given its invoice number with the note,
    // at the end.)
    // Cancelled (so refunded) before it was invoiced: it can get no invoice
    // now, so the message does not send the user off to write one.
    let mut s = Store::open(&path).unwrap();
    let cancelled = place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-03-06", None);
    s.write(|tx| store::orders::mark_paid(tx, cancelled, "Cash", "2026-03-06"))
        .unwrap();
    s.write(|tx| store::orders::set_status(tx, cancelled, OrderStatus::Cancelled))
        .unwrap();
    drop(s);
    let (ok, said) = run(&["credit-note", &cancelled.to_string(), "--out", no]);
    assert!(
        !ok && said.contains("cancelled before it was invoiced")
            && !said.contains("shopkeeper invoice")
            && said.contains("nothing was written"),
        "{said}"
    );
    // Invoiced but never refunded.
    let (ok, said) = run(&["credit-note", &unrefunded.to_string(), "--out", no]);
    assert!(
        !ok && said.contains("has no refund") && said.contains("nothing was written"),
        "{said}"
    );
    let mut s = Store::open(&path).unwrap();
    assert_eq!(invoices::credit_note_of(s.conn(), first).unwrap(), None);
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-10"))
        .unwrap();
    let second = refund_one(&mut s, id, "2026-03-11");
    drop(s);
    // Two refunds: which one must be said.
    let (ok, said) = run(&["credit-note", "WEB-1001", "--out", no]);
    assert!(
        !ok && said.contains("2 refunds") && said.contains("--refund 1 to 2"),
        "{said}"
    );
    let (ok, said) = run(&["credit-note", "WEB-1001", "--refund", "3", "--out", no]);
    assert!(!ok && said.contains("no refund 3"), "{said}");
    assert!(!dir.path().join("no.pdf").exists());
    // The second came with CN-00001 when it was given; the first gets CN-00002 now.
    let out = dir.path().join("cn.pdf");
    let (ok, said) = run(&[
        "credit-note",
        &format!("#{id:06}"),
        "--refund",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok && said.contains("CN-00001"), "{said}");
    let text = pdf_text(&std::fs::read(&out).unwrap());
    assert!(
        text.contains("CREDIT NOTE") && text.contains("CN-00001") && text.contains("INV-00002"),
        "{text}"
    );
    let (ok, said) = run(&[
        "credit-note",
        "WEB-1001",
        "--refund",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok && said.contains("already exists"), "{said}");
    let (ok, said) = run(&[
        "credit-note",
        "WEB-1001",
        "--refund",
        "1",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert!(ok && said.contains("CN-00002"), "{said}");
    let s = Store::open(&path).unwrap();
    assert_eq!(
        [first, second].map(|p| invoices::credit_note_of(s.conn(), p)
            .unwrap()
            .map(|n| n.seq)),
        [Some(2), Some(1)]
    );
    // Refunded but never invoiced: as in the window, the order is given its
    // invoice number with the note, and the command says so (it refused,
    // while the window gave the number: the two disagreed).
    let mut s = s;
    let never = place(&mut s, &order(c, vec![line(p, 2, 100)]), "2026-03-12", None);
    s.write(|tx| store::orders::mark_paid(tx, never, "Cash", "2026-03-12"))
        .unwrap();
    refund_one(&mut s, never, "2026-03-13");
    drop(s);
    let given = dir.path().join("given.pdf");
    let (ok, said) = run(&[
        "credit-note",
        &never.to_string(),
        "--out",
        given.to_str().unwrap(),
    ]);
    assert!(
        ok && said.contains("Wrote credit note CN-00003")
            && said.contains("was given invoice number INV-00003 with it")
            && said.contains(&format!("shopkeeper invoice {never}")),
        "{said}"
    );
    assert!(pdf_text(&std::fs::read(&given).unwrap()).contains("INV-00003"));
}

/// In the window: each refund's "Credit note…" offers `CN-… Name.pdf`,
/// writes it in the background and offers "Open"; a cancelled order that
/// was invoiced still offers the credit note of what it gave back.
#[test]
fn the_window_saves_a_credit_note_per_refund() {
    use crate::common::ui::{button, ready_store, wait_for, window_with};
    use shopkeeper::ui::dialogs::ScriptedDialogs;
    let (dir, mut s) = ready_store();
    let (_, _, id) = isla_buys_two_mugs(&mut s);
    s.write(|tx| store::orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-02"))
        .unwrap();
    say_who_the_shop_is(&mut s);
    refund_one(&mut s, id, "2026-03-09");
    s.write(|tx| store::orders::set_status(tx, id, OrderStatus::Cancelled))
        .unwrap();
    let dialogs = ScriptedDialogs::default();
    let first = dir.path().join("first.pdf");
    let second = dir.path().join("second.pdf");
    dialogs.push(&first);
    dialogs.push(&second);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label(&format!("#{id:06}")).click();
    h.run();
    assert!(
        h.query_all_by_label("Invoice…").next().is_none(),
        "a cancelled order gets no invoice"
    );
    // Each refund's button names its credit note, issued with the refund.
    button(&h, "Credit note CN-00001 ($12.50)…").click();
    // Its file, and the job's word that it is done: the next print is
    // refused while a job runs (it failed so in a full parallel run).
    wait_for(&mut h, "the first credit note", |h| {
        first.exists()
            && crate::common::ui::texts(h)
                .iter()
                .any(|t| t.starts_with("Saved credit note CN-00001"))
    });
    button(&h, "Credit note CN-00002 ($12.50)…").click();
    wait_for(&mut h, "the second credit note", |h| {
        second.exists()
            && crate::common::ui::texts(h)
                .iter()
                .any(|t| t.starts_with("Saved credit note CN-00002"))
    });
    assert_eq!(
        dialogs.suggested.lock().unwrap().as_slice(),
        ["CN-00001 Isla Thomas.pdf", "CN-00002 Isla Thomas.pdf"]
    );
    let text = pdf_text(&std::fs::read(&second).unwrap());
    assert!(
        text.contains("CN-00002") && text.contains("INV-00001") && text.contains("$12.50"),
        "{text}"
    );
    // The cancellation's note names what it credits: the mug not given
    // back before (one of two); the first note, the mug returned.
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "Item cancelled")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        lines[at..]
            .windows(3)
            .any(|w| w == ["Striped Mug", "MUG-1", "1"]),
        "{text}"
    );
    let first_text = pdf_text(&std::fs::read(&first).unwrap());
    assert!(first_text.contains("Item returned"), "{first_text}");
    assert!(!first_text.contains("Item cancelled"), "{first_text}");
    assert!(
        h.query_all_by_label("Open second.pdf").next().is_some(),
        "Open is offered, naming the file written last"
    );
}

/// A credit note gives each item its part of the goods given back (after
/// the line's discount and its share of the order's), adding up to Goods:
/// a tryout could not see why one towel invoiced at $42.00 less 10 % came
/// to $35.61.
#[test]
fn a_credit_note_gives_each_item_its_amount() {
    let (_dir, path) = temp_db();
    let (mut s, id) = shop_with_a_rich_order(&path);
    let payment = refund_one(&mut s, id, "2026-03-09");
    let (refund, text) = credit_note_text(&mut s, id, payment);
    // One of three mugs of 12.50 less 10 %, less its share of the order's
    // 2.00: 32.39 / 3 = 10.80 (rounded), the whole of the goods given back.
    let goods = Currency::default().format(Money(refund.parts.revenue));
    assert_eq!(goods, "$10.80");
    for want in [
        format!("Striped Mug\nMUG-1\n1\n{goods}"),
        format!("Goods\n{goods}"),
        "they add up to Goods below".to_owned(),
    ] {
        assert!(text.contains(&want), "{want:?} missing from:\n{text}");
    }
}

/// A credit note from the window for an order never invoiced gives the
/// order its invoice number (the note names it), and the message says so:
/// a tryout found the number given without a word.
#[test]
fn a_credit_note_says_when_it_gave_the_order_its_invoice_number() {
    use crate::common::ui::{ready_store, texts, wait_for, window_with};
    use egui_kittest::kittest::NodeT;
    use shopkeeper::ui::dialogs::ScriptedDialogs;
    let (dir, mut s) = ready_store();
    let (_, _, id) = isla_buys_two_mugs(&mut s);
    s.write(|tx| store::orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    say_who_the_shop_is(&mut s);
    refund_one(&mut s, id, "2026-03-09");
    assert!(invoices::invoice_of(s.conn(), id).unwrap().is_none());
    let dialogs = ScriptedDialogs::default();
    let note = dir.path().join("note.pdf");
    dialogs.push(&note);
    let mut h = window_with(s, dialogs.clone());
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label(&format!("#{id:06}")).click();
    h.run();
    h.query_all_by_role(egui::accesskit::Role::Button)
        .find(|b| {
            b.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Credit note "))
        })
        .unwrap()
        .click();
    wait_for(&mut h, "the credit note", |_| note.exists());
    wait_for(&mut h, "the message", |h| {
        texts(h)
            .iter()
            .any(|t| t.contains("Saved credit note CN-00001"))
    });
    let said = texts(&h);
    assert!(
        said.iter().any(|t| t.contains(&format!(
            "Order #{id:06} was given invoice number INV-00001 with it"
        ))),
        "{said:?}"
    );
    assert!(
        invoices::invoice_of(h.state().store().conn(), id)
            .unwrap()
            .is_some()
    );
}

/// A cancelled order that was never invoiced offers no credit note for
/// what it gave back: it needs none, and the button only led to a refusal.
#[test]
fn a_cancelled_order_never_invoiced_offers_no_credit_note() {
    use crate::common::ui::{open_window, ready_store, texts};
    let (_dir, mut s) = ready_store();
    let (_, _, id) = isla_buys_two_mugs(&mut s);
    s.write(|tx| store::orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    s.write(|tx| store::orders::set_status(tx, id, OrderStatus::Cancelled))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run();
    h.get_by_label(&format!("#{id:06}")).click();
    h.run();
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == "Cancelled"), "{shown:?}");
    let offered: Vec<&String> = shown
        .iter()
        .filter(|t| t.starts_with("Credit note"))
        .collect();
    assert!(offered.is_empty(), "{offered:?}");
}

/// Each drawn string of a page with where it starts: (x, y, text).
fn pdf_pieces(bytes: &[u8]) -> Vec<Vec<(f32, f32, String)>> {
    use std::collections::HashMap;
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut pages = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let mut maps: HashMap<Vec<u8>, HashMap<u16, String>> = HashMap::new();
        for (name, font) in doc.get_page_fonts(page_id).unwrap() {
            let mut map = HashMap::new();
            if let Ok(r) = font.get(b"ToUnicode").and_then(lopdf::Object::as_reference) {
                let stream = doc.get_object(r).unwrap().as_stream().unwrap();
                let data = stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone());
                read_cmap(&String::from_utf8_lossy(&data), &mut map);
            }
            maps.insert(name, map);
        }
        let content = doc.get_page_content(page_id).unwrap();
        let ops = lopdf::content::Content::decode(&content)
            .unwrap()
            .operations;
        let mut font: Vec<u8> = Vec::new();
        let mut at = (0.0f32, 0.0f32);
        let mut text = String::new();
        let mut pieces = Vec::new();
        let num = |o: &lopdf::Object| o.as_float().unwrap_or(0.0);
        for op in ops {
            let decode = |font: &Vec<u8>, bytes: &[u8], text: &mut String| {
                for pair in bytes.chunks(2) {
                    let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                    text.push_str(
                        maps[font]
                            .get(&code)
                            .map(String::as_str)
                            .unwrap_or("\u{fffd}"),
                    );
                }
            };
            match op.operator.as_str() {
                "Tf" => font = op.operands[0].as_name().unwrap().to_vec(),
                "Tm" => at = (num(&op.operands[4]), num(&op.operands[5])),
                "Td" => at = (at.0 + num(&op.operands[0]), at.1 + num(&op.operands[1])),
                "Tj" => decode(&font, op.operands[0].as_str().unwrap(), &mut text),
                "TJ" => {
                    for item in op.operands[0].as_array().unwrap() {
                        if let Ok(s) = item.as_str() {
                            decode(&font, s, &mut text);
                        }
                    }
                }
                "ET" => pieces.push((at.0, at.1, std::mem::take(&mut text))),
                _ => {}
            }
        }
        pages.push(pieces);
    }
    pages
}

/// A customer whose name and address mix Hebrew with Latin words and a
/// house number: read back from the PDF, each line's pieces, taken from left
/// to right, read in visual order (the Latin city leftmost in a Hebrew
/// line, the Hebrew letters right to left, the number 12 as 12).
#[test]
fn mixed_direction_lines_are_drawn_in_visual_order() {
    let fonts = Fonts::shared();
    if fonts.visual("ש").first().is_none_or(|p| p.face == 0) {
        eprintln!(
            "no font of this system draws Hebrew: the visual order is checked in documents::text"
        );
        return;
    }
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mut who = crate::common::customer("Sarah שרה כהן", "sarah@example.com");
    who.address = Some("רחוב הרצל 12, Tel Aviv".into());
    let c = s.write(|tx| store::customers::insert(tx, &who)).unwrap();
    let p = add_product(&mut s, "MUG-1", "Striped Mug", "12.50", 50);
    let id = place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-02",
        None,
    );
    let doc = invoices::document(s.conn(), id).unwrap();
    let settings = store::settings::load(s.conn()).unwrap();
    let identity = invoices::identity(s.conn()).unwrap();
    let shop = Shop {
        name: &settings.shop_name,
        identity: &identity,
        currency: &settings.currency,
        date_style: settings.date_style,
        logo: None,
        country: &settings.country,
    };
    let mut book = Book::new(shop, fonts).unwrap();
    book.invoice(&doc);
    let bytes = book.finish().unwrap();
    if let Ok(keep) = std::env::var("SHOPKEEPER_KEEP_PDF") {
        std::fs::write(keep, &bytes).unwrap();
    }
    let pieces = &pdf_pieces(&bytes)[0];
    // The pieces of each line (same y), left to right.
    let line_of = |first: &str| -> String {
        let y = pieces
            .iter()
            .find(|p| p.2.contains(first))
            .unwrap_or_else(|| panic!("{first} is not drawn: {pieces:?}"))
            .1;
        let mut on: Vec<&(f32, f32, String)> =
            pieces.iter().filter(|p| (p.1 - y).abs() < 0.5).collect();
        on.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Bill-to and ship-to side by side: the first column only.
        let starts: Vec<usize> = (0..on.len()).filter(|i| on[*i].2.contains(first)).collect();
        let end = starts.get(1).copied().unwrap_or(on.len());
        on[starts[0]..end].iter().map(|p| p.2.as_str()).collect()
    };
    assert_eq!(line_of("Sarah"), "Sarah ןהכ הרש");
    assert_eq!(line_of("Tel Aviv"), "Tel Aviv ,12 לצרה בוחר");
}

#[test]
fn an_order_is_found_by_its_reference_typed_exactly_or_by_its_number_as_shown() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Striped Mug", "12.50", 50);
    let first = place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-02",
        None,
    );
    // Another system's order 1, imported beside this shop's own #000001.
    let imported = place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-03",
        Some("1"),
    );
    let find = |text: &str| store::invoices::find_order(s.conn(), text).unwrap();
    assert_eq!(find("1"), imported, "the reference typed exactly");
    assert_eq!(find("#000001"), first, "the number as the window shows it");
    assert_eq!(find("#1"), first, "a number no reference has");
    assert_eq!(find(&imported.to_string()), imported);
    assert!(store::invoices::find_order(s.conn(), "99").is_err());
}

/// A Shopify order named "#1004" is found from `1004` typed without its
/// '#' (the command line said "there is no order"; the Orders find box found
/// nothing), when the shop has no order of that number.
#[test]
fn a_platform_order_is_found_by_its_number_without_the_hash() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Isla Thomas", "isla@example.com");
    let p = add_product(&mut s, "MUG-1", "Striped Mug", "12.50", 50);
    let shopify = place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-02",
        Some("#1004"),
    );
    let find = |text: &str| store::invoices::find_order(s.conn(), text);
    assert_eq!(find("1004").unwrap(), shopify);
    assert_eq!(find("#1004").unwrap(), shopify);
    assert!(find("1005").is_err());
    let query = |text: &str| store::orders::OrderQuery {
        find: text.into(),
        ..Default::default()
    };
    for typed in ["1004", "#1004", "100"] {
        let q = query(typed);
        assert_eq!(store::orders::count(s.conn(), &q).unwrap(), 1, "{typed}");
        assert_eq!(
            store::orders::page(s.conn(), &q, 0, 10, 1).unwrap()[0].id,
            shopify,
            "{typed}"
        );
    }
    assert_eq!(store::orders::count(s.conn(), &query("1005")).unwrap(), 0);
}

/// With prices including tax, the invoice's goods and discounts hold their
/// tax, and so does its shipping (the charge as the customer saw it): its
/// rows add up to the total. The shipping was shown without its tax.
#[test]
fn an_invoice_with_prices_including_tax_adds_up() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Camille Roux", "camille@example.com");
    let mug = add_product(&mut s, "MUG-1", "Mug", "12.00", 50);
    let mut l = line(mug, 3, 1200);
    l.tax_rate = Rate(20_000);
    l.discount = Discount::Percent(Rate(10_000));
    let mut o = order(c, vec![l]);
    o.terms = Terms {
        discount: Discount::None,
        shipping: Money(490),
        shipping_rate: Rate(20_000),
        tax_included: true,
        tax: None,
    };
    let id = place(&mut s, &o, "2026-03-02", None);
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-03"))
        .unwrap();
    let doc = invoices::document(s.conn(), id).unwrap();
    let m = &doc.detail.money;
    // 36.00 less 3.60 with tax, 4.90 of shipping with tax: 37.30.
    assert_eq!(
        (m.gross_sales, m.discounts, m.total),
        (Money(3600), Money(360), Money(3730))
    );
    let text = pdf_text(&book_bytes(&s, |b| b.invoice(&doc)));
    let money = |m: i64| Currency::default().format(Money(m));
    // The line after its 10 % (36.00 less 3.60, with tax), the subtotal the
    // sum of the lines, no order discount: the rows add up to the total.
    for (label, amount) in [
        ("-$3.60\n20%", money(3240)),
        ("Subtotal", money(3240)),
        ("Shipping", money(490)),
        ("Total", money(3730)),
    ] {
        let want = format!("{label}\n{amount}");
        assert!(text.contains(&want), "{want:?} missing from:\n{text}");
    }
    assert!(!text.contains("discount"), "{text}");

    // A mug comes back: its credit note gives it with its tax, 10.80 as the
    // invoice's line gave each (a German tryout read its amount without tax
    // against the refund with it); the goods and tax below stay apart.
    s.write(|tx| store::orders::mark_paid(tx, id, "Card", "2026-03-02"))
        .unwrap();
    let payment = refund_one(&mut s, id, "2026-03-09");
    let (refund, text) = credit_note_text(&mut s, id, payment);
    assert_eq!(refund.amount, Money(1080));
    for want in [
        format!("Mug\nMUG-1\n1\n{}", money(1080)),
        "Amounts with tax, as on the invoice".to_owned(),
        format!("Goods (without tax)\n{}", money(900)),
        format!("Credited\n{}", money(1080)),
    ] {
        assert!(text.contains(&want), "{want:?} missing from:\n{text}");
    }
}

/// An order whose invoice was issued keeps its lines: the same invoice
/// number printed again showed other lines and another total. The window
/// offers no "Edit lines…" for it.
#[test]
fn an_invoiced_order_keeps_its_lines() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Marie", "marie@example.com");
    let mug = add_product(&mut s, "MUG-1", "Mug", "12.90", 20);
    let id = place(
        &mut s,
        &order(c, vec![line(mug, 2, 1290)]),
        "2026-03-02",
        None,
    );
    s.write(|tx| invoices::issue_invoice(tx, id, "2026-03-02"))
        .unwrap();
    let err = s
        .write(|tx| store::orders::edit_lines(tx, id, &[line(mug, 3, 1290)], None))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("has its invoice INV-00001 already"),
        "{err}"
    );
    let d = store::orders::detail(s.conn(), id).unwrap();
    assert_eq!(d.money.total, Money(2580));
    let mut h = crate::common::ui::open_window(s);
    h.run();
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num3);
    h.run_steps(2);
    h.get_by_label(&format!("#{id:06}")).click();
    h.run_steps(3);
    assert!(h.query_by_label("Mark paid…").is_some());
    assert!(h.query_by_label("Edit lines…").is_none());
}

/// The bill-to of a document and the ship-to of an order write the town and
/// postal code in the order of the customer's country, and a two-letter
/// country code by its name (a tryout read "LS1 4AB Leeds" and "FR").
#[test]
fn addresses_follow_their_country() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let p = add_product(&mut s, "MUG-1", "Striped Mug", "12.50", 50);
    let mut ids = Vec::new();
    for (name, email, street, postal, city, country) in [
        (
            "Ann Lee",
            "ann@example.com",
            "1 High St\nFlat 2",
            "LS1 4AB",
            "Leeds",
            "GB",
        ),
        (
            "Zoé Roux",
            "zoe@example.com",
            "12 Rue de la Paix",
            "75002",
            "Paris",
            "FR",
        ),
        (
            "Bo Ek",
            "bo@example.com",
            "Storgatan 1",
            "211 20",
            "Malmö",
            "Sverige",
        ),
    ] {
        let c = CustomerDraft {
            name: name.into(),
            email: email.into(),
            address: street.into(),
            postal_code: postal.into(),
            city: city.into(),
            country: country.into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let c = s.write(|tx| store::customers::insert(tx, &c)).unwrap();
        ids.push(place(
            &mut s,
            &order(c, vec![line(p, 1, 1250)]),
            "2026-03-02",
            None,
        ));
    }
    let bill_to = |id| invoices::document(s.conn(), id).unwrap().bill_to;
    assert_eq!(
        bill_to(ids[0]),
        [
            "Ann Lee",
            "1 High St",
            "Flat 2",
            "Leeds LS1 4AB",
            "United Kingdom",
            "ann@example.com"
        ]
    );
    assert_eq!(
        bill_to(ids[1]),
        [
            "Zoé Roux",
            "12 Rue de la Paix",
            "75002 Paris",
            "France",
            "zoe@example.com"
        ]
    );
    assert_eq!(
        bill_to(ids[2]),
        [
            "Bo Ek",
            "Storgatan 1",
            "211 20 Malmö",
            "Sverige",
            "bo@example.com"
        ]
    );
    // The order's ship-to, the customer's address by default.
    let ship_to = store::orders::detail(s.conn(), ids[0]).unwrap().ship_to;
    assert_eq!(
        ship_to,
        "Ann Lee\n1 High St\nFlat 2\nLeeds LS1 4AB\nUnited Kingdom"
    );
    // A customer with no address: no ship-to, rather than their name alone.
    let c = add_customer(&mut s, "us@example.com", "us@example.com");
    let id = place(
        &mut s,
        &order(c, vec![line(p, 1, 1250)]),
        "2026-03-02",
        None,
    );
    assert_eq!(store::orders::detail(s.conn(), id).unwrap().ship_to, "");
}

/// Tax rounded per line can be a cent from the rate's percent of the sum:
/// the invoice says why, and only then (a tryout took $9.39 for a mistake
/// under "Tax 7.25% on $129.60").
#[test]
fn an_invoice_says_when_tax_rounded_per_line_differs_from_the_sum() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Mary Johnson", "mary@example.com");
    let hoodie = add_product(&mut s, "HOOD-1", "Hoodie", "45.00", 10);
    let beanie = add_product(&mut s, "BEAN-1", "Beanie", "18.00", 10);
    let ohio = Rate(7_250);
    let taxed = |product, quantity, price| {
        let mut l = line(product, quantity, price);
        l.tax_rate = ohio;
        l
    };
    let mut o = order(c, vec![taxed(hoodie, 2, 4500), taxed(beanie, 3, 1800)]);
    o.terms.discount = Discount::Percent(Rate(10_000));
    let apart = place(&mut s, &o, "2026-03-02", None);
    // One line: the percent of the sum is the line's tax.
    let one = place(
        &mut s,
        &order(c, vec![taxed(hoodie, 2, 4500)]),
        "2026-03-02",
        None,
    );
    let note = "Tax is worked out on each line and rounded to the cent";
    let text = |id| {
        let doc = invoices::document(s.conn(), id).unwrap();
        pdf_text(&book_bytes(&s, |b| b.invoice(&doc)))
    };
    let apart = text(apart);
    assert!(apart.contains("$9.39"), "{apart}");
    assert!(apart.contains(note), "{apart}");
    let one = text(one);
    assert!(!one.contains(note), "{one}");
}

/// An Australian shop's invoice is a "TAX INVOICE" naming its ABN and its GST
/// by the rate's name (a tryout read "INVOICE", "Tax number:" and "Tax 10%");
/// a shop elsewhere keeps "INVOICE", and a rate named with its percent is
/// not named twice.
#[test]
fn an_australian_invoice_is_a_tax_invoice_with_its_abn_and_gst() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mut settings = store::settings::load(s.conn()).unwrap();
    settings.country = "AU".into();
    s.write(|tx| store::settings::save(tx, &settings)).unwrap();
    let identity = ShopIdentity {
        legal_name: "Clay and Co Pty Ltd".into(),
        tax_number: "12 345 678 901".into(),
        ..Default::default()
    };
    s.write(|tx| invoices::save_identity(tx, &identity))
        .unwrap();
    let gst = Rate(10_000);
    s.write(|tx| store::tax::add_rate(tx, "GST", gst)).unwrap();
    s.write(|tx| store::tax::add_rate(tx, "VAT 20%", Rate(20_000)))
        .unwrap();
    let c = add_customer(&mut s, "Sarah Nguyen", "sarah@example.com");
    let bowl = add_product(&mut s, "BOWL-1", "Bowl", "49.95", 10);
    let vase = add_product(&mut s, "VASE-1", "Vase", "20.00", 10);
    let mut first = line(bowl, 1, 4995);
    first.tax_rate = gst;
    let mut second = line(vase, 1, 2000);
    second.tax_rate = Rate(20_000);
    let id = place(&mut s, &order(c, vec![first, second]), "2026-03-02", None);
    let text = |s: &Store| {
        let doc = invoices::document(s.conn(), id).unwrap();
        pdf_text(&book_bytes(s, |b| b.invoice(&doc)))
    };
    let au = text(&s);
    for want in [
        "TAX INVOICE",
        "ABN: 12 345 678 901",
        "GST 10% on $49.95",
        "VAT 20% on $20.00",
    ] {
        assert!(au.contains(want), "{want} missing from:\n{au}");
    }
    assert!(!au.contains("VAT 20% 20%"), "{au}");
    settings.country = "US".into();
    s.write(|tx| store::settings::save(tx, &settings)).unwrap();
    let us = text(&s);
    assert!(
        us.contains("INVOICE") && !us.contains("TAX INVOICE"),
        "{us}"
    );
    assert!(us.contains("Tax number: 12 345 678 901"), "{us}");
}

/// A range printed from the newest order down gives its invoice numbers in
/// the order the orders were placed, so the numbers follow the dates (a
/// tryout's list, newest first, had numbered them backwards). Cancelled
/// while numbering, it gives none and says nothing changed, truly; a range
/// of more orders than one PDF takes is refused before anything is given.
#[test]
fn a_range_is_numbered_in_date_order_cancel_gives_no_number_and_a_huge_range_is_refused() {
    let (dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "P-1", "Pen", "1.00", 1000);
    // Placed out of their dates' order (an order taken by phone, dated back).
    let ids: Vec<i64> = ["2026-05-03", "2026-05-01", "2026-05-02"]
        .iter()
        .map(|day| place(&mut s, &order(c, vec![line(p, 1, 100)]), day, None))
        .collect();
    let newest_first = [ids[0], ids[2], ids[1]];
    let out = dir.path().join("may.pdf");
    let invoices_given = |s: &Store| -> i64 {
        s.conn()
            .query_row("SELECT count(*) FROM invoices", [], |r| r.get(0))
            .unwrap()
    };

    let cancelled = Progress::default();
    cancelled.cancel();
    let e = write_orders(
        &mut s,
        &newest_first,
        Which::Invoice,
        &out,
        Replace::Never,
        &cancelled,
    )
    .unwrap_err();
    assert_eq!(e, "it was cancelled; nothing was changed");
    assert_eq!(invoices_given(&s), 0);
    assert!(!out.exists());

    let too_many: Vec<i64> = (1..=shopkeeper::jobs::documents::MOST_ORDERS as i64 + 1).collect();
    let e = write_orders(
        &mut s,
        &too_many,
        Which::Invoice,
        &out,
        Replace::Never,
        &Progress::default(),
    )
    .unwrap_err();
    assert!(e.contains("one PDF takes at most 5000"), "{e}");
    assert!(e.contains("no invoice number was given"), "{e}");
    assert_eq!(invoices_given(&s), 0);

    write_orders(
        &mut s,
        &newest_first,
        Which::Invoice,
        &out,
        Replace::Never,
        &Progress::default(),
    )
    .unwrap();
    let number = |id: i64| invoices::invoice_of(s.conn(), id).unwrap().unwrap().number;
    assert_eq!(
        [number(ids[1]), number(ids[2]), number(ids[0])],
        ["INV-00001", "INV-00002", "INV-00003"],
        "1, 2 and 3 May"
    );
}

/// A packing slip counts its lines and units in words that agree with the
/// numbers ("1 line, 1 unit"; a tryout's slip read "1 lines, 1 units").
#[test]
fn a_packing_slip_counts_in_the_singular_too() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana", "ana@example.com");
    let p = add_product(&mut s, "P-1", "Pen", "1.00", 10);
    let q = add_product(&mut s, "Q-1", "Pad", "2.00", 10);
    let one = place(&mut s, &order(c, vec![line(p, 1, 100)]), "2026-01-05", None);
    let more = place(
        &mut s,
        &order(c, vec![line(p, 2, 100), line(q, 1, 200)]),
        "2026-01-05",
        None,
    );
    for (id, want) in [(one, "1 line, 1 unit"), (more, "2 lines, 3 units")] {
        let doc = invoices::document(s.conn(), id).unwrap();
        let slip = pdf_text(&book_bytes(&s, |b| b.packing_slip(&doc)));
        assert!(slip.contains(want), "{want} missing from:\n{slip}");
    }
}

/// An issued invoice keeps who it was made out to, and an order that went
/// out keeps where it went: a reprint after the customer was edited (a new
/// name, a move) named the new name and address under the same number and
/// date, and a delivered order's "Ship to" moved with the customer. An
/// order still to send goes to the customer's new address; undoing the
/// edit leaves what was kept as it is.
#[test]
fn an_invoice_and_a_sent_order_keep_the_address_they_had() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let mut c = crate::common::customer("Bérénice Château", "berenice@example.fr");
    c.address = Some("5 impasse des Érables".into());
    c.postal_code = Some("69003".into());
    c.city = Some("Lyon".into());
    let b = s.write(|tx| store::customers::insert(tx, &c)).unwrap();
    let p = add_product(&mut s, "TH-1", "Théière", "40.00", 10);
    let sent = place(
        &mut s,
        &order(b, vec![line(p, 1, 4000)]),
        "2026-10-02",
        None,
    );
    let waiting = place(
        &mut s,
        &order(b, vec![line(p, 1, 4000)]),
        "2026-10-03",
        None,
    );
    s.write(|tx| {
        store::orders::mark_paid(tx, sent, "Card", "2026-10-02")?;
        invoices::issue_invoice(tx, sent, "2026-10-02")?;
        store::orders::ship(tx, sent, Some("Colissimo"), None)
    })
    .unwrap();
    let printed = |s: &Store| {
        let doc = invoices::document(s.conn(), sent).unwrap();
        pdf_text(&book_bytes(s, |bk| bk.invoice(&doc)))
    };
    let first = printed(&s);
    assert!(first.contains("5 impasse des Érables"), "{first}");

    let mut moved = c.clone();
    moved.name = "Bérénice Martin".into();
    moved.address = Some("18 avenue de Genève".into());
    s.write(|tx| store::customers::update(tx, b, &moved))
        .unwrap();
    let again = printed(&s);
    assert!(again.contains("Bérénice Château"), "{again}");
    assert!(again.contains("5 impasse des Érables"), "{again}");
    assert!(
        !again.contains("Genève") && !again.contains("Martin"),
        "{again}"
    );
    let ship_to = |s: &Store, id| store::orders::detail(s.conn(), id).unwrap().ship_to;
    assert!(ship_to(&s, sent).contains("5 impasse des Érables"));
    assert!(ship_to(&s, waiting).contains("18 avenue de Genève"));
    assert!(ship_to(&s, waiting).contains("Bérénice Martin"));

    // Undone, the customer is as before; what went out stays as it went.
    s.write(|tx| store::customers::update(tx, b, &c)).unwrap();
    assert!(ship_to(&s, sent).contains("5 impasse des Érables"));
    assert!(ship_to(&s, waiting).contains("5 impasse des Érables"));
    crate::common::assert_checks(&s);
}

//! Issue 16 item 3: a Shopify orders export of `lines` line items (made
//! once under target/perf, in Shopify's 79 columns, newest order first as
//! Shopify writes it) imported into an empty shop, beside `sqlite3 .import`
//! of the same file into a table of text columns.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use shopkeeper::import::{self, ImportKind, ImportOptions};

use super::Table;

const HEADER: &str = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References";

/// A small, fixed pseudo-random sequence (the file is the same every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

/// Writes the export (once): orders of 1 to 3 line items, 2,000 products,
/// 50,000 customers and some guests, every status Shopify writes, a tenth
/// with a discount, VAT at 20% on top.
fn make(path: &Path, lines: u64) {
    if path.exists() {
        return;
    }
    let building = path.with_extension("building");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&building).expect("create"));
    writeln!(out, "{HEADER}").expect("write");
    let mut rng = Lcg(16);
    let (mut written, mut number) = (0u64, 1000u64 + lines);
    let statuses = [
        ("paid", "fulfilled", ""),
        ("paid", "", ""),
        ("pending", "", ""),
        ("partially_refunded", "fulfilled", ""),
        ("refunded", "fulfilled", ""),
        ("voided", "", "2024-06-01 10:00:00 +0200"),
    ];
    while written < lines {
        number -= 1;
        let items = (1 + rng.below(3)).min(lines - written);
        let picked: Vec<(u64, i64, i64)> = (0..items)
            .map(|_| {
                let sku = rng.below(2000);
                (sku, 1 + rng.below(3) as i64, 500 + (sku as i64 % 97) * 100)
            })
            .collect();
        let gross: i64 = picked.iter().map(|(_, q, p)| q * p).sum();
        let discount = if rng.below(10) == 0 { gross / 10 } else { 0 };
        let subtotal = gross - discount;
        let shipping = if subtotal > 5000 { 0 } else { 495 };
        let taxes = (subtotal + shipping) / 5;
        let total = subtotal + shipping + taxes;
        let (financial, fulfillment, cancelled) = statuses[rng.below(6) as usize];
        let refunded = match financial {
            "partially_refunded" => 100,
            "refunded" => total,
            _ => 0,
        };
        let day = rng.below(5 * 365);
        let (year, rest) = (2019 + day / 365, day % 365);
        let created = format!(
            "{year}-{:02}-{:02} {:02}:{:02}:{:02} +0200",
            1 + rest / 31 % 12,
            1 + rest % 28,
            rng.below(24),
            rng.below(60),
            rng.below(60)
        );
        let customer = rng.below(60_000);
        let (email, name) = if customer < 50_000 {
            (
                format!("c{customer}@example.com"),
                format!("Customer {customer}"),
            )
        } else {
            (String::new(), format!("Guest {customer}"))
        };
        for (i, (sku, q, p)) in picked.iter().enumerate() {
            let item = format!(
                "Product {sku} - Blue / M,{},,SKU-{sku},true,true,fulfilled",
                cents(*p)
            );
            if i == 0 {
                writeln!(
                    out,
                    "#{number},{email},{financial},,{fulfillment},,no,EUR,{},{},{},{},{},{},Standard,{created},{q},{item},\
                     {name},\"1 Long Street\nFlat {number}\",1 Long Street,,,Lyon,69001,,FR,,{name},,1 Long Street,,,Lyon,69001,,FR,,,,\
                     {cancelled},Shopify Payments,,{},Our Shop,,,,,{number},,Low,web,0.00,VAT 20%,{},,,,,,,,,,,,,,,,,",
                    cents(subtotal),
                    cents(shipping),
                    cents(taxes),
                    cents(total),
                    if discount > 0 { "SALE10" } else { "" },
                    cents(discount),
                    if refunded > 0 { cents(refunded) } else { String::new() },
                    cents(taxes),
                )
                .expect("write");
            } else {
                writeln!(
                    out,
                    "#{number},{email},,,,,,,,,,,,,,{created},{q},{item},,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,0.00,,,,,,,,,,,,,,,,,,,"
                )
                .expect("write");
            }
            written += 1;
        }
    }
    drop(out);
    std::fs::rename(&building, path).expect("keep the export");
}

/// Times the import beside `sqlite3 .import` and adds the row.
pub fn rate(dir: &Path, lines: u64, table: &mut Table) {
    let file = dir.join(format!("shopify-orders-{lines}.csv"));
    make(&file, lines);
    let target: PathBuf = dir.join("shopify-target.sqlite3");
    let clear = |p: &Path| {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
        }
    };
    clear(&target);
    let mut store = super::open(&target);
    let t = Instant::now();
    let summary = import::run(
        &mut store,
        ImportKind::Orders,
        &file,
        ImportOptions::default(),
        &mut |_, _| true,
    )
    .expect("import the Shopify export");
    let ours = t.elapsed().as_secs_f64();
    drop(store);
    clear(&target);
    let theirs_db = dir.join("shopify-sqlite3.sqlite3");
    clear(&theirs_db);
    let t = Instant::now();
    let shell = std::process::Command::new("sqlite3")
        .arg(&theirs_db)
        .arg(".mode csv")
        .arg(format!(".import '{}' orders_export", file.display()))
        .status();
    let theirs = t.elapsed().as_secs_f64();
    clear(&theirs_db);
    let figure = match shell {
        Ok(s) if s.success() => format!(
            "{ours:.1} s; sqlite3 .import {theirs:.1} s (ours takes {:.1}x its time)",
            ours / theirs
        ),
        _ => format!("{ours:.1} s (sqlite3 shell not installed, no comparison)"),
    };
    table.row(
        format!(
            "import: Shopify orders export, {} lines ({} orders)",
            summary.rows, summary.orders
        ),
        figure,
    );
}

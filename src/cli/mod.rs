//! The command line: `shopkeeper [--db PATH] [COMMAND]`. Without a command the
//! window opens; each command opens the database (migrating it if needed),
//! does one thing, and says what it did. Only `demo` and `import` create a
//! database; `check`, `export`, `backup`, `invoice`, `packing-slip` and
//! `invoices` need an existing one (and read a file they may not write
//! read-only; an invoice that has no number yet then cannot be printed). A
//! file is replaced only with `--force`. An encrypted shop's passphrase
//! comes from `SHOPKEEPER_PASSPHRASE` or a prompt that does not echo it;
//! `encrypt`, `decrypt` and `change-passphrase` turn the passphrase on,
//! off, or change it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::demo::{self, DemoSize};
use crate::store::{self, Passphrase, Store};

mod documents;
mod export;

#[derive(Debug, Parser)]
#[command(
    name = "shopkeeper",
    version,
    about = "Keep a small shop's customers, products and orders in one local file.",
    long_about = "Shopkeeper keeps a small shop's customers, products and orders in one local \
                  SQLite file and turns them into reports and sales trends.\n\n\
                  Without a command it opens the window on the default database (or the one \
                  given with --db)."
)]
pub struct Cli {
    /// The database file to use (only `demo` and `import` create a missing one).
    /// Defaults to shop.sqlite3 in your user data folder.
    #[arg(long, global = true, env = "SHOPKEEPER_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make an empty database a demo shop: realistic, reproducible made-up data.
    ///
    /// A database that holds any customer, product or order is refused, so demo
    /// data never mixes with a real shop's; --into-existing adds it anyway.
    Demo {
        /// How many customers to add.
        #[arg(long, default_value_t = 500)]
        customers: u64,
        /// How many products to add.
        #[arg(long, default_value_t = 120)]
        products: u64,
        /// How many orders to add, spread over the last three years (needs customers and products).
        #[arg(long, default_value_t = 5000)]
        orders: u64,
        /// The same seed always gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Add the demo data to a database that already holds data.
        #[arg(long)]
        into_existing: bool,
    },
    /// Check the database: SQLite's own checks and the shop's rules
    /// (stock equals the sum of its movements, order totals, ...). Exits 0 only when all hold.
    Check,
    /// Write a report to a CSV or Excel file: the rows and columns the window's
    /// Export writes (by default ',' separated without a BOM, where the window
    /// offers ";" and a BOM to a shop writing a decimal comma: see
    /// --csv-separator and --csv-bom).
    ///
    /// Reports: sales-by-date, tax, payments, payments-by-method, margin, margin-by-category,
    /// margin-by-month, customer-history, customer-data (everything held about
    /// one customer), inventory-movements, stock-levels,
    /// top-products, top-customers, order-lines, year-over-year, weekday-hour,
    /// customer-value, segments, cohorts, new-returning, abc, reorder, dead-stock;
    /// and for import elsewhere, in the import's columns: customers, products, orders.
    Export {
        /// Which report (see above).
        report: String,
        /// First day, YYYY-MM-DD (default: the first order).
        #[arg(long)]
        from: Option<String>,
        /// Last day, YYYY-MM-DD (default: today).
        #[arg(long)]
        to: Option<String>,
        /// sales-by-date, tax, payments-by-method: day, week, month or quarter (default: day);
        /// margin: product, category or month (default: product).
        #[arg(long)]
        by: Option<String>,
        /// customer-history, customer-data: the customer's email or number.
        #[arg(long)]
        customer: Option<String>,
        /// inventory-movements: only this product's SKU.
        #[arg(long)]
        product: Option<String>,
        /// stock-levels: only products at or below their reorder level.
        #[arg(long)]
        low: bool,
        /// top-products, top-customers: how many rows.
        #[arg(long)]
        limit: Option<usize>,
        /// segments: only this segment's customers (Champions, Loyal, New,
        /// Promising, "Needs attention", "At risk", Hibernating, Lost).
        #[arg(long)]
        segment: Option<String>,
        /// csv or xlsx (default: from the file's extension).
        #[arg(long)]
        format: Option<String>,
        /// CSV: separate the fields with ',' (the default) or ';' (as Excel
        /// expects where a comma is the decimal mark).
        #[arg(long, value_name = "SEP")]
        csv_separator: Option<String>,
        /// CSV: start the file with a UTF-8 byte order mark, so Excel on
        /// Windows reads accents ("Martín") right.
        #[arg(long)]
        csv_bom: bool,
        /// CSV separated by ';': write amounts and percents with a decimal
        /// comma (1234,50), as Excel reads them where the comma is the
        /// decimal mark (it takes 30.59 for text or a date there).
        #[arg(long)]
        csv_decimal_comma: bool,
        /// The file to write; an existing file is refused unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (only an ordinary file, never a device or folder).
        #[arg(long)]
        force: bool,
    },
    /// Import customers, products or orders from a CSV file (all rows or none),
    /// or a Shopify or WooCommerce export as it is.
    ///
    /// Columns (header row required, any order, any case):
    ///   customers: name, email, phone, address, city, postal_code, country, notes,
    ///              customer_number (the number the customer keeps), archived
    ///   products:  sku, name, category, price, cost, stock, reorder_level, description,
    ///              archived, track_stock, lead_days, cover_days, tax_rate ("VAT 20%";
    ///              empty: no tax; no column: the shop's default rate)
    ///   orders:    order_number or order_ref, order_date, customer_number or
    ///              customer_email, status, sku, quantity, unit_price, line_discount,
    ///              order_discount, discount_code, shipping, tax, paid, payment_method,
    ///              tax_rate, returned, restocked, shipping_tax_rate,
    ///              prices_include_tax, refunded, refunded_on, unit_cost
    ///              (one row per order line; rows sharing an order_number, or else
    ///              an order_ref, form one order; a given number is kept; the
    ///              order's values on its first row or repeated equal)
    ///
    /// Exports of Shopify (customers, products, orders) and WooCommerce
    /// (products) are told from their header and read as they are; --format
    /// says whose layout a file is in. Shopify orders come in as past orders
    /// (stock is left as it is) with their customers and products; a later
    /// export adds only the orders that are new ("N new, M already here").
    #[command(verbatim_doc_comment)]
    Import {
        /// customers, products or orders.
        kind: String,
        /// The CSV file (comma or semicolon separated, UTF-8).
        file: PathBuf,
        /// Orders: record them as past orders that do not take stock.
        #[arg(long)]
        history: bool,
        /// Check the file and say what would be imported, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Whose layout the file is in: shopify, woocommerce or shopkeeper
        /// (told from the header when left out).
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// The file's columns that do not use Shopkeeper's names, as
        /// "Their column=our_column,..." (our_column "ignore" leaves one out).
        /// Remembered for files with the same header, as the window does.
        #[arg(long, value_name = "PAIRS")]
        map: Option<String>,
    },
    /// Erase a customer's personal data for good, for one who asks to be forgotten (their orders stay, under "Erased customer").
    ///
    /// Their name, email, phone, address and notes, their orders' own
    /// addresses and the change log's record of them are removed and
    /// overwritten in the file; issued invoices and credit notes keep who
    /// they were made out to. It cannot be undone, so --yes is needed.
    /// Backups made before still hold them until they are replaced.
    EraseCustomer {
        /// The customer's email or customer number.
        #[arg(value_name = "EMAIL|NUMBER")]
        customer: String,
        /// Erase without asking (required: it cannot be undone).
        #[arg(long)]
        yes: bool,
    },
    /// Write a backup copy of the database (checked before it counts).
    Backup {
        /// The file to write; an existing file is refused unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (only an ordinary file, never a device or folder).
        #[arg(long)]
        force: bool,
    },
    /// Encrypt the shop and its backups with a passphrase (SQLCipher).
    ///
    /// The passphrase comes from SHOPKEEPER_PASSPHRASE or is asked twice. A
    /// forgotten passphrase cannot be recovered. The file is re-written
    /// through a checked copy; the plain one is overwritten and removed.
    Encrypt,
    /// Turn the passphrase off: the shop and its backups are re-written plain.
    Decrypt,
    /// Give the shop (and its backups) a new passphrase.
    ///
    /// The current one comes from SHOPKEEPER_PASSPHRASE or a prompt, the new
    /// one from SHOPKEEPER_NEW_PASSPHRASE or is asked twice.
    ChangePassphrase,
    /// Write an order's invoice as a PDF (giving it its invoice number if it has none).
    Invoice {
        /// The order: its number (42 or #000042) or its reference.
        order: String,
        /// The PDF to write; an existing file is refused unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (only an ordinary file, never a device or folder).
        #[arg(long)]
        force: bool,
    },
    /// Write an order's packing slip as a PDF (no prices; a box to tick per line).
    PackingSlip {
        /// The order: its number (42 or #000042) or its reference.
        order: String,
        /// The PDF to write; an existing file is refused unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (only an ordinary file, never a device or folder).
        #[arg(long)]
        force: bool,
    },
    /// Write the credit note of an order's refund as a PDF (it names the
    /// order's invoice: an order without one is given its number with it;
    /// refused when the order has no refund).
    CreditNote {
        /// The order: its number (42 or #000042) or its reference.
        order: String,
        /// Which refund: 1 for the order's first (needed when it has several).
        #[arg(long, value_name = "N")]
        refund: Option<usize>,
        /// The PDF to write; an existing file is refused unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (only an ordinary file, never a device or folder).
        #[arg(long)]
        force: bool,
    },
    /// Write the invoices (or packing slips) of the orders of a date range
    /// into one PDF, a page per order (cancelled orders are left out).
    Invoices {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Packing slips instead of invoices.
        #[arg(long)]
        packing_slips: bool,
        /// The PDF to write; an existing file is refused unless --force.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace the file if it exists (only an ordinary file, never a device or folder).
        #[arg(long)]
        force: bool,
    },
    /// Print where the default database lives.
    Where,
}

/// The passphrase in the environment variable `var`, else asked at the
/// terminal (`prompt`; twice when `twice`, for a new one).
fn passphrase(var: &str, prompt: &str, twice: bool) -> Result<Passphrase> {
    if let Ok(text) = std::env::var(var)
        && !text.is_empty()
    {
        return Ok(Passphrase::new(text));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).with_context(|| {
            format!("could not ask for the passphrase (no terminal?); set {var} instead")
        })
    };
    let first = Passphrase::new(ask(prompt)?);
    if twice && first != Passphrase::new(ask("Type it again: ")?) {
        anyhow::bail!("the two passphrases differ; nothing was changed. Try again.");
    }
    Ok(first)
}

/// The passphrase of `path` when it is encrypted (asked only then).
fn key_for(path: &std::path::Path) -> Result<Option<Passphrase>> {
    if !store::secret::looks_encrypted(path) {
        return Ok(None);
    }
    let prompt = format!("Passphrase for {}: ", path.display());
    passphrase("SHOPKEEPER_PASSPHRASE", &prompt, false).map(Some)
}

/// The database path: --db, $SHOPKEEPER_DB, or shop.sqlite3 in the user's data folder.
pub fn database_path(cli: &Cli) -> Result<PathBuf> {
    if let Some(p) = &cli.db {
        return Ok(p.clone());
    }
    default_database_path()
}

pub fn default_database_path() -> Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "Shopkeeper")
        .context("could not find your user data folder; choose a database file with --db PATH")?;
    Ok(dirs.data_dir().join("shop.sqlite3"))
}

/// Opens the database for a command that may create it (`demo`, `import`)
/// where there is no file; an empty file is refused (only the window, after
/// asking, turns one into a shop).
fn open(path: &std::path::Path) -> Result<Store> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(store::OpenError::Empty {
            path: path.to_path_buf(),
        }
        .into());
    }
    let key = key_for(path)?;
    let mut store = Store::open_keyed(path, store::Mode::Create, key.as_ref())?;
    for notice in store.take_notices() {
        eprintln!("{notice}");
    }
    if let Some(notice) = store.open_to_others_notice() {
        eprintln!("{notice}");
    }
    Ok(store)
}

/// Opens an existing database for a command that only reads it (`check`,
/// `export`, `backup`): a missing or empty file is refused, and a file this
/// user may not write (or on a read-only disk) is opened read-only.
fn open_to_read(path: &std::path::Path) -> Result<Store> {
    Ok(open_to_read_keyed(path)?.0)
}

/// `open_to_read`, with the passphrase that opened it (None for a plain file).
fn open_to_read_keyed(path: &std::path::Path) -> Result<(Store, Option<Passphrase>)> {
    let key = key_for(path)?;
    let store = match Store::open_keyed(path, store::Mode::Existing, key.as_ref()) {
        Err(store::OpenError::ReadOnly { .. }) => {
            let store = Store::open_read_only_keyed(path, key.as_ref())?;
            eprintln!(
                "{} may not be written here, so it was opened read-only.",
                path.display()
            );
            store
        }
        other => {
            let mut store = other?;
            for notice in store.take_notices() {
                eprintln!("{notice}");
            }
            if let Some(notice) = store.open_to_others_notice() {
                eprintln!("{notice}");
            }
            store
        }
    };
    Ok((store, key))
}

fn replace(force: bool) -> crate::files::Replace {
    if force {
        crate::files::Replace::Allowed
    } else {
        crate::files::Replace::Never
    }
}

/// Runs one subcommand. Returns the process exit code.
pub fn run(cli: &Cli, command: &Command) -> Result<i32> {
    let path = database_path(cli)?;
    match command {
        Command::Where => {
            println!("{}", path.display());
            Ok(0)
        }
        Command::Demo {
            customers,
            products,
            orders,
            seed,
            into_existing,
        } => {
            let mut store = open(&path)?;
            let started = std::time::Instant::now();
            let size = DemoSize {
                customers: *customers,
                products: *products,
                orders: *orders,
                seed: *seed,
            };
            let filled = if *into_existing {
                demo::fill(&mut store, size, |_, _| true)
            } else {
                demo::fill_new(&mut store, size, |_, _| true)
            };
            filled.with_context(|| {
                format!(
                    "could not add demo data to {}; for a demo shop, pass --db with a new file name \
                     (or --into-existing to add it anyway)",
                    path.display()
                )
            })?;
            println!(
                "Added {customers} customers, {products} products and {orders} orders to {} in {:.1} s.",
                path.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        command @ Command::Export { .. } => export::run(&path, command),
        Command::Import {
            kind,
            file,
            history,
            dry_run,
            format,
            map,
        } => {
            use crate::import::{self, Format, ImportKind, ImportOptions};
            let format = match format {
                None => None,
                Some(f) => Some(Format::from_name(f).with_context(|| {
                    format!(
                        "cannot read the format \"{f}\"; choose shopify, woocommerce or shopkeeper"
                    )
                })?),
            };
            let kind = ImportKind::from_name(kind).with_context(|| {
                format!("cannot import \"{kind}\"; choose customers, products or orders")
            })?;
            if *history && kind != ImportKind::Orders {
                anyhow::bail!("--history is only for importing orders");
            }
            // A dry run into a shop not made yet checks the file against an
            // empty shop in memory: it leaves no file behind.
            let new_file = !path.exists();
            let mut store = if *dry_run && new_file {
                Store::open_in_memory()?
            } else {
                open(&path)?
            };
            let started = std::time::Instant::now();
            let options = ImportOptions {
                history: *history,
                dry_run: *dry_run,
            };
            let columns = match map {
                Some(map) => import::Columns::Map(map),
                None => import::Columns::Remembered,
            };
            match import::run_with(
                &mut store,
                kind,
                file,
                options,
                format,
                columns,
                &mut |_, _| true,
            ) {
                Ok(summary) => {
                    println!(
                        "{} ({} in {:.1} s)",
                        summary.message(),
                        file.display(),
                        started.elapsed().as_secs_f64()
                    );
                    Ok(0)
                }
                Err(e) => {
                    // A shop made for this import and left empty by its
                    // refusal goes again: the command wrote nothing.
                    if new_file && !*dry_run {
                        drop(store);
                        for end in ["", "-wal", "-shm", "-journal"] {
                            let mut name = path.clone().into_os_string();
                            name.push(end);
                            let _ = std::fs::remove_file(name);
                        }
                    }
                    eprintln!("Error: {} was not imported: {}", file.display(), e.full());
                    Ok(1)
                }
            }
        }
        Command::EraseCustomer { customer, yes } => {
            let mut store = open_to_read(&path)?;
            let found = store::customers::find(store.conn(), customer)?.ok_or_else(|| {
                anyhow::anyhow!(
                    "no customer has the email or number \"{}\"; nothing was erased",
                    customer.trim()
                )
            })?;
            if !*yes {
                anyhow::bail!(
                    "erasing {}'s personal data cannot be undone; add --yes to erase it (nothing was erased)",
                    found.name
                );
            }
            let started = std::time::Instant::now();
            store
                .erase_customer(found.id)
                .with_context(|| format!("nothing of {} was erased", found.name))?;
            println!(
                "Erased the personal data of customer {}; their orders stay under \"{}\" ({:.1} s).",
                found.id,
                store::customers::ERASED,
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Command::Backup { out, force } => {
            let store = open_to_read(&path)?;
            let started = std::time::Instant::now();
            store::backup::write_checked_to(&store, out, replace(*force))
                .with_context(|| format!("no backup was written to {}", out.display()))?;
            println!(
                "Backed up {} to {} and checked it ({:.1} s).",
                path.display(),
                out.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        Command::Encrypt => {
            let store = open_to_read(&path)?;
            if store.encrypted() {
                anyhow::bail!(
                    "{} is encrypted already; to change its passphrase use `shopkeeper change-passphrase`",
                    path.display()
                );
            }
            eprintln!(
                "A forgotten passphrase cannot be recovered: without it nobody can open the shop \
                 or its backups. Write it down somewhere safe."
            );
            let key = passphrase("SHOPKEEPER_PASSPHRASE", "New passphrase: ", true)?;
            let started = std::time::Instant::now();
            let (_, backups) = store::secret::encrypt(store, &key)?;
            println!(
                "Encrypted {} ({:.1} s). {backups} The plain file was overwritten and removed.",
                path.display(),
                started.elapsed().as_secs_f64()
            );
            Ok(0)
        }
        command @ (Command::Invoice { .. }
        | Command::PackingSlip { .. }
        | Command::CreditNote { .. }
        | Command::Invoices { .. }) => documents::run(&path, command),
        Command::Decrypt => {
            let (store, current) = open_to_read_keyed(&path)?;
            let Some(current) = current.filter(|_| store.encrypted()) else {
                anyhow::bail!("{} is not encrypted; nothing was changed", path.display());
            };
            let (_, backups) = store::secret::decrypt(store, &current)?;
            println!(
                "{} is no longer encrypted: anyone who can read the file can read the shop. {backups}",
                path.display()
            );
            Ok(0)
        }
        Command::ChangePassphrase => {
            let (store, current) = open_to_read_keyed(&path)?;
            let Some(current) = current.filter(|_| store.encrypted()) else {
                anyhow::bail!(
                    "{} is not encrypted; to encrypt it use `shopkeeper encrypt`",
                    path.display()
                );
            };
            eprintln!(
                "A forgotten passphrase cannot be recovered. Write the new one down somewhere safe."
            );
            let new = passphrase("SHOPKEEPER_NEW_PASSPHRASE", "New passphrase: ", true)?;
            let (_, backups) = store::secret::change(store, &current, &new)?;
            println!("{} has its new passphrase. {backups}", path.display());
            Ok(0)
        }
        Command::Check => {
            let store = open_to_read(&path)?;
            println!("Checking {}", path.display());
            // Each check as it ends, with its time: at a million orders the
            // whole takes about a minute, which had passed in silence.
            let report = store::check::run_showing(store.conn(), |f, took| {
                let took = took.as_secs_f64();
                if f.ok {
                    println!("  ok    {} ({took:.1} s)", f.name);
                } else {
                    println!("  FAIL  {}: {} ({took:.1} s)", f.name, f.detail);
                }
            })
            .with_context(|| format!("could not check {}", path.display()))?;
            if report.ok() {
                println!("All checks passed.");
                Ok(0)
            } else {
                println!(
                    "Some checks failed. Restore a backup, or keep this file for a closer look."
                );
                Ok(1)
            }
        }
    }
}

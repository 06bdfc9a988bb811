//! What goes in (issue 12, items 7 and 10 to 17): files read in bounded
//! memory and from pipes, text without control characters, amounts,
//! quantities and dates within bounds, numbers as the file writes them, one
//! rule for the case of emails and SKUs, blank rows skipped, unknown columns
//! ignored, and messages that never repeat a whole file back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::*;
use shopkeeper::domain::{CustomerDraft, ReportKind, ReportSpec};
use shopkeeper::import::{self, ImportError, ImportKind, ImportOptions, ImportSummary};
use shopkeeper::store::{self, Store};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write csv");
    path
}

fn run_with(
    store: &mut Store,
    kind: ImportKind,
    path: &Path,
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    import::run(store, kind, path, options, &mut |_, _| true)
}

fn run(store: &mut Store, kind: ImportKind, path: &Path) -> Result<ImportSummary, ImportError> {
    run_with(store, kind, path, ImportOptions::default())
}

fn history() -> ImportOptions {
    ImportOptions {
        history: true,
        dry_run: false,
    }
}

/// Runs an import that must be refused, and checks nothing changed.
fn refused(store: &mut Store, kind: ImportKind, path: &Path) -> ImportError {
    let before = dump(store);
    let err = run(store, kind, path).expect_err("the import should be refused");
    assert_eq!(dump(store), before, "a refused import changed the database");
    err
}

fn problems(err: &ImportError) -> Vec<(u64, String, String)> {
    match err {
        ImportError::Rows { problems, .. } => problems
            .iter()
            .map(|p| (p.line, p.column.clone(), p.reason.clone()))
            .collect(),
        other => panic!("expected row problems, got: {other}"),
    }
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .expect("count")
}

/// Ana and a mug with plenty of stock.
fn shop(dir: &Path) -> Store {
    let mut store = Store::open(dir.join("shop.sqlite3")).unwrap();
    add_customer(&mut store, "Ana Lima", "ana@example.com");
    add_product(&mut store, "MUG-1", "Blue mug", "12.50", 100);
    store
}

// Item 7 ----------------------------------------------------------------

#[test]
fn a_row_without_end_is_refused_with_its_line_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    // As /dev/zero reads: no line break, ever (here 3 MB of NULs).
    let mut bytes = b"name,email\nAna,ana@x.com\n".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 3 << 20));
    let file = write(dir.path(), "zero.csv", &bytes);
    let err = refused(&mut store, ImportKind::Customers, &file);
    let text = err.full();
    assert!(
        text.contains("line 3") && text.contains("longer than 1 MB"),
        "{text}"
    );
    assert!(text.len() < 1000, "{} bytes", text.len());
    // The header itself.
    let file = write(dir.path(), "zero-head.csv", &vec![0u8; 3 << 20]);
    let text = refused(&mut store, ImportKind::Customers, &file).to_string();
    assert!(
        text.contains("line 1") && text.contains("longer than 1 MB"),
        "{text}"
    );
    assert!(text.len() < 1000, "{} bytes", text.len());
}

#[test]
fn dev_zero_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let text = refused(&mut store, ImportKind::Customers, Path::new("/dev/zero")).to_string();
    assert!(text.contains("longer than 1 MB"), "{text}");
}

#[test]
fn a_header_of_too_many_columns_is_refused_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let header: Vec<String> = (0..10_000).map(|i| format!("column number {i}")).collect();
    let file = write(
        dir.path(),
        "wide.csv",
        format!("{}\n", header.join(",")).as_bytes(),
    );
    let text = refused(&mut store, ImportKind::Customers, &file).to_string();
    assert!(
        text.contains("10000 columns") && text.contains("at most 500"),
        "{text}"
    );
    assert!(text.len() < 500, "{} bytes: {text}", text.len());
}

#[test]
fn a_fifo_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let fifo = dir.path().join("customers.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut f = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
            f.write_all("\u{feff}name,email\nBo Berg,bo@example.com\n".as_bytes())
                .unwrap();
        })
    };
    let summary = run(&mut store, ImportKind::Customers, &fifo).unwrap();
    writer.join().unwrap();
    assert_eq!(summary.rows, 1);
    assert!(
        store::customers::find_by_email(store.conn(), "bo@example.com")
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_dash_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shop.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
        .env_remove("SHOPKEEPER_DB")
        .args(["--db", db.to_str().unwrap(), "import", "customers", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"name,email\nAna,ana@example.com\nBo,bo@example.com\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Imported 2 customers"), "{text}");
    let store = Store::open(&db).unwrap();
    assert_eq!(count(&store, "customers"), 2);
}

// Item 10 ---------------------------------------------------------------

#[test]
fn control_characters_are_refused_in_every_text_field_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "c.csv",
        "name,email,city,notes,address\n\
         \0Nul First,a1@example.com,,,\n\
         Nul\0Inside,a2@example.com,,,\n\
         Esc,a3@example.com,\u{1b}[31mRed,,\n\
         Del,a4@example.com,,x\u{7f},\n\
         Flip,a5@example.com,,evil\u{202e}txt.exe,\n\
         Good,a6@example.com,Porto,\"two\nlines\tand a tab\",\"Rua 1\n2nd floor\"\n"
            .as_bytes(),
    );
    let p = problems(&refused(&mut store, ImportKind::Customers, &file));
    let at: Vec<(u64, &str)> = p.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(
        at,
        vec![
            (2, "name"),
            (3, "name"),
            (4, "city"),
            (5, "notes"),
            (6, "notes")
        ],
        "{p:?}"
    );
    assert!(p[0].2.contains("U+0000"), "{p:?}");
    assert!(p[4].2.contains("U+202E"), "{p:?}");
    // A line break where a field is one line.
    let file = write(
        dir.path(),
        "c2.csv",
        b"name,email\n\"Two\nlines\",b@example.com\n",
    );
    let p = problems(&refused(&mut store, ImportKind::Customers, &file));
    assert_eq!((p[0].0, p[0].1.as_str()), (2, "name"), "{p:?}");
    // The same rule in the form.
    let e = CustomerDraft {
        name: "\0Ana".into(),
        ..Default::default()
    }
    .validate()
    .unwrap_err();
    assert!(e.get("name").unwrap().contains("U+0000"), "{e}");
    // Orders and products too.
    let file = write(
        dir.path(),
        "o.csv",
        "order_ref,order_date,customer_email,sku,quantity\nR\u{1b}1,2024-01-01,ana@example.com,MUG-1,1\n"
            .as_bytes(),
    );
    let p = problems(&refused(&mut store, ImportKind::Orders, &file));
    assert_eq!((p[0].0, p[0].1.as_str()), (2, "order_ref"), "{p:?}");
    let file = write(
        dir.path(),
        "p.csv",
        "sku,name,price\nNEW-1,Cup\u{202e},1\n".as_bytes(),
    );
    let p = problems(&refused(&mut store, ImportKind::Products, &file));
    assert_eq!((p[0].0, p[0].1.as_str()), (2, "name"), "{p:?}");
}

// Item 11 ---------------------------------------------------------------

#[test]
fn huge_quantities_and_amounts_are_refused_even_in_a_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "o.csv",
        b"order_ref,order_date,customer_email,sku,quantity,unit_price\n\
          R1,2024-01-01,ana@example.com,MUG-1,1000000000,9999999999999.99\n\
          R2,2024-01-01,ana@example.com,MUG-1,1000001,1\n\
          R3,2024-01-01,ana@example.com,MUG-1,1,1000000000.01\n\
          R4,2024-01-01,ana@example.com,MUG-1,1000,1000000\n\
          R5,2024-01-01,ana@example.com,MUG-1,1000000,500\n\
          R5,2024-01-01,ana@example.com,MUG-1,1000000,500.01\n",
    );
    let dry = ImportOptions {
        history: true,
        dry_run: true,
    };
    let err = run_with(&mut store, ImportKind::Orders, &file, dry).unwrap_err();
    let p = problems(&err);
    let at: Vec<(u64, &str)> = p.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(
        at,
        vec![
            (2, "quantity"),
            (2, "unit_price"),
            (3, "quantity"),
            (4, "unit_price"),
            (7, "quantity"),
        ],
        "{p:?}"
    );
    assert!(p[1].2.contains("$1,000,000,000.00"), "{p:?}");
}

#[test]
fn orders_at_the_bound_import_and_every_report_sums_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    // Each order at the bound: 1,000,000 units at 1,000.00 = 1,000,000,000.00.
    let mut csv = String::from("order_ref,order_date,customer_email,sku,quantity,unit_price\n");
    for i in 0..50 {
        csv.push_str(&format!(
            "B{i},2024-01-{:02},ana@example.com,MUG-1,1000000,1000.00\n",
            i % 28 + 1
        ));
    }
    let file = write(dir.path(), "o.csv", csv.as_bytes());
    let summary = run_with(&mut store, ImportKind::Orders, &file, history()).unwrap();
    assert_eq!(summary.orders, 50);
    for kind in ReportKind::ALL {
        let mut spec = ReportSpec::new(kind);
        if matches!(kind, ReportKind::CustomerHistory | ReportKind::CustomerData) {
            spec.customer = Some("ana@example.com".into());
        }
        if kind == ReportKind::InventoryMovements {
            spec.product = Some("MUG-1".into());
        }
        store::reports::run(store.conn(), &spec, usize::MAX)
            .unwrap_or_else(|e| panic!("{}: {e}", kind.name()));
    }
    assert_checks(&store);
}

// Item 12 ---------------------------------------------------------------

#[test]
fn order_dates_before_1970_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "o.csv",
        b"order_ref,order_date,customer_email,sku,quantity\n\
          R1,0000-01-01,ana@example.com,MUG-1,1\n\
          R2,1900-01-01,ana@example.com,MUG-1,1\n\
          R3,1969-12-31 23:59,ana@example.com,MUG-1,1\n",
    );
    let p = problems(&refused(&mut store, ImportKind::Orders, &file));
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.iter()
            .all(|(_, c, r)| c == "order_date" && r.contains("before 1970")),
        "{p:?}"
    );
    let file = write(
        dir.path(),
        "o2.csv",
        b"order_ref,order_date,customer_email,sku,quantity\nR1,1970-01-01,ana@example.com,MUG-1,1\n",
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
}

// Item 13 ---------------------------------------------------------------

#[test]
fn numbers_are_read_as_the_file_writes_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "p.csv",
        "sku;name;price;cost\n\
         A-1;A;12,50;1.234,50\n\
         A-2;B;€ 9,99;1\n\
         A-3;C;12.345;1\n\
         A-4;D;1,5;$ 2\n\
         A-5;E;9,99 $;0,5\n"
            .as_bytes(),
    );
    let p = problems(&refused(&mut store, ImportKind::Products, &file));
    let at: Vec<(u64, &str)> = p.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(at, vec![(3, "price"), (4, "price")], "{p:?}");
    assert!(
        p[0].2.contains("€") && p[0].2.contains("not the shop's currency"),
        "{p:?}"
    );
    assert!(p[1].2.contains("two ways"), "{p:?}");
    let file = write(
        dir.path(),
        "p2.csv",
        "sku;name;price;cost\nA-1;A;12,50;1.234,50\nA-4;D;1,5;$ 2\nA-5;E;9,99 $;0,5\n".as_bytes(),
    );
    run(&mut store, ImportKind::Products, &file).unwrap();
    let price = |sku: &str| {
        let p = store::products::find_by_sku(store.conn(), sku)
            .unwrap()
            .unwrap();
        (p.price.0, p.cost.0)
    };
    assert_eq!(price("A-1"), (1250, 123450));
    assert_eq!(price("A-4"), (150, 200));
    assert_eq!(price("A-5"), (999, 50));
    // In a comma file, "12,345" reads two ways.
    let file = write(
        dir.path(),
        "p3.csv",
        b"sku,name,price\nB-1,B,\"12,345\"\nB-2,B,\"$1,234.50\"\n",
    );
    let p = problems(&refused(&mut store, ImportKind::Products, &file));
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!((p[0].0, p[0].1.as_str()), (2, "price"));
    assert!(
        p[0].2.contains("12,345") && p[0].2.contains("two ways"),
        "{p:?}"
    );
    // Orders' unit prices too.
    let file = write(
        dir.path(),
        "o.csv",
        "order_ref;order_date;customer_email;sku;quantity;unit_price\nR1;2024-01-01;ana@example.com;MUG-1;1;12,50\n"
            .as_bytes(),
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    let total: i64 = store
        .conn()
        .query_row(
            "SELECT total FROM orders WHERE external_ref = 'R1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(total, 1250);
}

// Item 14 ---------------------------------------------------------------

#[test]
fn emails_and_skus_are_one_whatever_their_case_within_a_file_and_across_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let first = write(
        dir.path(),
        "c1.csv",
        "name,email\nÄnne,ÄBC@example.com\n".as_bytes(),
    );
    run(&mut store, ImportKind::Customers, &first).unwrap();
    let again = write(
        dir.path(),
        "c2.csv",
        "name,email\nAnne,äbc@example.com\n".as_bytes(),
    );
    let p = problems(&refused(&mut store, ImportKind::Customers, &again));
    assert_eq!((p[0].0, p[0].1.as_str()), (2, "email"), "{p:?}");
    let first = write(
        dir.path(),
        "p1.csv",
        "sku,name,price\nÄBC,Cup,1\n".as_bytes(),
    );
    run(&mut store, ImportKind::Products, &first).unwrap();
    let again = write(
        dir.path(),
        "p2.csv",
        "sku,name,price\n äbc ,Cup,1\n".as_bytes(),
    );
    let p = problems(&refused(&mut store, ImportKind::Products, &again));
    assert_eq!((p[0].0, p[0].1.as_str()), (2, "sku"), "{p:?}");
    // Orders find them in any case.
    let orders = write(
        dir.path(),
        "o.csv",
        "order_ref,order_date,customer_email,sku,quantity\nR1,2024-01-01,äBC@EXAMPLE.COM,äbc,1\n"
            .as_bytes(),
    );
    run_with(&mut store, ImportKind::Orders, &orders, history()).unwrap();
}

#[test]
fn order_references_are_trimmed_and_compared_exactly_in_a_file_and_against_the_shop() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "o.csv",
        b"order_ref,order_date,customer_email,sku,quantity\n\
          \" R1 \",2024-01-01,ana@example.com,MUG-1,1\n\
          R1,2024-01-01,ana@example.com,MUG-1,2\n",
    );
    let summary = run(&mut store, ImportKind::Orders, &file).unwrap();
    assert_eq!(summary.orders, 1);
    let again = write(
        dir.path(),
        "o2.csv",
        b"order_ref,order_date,customer_email,sku,quantity\n R1 ,2024-01-02,ana@example.com,MUG-1,1\n",
    );
    let p = problems(&refused(&mut store, ImportKind::Orders, &again));
    assert!(p[0].2.contains("already imported"), "{p:?}");
}

// Item 15 ---------------------------------------------------------------

#[test]
fn rows_of_only_separators_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "c.csv",
        b"name;email;city\r\nBo;bo@example.com;Porto\r\n;;\r\n;;;;;;\r\n  ;  ;\r\n",
    );
    let summary = run(&mut store, ImportKind::Customers, &file).unwrap();
    assert_eq!(summary.rows, 1);
}

#[test]
fn every_order_imported_before_is_named_in_the_first_round() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "o.csv",
        b"order_ref,order_date,customer_email,sku,quantity\nR1,2024-01-01,ana@example.com,MUG-1,1\nR2,2024-01-01,ana@example.com,MUG-1,1\n",
    );
    run(&mut store, ImportKind::Orders, &file).unwrap();
    let again = write(
        dir.path(),
        "o2.csv",
        b"order_ref,order_date,customer_email,sku,quantity\nR1,2024-01-01,ana@example.com,MUG-1,1\nR2,2024-01-01,ana@example.com,MUG-1,x\n",
    );
    let p = problems(&refused(&mut store, ImportKind::Orders, &again));
    let at: Vec<(u64, &str)> = p.iter().map(|(l, c, _)| (*l, c.as_str())).collect();
    assert_eq!(
        at,
        vec![(2, "order_ref"), (3, "quantity"), (3, "order_ref")],
        "{p:?}"
    );
}

// Item 16 ---------------------------------------------------------------

#[test]
fn extra_columns_are_ignored_shown_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let file = write(
        dir.path(),
        "c.csv",
        b"name,Tags,email,Customer since,\nBo,vip,bo@example.com,2020,\n",
    );
    let preview = import::preview(&file, ImportKind::Customers, 5).unwrap();
    assert_eq!(
        preview.fields,
        vec![Some("name"), None, Some("email"), None, None]
    );
    assert_eq!(preview.column_problem, None);
    let summary = run(&mut store, ImportKind::Customers, &file).unwrap();
    assert_eq!(
        summary.ignored,
        vec!["Tags".to_owned(), "Customer since".to_owned()]
    );
    assert_eq!(
        summary.message(),
        "Imported 1 customer. The columns Tags, Customer since were ignored."
    );
    // The command line says so too.
    let db = dir.path().join("cli.sqlite3");
    let out = Command::new(env!("CARGO_BIN_EXE_shopkeeper"))
        .env_remove("SHOPKEEPER_DB")
        .args(["--db", db.to_str().unwrap(), "import", "customers"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Tags, Customer since were ignored"), "{text}");
}

// Item 17 ---------------------------------------------------------------

#[test]
fn messages_cut_what_they_repeat() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    // 400 unknown and named-twice columns, and no name column.
    let mut header: Vec<String> = (0..200)
        .map(|i| format!("email{}", "x".repeat(i)))
        .collect();
    header.extend((0..200).map(|_| "city".to_owned()));
    let file = write(
        dir.path(),
        "wide.csv",
        format!("{}\n", header.join(",")).as_bytes(),
    );
    let text = refused(&mut store, ImportKind::Customers, &file).full();
    assert!(text.contains("and 179 more"), "{text}");
    assert!(text.len() < 2000, "{} bytes", text.len());
    // A long value is cut to about 80 characters.
    let long = "z".repeat(100_000);
    let file = write(
        dir.path(),
        "o.csv",
        format!(
            "order_ref,order_date,customer_email,sku,quantity\nR1,{long},{long}@example.com,{long},1\n"
        )
        .as_bytes(),
    );
    let text = refused(&mut store, ImportKind::Orders, &file).full();
    assert!(text.len() < 1500, "{} bytes: {text}", text.len());
    assert!(text.contains('…'), "{text}");
    // NULs are shown, not echoed.
    let file = write(
        dir.path(),
        "nul.csv",
        &[
            b"name,email\n".as_slice(),
            &[0u8; 200_000],
            b",a@example.com\n",
        ]
        .concat(),
    );
    let text = refused(&mut store, ImportKind::Customers, &file).full();
    assert!(
        text.len() < 1500 && !text.contains('\0'),
        "{} bytes",
        text.len()
    );
}

// In the window -----------------------------------------------------------

/// Items 10 and 14 in the form: a reversing mark in the name is refused under
/// the field, and an email that differs only in the case of a letter beyond
/// ASCII is someone's already.
#[test]
fn the_customer_form_refuses_control_characters_and_a_twin_email_inline() {
    use crate::common::ui::*;
    use egui_kittest::kittest::Queryable;
    let (_dir, mut s) = ready_store();
    add_customer(&mut s, "Élodie", "élodie@example.com");
    let mut h = open_window(s);
    h.run();
    h.get_by_label("New customer").click();
    h.run();
    text_input(&h, "Name").focus();
    text_input(&h, "Name").type_text("Evil\u{202e}gpj.exe");
    h.run();
    text_input(&h, "Email").focus();
    text_input(&h, "Email").type_text("ÉLODIE@example.com");
    h.run();
    let name_error = field_error(&h, "Name").unwrap_or_default();
    assert!(name_error.contains("U+202E"), "{name_error}");
    assert_eq!(
        field_error(&h, "Email").as_deref(),
        Some("another customer already has this email address")
    );
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(customer_count(&h), 1, "nothing was written");
}

/// Item 16 in the window: a column Shopkeeper does not know is shown as
/// "ignore" in the preview and named in the message after the import.
#[test]
fn the_import_dialog_shows_unknown_columns_as_ignored() {
    use crate::common::ui::*;
    use egui_kittest::kittest::{NodeT, Queryable};
    let (dir, s) = ready_store();
    let file = dir.path().join("people.csv");
    std::fs::write(&file, "Name;Tags;Email\nAna Lima;vip;ana@example.com\n").unwrap();
    let dialogs = shopkeeper::ui::ScriptedDialogs::default();
    dialogs.push(&file);
    let mut h = window_with(s, dialogs);
    h.run();
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label("Import").click();
    h.run_steps(2);
    h.get_by_label("Customers…").click();
    h.run_steps(2);
    h.run_steps(2);
    // Each column's choice (issue 16 item 2): Tags feeds nothing.
    let choice = |column: &str| {
        h.get_by_role_and_label(egui::accesskit::Role::ComboBox, column)
            .accesskit_node()
            .value()
    };
    assert_eq!(choice("Tags").as_deref(), Some("ignore"), "{:?}", texts(&h));
    assert_eq!(choice("Email").as_deref(), Some("email"));
    let ready = "Every row was checked: 1 customer is ready to import.";
    wait_for(&mut h, "the check of the file", |h| shows(h, ready));
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Import")
        .click();
    let done = "Imported 1 customer. The column Tags was ignored.";
    wait_for(&mut h, "the import's message", |h| shows(h, done));
    assert!(shows(&h, done));
    assert_eq!(customer_count(&h), 1);
}

/// Item 10 for the note of a stock adjustment: refused, nothing written.
#[test]
fn a_stock_note_with_a_control_character_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shop(dir.path());
    let before = dump(&store);
    let e = store
        .write(|tx| {
            store::stock::adjust(
                tx,
                1,
                5,
                shopkeeper::domain::MovementReason::Received,
                Some("from \u{1b}[2Jsupplier"),
            )
        })
        .unwrap_err();
    assert!(e.to_string().contains("U+001B"), "{e}");
    assert_eq!(dump(&store), before);
}

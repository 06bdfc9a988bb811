//! The `shopkeeper` binary as a user runs it.

use std::process::Command;

use crate::common::*;

fn shopkeeper() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shopkeeper"));
    c.env_remove("SHOPKEEPER_DB");
    c
}

#[test]
fn help_explains_every_command() {
    let out = shopkeeper().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["demo", "check", "--db"] {
        assert!(text.contains(word), "{word} missing from:\n{text}");
    }
    let out = shopkeeper().args(["demo", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for word in ["--customers", "--products", "--orders", "--seed"] {
        assert!(text.contains(word), "{word} missing from:\n{text}");
    }
    // Every report `export` takes is named in its help.
    let out = shopkeeper().args(["export", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
    let named: std::collections::HashSet<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '.' || c == ':')
        .collect();
    for kind in shopkeeper::domain::ReportKind::ALL {
        assert!(
            named.contains(kind.name()),
            "{} missing from:\n{text}",
            kind.name()
        );
    }
}

#[test]
fn demo_then_check_passes_and_db_may_come_after_the_command() {
    let (_dir, path) = temp_db();
    let out = shopkeeper()
        .args([
            "demo",
            "--customers",
            "200",
            "--products",
            "30",
            "--orders",
            "2000",
            "--db",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Added 200 customers, 30 products and 2000 orders")
    );

    let out = shopkeeper()
        .arg("--db")
        .arg(&path)
        .arg("check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("All checks passed"));
    // Each check on its line with its time (the whole takes a minute at a
    // million orders, and said nothing until its end).
    let checks: Vec<&str> = text.lines().filter(|l| l.starts_with("  ok")).collect();
    assert!(checks.len() > 10, "{text}");
    assert!(checks.iter().all(|l| l.ends_with(" s)")), "{text}");
    assert!(
        text.starts_with("Checking "),
        "what it checks comes first: {text}"
    );
}

#[test]
fn the_same_seed_gives_the_same_shop() {
    let (_dir, a) = temp_db();
    let b = a.with_file_name("other.sqlite3");
    for p in [&a, &b] {
        let ok = shopkeeper()
            .args([
                "demo",
                "--customers",
                "50",
                "--products",
                "10",
                "--seed",
                "9",
            ])
            .arg("--db")
            .arg(p)
            .status()
            .unwrap();
        assert!(ok.success());
    }
    let sa = shopkeeper::store::Store::open(&a).unwrap();
    let sb = shopkeeper::store::Store::open(&b).unwrap();
    let names = |s: &shopkeeper::store::Store| -> Vec<String> {
        s.conn()
            .prepare("SELECT name || coalesce(email, '') FROM customers ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(names(&sa), names(&sb));
}

#[test]
fn the_environment_variable_chooses_the_database() {
    let (_dir, path) = temp_db();
    let out = shopkeeper()
        .env("SHOPKEEPER_DB", &path)
        .args(["demo", "--customers", "3", "--products", "2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(path.exists());
    let out = shopkeeper()
        .env("SHOPKEEPER_DB", &path)
        .arg("where")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        path.display().to_string()
    );
}

#[test]
fn a_file_that_is_not_a_database_is_one_clear_error_and_stays_untouched() {
    let (_dir, path) = temp_db();
    std::fs::write(&path, "this is a shopping list\n").unwrap();
    let before = bytes(&path);
    let out = shopkeeper()
        .arg("--db")
        .arg(&path)
        .arg("check")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    assert!(
        err.contains("shop.sqlite3") && err.contains("not an SQLite file"),
        "{err}"
    );
    assert_eq!(before, bytes(&path));
}

#[test]
fn demo_orders_need_customers_and_products() {
    let (_dir, path) = temp_db();
    let out = shopkeeper()
        .args([
            "demo",
            "--customers",
            "0",
            "--products",
            "0",
            "--orders",
            "5",
            "--db",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("need customers and products"), "{err}");
    let s = shopkeeper::store::Store::open(&path).unwrap();
    assert_eq!(
        shopkeeper::store::settings::counts(s.conn())
            .unwrap()
            .orders,
        0
    );
}

#[test]
fn an_unknown_command_is_an_error() {
    let out = shopkeeper().arg("frobnicate").output().unwrap();
    assert!(!out.status.success());
}

#[test]
fn export_errors_name_what_is_wrong_and_write_no_file() {
    let (dir, path) = temp_db();
    let ok = shopkeeper()
        .args([
            "demo",
            "--customers",
            "20",
            "--products",
            "5",
            "--orders",
            "50",
            "--db",
        ])
        .arg(&path)
        .status()
        .unwrap();
    assert!(ok.success());
    let out = dir.path().join("r.csv");
    for (args, named) in [
        (vec!["export", "salez"], "salez"),
        (
            vec!["export", "sales-by-date", "--from", "2026-02-30"],
            "2026-02-30",
        ),
        (
            vec!["export", "inventory-movements", "--product", "NO-SUCH"],
            "NO-SUCH",
        ),
        (
            vec![
                "export",
                "customer-history",
                "--customer",
                "who@example.com",
            ],
            "who@example.com",
        ),
        (vec!["export", "sales-by-date", "--by", "year"], "year"),
    ] {
        let o = shopkeeper()
            .arg("--db")
            .arg(&path)
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(named), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote a file");
    }
    // An unknown extension without --format is refused too.
    let o = shopkeeper()
        .arg("--db")
        .arg(&path)
        .args(["export", "stock-levels", "--out"])
        .arg(dir.path().join("r.txt"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    // The format follows the extension.
    let x = dir.path().join("r.xlsx");
    let o = shopkeeper()
        .arg("--db")
        .arg(&path)
        .args(["export", "top-customers", "--out"])
        .arg(&x)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&x).unwrap().starts_with(b"PK"));
}

#[test]
fn a_dry_run_into_a_shop_not_made_yet_leaves_no_file() {
    let (dir, path) = temp_db();
    let customers = dir.path().join("customers.csv");
    std::fs::write(&customers, "name,email\nAna Lima,ana@example.com\n").unwrap();
    let out = shopkeeper()
        .arg("--db")
        .arg(&path)
        .args(["import", "customers", "--dry-run"])
        .arg(&customers)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Nothing was written."),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // It said so, and made an empty shop there all the same.
    assert!(!path.exists(), "a dry run leaves no file");
    // Nor does an import refused: the shop made for it goes again.
    std::fs::write(&customers, "name,email\nAna Lima,not-an-email\n").unwrap();
    let out = shopkeeper()
        .arg("--db")
        .arg(&path)
        .args(["import", "customers"])
        .arg(&customers)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!path.exists(), "a refused import leaves no file");
}

#[test]
fn import_from_the_command_line_says_what_it_did_or_why_not() {
    let (dir, path) = temp_db();
    let customers = dir.path().join("customers.csv");
    std::fs::write(&customers, "name,email\nAna Lima,ana@example.com\n").unwrap();
    let products = dir.path().join("products.csv");
    std::fs::write(&products, "sku;name;price;stock\nMUG-1;Blue mug;12,505;4\n").unwrap();
    let orders = dir.path().join("orders.csv");
    std::fs::write(
        &orders,
        "order_ref,order_date,customer_email,sku,quantity\nW1,2024-01-05,ana@example.com,MUG-1,3\n",
    )
    .unwrap();
    let run = |args: &[&str], file: &std::path::Path| {
        shopkeeper()
            .arg("--db")
            .arg(&path)
            .arg("import")
            .args(args)
            .arg(file)
            .output()
            .unwrap()
    };
    let out = run(&["customers"], &customers);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Imported 1 customer."));

    // "12,505" is not a price (a ';' file writes cents after a decimal comma,
    // issue 12 item 13; three decimals are one too many): the file is refused
    // with the line and column.
    let out = run(&["products"], &products);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("was not imported"), "{err}");
    assert!(err.contains("line 2, price:"), "{err}");
    std::fs::write(&products, "sku;name;price;stock\nMUG-1;Blue mug;12,50;4\n").unwrap();
    assert!(run(&["products"], &products).status.success());

    let before = bytes(&path);
    let out = run(&["orders", "--dry-run"], &orders);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("1 order (1 order line) would be imported. Nothing was written.")
    );
    assert_eq!(bytes(&path), before, "a dry run writes nothing");
    let out = run(&["orders"], &orders);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Imported 1 order (1 order line)."));
    // Written out of WAL mode (the command was the file's only connection),
    // and back in it.
    let mode: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // The same file twice changes nothing.
    let out = run(&["orders"], &orders);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already imported"));

    let out = run(&["suppliers"], &orders);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("choose customers, products or orders"));
    let out = run(&["customers", "--history"], &customers);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--history is only for importing orders")
    );

    let check = shopkeeper()
        .arg("--db")
        .arg(&path)
        .arg("check")
        .output()
        .unwrap();
    assert!(check.status.success());

    // One customer bought: "Wrote 1 row", not "1 rows" (issue 17).
    let out = shopkeeper()
        .arg("--db")
        .arg(&path)
        .args(["export", "top-customers", "--out"])
        .arg(dir.path().join("top.csv"))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Wrote 1 row of top-customers"), "{said}");
}

#[test]
fn demo_refuses_a_database_that_holds_data_unless_told() {
    let (_dir, path) = temp_db();
    {
        let mut s = shopkeeper::store::Store::open(&path).unwrap();
        add_customer(&mut s, "Ana Lima", "ana@example.com");
    }
    let before = dump(&shopkeeper::store::Store::open(&path).unwrap());
    let out = shopkeeper()
        .args([
            "demo",
            "--customers",
            "5",
            "--products",
            "2",
            "--orders",
            "3",
        ])
        .arg("--db")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("demo data only goes into an empty database")
            && err.contains("--into-existing"),
        "{err}"
    );
    assert_eq!(
        dump(&shopkeeper::store::Store::open(&path).unwrap()),
        before
    );
    let out = shopkeeper()
        .args([
            "demo",
            "--customers",
            "5",
            "--products",
            "2",
            "--orders",
            "3",
            "--into-existing",
        ])
        .arg("--db")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = shopkeeper::store::Store::open(&path).unwrap();
    assert_eq!(
        shopkeeper::store::settings::counts(s.conn())
            .unwrap()
            .customers,
        6
    );
    assert!(
        !shopkeeper::demo::is_demo_shop(&s),
        "a real shop with demo data added is not a demo shop"
    );
    // An empty database becomes a demo shop.
    let fresh = path.with_file_name("fresh.sqlite3");
    assert!(
        shopkeeper()
            .args([
                "demo",
                "--customers",
                "5",
                "--products",
                "2",
                "--orders",
                "3"
            ])
            .arg("--db")
            .arg(&fresh)
            .status()
            .unwrap()
            .success()
    );
    assert!(shopkeeper::demo::is_demo_shop(
        &shopkeeper::store::Store::open(&fresh).unwrap()
    ));
}

/// `shopkeeper --db DB export REPORT ARGS --out OUT`, run.
fn export_to(
    db: &std::path::Path,
    report: &str,
    args: &[&str],
    out: &std::path::Path,
) -> std::process::Output {
    shopkeeper()
        .arg("--db")
        .arg(db)
        .args(["export", report])
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

/// Issue 17 item 8: `--csv-separator ';'` and `--csv-bom` write the CSV that
/// Excel opens right where a comma is the decimal mark; plain CSV otherwise;
/// both refused (and nothing written) where they cannot apply.
#[test]
fn export_takes_a_csv_separator_and_a_byte_order_mark() {
    let (dir, path) = temp_db();
    let mut s = shopkeeper::store::Store::open(&path).unwrap();
    add_product(&mut s, "TEA-1", "Té verde", "12.50", 4);
    // The shop writes a decimal comma on screen; files keep the plain point.
    use_decimal_comma(&mut s);
    drop(s);
    let export = |args: &[&str], out: &std::path::Path| export_to(&path, "stock-levels", args, out);
    let excel = dir.path().join("excel.csv");
    let o = export(&["--csv-separator", ";", "--csv-bom"], &excel);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&excel).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "{bytes:?}");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("sku;product;"), "{text}");
    assert!(text.contains("TEA-1;Té verde;"), "{text}");
    assert!(
        text.trim_end().ends_with(";0.00"),
        "amounts stay plain decimals: {text:?}"
    );

    let plain = dir.path().join("plain.csv");
    assert!(export(&[], &plain).status.success());
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.starts_with("sku,product,"), "{text}");

    for (args, out, says) in [
        (
            &["--csv-separator", "|"][..],
            "bad.csv",
            "is not ',' or ';'",
        ),
        (&["--csv-bom"][..], "bad.xlsx", "only for CSV files"),
    ] {
        let out = dir.path().join(out);
        let o = export(args, &out);
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!out.exists(), "{args:?} wrote a file");
    }
}

/// A shop whose decimal mark is a comma gets a CSV German Excel reads as
/// numbers: `--csv-decimal-comma` writes amounts and percents with a comma
/// (Excel there takes 30.59 for text or a date); dates and whole numbers
/// stay as they are. Only in a ';' file: asked for in a ',' file it is
/// refused and nothing is written.
#[test]
fn export_writes_a_decimal_comma_on_request() {
    let (dir, path) = temp_db();
    let mut s = shopkeeper::store::Store::open(&path).unwrap();
    add_product(&mut s, "TEA-1", "Té verde", "12.50", 4);
    drop(s);
    let export = |args: &[&str], out: &std::path::Path| export_to(&path, "products", args, out);
    let excel = dir.path().join("excel.csv");
    let o = export(&["--csv-separator", ";", "--csv-decimal-comma"], &excel);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&excel).unwrap();
    assert!(text.contains("TEA-1;Té verde;;12,50;"), "{text}");

    let refused = dir.path().join("refused.csv");
    let o = export(&["--csv-decimal-comma"], &refused);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("needs --csv-separator ';'"), "{err}");
    assert!(!refused.exists());
}

#[test]
fn import_map_names_the_files_columns_and_is_remembered() {
    let (dir, path) = temp_db();
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "Who,Mail,Notes\nAna Lima,ana@example.com,VIP\n").unwrap();
    let run = |args: &[&str], file: &std::path::Path| {
        shopkeeper()
            .arg("--db")
            .arg(&path)
            .arg("import")
            .arg("customers")
            .args(args)
            .arg(file)
            .output()
            .unwrap()
    };
    let stderr = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    // Without a mapping the file has no name; nothing is written.
    let out = run(&[], &people);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("missing required columns: name"),
        "{}",
        stderr(&out)
    );
    // Refused into a shop not made yet: no file is left (the shop made for
    // the import goes again).
    let before = std::fs::read(&path).ok();
    assert_eq!(before, None);
    // A mapping that leaves the name out, or names what is not there.
    for (map, says) in [
        ("Mail=email", "missing required columns: name"),
        ("Whom=name", "the file has no column \"Whom\""),
        ("Who=nickname", "no customers column \"nickname\""),
    ] {
        let out = run(&["--map", map], &people);
        assert_eq!(out.status.code(), Some(1), "{map}");
        assert!(stderr(&out).contains(says), "{map}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("was not imported"),
            "{}",
            stderr(&out)
        );
    }
    assert_eq!(
        std::fs::read(&path).ok(),
        before,
        "a refused mapping writes nothing"
    );
    let out = run(&["--map", "Who=name, Mail=email, Notes=ignore"], &people);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .starts_with("Imported 1 customer. The column Notes was ignored."),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The next file with that header needs no --map.
    let more = dir.path().join("more.csv");
    std::fs::write(&more, "Who,Mail,Notes\nBo Berg,bo@example.com,\n").unwrap();
    let out = run(&[], &more);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Imported 1 customer."));
    let check = shopkeeper()
        .arg("--db")
        .arg(&path)
        .arg("check")
        .output()
        .unwrap();
    assert!(check.status.success());
}

/// The command line reads a column by the names spreadsheets use, as the
/// window guesses them ("E-mail" for email), and says so: by our names
/// alone it imported the customers without their emails, "ignored".
#[test]
fn the_command_line_reads_columns_by_the_names_spreadsheets_use() {
    let (dir, path) = temp_db();
    let file = dir.path().join("kunden.csv");
    std::fs::write(
        &file,
        "Name;E-mail;Telefon;Stadt\nJosé Martín;jose@example.com;+34 600 000 000;Sevilla\n",
    )
    .unwrap();
    let out = shopkeeper()
        .arg("--db")
        .arg(&path)
        .args(["import", "customers"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Read the column \"E-mail\" as email."),
        "{said}"
    );
    assert!(
        said.contains("The columns Telefon, Stadt were ignored."),
        "{said}"
    );
    let s = shopkeeper::store::Store::open(&path).unwrap();
    let email: Option<String> = s
        .conn()
        .query_row("SELECT email FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(email.as_deref(), Some("jose@example.com"));
}

/// `erase-customer` needs --yes (it cannot be undone), names a customer by
/// email or number, and leaves their orders under "Erased customer".
#[test]
fn erase_customer_asks_for_yes_then_erases() {
    let (_dir, path) = temp_db();
    let mut s = shopkeeper::store::Store::open(&path).unwrap();
    let zoe = add_customer(&mut s, "Zoë Lefèvre", "zoe@example.fr");
    let tea = add_product(&mut s, "TEA-1", "Sencha", "8.00", 20);
    s.write(|tx| {
        let id = shopkeeper::store::orders::place(
            tx,
            &order(zoe, vec![line(tea, 1, 800)]),
            &Default::default(),
        )?;
        // Delivered: an order still to send would stop the erasure.
        shopkeeper::store::orders::mark_paid(tx, id, "Card", "2026-10-02")?;
        shopkeeper::store::orders::ship(tx, id, None, None)
    })
    .unwrap();
    drop(s);
    let run = |args: &[&str]| {
        shopkeeper()
            .arg("--db")
            .arg(&path)
            .arg("erase-customer")
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["zoe@example.fr"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("add --yes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = |path: &std::path::Path| {
        let s = shopkeeper::store::Store::open(path).unwrap();
        shopkeeper::store::customers::get(s.conn(), zoe)
            .unwrap()
            .name
    };
    assert_eq!(name(&path), "Zoë Lefèvre", "nothing was erased");
    let out = run(&["nobody@example.fr", "--yes"]);
    assert!(!out.status.success());
    let out = run(&["zoe@example.fr", "--yes"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(name(&path), shopkeeper::store::customers::ERASED);
}

//! Crash safety: a child process writing orders (demo data, an import) is
//! killed with SIGKILL at random moments, many times. After every kill the
//! database passes every check, and each batch of orders is either wholly
//! there or not there at all.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use shopkeeper::store::{self, Store};

/// A small reproducible random source (no clock, no extra crate).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn orders(path: &std::path::Path) -> i64 {
    let s = Store::open(path).expect("the database opens after a kill");
    let report = store::check::run(s.conn()).expect("check runs");
    let failed: Vec<_> = report.findings.iter().filter(|f| !f.ok).collect();
    assert!(failed.is_empty(), "checks failed after a kill: {failed:?}");
    store::settings::counts(s.conn()).expect("counts").orders
}

fn child(path: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shopkeeper"));
    c.env_remove("SHOPKEEPER_DB")
        .arg("--db")
        .arg(path)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// An orders file of `n` one- or two-line orders with references unique to `batch`.
fn orders_file(dir: &std::path::Path, batch: usize, n: usize) -> std::path::PathBuf {
    let file = dir.join(format!("batch-{batch}.csv"));
    let mut csv = String::from("order_ref,order_date,customer_email,sku,quantity,unit_price\n");
    for i in 0..n {
        let c = i % 50;
        csv.push_str(&format!(
            "K{batch}-{i},2025-06-01 10:00,c{c}@example.com,SKU-{},1,\n",
            i % 20
        ));
        if i % 2 == 0 {
            csv.push_str(&format!(
                "K{batch}-{i},2025-06-01 10:00,c{c}@example.com,SKU-{},2,3.50\n",
                (i + 7) % 20
            ));
        }
    }
    std::fs::write(&file, csv).expect("write batch");
    file
}

#[test]
fn killing_a_writer_at_any_moment_leaves_whole_orders_or_none() {
    let (dir, path) = temp_db();
    {
        let mut s = Store::open(&path).unwrap();
        for c in 0..50 {
            add_customer(
                &mut s,
                &format!("Customer {c}"),
                &format!("c{c}@example.com"),
            );
        }
        for p in 0..20 {
            add_product(
                &mut s,
                &format!("SKU-{p}"),
                &format!("Product {p}"),
                "9.99",
                1_000_000,
            );
        }
    }
    const DEMO: &[&str] = &[
        "demo",
        "--into-existing",
        "--customers",
        "0",
        "--products",
        "0",
        "--orders",
        "3000",
    ];
    const LINES: usize = 3000;

    // How long one uninterrupted write of each kind takes, to aim the kills inside it.
    let t = Instant::now();
    assert!(child(&path, DEMO).status().unwrap().success());
    let demo_time = t.elapsed();
    let first = orders_file(dir.path(), 0, LINES);
    let t = Instant::now();
    assert!(
        child(&path, &["import", "orders", first.to_str().unwrap()])
            .status()
            .unwrap()
            .success()
    );
    let import_time = t.elapsed();
    let mut count = orders(&path);

    let mut rng = Lcg(7);
    let (mut kills, mut interrupted, mut completed) = (0, 0, 0);
    for i in 1..=60 {
        let (mut cmd, batch, took) = if i % 2 == 0 {
            (child(&path, DEMO), 3000, demo_time)
        } else {
            let file = orders_file(dir.path(), i, LINES);
            let cmd = child(&path, &["import", "orders", file.to_str().unwrap()]);
            (cmd, LINES as i64, import_time)
        };
        let mut running = cmd.spawn().expect("start the writer");
        let delay = Duration::from_micros(rng.below(took.as_micros() as u64 * 3 / 2 + 1));
        std::thread::sleep(delay);
        // SIGKILL: no destructor, no rollback of its own, as in a power cut.
        let _ = running.kill();
        let _ = running.wait();
        kills += 1;
        let now = orders(&path);
        if now == count {
            interrupted += 1;
        } else {
            assert_eq!(now, count + batch, "a batch is all there or not at all");
            completed += 1;
        }
        count = now;
    }
    println!(
        "{kills} kills: {interrupted} interrupted a write, {completed} came after it finished"
    );
    assert!(interrupted > 0, "no kill landed inside a write");
}

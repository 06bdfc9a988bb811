//! The shop's data stays private (issue 19): the files the app creates are
//! readable by their owner only; an encrypted shop's bytes hold no customer
//! data; it opens, checks, exports, imports, backs up and restores with its
//! passphrase only; a wrong or missing passphrase changes nothing; a kill
//! while encrypting leaves the plain or the encrypted shop whole.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::*;
use shopkeeper::files::Replace;
use shopkeeper::store::{self, Mode, OpenError, Passphrase, Store, backup, secret};

const EMAIL: &str = "ana.private@example.com";
const PASS: &str = "correct horse battery";

fn key() -> Passphrase {
    Passphrase::new(PASS)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A shop with a customer, a product and an order, in `dir`.
fn shop(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("shop.sqlite3");
    let mut s = Store::open(&path).unwrap();
    let c = add_customer(&mut s, "Ana Private", EMAIL);
    let p = add_product(&mut s, "SKU-1", "Teapot", "12.50", 10);
    s.write(|tx| store::orders::place(tx, &order(c, vec![line(p, 2, 1250)]), &Default::default()))
        .unwrap();
    path
}

fn encrypted_shop(dir: &Path) -> std::path::PathBuf {
    let path = shop(dir);
    let s = Store::open_existing(&path).unwrap();
    let (s, _) = secret::encrypt(s, &key()).unwrap();
    drop(s);
    path
}

fn with_sidecars(path: &Path) -> Vec<u8> {
    let mut all = bytes(path);
    for ext in ["-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(ext);
        if let Ok(b) = std::fs::read(std::path::PathBuf::from(p)) {
            all.extend(b);
        }
    }
    all
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn every_file_the_app_creates_is_owner_only_and_exports_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("new").join("Shopkeeper");
    let path = folder.join("shop.sqlite3");
    let mut s = Store::open(&path).unwrap();
    add_customer(&mut s, "Ana", EMAIL);
    assert_eq!(mode(&folder), 0o700, "the data folder");
    assert_eq!(mode(&dir.path().join("new")), 0o700, "a folder made for it");
    assert_eq!(mode(&path), 0o600, "the database");
    for ext in ["-wal", "-shm"] {
        let side = folder.join(format!("shop.sqlite3{ext}"));
        assert!(side.exists(), "{ext} is there while the shop is open");
        assert_eq!(mode(&side), 0o600, "{ext}");
    }
    let daily = backup::automatic(&s, chrono::Local::now().naive_local()).unwrap();
    assert_eq!(mode(&daily), 0o600, "an automatic backup");
    assert_eq!(mode(&backup::folder(&path)), 0o700, "the backups folder");
    let out = dir.path().join("copy.sqlite3");
    backup::write_checked(&s, &out).unwrap();
    assert_eq!(mode(&out), 0o600, "backup --out");
    // Replacing a file the user made readable by others keeps the copy private.
    std::fs::write(&out, b"old").unwrap();
    backup::write_checked_to(&s, &out, Replace::Allowed).unwrap();
    assert_eq!(mode(&out), 0o600, "a replaced backup");
    // A temporary file of a backup is owner-only from its first byte.
    let temp =
        shopkeeper::files::SafeFile::prepare_private(&dir.path().join("x.sqlite3"), Replace::Never)
            .unwrap();
    assert_eq!(mode(temp.temp()), 0o600, "a temporary file");
    drop(temp);
    // An export keeps the user's usual mode: that of any new file they make.
    let usual = dir.path().join("usual.txt");
    std::fs::write(&usual, b"x").unwrap();
    let csv = dir.path().join("customers.csv");
    let spec = shopkeeper::domain::ReportSpec::new(shopkeeper::domain::ReportKind::StockLevels);
    shopkeeper::jobs::export_report_to(
        s.conn(),
        &spec,
        &csv,
        shopkeeper::export::Format::Csv,
        Replace::Never,
        &shopkeeper::jobs::Progress::default(),
    )
    .unwrap();
    assert_eq!(mode(&csv), mode(&usual), "an export");
}

#[cfg(unix)]
#[test]
fn a_database_others_can_read_gets_a_notice_and_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let s = Store::open_existing(&path).unwrap();
    backup::automatic(&s, chrono::Local::now().naive_local()).unwrap();
    drop(s);
    for p in [path.clone(), backup::folder(&path)] {
        let m = if p.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).unwrap();
    }
    let s = Store::open_existing(&path).unwrap();
    let notice = s.open_to_others_notice().expect("a notice");
    assert!(notice.contains("Other accounts"), "{notice}");
    assert!(!s.open_to_others().is_empty());
    {
        use crate::common::ui::*;
        let h = open_window(Store::open_existing(&path).unwrap());
        assert!(
            texts(&h).contains(&notice),
            "the window says it: {:?}",
            texts(&h)
        );
    }
    assert!(s.make_private().unwrap() >= 2);
    assert!(s.open_to_others().is_empty(), "{:?}", s.open_to_others());
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&backup::folder(&path)), 0o700);
    drop(s);
    let s = Store::open_existing(&path).unwrap();
    assert!(
        s.open_to_others_notice().is_none(),
        "no notice once private"
    );
}

#[test]
fn an_encrypted_shop_holds_no_customer_data_in_its_bytes_and_works_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    assert!(
        contains(&with_sidecars(&path), EMAIL),
        "plain: the email is there"
    );
    let before = dump(&Store::open_existing(&path).unwrap());
    let s = Store::open_existing(&path).unwrap();
    let (mut s, _) = secret::encrypt(s, &key()).unwrap();
    assert!(s.encrypted());
    assert_eq!(dump(&s), before, "the same shop, encrypted");
    assert_checks(&s);
    // Writes go through the encrypted file, its log and its readers.
    add_customer(&mut s, "Bo Second", "bo.second@example.com");
    let reader = s.location().open().unwrap();
    assert_eq!(store::settings::counts(reader.conn()).unwrap().customers, 2);
    assert!(!contains(&with_sidecars(&path), EMAIL));
    assert!(!contains(&with_sidecars(&path), "bo.second@example.com"));
    let query = store::customers::CustomerQuery {
        search: "ana".into(),
        ..Default::default()
    };
    let found = store::customers::page(s.conn(), &query, 0, 10).unwrap();
    assert_eq!(found.len(), 1, "search works on the encrypted shop");
    drop((s, reader));
    assert!(!contains(&with_sidecars(&path), EMAIL));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_wrong_or_missing_passphrase_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let before = with_sidecars(&path);
    assert!(secret::looks_encrypted(&path));
    match Store::open_existing(&path) {
        Err(OpenError::Locked { .. }) => {}
        other => panic!("opened without its passphrase: {other:?}"),
    }
    let wrong = Passphrase::new("not the passphrase");
    for mode in [Mode::Existing, Mode::Create] {
        match Store::open_keyed(&path, mode, Some(&wrong)) {
            Err(e @ OpenError::WrongPassphrase { .. }) => {
                assert!(e.to_string().contains("passphrase is wrong"), "{e}");
            }
            other => panic!("a wrong passphrase: {other:?}"),
        }
    }
    assert!(matches!(
        Store::open_read_only_keyed(&path, Some(&wrong)),
        Err(OpenError::WrongPassphrase { .. })
    ));
    assert_eq!(with_sidecars(&path), before, "the file was written to");
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    assert_eq!(store::settings::counts(s.conn()).unwrap().customers, 1);
}

#[test]
fn backups_of_an_encrypted_shop_are_encrypted_and_restore_only_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let s = Store::open_existing(&path).unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let plain_backup = backup::automatic(&s, day.and_hms_opt(9, 0, 0).unwrap()).unwrap();
    assert!(contains(&bytes(&plain_backup), EMAIL));
    // Encrypting encrypts the backups beside it too.
    let (mut s, said) = secret::encrypt(s, &key()).unwrap();
    assert!(said.contains("1 backup is now encrypted"), "{said}");
    // Copies saved elsewhere are not the app's to re-write: it says so.
    assert!(
        said.contains("Copies you saved yourself elsewhere"),
        "{said}"
    );
    assert!(!contains(&bytes(&plain_backup), EMAIL));
    backup::verify_with(&plain_backup, Some(&key())).unwrap();
    assert!(backup::verify(&plain_backup).is_err());
    // The shop's own key (as the window holds it) opens the re-encrypted
    // backup: the Backups list counts its orders, and it can be restored.
    assert!(backup::orders_in(&plain_backup, s.location().key.as_ref()).is_some());
    backup::verify_with(&plain_backup, s.location().key.as_ref()).unwrap();

    let taken = backup::automatic(&s, day.and_hms_opt(10, 0, 0).unwrap()).unwrap();
    assert!(!contains(&bytes(&taken), EMAIL));
    assert!(secret::looks_encrypted(&taken));
    backup::verify_with(&taken, Some(&key())).unwrap();
    assert!(backup::verify_with(&taken, Some(&Passphrase::new("other one"))).is_err());
    let out = dir.path().join("out.sqlite3");
    backup::write_checked(&s, &out).unwrap();
    assert!(!contains(&bytes(&out), EMAIL));
    assert!(backup::orders_in(&taken, s.location().key.as_ref()).is_some());

    add_customer(&mut s, "Bo Later", "bo.later@example.com");
    backup::restore(&mut s, &taken, day.and_hms_opt(11, 0, 0).unwrap()).unwrap();
    drop(s);
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    assert_eq!(store::settings::counts(s.conn()).unwrap().customers, 1);
    assert_checks(&s);

    // A plain file cannot be restored into the encrypted shop (nor the reverse).
    let other = tempfile::tempdir().unwrap();
    let plain = shop(other.path());
    let mut s = s;
    let err = backup::restore(&mut s, &plain, day.and_hms_opt(12, 0, 0).unwrap()).unwrap_err();
    assert!(err.to_string().contains("not encrypted"), "{err}");
}

#[test]
fn decrypting_and_changing_the_passphrase_rewrite_the_shop_and_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    let b = backup::automatic(&s, chrono::Local::now().naive_local()).unwrap();
    let new = Passphrase::new("a new long passphrase");
    assert!(matches!(
        secret::change(s, &key(), &Passphrase::new("short")),
        Err(secret::SecretError::TooShort)
    ));
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    let wrong = secret::change(s, &Passphrase::new("not the current one"), &new);
    assert!(wrong.is_err(), "the current passphrase is checked");
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    let (s, _) = secret::change(s, &key(), &new).unwrap();
    drop(s);
    assert!(matches!(
        Store::open_keyed(&path, Mode::Existing, Some(&key())),
        Err(OpenError::WrongPassphrase { .. })
    ));
    backup::verify_with(&b, Some(&new)).unwrap();
    let s = Store::open_keyed(&path, Mode::Existing, Some(&new)).unwrap();
    // The shop's key as the window holds it opens the re-written backup too.
    backup::verify_with(&b, s.location().key.as_ref()).unwrap();
    assert!(backup::orders_in(&b, s.location().key.as_ref()).is_some());
    let (s, said) = secret::decrypt(s, &new).unwrap();
    assert!(!s.encrypted(), "{said}");
    drop(s);
    assert!(contains(&with_sidecars(&path), EMAIL));
    backup::verify(&b).unwrap();
    let s = Store::open_existing(&path).unwrap();
    assert_checks(&s);
}

#[test]
fn encrypting_a_shop_another_connection_has_open_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let s = Store::open_existing(&path).unwrap();
    let other = s.location().open().unwrap();
    store::settings::counts(other.conn()).unwrap();
    let before = dump(&s);
    let err = secret::encrypt(s, &key()).unwrap_err();
    assert!(matches!(err, secret::SecretError::InUse { .. }), "{err}");
    drop(other);
    let s = Store::open_existing(&path).unwrap();
    assert!(!s.encrypted());
    assert_eq!(dump(&s), before);
}

fn cli(path: &Path, pass: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_shopkeeper"));
    c.env_remove("SHOPKEEPER_DB")
        .env_remove("SHOPKEEPER_NEW_PASSPHRASE")
        .env_remove("SHOPKEEPER_PASSPHRASE")
        .arg("--db")
        .arg(path)
        .stdin(Stdio::null());
    if let Some(p) = pass {
        c.env("SHOPKEEPER_PASSPHRASE", p);
    }
    c
}

fn run(c: &mut Command) -> (bool, String) {
    let out = c.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_command_line_encrypts_checks_exports_imports_and_backs_up_with_the_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let (ok, text) = run(cli(&path, Some(PASS)).arg("encrypt"));
    assert!(ok, "{text}");
    assert!(text.contains("cannot be recovered"), "warned first: {text}");
    assert!(!contains(&with_sidecars(&path), EMAIL));

    let before = with_sidecars(&path);
    let (ok, text) = run(cli(&path, None).arg("check"));
    assert!(!ok && text.contains("SHOPKEEPER_PASSPHRASE"), "{text}");
    let (ok, text) = run(cli(&path, Some("wrong passphrase")).arg("check"));
    assert!(!ok && text.contains("passphrase is wrong"), "{text}");
    assert!(
        !text.contains("hmac"),
        "SQLCipher's own log stays quiet: {text}"
    );
    assert_eq!(with_sidecars(&path), before, "refused without writing");

    let (ok, text) = run(cli(&path, Some(PASS)).arg("check"));
    assert!(ok && text.contains("All checks passed"), "{text}");
    let csv = dir.path().join("history.csv");
    let (ok, text) = run(cli(&path, Some(PASS))
        .args(["export", "customer-history", "--customer", EMAIL, "--out"])
        .arg(&csv));
    assert!(ok, "{text}");
    let history = std::fs::read_to_string(&csv).unwrap();
    assert!(history.contains("25.00"), "{history}");
    let products = dir.path().join("products.csv");
    std::fs::write(&products, "sku,name,price,stock\nSKU-2,Cup,3.00,5\n").unwrap();
    let (ok, text) = run(cli(&path, Some(PASS))
        .args(["import", "products"])
        .arg(&products));
    assert!(ok, "{text}");
    let out = dir.path().join("copy.sqlite3");
    let (ok, text) = run(cli(&path, Some(PASS)).args(["backup", "--out"]).arg(&out));
    assert!(ok, "{text}");
    assert!(!contains(&bytes(&out), EMAIL), "backup --out is encrypted");
    backup::verify_with(&out, Some(&key())).unwrap();
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    assert_eq!(store::settings::counts(s.conn()).unwrap().products, 2);
    drop(s);

    let (ok, text) = run(cli(&path, Some(PASS))
        .env("SHOPKEEPER_NEW_PASSPHRASE", "another passphrase")
        .arg("change-passphrase"));
    assert!(ok, "{text}");
    let (ok, text) = run(cli(&path, Some("another passphrase")).arg("decrypt"));
    assert!(ok, "{text}");
    let (ok, text) = run(cli(&path, None).arg("check"));
    assert!(ok, "{text}");
}

#[cfg(unix)]
#[test]
fn a_kill_while_encrypting_leaves_the_plain_or_the_encrypted_shop_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.sqlite3");
    let (ok, text) = run(cli(&path, None).args([
        "demo",
        "--customers",
        "2000",
        "--products",
        "100",
        "--orders",
        "6000",
    ]));
    assert!(ok, "{text}");
    let want = dump(&Store::open_existing(&path).unwrap());
    let mut seen = (0, 0);
    for delay_ms in [0u64, 5, 15, 30, 50, 80, 120, 200, 300, 450, 700, 1000] {
        // Back to plain for the next try.
        if secret::looks_encrypted(&path) {
            let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
            secret::decrypt(s, &key()).unwrap();
        }
        let mut child = cli(&path, Some(PASS))
            .arg("encrypt")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let s = if secret::looks_encrypted(&path) {
            seen.1 += 1;
            Store::open_keyed(&path, Mode::Existing, Some(&key()))
        } else {
            seen.0 += 1;
            Store::open_existing(&path)
        }
        .unwrap_or_else(|e| panic!("after a kill at {delay_ms} ms: {e}"));
        assert_eq!(dump(&s), want, "after a kill at {delay_ms} ms");
        assert_checks(&s);
    }
    eprintln!("plain {} times, encrypted {} times", seen.0, seen.1);
}

/// The window as `shopkeeper --db path` opens an encrypted shop: it asks
/// for the passphrase before anything reads the file.
fn window_on_locked(path: &Path) -> crate::common::ui::Window {
    use crate::common::ui::*;
    let e = Store::open_existing(path).unwrap_err();
    assert!(matches!(e, OpenError::Locked { .. }), "{e}");
    let options = WindowOptions {
        cannot_open: Some((path.to_path_buf(), e)),
        ..Default::default()
    };
    window(Store::open_in_memory().unwrap(), options)
}

fn passphrase_field(h: &crate::common::ui::Window) -> egui_kittest::Node<'_> {
    use egui_kittest::kittest::Queryable;
    h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, "Passphrase")
}

/// Steps the window while it says "Unlocking…" (the key is derived on a
/// thread of its own), then a few frames more.
fn until_unlocked(h: &mut crate::common::ui::Window) {
    use crate::common::ui::*;
    // The click lands in the first frame, the modal says it in the next.
    h.run_steps(2);
    assert!(shows(h, "Unlocking…"), "the window says it is unlocking");
    let start = std::time::Instant::now();
    while shows(h, "Unlocking…") && start.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.run_steps(1);
    }
    h.run_steps(3);
}

/// The prompt gives its field the focus once and the window then rests:
/// asking for the focus on every frame the field lacked it kept a real
/// window repainting, and its dialog took no click or key (seen under X).
#[test]
fn the_passphrase_prompt_has_the_focus_and_lets_the_window_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let mut h = window_on_locked(&path);
    h.try_run()
        .expect("the window stops repainting while it waits for the passphrase");
    assert!(
        passphrase_field(&h).is_focused(),
        "the passphrase field has the focus"
    );
}

#[test]
fn the_window_asks_for_the_passphrase_and_refuses_a_wrong_one() {
    use crate::common::ui::*;
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let before = with_sidecars(&path);
    let mut h = window_on_locked(&path);
    h.run_steps(3);
    assert!(shows(&h, "This shop is encrypted"), "{:?}", texts(&h));
    // No empty stand-in behind the question: it read as a wiped shop.
    assert!(!shows(&h, "No customers yet"), "{:?}", texts(&h));
    passphrase_field(&h).focus();
    passphrase_field(&h).type_text("not it at all");
    h.run();
    button(&h, "Open").click();
    until_unlocked(&mut h);
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("The passphrase is wrong")),
        "{:?}",
        texts(&h)
    );
    // Said once, in the message (a tryout read it twice).
    let recovered = texts(&h)
        .iter()
        .filter(|t| t.contains("cannot be recovered"))
        .count();
    assert_eq!(recovered, 1, "{:?}", texts(&h));
    assert!(!h.state().store().encrypted(), "still the stand-in");
    assert_eq!(
        with_sidecars(&path),
        before,
        "a wrong passphrase changed the file"
    );
    passphrase_field(&h).focus();
    passphrase_field(&h).type_text(PASS);
    h.run();
    button(&h, "Open").click();
    until_unlocked(&mut h);
    assert_eq!(h.state().store().path(), path.as_path());
    assert!(h.state().store().encrypted());
    assert!(h.query_by_label("This shop is encrypted").is_none());
    assert_eq!(customer_count(&h), 1);
}

#[test]
fn settings_security_encrypts_the_shop_after_saying_a_forgotten_passphrase_is_lost() {
    use crate::common::ui::*;
    use egui_kittest::kittest::{NodeT, Queryable};
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let mut s = Store::open_existing(&path).unwrap();
    s.write(|tx| store::settings::set_flag(tx, "welcome_done", true))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Settings…").click();
    h.run();
    h.get_by_label("Security").click();
    h.run();
    let field = |h: &Window, label: &str| {
        let node = h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, label);
        node.focus();
        node.type_text(PASS);
    };
    field(&h, "New passphrase");
    h.run();
    field(&h, "Repeat it");
    h.run();
    // The two fields start at one edge (each began after its own label).
    let left = |label: &str| {
        h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, label)
            .accesskit_node()
            .bounding_box()
            .map(|b| b.x0)
    };
    assert_eq!(left("New passphrase"), left("Repeat it"));
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("Exports, invoices and other files you save")),
        "{:?}",
        texts(&h)
    );
    assert!(
        button(&h, "Encrypt the shop")
            .accesskit_node()
            .is_disabled(),
        "not before the warning is acknowledged"
    );
    h.get_by_label_contains("a forgotten passphrase cannot be recovered")
        .click();
    h.run();
    button(&h, "Encrypt the shop").click();
    wait_for(&mut h, "the shop encrypted", |h| {
        h.state().store().encrypted()
    });
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("The shop is encrypted")),
        "{:?}",
        texts(&h)
    );
    assert!(!contains(&with_sidecars(&path), EMAIL));
    assert_eq!(customer_count(&h), 1);
}

/// What the window asks eframe to keep between runs.
#[derive(Default)]
struct Kept(std::collections::BTreeMap<String, String>);

impl eframe::Storage for Kept {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn no_customer_data_reaches_the_title_or_what_the_window_keeps() {
    use crate::common::ui::*;
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let mut s = Store::open_existing(&path).unwrap();
    s.write(|tx| store::settings::set_flag(tx, "welcome_done", true))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    text_input(&h, "Search").focus();
    text_input(&h, "Search").type_text("ana.private");
    h.run_steps(3);
    assert!(
        texts(&h).iter().any(|t| t == "Ana Private"),
        "{:?}",
        texts(&h)
    );
    assert!(
        h.state().title().ends_with("Shopkeeper"),
        "{}",
        h.state().title()
    );
    assert!(!h.state().title().contains("Ana"), "{}", h.state().title());
    let mut kept = Kept::default();
    eframe::App::save(h.state_mut(), &mut kept);
    let all = format!("{:?}", kept.0);
    assert!(!all.contains("Ana") && !all.contains(EMAIL), "{all}");
}

#[test]
fn a_shop_left_with_a_rollback_journal_by_a_kill_opens_as_it_was() {
    // Re-writing a shop puts it in rollback-journal mode for a moment; a kill
    // then may leave a journal beside it. Made here by copying a shop and its
    // journal in the middle of a transaction that spilled to the file.
    let dir = tempfile::tempdir().unwrap();
    let path = shop(dir.path());
    let before = dump(&Store::open_existing(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .unwrap();
    conn.execute_batch(
        "PRAGMA cache_size = 1; BEGIN;
         UPDATE customers SET name = 'Someone Else';
         CREATE TABLE filler (x BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
         INSERT INTO filler SELECT randomblob(4000) FROM n;",
    )
    .unwrap();
    let crashed = dir.path().join("crashed.sqlite3");
    std::fs::copy(&path, &crashed).unwrap();
    let journal = dir.path().join("shop.sqlite3-journal");
    assert!(journal.exists(), "the transaction has a journal");
    std::fs::copy(&journal, dir.path().join("crashed.sqlite3-journal")).unwrap();
    conn.execute_batch("ROLLBACK").unwrap();
    let s = Store::open_existing(&crashed).unwrap();
    assert_eq!(dump(&s), before);
    assert_checks(&s);
}

#[test]
fn settings_security_turns_encryption_off_with_the_current_passphrase_only() {
    use crate::common::ui::*;
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let mut s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    s.write(|tx| store::settings::set_flag(tx, "welcome_done", true))
        .unwrap();
    let mut h = open_window(s);
    h.run();
    let settings = |h: &mut Window| {
        h.get_by_label("File").click();
        h.run();
        h.get_by_label("Settings…").click();
        h.run();
        h.get_by_label("Security").click();
        h.run();
    };
    let current = |h: &mut Window, text: &str| {
        let node =
            h.get_by_role_and_label(egui::accesskit::Role::PasswordInput, "Current passphrase");
        node.focus();
        node.type_text(text);
        h.run();
    };
    settings(&mut h);
    current(&mut h, "not the passphrase");
    button(&h, "Turn encryption off").click();
    wait_for(&mut h, "the wrong passphrase refused", |h| {
        texts(h)
            .iter()
            .any(|t| t.contains("current passphrase is wrong"))
    });
    assert_eq!(h.state().store().path(), path.as_path(), "open again");
    assert!(h.state().store().encrypted());
    assert!(!contains(&with_sidecars(&path), EMAIL));
    settings(&mut h);
    current(&mut h, PASS);
    button(&h, "Turn encryption off").click();
    wait_for(&mut h, "the shop decrypted", |h| {
        texts(h)
            .iter()
            .any(|t| t.starts_with("The shop is no longer encrypted"))
    });
    assert_eq!(h.state().store().path(), path.as_path(), "open again");
    assert!(!h.state().store().encrypted());
    assert!(contains(&with_sidecars(&path), EMAIL));
    assert_eq!(customer_count(&h), 1);
}

/// Every page an encrypted connection reads from the file is decrypted and
/// its checksum verified, so its connections keep a bigger page cache
/// (128 MB) than a plain shop's (32 MB): the window's, those opened for
/// background work, and a read-only look.
#[test]
fn an_encrypted_shop_s_connections_keep_a_bigger_page_cache() {
    let cache = |s: &Store| -> i64 {
        s.conn()
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap()
    };
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = Store::open_existing(shop(plain_dir.path())).unwrap();
    assert_eq!(cache(&plain), -32_000);
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    assert_eq!(cache(&s), -128_000);
    let background = s.location().open().unwrap();
    assert_eq!(cache(&background), -128_000);
    let look = Store::open_read_only_keyed(&path, Some(&key())).unwrap();
    assert_eq!(cache(&look), -128_000);
}

/// The layout of an encrypted file: what SQLCipher says a connection of a
/// store checks its pages with.
fn hmac_of(s: &Store) -> String {
    s.conn()
        .query_row("PRAGMA cipher_hmac_algorithm", [], |r| r.get(0))
        .unwrap()
}

/// A copy of the plain shop at `plain` encrypted as earlier versions did
/// (SQLCipher 4's defaults: pages checked with HMAC-SHA512), at `to`.
fn encrypted_as_before(plain: &Path, to: &Path) {
    let conn = rusqlite::Connection::open(plain).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS converted KEY ?2",
        [to.to_str().unwrap(), PASS],
    )
    .unwrap();
    conn.query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    conn.execute_batch(&format!(
        "PRAGMA converted.user_version = {version}; PRAGMA converted.application_id = 1397247824;
         DETACH DATABASE converted;"
    ))
    .unwrap();
}

/// A shop encrypted by this version checks its pages with HMAC-SHA256 (a
/// page read costs less); one encrypted by an earlier version (HMAC-SHA512)
/// still opens with its passphrase (and only with it), for the window, a
/// background connection, a read-only look and its backups, and a new
/// passphrase re-writes it in this version's layout.
#[test]
fn a_shop_encrypted_by_an_earlier_version_opens_and_a_new_passphrase_brings_it_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let s = Store::open_keyed(&path, Mode::Existing, Some(&key())).unwrap();
    assert_eq!(hmac_of(&s), "HMAC_SHA256");
    drop(s);

    let old_dir = tempfile::tempdir().unwrap();
    let plain = shop(old_dir.path());
    let old = old_dir.path().join("old.sqlite3");
    encrypted_as_before(&plain, &old);
    assert!(secret::looks_encrypted(&old));
    let before = bytes(&old);
    assert!(matches!(
        Store::open_keyed(
            &old,
            Mode::Existing,
            Some(&Passphrase::new("not the one at all"))
        ),
        Err(OpenError::WrongPassphrase { .. })
    ));
    assert!(matches!(
        Store::open_keyed(&old, Mode::Existing, None),
        Err(OpenError::Locked { .. })
    ));
    assert_eq!(bytes(&old), before, "a refused file is left as it was");

    let s = Store::open_keyed(&old, Mode::Existing, Some(&key())).unwrap();
    assert_eq!(hmac_of(&s), "HMAC_SHA512");
    assert_eq!(store::settings::counts(s.conn()).unwrap().customers, 1);
    assert_checks(&s);
    let background = s.location().open().unwrap();
    assert_eq!(hmac_of(&background), "HMAC_SHA512");
    drop(background);
    let look = Store::open_read_only_keyed(&old, Some(&key())).unwrap();
    assert_eq!(store::settings::counts(look.conn()).unwrap().customers, 1);
    drop(look);
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let taken = backup::automatic(&s, day.and_hms_opt(9, 0, 0).unwrap()).unwrap();
    backup::verify_with(&taken, Some(&key())).unwrap();
    assert!(backup::verify_with(&taken, Some(&Passphrase::new("other one"))).is_err());
    let mut s = s;
    backup::restore(&mut s, &taken, day.and_hms_opt(10, 0, 0).unwrap()).unwrap();
    drop(s);

    // A new passphrase re-writes the shop and its backup in this version's layout.
    let s = Store::open_keyed(&old, Mode::Existing, Some(&key())).unwrap();
    let new = Passphrase::new("a new long passphrase");
    let (s, said) = secret::change(s, &key(), &new).unwrap();
    assert!(said.contains("2 backups"), "{said}");
    assert_eq!(hmac_of(&s), "HMAC_SHA256");
    assert_checks(&s);
    drop(s);
    backup::verify_with(&taken, Some(&new)).unwrap();
    let s = Store::open_keyed(&old, Mode::Existing, Some(&new)).unwrap();
    assert_eq!(hmac_of(&s), "HMAC_SHA256");
}

/// A customer who asks to be forgotten: "Erase personal data" removes their
/// name, email, phone, address and notes, their orders' own addresses, and
/// the change log's record of them (the values before and after each edit),
/// so neither search, the log, Undo nor the file's bytes give them back.
/// Their orders stay, every figure with them, under "Erased customer".
#[test]
fn an_erased_customer_is_gone_from_the_shop_and_its_file() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let (zoe, placed) = zoe_and_ana(&mut s);
    let since = 0;
    // Her order still to send stops the erasure (it needs where it goes).
    let refused = s.erase_customer(zoe).unwrap_err().to_string();
    assert!(
        refused.contains("orders still to send (#") && refused.contains("nothing was erased"),
        "{refused}"
    );
    assert_eq!(
        store::customers::get(s.conn(), zoe).unwrap().name,
        "Zoë Lefèvre"
    );
    s.write(|tx| {
        store::orders::mark_paid(tx, placed, "Card", "2026-10-02")?;
        store::orders::ship(tx, placed, None, None)
    })
    .unwrap();

    s.erase_customer(zoe).unwrap();

    let erased = store::customers::get(s.conn(), zoe).unwrap();
    assert_eq!(erased.name, store::customers::ERASED);
    assert!(erased.email.is_none() && erased.phone.is_none() && erased.address.is_none());
    assert!(erased.city.is_none() && erased.notes.is_none() && erased.archived);
    let detail = store::orders::detail(s.conn(), placed).unwrap();
    assert_eq!(detail.summary.customer_name, store::customers::ERASED);
    assert_eq!(detail.money.total.0, 1600, "the order and its figures stay");
    assert!(!detail.ship_to.contains("Port"), "{}", detail.ship_to);
    // Nothing finds them, and Undo cannot bring them back.
    for typed in ["zoe", "lefevre", "+33 6 12"] {
        let q = store::customers::CustomerQuery {
            search: typed.into(),
            show_archived: true,
            ..Default::default()
        };
        assert_eq!(store::customers::count(s.conn(), &q).unwrap(), 0, "{typed}");
    }
    // Undo passes the erasure by (it is never offered) and undoes the
    // change before it, Ana's order; Zoë stays erased.
    let undone = s.write(|tx| store::undo::undo_last(tx, since)).unwrap();
    assert!(
        undone.as_deref().is_some_and(|u| !u.contains("Erased")),
        "{undone:?}"
    );
    assert_eq!(
        store::customers::get(s.conn(), zoe).unwrap().name,
        store::customers::ERASED
    );
    // Erased once is enough: a second time is refused, nothing changed.
    let again = s.erase_customer(zoe).unwrap_err().to_string();
    assert!(again.contains("erased already"), "{again}");
    assert_checks(&s);
    // Not in the file's bytes either (the log folded in; secure delete).
    drop(s);
    let mut all = bytes(&path);
    let wal = path.with_extension("sqlite3-wal");
    if wal.exists() {
        all.extend(bytes(&wal));
    }
    for gone in [
        "zoe.lefevre",
        "Lef\u{e8}vre",
        "Kerv\u{e9}gan",
        "quai de la Fosse",
        "rue du Port",
        "green tea",
    ] {
        assert!(
            !all.windows(gone.len()).any(|w| w == gone.as_bytes()),
            "{gone} is still in the file"
        );
    }
}

/// A customer who asks what the shop holds about them gets it in one file
/// (the GDPR's right of access): `customer-data` lists their record, each
/// order with its lines, payments and invoices (as made out), and the
/// change log's record of them; nobody else's.
#[test]
fn a_customers_data_is_listed_whole_and_only_theirs() {
    use shopkeeper::domain::{Cell, ReportKind, ReportSpec};
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let (_, placed) = zoe_and_ana(&mut s);
    s.write(|tx| {
        store::orders::mark_paid(tx, placed, "Card", "2026-10-02")?;
        store::invoices::issue_invoice(tx, placed, "2026-10-02")
    })
    .unwrap();
    let mut spec = ReportSpec::new(ReportKind::CustomerData);
    spec.customer = Some("zoe.lefevre@example.fr".into());
    let (table, _) = store::reports::run(s.conn(), &spec, 10_000).unwrap();
    let text: Vec<String> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Cell::Text(t) => t.clone(),
                    Cell::Amount(m) => m.0.to_string(),
                    Cell::Int(n) => n.to_string(),
                    Cell::Empty => String::new(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    let has = |want: &str| text.iter().any(|t| t.contains(want));
    for want in [
        "customer|",
        "|name|Zoë Lefèvre|",
        "|email|zoe.lefevre@example.fr|",
        "|phone|+33 6 12 34 56 78|",
        "|city|Nantes|",
        "|ship_to|Zoë Lefèvre\n1 rue du Port\nNantes|",
        "line|",
        "|Sencha (TEA-1)|2|1600",
        "payment|",
        "|Card||1600",
        "invoice|",
        "change|",
        "Edited customer",
        // One row per value a change changed, not the log's JSON.
        "|address|3 rue Kervégan -> 9 quai de la Fosse|",
    ] {
        assert!(has(want), "{want:?} missing from {text:#?}");
    }
    assert!(!has("Ana Lima") && !has("ana@example.com"), "{text:#?}");
    assert!(!has("{\""), "no raw JSON: {text:#?}");
    // Without a customer it is refused, saying what to give.
    let err =
        store::reports::run(s.conn(), &ReportSpec::new(ReportKind::CustomerData), 10).unwrap_err();
    assert!(err.to_string().contains("choose the customer"), "{err}");
}

/// Ctrl+L (File > Lock) locks an encrypted shop on a laptop others use:
/// the window lets go of the file and of what its lists showed, asks for
/// the passphrase again, and opens the shop once it is typed. A plain shop
/// has nothing to lock.
#[test]
fn ctrl_l_locks_an_encrypted_shop_until_its_passphrase_is_typed() {
    use crate::common::ui::*;
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let mut h = window_on_locked(&path);
    h.run_steps(3);
    passphrase_field(&h).focus();
    passphrase_field(&h).type_text(PASS);
    h.run();
    button(&h, "Open").click();
    until_unlocked(&mut h);
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(3);
    assert!(shows(&h, "Ana Private"), "{:?}", texts(&h));

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    h.run_steps(3);
    assert!(shows(&h, "This shop is encrypted"), "{:?}", texts(&h));
    assert!(
        texts(&h)
            .iter()
            .any(|t| t.starts_with("The shop was locked")),
        "said as a lock: {:?}",
        texts(&h)
    );
    assert!(!shows(&h, "Ana Private"), "{:?}", texts(&h));
    assert!(!h.state().store().encrypted(), "the file is let go of");
    passphrase_field(&h).focus();
    passphrase_field(&h).type_text(PASS);
    h.run();
    button(&h, "Open").click();
    until_unlocked(&mut h);
    assert_eq!(h.state().store().path(), path.as_path());
    assert_eq!(customer_count(&h), 1);

    // A plain shop: Ctrl+L does nothing.
    let plain = shop(&dir.path().join("plain"));
    let mut h = open_window(Store::open(&plain).unwrap());
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
    h.run_steps(2);
    assert!(!shows(&h, "This shop is encrypted"), "{:?}", texts(&h));
    assert_eq!(customer_count(&h), 1);
}

/// An encrypted shop left untouched locks itself (after a quarter of an
/// hour; here a fifth of a second), but not over a form holding what was
/// typed.
#[test]
fn an_encrypted_shop_left_untouched_locks_itself() {
    use crate::common::ui::*;
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let e = Store::open_existing(&path).unwrap_err();
    let wait = std::time::Duration::from_millis(200);
    let mut h = window(
        Store::open_in_memory().unwrap(),
        WindowOptions {
            cannot_open: Some((path.clone(), e)),
            auto_lock: wait,
            ..Default::default()
        },
    );
    h.run_steps(3);
    passphrase_field(&h).focus();
    passphrase_field(&h).type_text(PASS);
    h.run();
    button(&h, "Open").click();
    until_unlocked(&mut h);
    assert!(h.state().store().encrypted());
    // A form with something typed in it keeps the shop open.
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run_steps(2);
    text_input(&h, "Name").focus();
    text_input(&h, "Name").type_text("Bo");
    h.run_steps(2);
    std::thread::sleep(wait * 2);
    h.run_steps(3);
    assert!(h.state().store().encrypted(), "{:?}", texts(&h));
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    if let Some(discard) = h.query_by_label("Discard") {
        discard.click();
        h.run_steps(2);
    }
    std::thread::sleep(wait * 2);
    h.run_steps(3);
    assert!(shows(&h, "This shop is encrypted"), "{:?}", texts(&h));
    assert!(!h.state().store().encrypted());
}

/// Zoë (phone, address, notes; moved once, so the log holds her old
/// address) with an order of her own sent to an address of its own, and Ana
/// with hers. Returns Zoë's id and her order's.
fn zoe_and_ana(s: &mut Store) -> (i64, i64) {
    let mut c = customer("Zoë Lefèvre", "zoe.lefevre@example.fr");
    c.phone = Some("+33 6 12 34 56 78".into());
    c.city = Some("Nantes".into());
    c.address = Some("3 rue Kervégan".into());
    c.notes = Some("prefers green tea".into());
    let zoe = s.write(|tx| store::customers::insert(tx, &c)).unwrap();
    let mut moved = c.clone();
    moved.address = Some("9 quai de la Fosse".into());
    s.write(|tx| store::customers::update(tx, zoe, &moved))
        .unwrap();
    let ana = add_customer(s, "Ana Lima", "ana@example.com");
    let tea = add_product(s, "TEA-1", "Sencha", "8.00", 20);
    let mut o = order(zoe, vec![line(tea, 2, 800)]);
    o.ship_to = Some("Zoë Lefèvre\n1 rue du Port\nNantes".into());
    let placed = s
        .write(|tx| store::orders::place(tx, &o, &Default::default()))
        .unwrap();
    s.write(|tx| {
        store::orders::place(
            tx,
            &order(ana, vec![line(tea, 1, 800)]),
            &Default::default(),
        )
    })
    .unwrap();
    (zoe, placed)
}

/// An invoiced order keeps where it went when its customer is erased, as
/// its invoice printed it (a reprint had lost its whole SHIP TO), and the
/// invoice's file is named as it was made out.
#[test]
fn an_erased_customers_invoice_reprints_as_first_printed() {
    let (_dir, path) = temp_db();
    let mut s = Store::open(&path).unwrap();
    let (zoe, placed) = zoe_and_ana(&mut s);
    s.write(|tx| {
        store::orders::mark_paid(tx, placed, "Card", "2026-10-02")?;
        store::invoices::issue_invoice(tx, placed, "2026-10-02")?;
        store::orders::ship(tx, placed, None, None)
    })
    .unwrap();
    // What the invoice prints: who it is made out to, and where it went.
    let print = |s: &Store| {
        let doc = store::invoices::document(s.conn(), placed).unwrap();
        (doc.bill_to.clone(), doc.detail.ship_to.clone())
    };
    let before = print(&s);
    assert!(before.1.contains("1 rue du Port"), "{before:?}");
    assert!(before.0.iter().any(|l| l.contains("Zoë")), "{before:?}");
    s.erase_customer(zoe).unwrap();
    assert_eq!(print(&s), before);
    assert_eq!(
        store::invoices::made_out_to(s.conn(), placed)
            .unwrap()
            .as_deref(),
        Some("Zoë Lefèvre")
    );
}

/// Ctrl+L over a form holding what was typed asks first ("Lock without
/// saving?"): a tryout's Ctrl+L had only shown a red message and left every
/// customer on screen. "Keep editing" keeps the form; "Lock anyway" locks.
#[test]
fn ctrl_l_over_a_changed_form_asks_then_locks() {
    use crate::common::ui::*;
    use egui_kittest::kittest::NodeT;
    let dir = tempfile::tempdir().unwrap();
    let path = encrypted_shop(dir.path());
    let mut h = window_on_locked(&path);
    h.run_steps(3);
    passphrase_field(&h).focus();
    passphrase_field(&h).type_text(PASS);
    h.run();
    button(&h, "Open").click();
    until_unlocked(&mut h);
    h.key_press_modifiers(egui::Modifiers::CTRL, egui::Key::Num1);
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run_steps(2);
    text_input(&h, "Name").focus();
    text_input(&h, "Name").type_text("Bo");
    h.run_steps(2);
    let lock = |h: &mut Window| {
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::L);
        h.run_steps(3);
    };
    lock(&mut h);
    assert!(shows(&h, "Lock without saving?"), "{:?}", texts(&h));
    button(&h, "Keep editing").click();
    h.run_steps(3);
    assert!(h.state().store().encrypted(), "still open");
    assert_eq!(
        text_input(&h, "Name").accesskit_node().value().as_deref(),
        Some("Bo")
    );
    lock(&mut h);
    button(&h, "Lock anyway").click();
    h.run_steps(3);
    assert!(shows(&h, "This shop is encrypted"), "{:?}", texts(&h));
    assert!(!h.state().store().encrypted());
}

//! The schema migrations are embedded in the binary from `migrations/`
//! (include_dir); a new or edited migration must rebuild it.

fn main() {
    println!("cargo::rerun-if-changed=migrations");
}

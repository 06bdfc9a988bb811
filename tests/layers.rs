//! The house plan, checked: the files of `src/store` and of `src/ui` depend
//! on each other one way only. Each file's `crate::`, `super::` and `self::`
//! paths (in `use` lines and in code) are read and resolved to the module file
//! they name; a child file's use of its own parent (`super::App` in
//! `ui/app/logic.rs`, `super::Result` in a store area) is how Rust splits one
//! module over files and is not counted. Any other loop fails with its files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/ui/app/mod.rs` -> ["ui", "app"]; `src/store/customers.rs` -> ["store", "customers"].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("file under src");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The paths a `use` tree names: `a::{b, c::{d, e}}` -> a::b, a::c::d, a::c::e.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            let p = if p == "self" {
                prefix.trim_end_matches("::").to_owned()
            } else {
                format!("{prefix}{p}")
            };
            expand(&p)
        })
        .collect()
}

/// Every path starting with `crate::`, `super::` or `self::` in `text`
/// (everything from `#[cfg(test)]` on is left out: test modules see their file as `super`).
fn paths_in(text: &str) -> Vec<String> {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = Vec::new();
    // `use` statements, braces and all.
    for stmt in text.split(';') {
        let stmt = stmt.trim_start();
        let body = stmt
            .strip_prefix("pub(crate) use ")
            .or_else(|| stmt.strip_prefix("pub(super) use "))
            .or_else(|| stmt.strip_prefix("pub use "))
            .or_else(|| stmt.strip_prefix("use "));
        if let Some(body) = body {
            out.extend(expand(body));
        }
    }
    // Paths written out in code.
    let bytes = text.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in text.match_indices(start) {
            if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
                continue;
            }
            let end = text[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .map_or(text.len(), |e| i + e);
            out.push(text[i..end].trim_end_matches(':').to_owned());
        }
    }
    out
}

/// The module a path names, as far as it is a module file we know.
fn resolve(from: &[String], path: &str, modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    let mut segments = path.split("::").map(str::to_owned);
    let mut base: Vec<String> = match segments.next()?.as_str() {
        "crate" => Vec::new(),
        "self" => from.to_vec(),
        "super" => {
            // In `a/b.rs` and in `a/b/mod.rs` (both module a::b) `super` is a.
            let mut b = from.to_vec();
            b.pop();
            b
        }
        _ => return None,
    };
    let mut rest: Vec<String> = segments.collect();
    while rest.first().is_some_and(|s| s == "super") {
        rest.remove(0);
        base.pop();
    }
    base.extend(rest);
    while !base.is_empty() {
        if modules.contains(&base) {
            return Some(base);
        }
        base.pop();
    }
    None
}

/// The dependency loops among the files of `src/<layer>`, each as its files.
fn loops(layer: &str) -> Vec<Vec<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join(layer), &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        let text = std::fs::read_to_string(file).expect("read source");
        for path in paths_in(&text) {
            let Some(to) = resolve(&from, &path, &modules) else {
                continue;
            };
            // Itself, or an ancestor it belongs to (a module split over files).
            if from.starts_with(&to) {
                continue;
            }
            edges.entry(from.clone()).or_default().insert(to);
        }
    }
    // Strongly connected components (Tarjan), bigger than one file.
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        on_stack: BTreeSet<Vec<String>>,
        found: Vec<Vec<String>>,
    }
    fn visit(s: &mut State, v: &Vec<String>) {
        let n = s.index.len();
        s.index.insert(v.clone(), n);
        s.low.insert(v.clone(), n);
        s.stack.push(v.clone());
        s.on_stack.insert(v.clone());
        let next: Vec<Vec<String>> = s
            .edges
            .get(v)
            .map(|e| e.iter().cloned().collect())
            .unwrap_or_default();
        for w in &next {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v.clone(), low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v.clone(), low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = w == *v;
                component.push(w.join("::"));
                if done {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for m in &modules {
        if !state.index.contains_key(m) {
            visit(&mut state, m);
        }
    }
    state.found
}

#[test]
fn use_trees_expand_to_every_path() {
    assert_eq!(
        expand("crate::store::{self, orders::{A, B}, Store}"),
        [
            "crate::store",
            "crate::store::orders::A",
            "crate::store::orders::B",
            "crate::store::Store"
        ]
    );
}

#[test]
fn a_loop_between_two_files_is_found() {
    let modules: BTreeSet<Vec<String>> = [vec!["store".to_owned(), "a".to_owned()]].into();
    let from = ["store".to_owned(), "b".to_owned()];
    assert_eq!(
        resolve(&from, "super::a::thing", &modules),
        Some(vec!["store".to_owned(), "a".to_owned()])
    );
}

#[test]
fn the_store_s_files_depend_on_each_other_one_way() {
    assert_eq!(loops("store"), Vec::<Vec<String>>::new());
}

#[test]
fn the_window_s_files_depend_on_each_other_one_way() {
    assert_eq!(loops("ui"), Vec::<Vec<String>>::new());
}

//! What many rows of a Shopify orders export repeat, kept once while it is
//! read: texts (product names, SKUs, payment methods, codes, currencies) as
//! small indexes, and customers (by email, else by billing name).

use std::collections::HashMap;
use std::sync::Arc;

use crate::domain::CustomerDraft;

/// The texts and customers read so far.
#[derive(Default)]
pub(super) struct Shared {
    index: HashMap<Arc<str>, u32>,
    texts: Vec<Arc<str>>,
    keys: HashMap<String, u32>,
    pub customers: Vec<CustomerDraft>,
}

impl Shared {
    pub(super) fn text(&mut self, t: &str) -> u32 {
        if let Some(&i) = self.index.get(t) {
            return i;
        }
        let a: Arc<str> = Arc::from(t);
        let i = self.texts.len() as u32;
        self.texts.push(a.clone());
        self.index.insert(a, i);
        i
    }

    /// A text kept by `text`.
    pub fn get(&self, i: u32) -> &str {
        self.texts.get(i as usize).map_or("", |t| t)
    }

    pub(super) fn customer(&mut self, draft: CustomerDraft) -> u32 {
        let key = match draft.email.trim() {
            "" => format!("\0{}", draft.name.trim()),
            e => crate::domain::fold(e),
        };
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let i = self.customers.len() as u32;
        self.customers.push(draft);
        self.keys.insert(key, i);
        i
    }
}

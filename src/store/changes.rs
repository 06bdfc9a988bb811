//! The old paths of the change log and of undo, kept while the window moves
//! to the new ones: the log is `store::changelog`, undo is `store::undo`.
//! Nothing in the store uses this module.

// TODO(ui): import from store::changelog
pub use super::changelog::{Change, for_entity, latest_id, next_undo};
// TODO(ui): import from store::undo
pub use super::undo::undo_last;

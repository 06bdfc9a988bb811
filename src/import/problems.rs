//! What an import says is wrong: each bad row's line, column and reason (the
//! first `MAX_PROBLEMS`, then a count), and values from the file repeated
//! only in part, so no message grows with the file.

use super::ImportError;
use crate::domain::FieldErrors;

/// One bad row: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}, {}: {}", self.line, self.column, self.reason)
        }
    }
}

/// How many problems are listed; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// "1 problem was found", "3 problems were found".
pub fn problems_message(n: usize) -> String {
    let n = n as i64;
    let were = crate::domain::format::noun(n, "was", "were");
    format!(
        "{} {were} found",
        crate::domain::format::count(n, "problem", "problems")
    )
}

/// How many characters of a value from the file a message repeats.
pub const ECHO_CHARS: usize = 80;
/// How many names (of columns) a message lists before it counts the rest.
pub const ECHO_NAMES: usize = 20;

/// A value from the file as a message repeats it: at most `ECHO_CHARS`
/// characters (then "…"), control characters shown as escapes.
pub fn echo(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == ECHO_CHARS {
            out.push('…');
            break;
        }
        if crate::domain::text::is_forbidden(c) || c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Names as a message lists them: each cut by `echo`, at most `ECHO_NAMES`,
/// then how many more.
pub fn names(list: &[String]) -> String {
    let mut out = list
        .iter()
        .take(ECHO_NAMES)
        .map(|n| echo(n))
        .collect::<Vec<_>>()
        .join(", ");
    if list.len() > ECHO_NAMES {
        out.push_str(&format!(" and {} more", list.len() - ECHO_NAMES));
    }
    out
}

/// Problems found while checking rows: the first `MAX_PROBLEMS`, then a count.
#[derive(Debug, Default)]
pub(super) struct Problems {
    pub(super) list: Vec<Problem>,
    pub(super) more: usize,
}

impl Problems {
    pub(super) fn add(&mut self, line: u64, column: &str, reason: impl Into<String>) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Problem {
                line,
                column: column.to_owned(),
                reason: reason.into(),
            });
        } else {
            self.more += 1;
        }
    }

    pub(super) fn fields(&mut self, line: u64, errors: &FieldErrors) {
        for (field, message) in &errors.0 {
            self.add(line, field, message.clone());
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.more == 0
    }

    pub(super) fn into_result(self) -> Result<(), ImportError> {
        if self.is_empty() {
            Ok(())
        } else {
            let mut problems = self.list;
            problems.sort_by_key(|p| p.line);
            Err(ImportError::Rows {
                problems,
                more: self.more,
            })
        }
    }
}

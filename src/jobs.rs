//! Slow work off the window's thread, each on its own connection:
//! - `Job`: one named task (export, backup, restore, demo data) with a progress
//!   figure, a cancel flag and a result the window looks for in its
//!   `eframe::App::logic`; the worker asks for a repaint when it has news,
//!   and gives the memory its work freed back to the system when it ends.
//! - `export_report`: the one path from a report to a file, shared by the
//!   window and `shopkeeper export`; a cancel is `StoreError::Cancelled`.
//! - `documents`: an order's invoice or packing slip (or a range's) to a PDF
//!   file, shared by the window and `shopkeeper invoice`.
//! - `Latest`: a reader that answers only the newest question (a list's search
//!   while the user types).

pub mod documents;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::store::{Location, Store};

/// Shared between the worker and the UI.
#[derive(Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
    /// Set by a job whose queries may stop halfway when it is cancelled
    /// (see [`Progress::stop_queries_on_cancel`]).
    interrupt: Mutex<Option<rusqlite::InterruptHandle>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("done", &self.done)
            .field("total", &self.total)
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}

impl Progress {
    pub fn set(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Fraction done, 0.0..=1.0 (0 while the total is unknown).
    pub fn fraction(&self) -> f32 {
        let total = self.total.load(Ordering::Relaxed);
        if total == 0 {
            0.0
        } else {
            (self.done.load(Ordering::Relaxed) as f64 / total as f64).min(1.0) as f32
        }
    }

    /// How much is done (rows, orders…), for a task whose total is unknown.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Ok(slot) = self.interrupt.lock()
            && let Some(handle) = slot.as_ref()
        {
            handle.interrupt();
        }
    }

    /// A cancel stops the query running on `conn` at once (it fails as
    /// interrupted), instead of letting it finish for nobody: a read whose
    /// answer is no longer wanted (Trends' breakdown of a range left
    /// behind) then holds no core and no memory. Only for jobs that only
    /// read, as any write the query was part of is rolled back.
    pub fn stop_queries_on_cancel(&self, conn: &rusqlite::Connection) {
        if let Ok(mut slot) = self.interrupt.lock() {
            *slot = Some(conn.get_interrupt_handle());
        }
        if self.cancelled() {
            conn.get_interrupt_handle().interrupt();
        }
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// What a finished job gives back: its result, or what went wrong in words.
pub type Outcome<T = String> = Result<T, String>;

/// A running (or finished) background job.
pub struct Job<T = String> {
    pub name: String,
    pub progress: Arc<Progress>,
    rx: Receiver<Outcome<T>>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on its own thread with its own connection to `db`.
    /// `wake` is called whenever the UI should look again (egui's `request_repaint`).
    pub fn spawn(
        name: impl Into<String>,
        db: Location,
        wake: impl Fn() + Send + Sync + 'static,
        work: impl FnOnce(&mut Store, &Progress) -> Outcome<T> + Send + 'static,
    ) -> Job<T> {
        let progress = Arc::new(Progress::default());
        let (tx, rx) = channel();
        let p = Arc::clone(&progress);
        let wake = Arc::new(wake);
        let spawned = std::thread::Builder::new()
            .name("shopkeeper-job".into())
            .spawn({
                let wake = Arc::clone(&wake);
                move || {
                    let outcome = match db.open() {
                        Ok(mut store) => work(&mut store, &p),
                        Err(e) => Err(e.to_string()),
                    };
                    // The connection and what the work built are dropped by
                    // now: their memory goes back to the system, not kept
                    // by the allocator for a thread that is about to end.
                    crate::memory::give_back();
                    // The receiver may be gone if the window closed; nothing to tell then.
                    let _ = tx.send(outcome);
                    wake();
                }
            });
        let job = Job {
            name: name.into(),
            progress,
            rx,
        };
        if let Err(e) = spawned {
            let (tx, rx) = channel();
            let _ = tx.send(Err(format!("could not start the background task: {e}")));
            return Job { rx, ..job };
        }
        job
    }

    /// The outcome, once the job has finished.
    pub fn poll(&self) -> Option<Outcome<T>> {
        match self.rx.try_recv() {
            Ok(outcome) => Some(outcome),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("the background task stopped unexpectedly".into()))
            }
        }
    }
}

/// Writes a report to a new file (an existing one is refused): see [`export_report_to`].
pub fn export_report(
    conn: &rusqlite::Connection,
    spec: &crate::domain::ReportSpec,
    path: &std::path::Path,
    format: crate::export::Format,
    progress: &Progress,
) -> Result<u64, String> {
    export_report_to(
        conn,
        spec,
        path,
        format,
        crate::files::Replace::Never,
        progress,
    )
}

/// Writes a report to a file: the one path the window and `shopkeeper export`
/// share, so both write the same bytes. An existing file is replaced only
/// when `replace` allows it. Cancelling through `progress` stops it and
/// leaves no file. Returns the number of data rows written.
pub fn export_report_to(
    conn: &rusqlite::Connection,
    spec: &crate::domain::ReportSpec,
    path: &std::path::Path,
    format: crate::export::Format,
    replace: crate::files::Replace,
    progress: &Progress,
) -> Result<u64, String> {
    let csv = crate::export::CsvOptions::default();
    export_report_with(conn, spec, path, format, csv, replace, progress)
}

/// [`export_report_to`] with a CSV file's separator and byte order mark.
pub fn export_report_with(
    conn: &rusqlite::Connection,
    spec: &crate::domain::ReportSpec,
    path: &std::path::Path,
    format: crate::export::Format,
    csv: crate::export::CsvOptions,
    replace: crate::files::Replace,
    progress: &Progress,
) -> Result<u64, String> {
    use crate::export::{ExportError, RowSink, write_report};
    use crate::store::{self, StoreError};
    // Files keep plain decimals, whatever the screen's format.
    let currency = store::settings::currency(conn)
        .map_err(|e| e.to_string())?
        .plain_style();
    // Check the parameters first, so a bad one writes no file at all.
    store::reports::resolve(conn, spec).map_err(|e| e.to_string())?;
    let mut done = 0u64;
    write_report(
        path,
        format,
        csv,
        spec.kind,
        &currency,
        replace,
        |sink: &mut dyn RowSink| {
            let mut sink_error: Option<ExportError> = None;
            let result = store::reports::for_each(conn, spec, |cells| {
                if progress.cancelled() {
                    return Err(StoreError::Cancelled);
                }
                if let Err(e) = sink.row(&cells) {
                    sink_error = Some(e);
                    return Ok(false);
                }
                done += 1;
                if done.is_multiple_of(10_000) {
                    progress.set(done, 0);
                }
                Ok(true)
            });
            match (sink_error, result) {
                (Some(e), _) => Err(e),
                (None, Err(StoreError::Cancelled)) => Err(ExportError::Cancelled),
                (None, Err(e)) => Err(ExportError::Source(e.to_string())),
                (None, Ok(_)) => Ok(()),
            }
        },
    )
    .map_err(|e| e.to_string())
}

/// A worker thread with its own connection that answers only the latest
/// question: while the user types a search, older questions still waiting are
/// dropped. The UI asks, draws the frame with what it has, and picks the
/// answer up when `wake` has asked for the next frame.
pub struct Latest<Q, X> {
    tx: std::sync::mpsc::Sender<Q>,
    rx: Receiver<(Q, Outcome<X>)>,
    /// Why no worker could start; every question is then answered with it.
    failed: Option<(String, Answers<Q, X>)>,
}

/// Where a `Latest` worker's answers go.
type Answers<Q, X> = std::sync::mpsc::Sender<(Q, Outcome<X>)>;

impl<Q: Send + 'static, X: Send + 'static> Latest<Q, X> {
    pub fn spawn(
        db: Location,
        wake: impl Fn() + Send + 'static,
        work: impl Fn(&Store, &Q) -> Outcome<X> + Send + 'static,
    ) -> Latest<Q, X> {
        let (tx, questions) = channel::<Q>();
        let (answers, rx) = channel();
        let fallback = answers.clone();
        let spawned = std::thread::Builder::new()
            .name("shopkeeper-reader".into())
            .spawn(move || {
                let mut store: Option<Result<Store, String>> = None;
                while let Ok(mut question) = questions.recv() {
                    while let Ok(newer) = questions.try_recv() {
                        question = newer;
                    }
                    // Opened on the first question, so an unused worker costs nothing.
                    let store = store.get_or_insert_with(|| db.open().map_err(|e| e.to_string()));
                    let outcome = match store {
                        Ok(s) => work(s, &question),
                        Err(e) => Err(e.clone()),
                    };
                    if answers.send((question, outcome)).is_err() {
                        break;
                    }
                    wake();
                }
            });
        let failed = spawned.err().map(|e| {
            (
                format!("could not start the background reader: {e}"),
                fallback,
            )
        });
        Latest { tx, rx, failed }
    }

    /// Asks a question; a newer one replaces it if the worker has not started it.
    pub fn ask(&self, question: Q) {
        match &self.failed {
            Some((why, answers)) => {
                let _ = answers.send((question, Err(why.clone())));
            }
            // The worker only stops when this side is dropped.
            None => {
                let _ = self.tx.send(question);
            }
        }
    }

    /// The next answer, waiting at most `wait` for it.
    pub fn answer(&self, wait: std::time::Duration) -> Option<(Q, Outcome<X>)> {
        if wait.is_zero() {
            self.rx.try_recv().ok()
        } else {
            self.rx.recv_timeout(wait).ok()
        }
    }
}

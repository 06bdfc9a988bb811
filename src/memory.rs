//! Giving memory back to the system (Linux with glibc; elsewhere these do
//! nothing). glibc gives each thread that allocates its own malloc arena,
//! up to eight per core, and keeps what was freed in it for later instead
//! of returning it: a worker that scored 100,000 customers or read a big
//! report left tens of megabytes in the window's resident memory until the
//! window closed. So the window allows fewer arenas (`few_arenas`, before
//! any thread starts) and every background job gives back what it freed
//! when it ends (`give_back`).

/// At most eight malloc arenas for the whole process (glibc's default is
/// eight per core): the window's own thread, its few long-lived readers and
/// a job or two each keep one, so none of them waits on another's malloc
/// lock. Two were too few: a list's reader sharing the window's arena made
/// both slower, and typing in Orders drew its frames in 2.2-2.8 ms instead
/// of 1.3 ms in some runs (with three arenas in every run: 12 of 12; with
/// two, 2 of 12; with eight, none). Giving back what a job freed
/// (`give_back`) keeps the memory: the window's peak 170-173 MB with eight,
/// 167-170 MB with two. Call it first thing, before any thread is started.
pub fn few_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a setting of glibc's allocator; called
    // before any other thread exists, it races with nothing.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 8);
    }
}

/// Returns the memory freed in every arena (and the heap's free top) to the
/// system. Takes a few milliseconds at most; call it when a large piece of
/// work has ended and dropped what it built.
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim is thread-safe (it locks each arena in turn) and
    // only releases pages that hold no allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

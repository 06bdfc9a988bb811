//! Giving memory back to the system (Linux with glibc; elsewhere these do
//! nothing). glibc gives each thread that allocates its own malloc arena,
//! up to eight per core, and keeps what was freed in it for later instead
//! of returning it: a worker that scored 100,000 customers or read a big
//! report left tens of megabytes in the window's resident memory until the
//! window closed. So the window allows few arenas (`few_arenas`, before any
//! thread starts) and every background job gives back what it freed when
//! it ends (`give_back`).

/// At most two malloc arenas for the whole process: threads share them
/// instead of each keeping a heap of its own. Call it first thing, before
/// any thread is started.
pub fn few_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a setting of glibc's allocator; called
    // before any other thread exists, it races with nothing.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
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

//! The window's memory: what a background job freed goes back to the system
//! when the job ends, instead of staying in the window's resident memory
//! (glibc keeps a freed thread's heap for later). Linux with glibc only:
//! elsewhere the allocator decides.

use shopkeeper::jobs::Job;
use shopkeeper::store::Store;

use crate::common::temp_db;

/// The process's resident memory (VmRSS) in MB.
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<f64>()
        .unwrap()
        / 1024.0
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn a_job_gives_back_the_memory_its_work_freed() {
    let (_dir, path) = temp_db();
    let location = Store::open(&path).unwrap().location();
    // 256 MB in small pieces (as rows of a big result are), all freed but
    // the last, which the job hands back: the freed memory lies below it.
    let job = Job::spawn(
        "allocate",
        location,
        || {},
        |_store, _| {
            let mut pieces: Vec<Box<[u8]>> =
                (0..65_536).map(|i| vec![i as u8; 4096].into()).collect();
            let kept = pieces.pop().unwrap();
            drop(pieces);
            Ok((kept, rss_mb()))
        },
    );
    let (kept, while_working) = loop {
        if let Some(outcome) = job.poll() {
            break outcome.unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let after = rss_mb();
    assert_eq!(kept.len(), 4096);
    assert!(
        after < while_working - 128.0,
        "the job's freed memory was kept: {while_working:.0} MB as it ended, {after:.0} MB after"
    );
}

//! Captures what natively hosted programs print with `msg!` during one transaction.
//!
//! Off-chain, `solana-msg` writes `msg!` lines with `println!` (it does not go through the
//! program stubs), so the only place to catch them is the process's standard output. One
//! anonymous in-memory file (`memfd_create`: no path, nothing in the temp directory) is created
//! per runtime and reused: for each transaction fd 1 is pointed at it with `dup2`, then restored,
//! and what was written is read back and the file truncated. That is five system calls per
//! transaction instead of creating, unlinking and reopening a temporary file.
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Mutex;

/// fd 1 is process-wide: only one capture at a time, whichever runtime it belongs to.
static STDOUT: Mutex<()> = Mutex::new(());

pub struct StdoutCapture {
    /// `None` when no in-memory file could be created; output then goes to stdout as is.
    file: Option<File>,
}

impl StdoutCapture {
    pub fn new() -> Self {
        // SAFETY: a plain system call with a NUL-terminated name; the returned fd is owned here.
        let fd = unsafe { libc::memfd_create(c"ovpp-runtime-stdout".as_ptr(), libc::MFD_CLOEXEC) };
        let file = (fd >= 0).then(|| File::from(unsafe { OwnedFd::from_raw_fd(fd) }));
        StdoutCapture { file }
    }

    /// Runs `f` with fd 1 redirected into the in-memory file; returns `f`'s value and the lines
    /// written meanwhile.
    pub fn run<T>(&mut self, f: impl FnOnce() -> T) -> (T, Vec<String>) {
        let Some(file) = self.file.as_mut() else {
            return (f(), Vec::new());
        };
        let _lock = STDOUT.lock().unwrap_or_else(|p| p.into_inner());
        let _ = std::io::stdout().flush();
        // SAFETY: `dup`/`dup2` on fd 1 and on the memfd owned by `file`; `saved` is closed by
        // `OwnedFd` after fd 1 has been restored from it.
        let saved = unsafe { libc::dup(1) };
        if saved < 0 {
            return (f(), Vec::new());
        }
        let saved = unsafe { OwnedFd::from_raw_fd(saved) };
        if unsafe { libc::dup2(file.as_raw_fd(), 1) } < 0 {
            return (f(), Vec::new());
        }
        let value = f();
        let _ = std::io::stdout().flush();
        unsafe { libc::dup2(saved.as_raw_fd(), 1) };
        drop(saved);

        let mut text = String::new();
        if file.stream_position().map_or(0, |n| n) > 0 {
            let _ = file.seek(SeekFrom::Start(0));
            let _ = file.read_to_string(&mut text);
            let _ = file.set_len(0);
            let _ = file.seek(SeekFrom::Start(0));
        }
        (value, text.lines().map(str::to_string).collect())
    }
}

//! Captures what natively hosted programs print with `msg!` during one transaction, so it can
//! be logged as `Program log:` lines where a validator would log them.
//!
//! Off-chain, `solana-msg` writes `msg!` lines with `println!` (it does not go through the
//! program stubs), so the only place to catch them is the process's standard output. One
//! anonymous in-memory file (`memfd_create`: no path, nothing in the temp directory) is created
//! per runtime and reused: for each transaction fd 1 is pointed at it with `dup2`, then
//! restored. While it is, `ovpp-host` drains it (through [`drain`], registered with
//! `set_program_output_drain`) at each boundary of a native instruction (before a CPI, before
//! an event, at its end) and writes the lines into the transaction log in order. What is left
//! when the transaction ends (printed outside any native program) is returned.
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::Mutex;

/// fd 1 is process-wide: only one capture at a time, whichever runtime it belongs to.
static STDOUT: Mutex<()> = Mutex::new(());

thread_local! {
    /// The in-memory file fd 1 points at while this thread runs a transaction.
    static ACTIVE: RefCell<Option<File>> = const { RefCell::new(None) };
}

/// Reads and empties `file` (positioned at its end); its lines.
fn take_lines(mut file: &File) -> Vec<String> {
    let _ = std::io::stdout().flush();
    if file.stream_position().map_or(0, |n| n) == 0 {
        return Vec::new();
    }
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut text);
    let _ = file.set_len(0);
    let _ = file.seek(SeekFrom::Start(0));
    text.lines().map(str::to_string).collect()
}

/// What was printed on fd 1 since the last drain, during a [`StdoutCapture::run`] on this thread.
fn drain() -> Vec<String> {
    ACTIVE.with(|a| a.borrow().as_ref().map(take_lines).unwrap_or_default())
}

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

    /// Runs `f` with fd 1 redirected into the in-memory file and the native programs' output
    /// routed into the transaction log; returns `f`'s value and the lines printed outside
    /// native programs.
    pub fn run<T>(&mut self, f: impl FnOnce() -> T) -> (T, Vec<String>) {
        let Some(file) = self.file.as_ref() else {
            return (f(), Vec::new());
        };
        let Ok(shared) = file.try_clone() else {
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
        ACTIVE.with(|a| *a.borrow_mut() = Some(shared));
        ovpp_host::set_program_output_drain(Some(drain));
        let value = f();
        ovpp_host::set_program_output_drain(None);
        let leftover = ACTIVE
            .with(|a| a.borrow_mut().take())
            .map(|f| take_lines(&f))
            .unwrap_or_default();
        unsafe { libc::dup2(saved.as_raw_fd(), 1) };
        drop(saved);
        (value, leftover)
    }
}

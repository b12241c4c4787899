//! The thread a runtime's bank lives on.
//!
//! Executing SBF programs (JIT code) on Node's main thread corrupts V8's heap when an SBF
//! program performs CPI (seen as `std::bad_alloc` in V8's GC right after an ATA creation); the
//! same work on a plain thread is clean under valgrind and in the Rust tests. So every runtime
//! owns one long-lived worker thread (large stack, like a validator's banking threads) that
//! holds the tokio runtime, the bank and the stdout capture; JS calls send it a closure over a
//! channel and block until the reply. One thread for the runtime's lifetime instead of one per
//! call.
use std::any::Any;
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use napi::{Error, Result, Status};
use solana_program_test::{tokio, ProgramTest, ProgramTestContext};

use crate::capture::StdoutCapture;

/// Everything that lives on the worker thread.
pub struct Host {
    pub rt: tokio::runtime::Runtime,
    /// `None` once closed. Dropped inside `rt` (the banks server and PoH tasks live there).
    ctx: Option<ProgramTestContext>,
    pub stdout: StdoutCapture,
}

impl Host {
    /// The live context; fails once the runtime is closed.
    pub fn ctx(&mut self) -> Result<&mut ProgramTestContext> {
        self.ctx
            .as_mut()
            .ok_or_else(|| Error::new(Status::GenericFailure, "runtime is closed"))
    }

    /// The context, the tokio runtime and the capture, borrowed at once.
    pub fn parts(
        &mut self,
    ) -> Result<(
        &mut ProgramTestContext,
        &tokio::runtime::Runtime,
        &mut StdoutCapture,
    )> {
        let ctx = self
            .ctx
            .as_mut()
            .ok_or_else(|| Error::new(Status::GenericFailure, "runtime is closed"))?;
        Ok((ctx, &self.rt, &mut self.stdout))
    }

    fn close(&mut self) {
        if let Some(ctx) = self.ctx.take() {
            let _guard = self.rt.enter();
            drop(ctx);
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        self.close();
    }
}

type Job = Box<dyn FnOnce(&mut Host) + Send>;

/// The banks server spawns a detached thread (`solBankForksCli`) holding the last reference to
/// the bank; the bank, its accounts-db and the accounts-db's temporary directories are dropped
/// on that thread only after the server is gone. Its name is the only handle on it, so a
/// runtime notes the threads its start created (starts are serialised) and, once closed, the
/// one of them with that name. (A new thread names itself once it runs, so the name is
/// read at close time, not at start.)
const BANK_THREAD: &str = "solBankForksCli";
static STARTING: Mutex<()> = Mutex::new(());

/// `/proc` entries of the bank threads of closed runtimes that may still be dropping their bank.
static TEARING_DOWN: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Waits (at most `timeout`) until every closed runtime has dropped its bank, so no temporary
/// directory is left behind (`@openvpp/runtime` calls it when the process exits).
pub fn wait_for_teardown(timeout: Duration) {
    let deadline = Instant::now() + timeout;
    let mut pending = TEARING_DOWN.lock().unwrap_or_else(|p| p.into_inner());
    for task in pending.drain(..) {
        while task.exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// Ids of this process's threads (Linux; empty elsewhere).
fn thread_ids() -> HashSet<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return HashSet::new();
    };
    tasks
        .flatten()
        .map(|t| t.file_name().to_string_lossy().into_owned())
        .collect()
}

fn task_dir(tid: &str) -> PathBuf {
    Path::new("/proc/self/task").join(tid)
}

/// Adjusts the `ProgramTest` (extra SBF programs, limits, features) before the bank boots.
pub type Configure = Box<dyn FnOnce(&mut ProgramTest) -> Result<()> + Send>;

/// Handle to a runtime's worker thread.
pub struct Worker {
    jobs: Option<mpsc::Sender<Job>>,
    thread: Option<JoinHandle<()>>,
    /// Ids of the threads created while this runtime started.
    started_threads: Vec<String>,
}

fn panic_message(panic: Box<dyn Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

impl Worker {
    /// Spawns the worker and boots the bank on it, after `configure` has adjusted the
    /// `ProgramTest` (the OpenVPP programs are registered first).
    pub fn start(configure: Configure) -> Result<Self> {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::sync_channel::<Result<Vec<String>>>(1);
        let thread = std::thread::Builder::new()
            .name("ovpp-runtime".into())
            .stack_size(16 << 20)
            .spawn(move || {
                let booted = catch_unwind(AssertUnwindSafe(|| -> Result<(Host, Vec<String>)> {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| Error::from_reason(e.to_string()))?;
                    let mut program_test = ovpp_host::program_test();
                    configure(&mut program_test)?;
                    let _starting = STARTING.lock().unwrap_or_else(|p| p.into_inner());
                    let before = thread_ids();
                    let ctx = rt.block_on(ovpp_host::start(program_test));
                    let started = thread_ids().difference(&before).cloned().collect();
                    let host = Host {
                        rt,
                        ctx: Some(ctx),
                        stdout: StdoutCapture::new(),
                    };
                    Ok((host, started))
                }));
                let mut host = match booted {
                    Ok(Ok((host, started))) => {
                        let _ = ready_tx.send(Ok(started));
                        host
                    }
                    Ok(Err(e)) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                    Err(panic) => {
                        let _ = ready_tx.send(Err(Error::from_reason(format!(
                            "runtime failed to start: {}",
                            panic_message(panic)
                        ))));
                        return;
                    }
                };
                // Runs until every `Sender` is gone (close or drop of the JS object).
                for job in inbox {
                    job(&mut host);
                }
            })
            .map_err(|e| Error::from_reason(format!("spawn runtime worker thread: {e}")))?;
        let mut worker = Worker {
            jobs: Some(jobs),
            thread: Some(thread),
            started_threads: Vec::new(),
        };
        match ready_rx.recv() {
            Ok(Ok(started)) => {
                worker.started_threads = started;
                Ok(worker)
            }
            Ok(Err(e)) => {
                worker.stop();
                Err(e)
            }
            Err(_) => {
                worker.stop();
                Err(Error::from_reason("runtime worker exited during start"))
            }
        }
    }

    /// Runs `f` on the worker thread and waits for its result. A panic in `f` becomes an error
    /// (the worker survives it).
    pub fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Host) -> Result<T> + Send + 'static,
    {
        let jobs = self
            .jobs
            .as_ref()
            .ok_or_else(|| Error::new(Status::GenericFailure, "runtime is closed"))?;
        let (reply_tx, reply_rx) = mpsc::sync_channel::<Result<T>>(1);
        let job: Job = Box::new(move |host| {
            let result = catch_unwind(AssertUnwindSafe(|| f(host))).unwrap_or_else(|panic| {
                Err(Error::from_reason(format!(
                    "runtime panicked: {}",
                    panic_message(panic)
                )))
            });
            let _ = reply_tx.send(result);
        });
        jobs.send(job)
            .map_err(|_| Error::from_reason("runtime worker is gone"))?;
        reply_rx
            .recv()
            .map_err(|_| Error::from_reason("runtime worker is gone"))?
    }

    /// Tears the bank down and joins the worker. The banks server's thread then drops the bank
    /// (and removes the accounts-db's temporary directories) in the background, which takes
    /// a few hundred ms; [`wait_for_teardown`] waits for it. Idempotent.
    pub fn stop(&mut self) {
        if let Some(jobs) = self.jobs.take() {
            let _ = jobs.send(Box::new(|host: &mut Host| host.close()));
            drop(jobs);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let bank_threads = std::mem::take(&mut self.started_threads)
            .into_iter()
            .map(|tid| task_dir(&tid))
            .filter(|task| {
                std::fs::read_to_string(task.join("comm"))
                    .is_ok_and(|comm| comm.trim() == BANK_THREAD)
            });
        let mut pending = TEARING_DOWN.lock().unwrap_or_else(|p| p.into_inner());
        pending.retain(|task| task.exists());
        pending.extend(bank_threads);
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.stop();
    }
}

//! Long stateful fuzz runs: `fuzz [steps] [seed] [runs]` prints steps per second and the seed
//! of any failure (replay it with `OVPP_FUZZ_SEED=<seed> cargo test -p ovpp-test-utils --test
//! invariants`, or `fuzz <steps> <seed> 1`).
use std::time::Instant;

use ovpp_test_utils::fuzz::run;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("numeric argument"))
        .collect();
    let steps = args.first().copied().unwrap_or(20_000) as usize;
    let first_seed = args.get(1).copied().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs())
    });
    let runs = args.get(2).copied().unwrap_or(1);
    let mut failures = 0;
    for seed in first_seed..first_seed + runs {
        let started = Instant::now();
        match run(seed, steps).await {
            Ok(stats) => {
                let secs = started.elapsed().as_secs_f64();
                println!(
                    "seed {seed}: {} steps in {secs:.1} s ({:.0} steps/s)",
                    stats.steps,
                    stats.steps as f64 / secs
                );
                for (op, (tried, ok)) in &stats.ops {
                    println!("  {op:<26} {tried:>7} tried {ok:>7} succeeded");
                }
            }
            Err(v) => {
                failures += 1;
                println!(
                    "FAILED seed {} at step {} ({}): {}",
                    v.seed, v.step, v.op, v.message
                );
            }
        }
    }
    if failures > 0 {
        std::process::exit(1);
    }
}

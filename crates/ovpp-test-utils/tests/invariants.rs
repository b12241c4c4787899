//! Stateful invariant fuzzing in CI: a bounded, seeded run of random honest and adversarial
//! operations against the real programs (see `ovpp_test_utils::fuzz`). A longer run:
//! `bash scripts/fuzz.sh [steps] [seed]`.
use ovpp_test_utils::fuzz::run;

/// 2,400 steps over three fixed seeds (plus `OVPP_FUZZ_SEED` when set, to replay a failure).
#[tokio::test]
async fn money_and_energy_invariants_hold_under_random_operations_success() {
    let mut seeds = vec![1u64, 2, 3];
    if let Some(seed) = std::env::var("OVPP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        seeds = vec![seed];
    }
    let mut total = 0;
    for seed in seeds {
        match run(seed, 800).await {
            Ok(stats) => {
                total += stats.steps;
                // The run must exercise the interesting paths, not just fail everything.
                let ok = |op: &str| stats.ops.get(op).map_or(0, |(_, ok)| *ok);
                assert!(ok("settle") > 20, "seed {seed}: too few settlements: {stats:?}");
                // Devices change hands, and sellers' backlogs settle to the sellers.
                assert!(ok("device_sale") > 3, "seed {seed}: too few sales: {stats:?}");
                assert!(ok("settle_backlog") > 3, "seed {seed}: too few backlogs: {stats:?}");
                assert_eq!(ok("settle_foreign"), 0, "seed {seed}: {stats:?}");
                assert!(ok("settle_batch") > 5, "seed {seed}: too few batches: {stats:?}");
                // (A sale ends the seller's membership, so fewer unit trades succeed.)
                assert!(ok("buy") > 5 && ok("sell") > 1, "seed {seed}: {stats:?}");
                assert!(ok("wrap") > 10 && ok("unwrap") > 10, "seed {seed}: {stats:?}");
                assert_eq!(ok("steal_via_delegate"), 0, "seed {seed}: {stats:?}");
                assert_eq!(ok("buy_outsider") + ok("sell_outsider"), 0, "seed {seed}");
            }
            Err(v) => panic!(
                "invariant broken: seed {} step {} op {}: {}\nreplay: OVPP_FUZZ_SEED={} cargo test -p ovpp-test-utils --test invariants",
                v.seed, v.step, v.op, v.message, v.seed
            ),
        }
    }
    assert!(total >= 2_000 || std::env::var("OVPP_FUZZ_SEED").is_ok());
}

//! Real Switchboard on-demand pull-feed accounts (what the runtime addon writes for a feed, and
//! what the tests install): the layout is the `switchboard-on-demand` crate's own
//! `PullFeedAccountData` (the struct the program parses), prefixed with its Anchor discriminator
//! and owned by the on-demand program.
use solana_sdk::account::Account;
use switchboard_on_demand::{Discriminator, PullFeedAccountData, ON_DEMAND_MAINNET_PID};

/// The aggregate an oracle quorum produced.
#[derive(Clone, Copy, Debug)]
pub struct FeedResult {
    /// USD per unit, 18 decimals.
    pub value: i128,
    /// Standard deviation, 18 decimals.
    pub std_dev: i128,
    pub num_samples: u8,
    /// Slot of the result.
    pub slot: u64,
}

/// Serialized account data of a pull feed carrying `result`.
pub fn feed_data(result: FeedResult) -> Vec<u8> {
    let mut feed: PullFeedAccountData = bytemuck::Zeroable::zeroed();
    feed.result.value = result.value;
    feed.result.std_dev = result.std_dev;
    feed.result.mean = result.value;
    feed.result.min_value = result.value - result.std_dev;
    feed.result.max_value = result.value + result.std_dev;
    feed.result.range = 2 * result.std_dev;
    feed.result.num_samples = result.num_samples;
    feed.result.slot = result.slot;
    feed.result.min_slot = result.slot;
    feed.result.max_slot = result.slot;
    feed.min_responses = 1;
    feed.min_sample_size = 1;
    feed.max_staleness = 250;
    feed.name[..8].copy_from_slice(b"USD/kWh\0");
    let mut data = Vec::with_capacity(8 + std::mem::size_of::<PullFeedAccountData>());
    data.extend_from_slice(<PullFeedAccountData as Discriminator>::DISCRIMINATOR);
    data.extend_from_slice(bytemuck::bytes_of(&feed));
    data
}

/// A pull-feed account owned by the Switchboard on-demand program (rent-exempt lamports).
pub fn feed_account(result: FeedResult) -> Account {
    let data = feed_data(result);
    Account {
        lamports: 1_000_000_000,
        data,
        owner: ON_DEMAND_MAINNET_PID,
        executable: false,
        rent_epoch: 0,
    }
}

//! Shared test fixtures: a legacy SPL Token "USDC" mint and the registry's usual cast.
use anchor_spl::token::spl_token;
use ovpp_registry::state::PartnerKind;
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use crate::harness::Env;
use crate::keys;
use crate::registry as reg;

/// The protocol authority, one vendor (trusting `ca`) and one utility, all onboarded.
pub struct Partners {
    pub admin: Keypair,
    pub vendor: Keypair,
    pub utility: Keypair,
}

/// Initialises the registry config (signed by the localnet deployer) and onboards a vendor
/// ("Acme Batteries", handle `acme`, CA `ca`) and a utility ("Gridco", handle `gridco`).
pub async fn onboard(env: &mut Env, ca: [u8; 32]) -> Partners {
    let payer = env.payer().pubkey();
    let (admin, vendor, utility) = (Keypair::new(), Keypair::new(), Keypair::new());
    let deployer = keys::localnet_admin();
    env.send(&[reg::config_init(payer, admin.pubkey())], &[&deployer])
        .await
        .expect("config_init");
    let mut ixs = reg::partner_onboard(
        admin.pubkey(),
        vendor.pubkey(),
        payer,
        PartnerKind::Vendor,
        "Acme Batteries",
        "acme",
        &[ca],
    );
    ixs.extend(reg::partner_onboard(
        admin.pubkey(),
        utility.pubkey(),
        payer,
        PartnerKind::Utility,
        "Gridco",
        "gridco",
        &[],
    ));
    env.send(&ixs, &[&admin, &vendor, &utility])
        .await
        .expect("partner_register");
    Partners {
        admin,
        vendor,
        utility,
    }
}

/// A legacy SPL Token mint with 6 decimals at the localnet USDC address whose authority is the
/// env payer (like USDC).
pub async fn usdc_mint(env: &mut Env) -> Pubkey {
    let payer = env.payer();
    let mint = keys::usdc_localnet_keypair();
    let len = spl_token::state::Mint::LEN;
    let rent = env.ctx.banks_client.get_rent().await.expect("rent");
    env.send(
        &[
            solana_system_interface::instruction::create_account(
                &payer.pubkey(),
                &mint.pubkey(),
                rent.minimum_balance(len),
                len as u64,
                &spl_token::ID,
            ),
            spl_token::instruction::initialize_mint2(
                &spl_token::ID,
                &mint.pubkey(),
                &payer.pubkey(),
                None,
                6,
            )
            .expect("initialize_mint2"),
        ],
        &[&mint],
    )
    .await
    .expect("usdc mint");
    mint.pubkey()
}

/// Gives `wallet` `amount` freshly minted USDC and wraps it into USDE (creating both ATAs);
/// returns the wallet's USDE account.
pub async fn fund_usde(env: &mut Env, usdc: Pubkey, wallet: &Keypair, amount: u64) -> Pubkey {
    use crate::payments::{usde_mint_pda, usde_wrap, TOKEN, TOKEN_2022};
    use anchor_spl::associated_token::get_associated_token_address_with_program_id as ata;
    use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent as create_ata;
    let payer = env.payer().pubkey();
    let owner = wallet.pubkey();
    let wallet_usdc = ata(&owner, &usdc, &TOKEN);
    let wallet_usde = ata(&owner, &usde_mint_pda(), &TOKEN_2022);
    env.send(
        &[
            create_ata(&payer, &owner, &usdc, &TOKEN),
            create_ata(&payer, &owner, &usde_mint_pda(), &TOKEN_2022),
            spl_token::instruction::mint_to(&TOKEN, &usdc, &wallet_usdc, &payer, &[], amount)
                .expect("mint_to"),
            usde_wrap(owner, usdc, wallet_usdc, wallet_usde, TOKEN, amount),
        ],
        &[wallet],
    )
    .await
    .expect("fund usde");
    wallet_usde
}

/// Registers a device provisioned by `vendor` (the device key co-signs); returns its account.
/// The device is unclaimed (ownerless) until `args.owner` signs `device_claim`; use
/// [`register_device_claimed`] for a device its owner holds at once.
pub async fn register_device(
    env: &mut Env,
    vendor: &Keypair,
    device_key: &Keypair,
    args: ovpp_registry::instructions::DeviceRegisterArgs,
) -> Pubkey {
    let payer = env.payer().pubkey();
    env.send(
        &[reg::device_register(
            vendor.pubkey(),
            device_key.pubkey(),
            payer,
            args,
        )],
        &[vendor, device_key],
    )
    .await
    .expect("device_register");
    reg::device_pda(&device_key.pubkey())
}

/// Registers a device that `owner` co-signs, so it owns it at once (`args.owner` is set to
/// `owner`); returns its account.
pub async fn register_device_claimed(
    env: &mut Env,
    vendor: &Keypair,
    device_key: &Keypair,
    owner: &Keypair,
    mut args: ovpp_registry::instructions::DeviceRegisterArgs,
) -> Pubkey {
    let payer = env.payer().pubkey();
    args.owner = owner.pubkey();
    env.send(
        &[reg::device_register_claimed(
            vendor.pubkey(),
            device_key.pubkey(),
            payer,
            args,
        )],
        &[vendor, device_key, owner],
    )
    .await
    .expect("device_register (claimed)");
    reg::device_pda(&device_key.pubkey())
}

/// Creates the utility's program `program_id` (a tariff program) and returns its account.
pub async fn utility_program(env: &mut Env, utility: &Keypair, program_id: u32) -> Pubkey {
    use ovpp_routing::instructions::ProgramCreateArgs;
    use ovpp_routing::state::ProgramKind;
    let payer = env.payer().pubkey();
    let utility_pda = reg::partner_pda(&utility.pubkey());
    env.send(
        &[crate::routing::program_create(
            utility_pda,
            utility.pubkey(),
            payer,
            ProgramCreateArgs {
                program_id,
                kind: ProgramKind::Tariff,
                name: format!("Tariff program {program_id}"),
            },
        )],
        &[utility],
    )
    .await
    .expect("program_create");
    crate::routing::program_pda(&utility_pda, program_id)
}

/// The device's owner asks to enroll `device` (made by `vendor`) in `program`, the utility
/// approves, and anyone binds the device to `tariff`: what a device needs before its readings
/// settle against that tariff.
pub async fn enroll_and_bind(
    env: &mut Env,
    utility: &Keypair,
    owner: &Keypair,
    vendor: &Pubkey,
    device: Pubkey,
    program: Pubkey,
    tariff: Pubkey,
) {
    let payer = env.payer().pubkey();
    let utility_pda = reg::partner_pda(&utility.pubkey());
    env.send(
        &[crate::routing::enrollment_request(
            program,
            device,
            reg::partner_pda(vendor),
            owner.pubkey(),
            payer,
        )],
        &[owner],
    )
    .await
    .expect("enrollment_request");
    env.send(
        &[
            crate::routing::enrollment_decide(program, utility_pda, utility.pubkey(), device, true),
            crate::payments::tariff_bind(tariff, utility.pubkey(), device, program, payer),
        ],
        &[utility],
    )
    .await
    .expect("enrollment_decide + tariff_bind");
}

/// Onboards a second utility ("Voltco", handle `voltco`) through the protocol authority `admin`
/// and returns its authority key.
pub async fn onboard_second_utility(env: &mut Env, admin: &Keypair) -> Keypair {
    let payer = env.payer().pubkey();
    let voltco = Keypair::new();
    env.send(
        &reg::partner_onboard(
            admin.pubkey(),
            voltco.pubkey(),
            payer,
            PartnerKind::Utility,
            "Voltco",
            "voltco",
            &[],
        ),
        &[admin, &voltco],
    )
    .await
    .expect("second utility");
    voltco
}

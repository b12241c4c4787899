use anchor_lang::prelude::*;
use anchor_lang::system_program::{transfer, Transfer};
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint as SplMint;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use anchor_spl::token_interface::{
    token_metadata_initialize, Mint, TokenAccount, TokenInterface, TokenMetadataInitialize,
};

use ovpp_registry::deployer::{require_deployer, NATIVE_LOADER_ID};

use crate::constants::*;
use crate::errors::PaymentsError;
use crate::events::PaymentsInitialized;
use crate::state::{payments_signer_seeds, PaymentsConfig};

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct PaymentsInitArgs {
    /// Administers markets and the pause switch.
    pub authority: Pubkey,
}

#[derive(Accounts)]
pub struct PaymentsInit<'info> {
    #[account(
        init,
        payer = payer,
        space = 8 + PaymentsConfig::INIT_SPACE,
        seeds = [SEED_PAYMENTS],
        bump,
    )]
    pub config: Box<Account<'info, PaymentsConfig>>,
    /// The cluster's USDC (see `USDC_MINTS`), without extensions that could move, tax, hook
    /// or freeze the vault's funds.
    #[account(
        mint::token_program = usdc_token_program,
        constraint = usdc_mint.decimals == TOKEN_DECIMALS @ PaymentsError::InvalidDecimals,
    )]
    pub usdc_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_USDE_MINT],
        bump,
        mint::decimals = TOKEN_DECIMALS,
        mint::authority = config,
        mint::token_program = token_2022_program,
        extensions::metadata_pointer::authority = config,
        extensions::metadata_pointer::metadata_address = usde_mint,
    )]
    pub usde_mint: Box<InterfaceAccount<'info, Mint>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_VAULT],
        bump,
        token::mint = usdc_mint,
        token::authority = config,
        token::token_program = usdc_token_program,
    )]
    pub usdc_vault: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init,
        payer = payer,
        seeds = [SEED_TREASURY],
        bump,
        token::mint = usde_mint,
        token::authority = config,
        token::token_program = token_2022_program,
    )]
    pub usde_treasury: Box<InterfaceAccount<'info, TokenAccount>>,
    /// The program's deployer: its upgrade authority (or, natively hosted only, the localnet
    /// admin key). Only the deployer picks the authority and the mint behind USDE.
    pub deployer: Signer<'info>,
    /// CHECK: this program's own account; `require_deployer` checks its address and owner.
    pub program: UncheckedAccount<'info>,
    /// CHECK: the program's ProgramData account; `require_deployer` checks it is the one the
    /// program account points at (unused when the program is natively hosted).
    pub program_data: UncheckedAccount<'info>,
    #[account(mut)]
    pub payer: Signer<'info>,
    /// SPL Token or Token-2022, whichever owns the USDC mint.
    pub usdc_token_program: Interface<'info, TokenInterface>,
    pub token_2022_program: Program<'info, Token2022>,
    pub system_program: Program<'info, System>,
}

/// Token-2022 mint extensions a USDC mint may carry: descriptive ones only. Anything else
/// (PermanentDelegate, TransferFeeConfig, TransferHook, DefaultAccountState, confidential
/// transfers, Pausable, NonTransferable, MintCloseAuthority, ...) is refused, since it could
/// move, tax, hook, freeze or strand the USDC backing USDE.
pub const ALLOWED_USDC_EXTENSIONS: [ExtensionType; 6] = [
    ExtensionType::MetadataPointer,
    ExtensionType::TokenMetadata,
    ExtensionType::GroupPointer,
    ExtensionType::GroupMemberPointer,
    ExtensionType::TokenGroup,
    ExtensionType::TokenGroupMember,
];

/// Refuses a Token-2022 USDC mint with any extension outside `ALLOWED_USDC_EXTENSIONS`.
/// (A classic SPL Token mint has no extensions. A freeze authority is normal for USDC and
/// cannot be refused; the issuer freezing the vault is a documented risk.)
pub fn require_plain_usdc_mint(mint: &AccountInfo) -> Result<()> {
    if mint.owner != &anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<SplMint>::unpack(&data)?;
    for extension in state.get_extension_types()? {
        require!(
            ALLOWED_USDC_EXTENSIONS.contains(&extension),
            PaymentsError::UnsupportedMintExtension
        );
    }
    Ok(())
}

/// The USDC this cluster's USDE may be backed by: Circle's USDC on mainnet-beta or devnet, or
/// the localnet test USDC when (and only when) the program is natively hosted.
pub fn require_pinned_usdc(mint: &Pubkey, program: &AccountInfo) -> Result<()> {
    let allowed = *mint == USDC_MAINNET
        || *mint == USDC_DEVNET
        || (*mint == USDC_LOCALNET && *program.owner == NATIVE_LOADER_ID);
    require!(allowed, PaymentsError::UsdcMintNotAllowed);
    Ok(())
}

impl PaymentsInit<'_> {
    fn validate(&self) -> Result<()> {
        require_deployer(
            &crate::ID,
            &self.program.to_account_info(),
            &self.program_data.to_account_info(),
            self.deployer.key,
        )
        .map_err(|_| error!(PaymentsError::NotDeployer))?;
        require_pinned_usdc(&self.usdc_mint.key(), &self.program.to_account_info())?;
        require_plain_usdc_mint(&self.usdc_mint.to_account_info())
    }
}

/// Token metadata of USDE (stored in the mint itself via the metadata pointer).
pub const USDE_NAME: &str = "OpenVPP Dollar";
pub const USDE_SYMBOL: &str = "USDE";
pub const USDE_URI: &str = "https://openvpp.org/usde.json";

/// Writes USDE's name, symbol and URI into the mint (Token-2022 token-metadata extension).
fn init_usde_metadata(ctx: &Context<PaymentsInit>) -> Result<()> {
    let a = &ctx.accounts;
    let metadata = TokenMetadata {
        name: USDE_NAME.to_string(),
        symbol: USDE_SYMBOL.to_string(),
        uri: USDE_URI.to_string(),
        ..Default::default()
    };
    // The metadata TLV grows the mint; fund the larger size before Token-2022 reallocs.
    let extra = metadata
        .tlv_size_of()
        .map_err(|_| error!(PaymentsError::MathOverflow))?;
    let info = a.usde_mint.to_account_info();
    let needed = Rent::get()?
        .minimum_balance(info.data_len().saturating_add(extra))
        .saturating_sub(info.lamports());
    if needed > 0 {
        transfer(
            CpiContext::new(
                a.system_program.to_account_info(),
                Transfer {
                    from: a.payer.to_account_info(),
                    to: info.clone(),
                },
            ),
            needed,
        )?;
    }
    let seeds = payments_signer_seeds(&ctx.bumps.config);
    token_metadata_initialize(
        CpiContext::new_with_signer(
            a.token_2022_program.to_account_info(),
            TokenMetadataInitialize {
                program_id: a.token_2022_program.to_account_info(),
                metadata: info.clone(),
                update_authority: a.config.to_account_info(),
                mint: info,
                mint_authority: a.config.to_account_info(),
            },
            &[&seeds],
        ),
        metadata.name,
        metadata.symbol,
        metadata.uri,
    )
}

/// Creates the USDE mint (Token-2022 with metadata), its USDC vault and the unit-market
/// treasury.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<PaymentsInit>, args: PaymentsInitArgs) -> Result<()> {
    init_usde_metadata(&ctx)?;
    let config = &mut ctx.accounts.config;
    config.version = 1;
    config.bump = ctx.bumps.config;
    config.usde_mint_bump = ctx.bumps.usde_mint;
    config.vault_bump = ctx.bumps.usdc_vault;
    config.treasury_bump = ctx.bumps.usde_treasury;
    config.paused = false;
    config.authority = args.authority;
    config.usdc_mint = ctx.accounts.usdc_mint.key();
    config.usdc_token_program = ctx.accounts.usdc_token_program.key();
    config.usde_mint = ctx.accounts.usde_mint.key();
    config.usdc_vault = ctx.accounts.usdc_vault.key();
    config.usde_treasury = ctx.accounts.usde_treasury.key();
    config.reserved = [0; 64];
    emit!(PaymentsInitialized {
        config: config.key(),
        authority: args.authority,
        usdc_mint: config.usdc_mint,
        usde_mint: config.usde_mint,
    });
    Ok(())
}

use anchor_lang::prelude::*;

use crate::compressed::{
    body_hash, data_hash, is_valid_lfdi, leaf_hash, sequence_number, TreeCpi, NOOP_PROGRAM_ID,
};
use crate::constants::{LFDI_LEN, MAX_COMPRESSED_BATCH, SEED_COMPRESSED_TREE, SEED_PARTNER};
use crate::errors::RegistryError;
use crate::events::CompressedDeviceChanged;
use crate::identity::lfdi_from_fingerprint;
use crate::state::{
    CaIndex, Capabilities, CompressedChange, CompressedDevice, CompressedDeviceData,
    CompressedStatus, CompressedTree, DeviceType, Partner, PartnerKind, SuspendedBy,
};

/// One device of a batch: what differs between devices of one onboarding wave.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy)]
pub struct CompressedDeviceEntry {
    /// The device's ed25519 key (it signs `compressed_device_activate`).
    pub device_key: Pubkey,
    /// SHA-256 of the device certificate (DER); its first 20 bytes are the LFDI.
    pub cert_fingerprint: [u8; 32],
    /// Certificate `notAfter`, unix seconds.
    pub cert_not_after: i64,
}

#[derive(AnchorSerialize, AnchorDeserialize, Clone)]
pub struct CompressedDeviceRegisterArgs {
    /// Owner-elect of every device of the batch; each stays unclaimed until it signs
    /// `compressed_device_claim`.
    pub owner: Pubkey,
    pub device_type: DeviceType,
    pub capabilities: Capabilities,
    /// SHA-256 of the CA root that issued the certificates; must be one of the vendor's.
    pub issuer_ca: [u8; 32],
    /// 1..=16 devices.
    pub devices: Vec<CompressedDeviceEntry>,
}

#[derive(Accounts)]
#[instruction(args: CompressedDeviceRegisterArgs)]
pub struct CompressedDeviceRegister<'info> {
    #[account(
        seeds = [SEED_PARTNER, vendor_authority.key().as_ref()],
        bump = vendor.bump,
        constraint = vendor.authority == vendor_authority.key() @ RegistryError::Unauthorized,
        constraint = vendor.kind == PartnerKind::Vendor @ RegistryError::PartnerNotVendor,
    )]
    pub vendor: Box<Account<'info, Partner>>,
    pub vendor_authority: Signer<'info>,
    /// CHECK: the issuer root's global index `["ca", issuer_ca]`: `validate` requires a
    /// registry `CaIndex` for `args.issuer_ca` (only ever created at that PDA) naming this
    /// vendor, as `device_register` does.
    pub issuer_ca_index: UncheckedAccount<'info>,
    #[account(
        mut,
        seeds = [SEED_COMPRESSED_TREE, merkle_tree.key().as_ref()],
        bump = tree.bump,
    )]
    pub tree: Box<Account<'info, CompressedTree>>,
    /// CHECK: the tree account of `tree` (its PDA seeds); account-compression checks the rest.
    #[account(mut)]
    pub merkle_tree: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-account-compression.
    #[account(address = spl_account_compression::ID)]
    pub compression_program: UncheckedAccount<'info>,
    /// CHECK: address pinned to spl-noop.
    #[account(address = NOOP_PROGRAM_ID)]
    pub noop_program: UncheckedAccount<'info>,
}

impl CompressedDeviceRegister<'_> {
    /// The vendor-side checks of `device_register`, for every device of the batch.
    fn validate(&self, args: &CompressedDeviceRegisterArgs) -> Result<()> {
        self.vendor.require_active()?;
        require!(
            self.tree.vendor == Pubkey::default() || self.tree.vendor == self.vendor.key(),
            RegistryError::VendorMismatch
        );
        require!(
            !args.devices.is_empty() && args.devices.len() <= MAX_COMPRESSED_BATCH,
            RegistryError::InvalidBatch
        );
        require!(
            self.vendor.ca_fingerprints.contains(&args.issuer_ca),
            RegistryError::UnknownIssuerCa
        );
        let index = &self.issuer_ca_index;
        require!(
            *index.owner == crate::ID
                && CaIndex::try_deserialize(&mut &index.try_borrow_data()?[..])
                    .is_ok_and(
                        |i| i.partner == self.vendor.key() && i.fingerprint == args.issuer_ca
                    ),
            RegistryError::UnknownIssuerCa
        );
        require!(args.owner != Pubkey::default(), RegistryError::InvalidOwner);
        args.capabilities.validate()?;
        let now = Clock::get()?.unix_timestamp;
        let mut seen: Vec<[u8; LFDI_LEN]> = Vec::with_capacity(args.devices.len());
        for entry in &args.devices {
            require!(
                entry.cert_fingerprint != [0; 32],
                RegistryError::InvalidFingerprint
            );
            let lfdi = lfdi_from_fingerprint(&entry.cert_fingerprint);
            require!(is_valid_lfdi(&lfdi), RegistryError::InvalidFingerprint);
            require!(
                entry.cert_not_after > now,
                RegistryError::CertificateExpired
            );
            require!(!seen.contains(&lfdi), RegistryError::DuplicateLfdi);
            seen.push(lfdi);
        }
        Ok(())
    }
}

/// Appends a batch of provisioned devices (vendor signs). Each is usable once its device key
/// signs `compressed_device_activate`, which also proves its LFDI is new.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(
    ctx: Context<CompressedDeviceRegister>,
    args: CompressedDeviceRegisterArgs,
) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let accounts = &mut *ctx.accounts;
    let vendor = accounts.vendor.key();
    let merkle_tree = accounts.merkle_tree.to_account_info();
    let authority = accounts.tree.to_account_info();
    let compression_program = accounts.compression_program.to_account_info();
    let noop_program = accounts.noop_program.to_account_info();
    let cpi = TreeCpi {
        compression_program: &compression_program,
        noop_program: &noop_program,
        merkle_tree: &merkle_tree,
        authority: &authority,
        authority_bump: accounts.tree.bump,
    };
    for entry in &args.devices {
        let index = accounts.tree.leaf_count;
        let device = CompressedDevice {
            device_key: entry.device_key,
            vendor,
            lfdi: lfdi_from_fingerprint(&entry.cert_fingerprint),
            next_lfdi: [0; LFDI_LEN],
            status: CompressedStatus::Provisioned,
            data: CompressedDeviceData {
                owner: Pubkey::default(),
                pending_owner: args.owner,
                suspended_by: SuspendedBy::None,
                owner_epoch: 0,
                device_type: args.device_type,
                capabilities: args.capabilities,
                issuer_ca: args.issuer_ca,
                cert_fingerprint: entry.cert_fingerprint,
                cert_not_after: entry.cert_not_after,
                name_hash: [0; 32],
                registered_at: now,
                nonce: index,
            },
        };
        let body = body_hash(
            &device.device_key,
            &vendor,
            device.status,
            &data_hash(&device.data)?,
        );
        let leaf = leaf_hash(&device.lfdi, &device.next_lfdi, &body);
        cpi.append(leaf)?;
        accounts.tree.leaf_count = index
            .checked_add(1)
            .ok_or(RegistryError::InvalidTreeParams)?;
        emit!(CompressedDeviceChanged {
            merkle_tree: merkle_tree.key(),
            index: u32::try_from(index).map_err(|_| RegistryError::InvalidTreeParams)?,
            seq: sequence_number(&merkle_tree)?,
            leaf,
            change: CompressedChange::Registered,
            device,
            timestamp: now,
        });
    }
    Ok(())
}

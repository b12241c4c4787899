//! Who may initialise a program's configuration: its deployer.
//!
//! On a cluster the program account is owned by the BPF upgradeable loader and points at its
//! ProgramData account; the deployer is that account's upgrade authority. Natively hosted
//! programs (solana-program-test, the `@openvpp/runtime` addon) are builtins owned by the
//! native loader and have no ProgramData: only there, the compiled-in localnet admin key
//! (keypair in `localnet/keys/localnet-admin.json`) stands in for the deployer. A program
//! account with any other owner is refused. Shared by `config_init` and `payments_init`.
use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable::{self, UpgradeableLoaderState};

use crate::errors::RegistryError;

/// The native loader, owner of builtin (natively hosted) programs.
pub const NATIVE_LOADER_ID: Pubkey = pubkey!("NativeLoader1111111111111111111111111111111");

/// Localnet-only deployer of natively hosted programs. Never accepted for a program deployed
/// through the upgradeable loader (every real cluster deployment).
pub const LOCALNET_ADMIN: Pubkey = pubkey!("6oQHqiEk3zRp28V4n2ti5H25TpftQzv4V5ukg7JkiJ89");

/// Fails unless `signer` deployed `program_id`.
///
/// * `program` must be the account at `program_id`.
/// * Owned by the BPF upgradeable loader: `program_data` must be the ProgramData account the
///   program points at, and its `upgrade_authority_address` must be `Some(signer)`.
/// * Owned by the native loader (native hosting only): `signer` must be [`LOCALNET_ADMIN`];
///   `program_data` is not read.
/// * Any other owner (including the immutable loaders): refused.
pub fn require_deployer(
    program_id: &Pubkey,
    program: &AccountInfo,
    program_data: &AccountInfo,
    signer: &Pubkey,
) -> Result<()> {
    require_keys_eq!(
        *program.key,
        *program_id,
        RegistryError::InvalidProgramAccount
    );
    if *program.owner == bpf_loader_upgradeable::ID {
        let state = UpgradeableLoaderState::try_deserialize(&mut &program.try_borrow_data()?[..])
            .map_err(|_| error!(RegistryError::InvalidProgramAccount))?;
        let UpgradeableLoaderState::Program {
            programdata_address,
        } = state
        else {
            return err!(RegistryError::InvalidProgramAccount);
        };
        require_keys_eq!(
            *program_data.key,
            programdata_address,
            RegistryError::InvalidProgramAccount
        );
        require_keys_eq!(
            *program_data.owner,
            bpf_loader_upgradeable::ID,
            RegistryError::InvalidProgramAccount
        );
        let data = ProgramData::try_deserialize(&mut &program_data.try_borrow_data()?[..])
            .map_err(|_| error!(RegistryError::InvalidProgramAccount))?;
        require!(
            data.upgrade_authority_address == Some(*signer),
            RegistryError::NotDeployer
        );
        Ok(())
    } else if *program.owner == NATIVE_LOADER_ID {
        require_keys_eq!(*signer, LOCALNET_ADMIN, RegistryError::NotDeployer);
        Ok(())
    } else {
        err!(RegistryError::InvalidProgramAccount)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::solana_program::bpf_loader_upgradeable::UpgradeableLoaderState as S;

    struct Acct {
        key: Pubkey,
        owner: Pubkey,
        lamports: u64,
        data: Vec<u8>,
    }

    impl Acct {
        fn new(key: Pubkey, owner: Pubkey, state: &S) -> Self {
            Acct {
                key,
                owner,
                lamports: 1,
                data: bincode_serialize(state),
            }
        }
        fn info(&mut self) -> AccountInfo<'_> {
            AccountInfo::new(
                &self.key,
                false,
                false,
                &mut self.lamports,
                &mut self.data,
                &self.owner,
                true,
                0,
            )
        }
    }

    /// Hand-rolled bincode of the two loader states used here (u32 tag, then fields).
    fn bincode_serialize(state: &S) -> Vec<u8> {
        let mut out = Vec::new();
        match state {
            S::Program {
                programdata_address,
            } => {
                out.extend_from_slice(&2u32.to_le_bytes());
                out.extend_from_slice(programdata_address.as_ref());
            }
            S::ProgramData {
                slot,
                upgrade_authority_address,
            } => {
                out.extend_from_slice(&3u32.to_le_bytes());
                out.extend_from_slice(&slot.to_le_bytes());
                match upgrade_authority_address {
                    Some(a) => {
                        out.push(1);
                        out.extend_from_slice(a.as_ref());
                    }
                    None => out.push(0),
                }
            }
            _ => unreachable!(),
        }
        out
    }

    fn setup(authority: Option<Pubkey>) -> (Pubkey, Acct, Acct) {
        let program_id = Pubkey::new_unique();
        let pd =
            Pubkey::find_program_address(&[program_id.as_ref()], &bpf_loader_upgradeable::ID).0;
        let program = Acct::new(
            program_id,
            bpf_loader_upgradeable::ID,
            &S::Program {
                programdata_address: pd,
            },
        );
        let data = Acct::new(
            pd,
            bpf_loader_upgradeable::ID,
            &S::ProgramData {
                slot: 7,
                upgrade_authority_address: authority,
            },
        );
        (program_id, program, data)
    }

    fn code(r: Result<()>) -> u32 {
        match r {
            Err(anchor_lang::error::Error::AnchorError(e)) => e.error_code_number,
            other => panic!("expected an anchor error, got {other:?}"),
        }
    }

    const NOT_DEPLOYER: u32 = 6027;
    const INVALID_PROGRAM: u32 = 6028;

    #[test]
    fn upgradeable_loader_accepts_only_the_upgrade_authority() {
        let deployer = Pubkey::new_unique();
        let (id, mut program, mut data) = setup(Some(deployer));
        assert!(require_deployer(&id, &program.info(), &data.info(), &deployer).is_ok());
        let stranger = Pubkey::new_unique();
        assert_eq!(
            code(require_deployer(
                &id,
                &program.info(),
                &data.info(),
                &stranger
            )),
            NOT_DEPLOYER
        );
        // The localnet key means nothing to a cluster deployment.
        assert_eq!(
            code(require_deployer(
                &id,
                &program.info(),
                &data.info(),
                &LOCALNET_ADMIN
            )),
            NOT_DEPLOYER
        );
    }

    #[test]
    fn immutable_program_has_no_deployer() {
        let (id, mut program, mut data) = setup(None);
        let anyone = Pubkey::new_unique();
        assert_eq!(
            code(require_deployer(
                &id,
                &program.info(),
                &data.info(),
                &anyone
            )),
            NOT_DEPLOYER
        );
    }

    #[test]
    fn substituted_program_data_is_refused() {
        let deployer = Pubkey::new_unique();
        let (id, mut program, _) = setup(Some(deployer));
        // A ProgramData the attacker controls, at another address.
        let mut fake = Acct::new(
            Pubkey::new_unique(),
            bpf_loader_upgradeable::ID,
            &S::ProgramData {
                slot: 1,
                upgrade_authority_address: Some(deployer),
            },
        );
        assert_eq!(
            code(require_deployer(
                &id,
                &program.info(),
                &fake.info(),
                &deployer
            )),
            INVALID_PROGRAM
        );
    }

    #[test]
    fn another_program_or_owner_is_refused() {
        let deployer = Pubkey::new_unique();
        let (_, mut program, mut data) = setup(Some(deployer));
        // The attacker's own upgradeable program in place of ours.
        let ours = Pubkey::new_unique();
        assert_eq!(
            code(require_deployer(
                &ours,
                &program.info(),
                &data.info(),
                &deployer
            )),
            INVALID_PROGRAM
        );
        // A program account owned by an unknown loader.
        let id = Pubkey::new_unique();
        let mut odd = Acct {
            key: id,
            owner: Pubkey::new_unique(),
            lamports: 1,
            data: vec![],
        };
        assert_eq!(
            code(require_deployer(&id, &odd.info(), &data.info(), &deployer)),
            INVALID_PROGRAM
        );
    }

    #[test]
    fn native_loader_accepts_only_the_localnet_admin() {
        let id = Pubkey::new_unique();
        let mut native = Acct {
            key: id,
            owner: NATIVE_LOADER_ID,
            lamports: 1,
            data: vec![],
        };
        let mut none = Acct {
            key: Pubkey::new_unique(),
            owner: Pubkey::default(),
            lamports: 0,
            data: vec![],
        };
        assert!(require_deployer(&id, &native.info(), &none.info(), &LOCALNET_ADMIN).is_ok());
        assert_eq!(
            code(require_deployer(
                &id,
                &native.info(),
                &none.info(),
                &Pubkey::new_unique()
            )),
            NOT_DEPLOYER
        );
    }
}

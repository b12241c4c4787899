// A runtime failure ({kind, instructionIndex, customCode, message}) as the JSON a validator
// returns for a `TransactionError` (serde's externally tagged form), e.g.
// {"InstructionError":[0,{"Custom":6000}]}, {"InstructionError":[1,"InvalidAccountData"]},
// "BlockhashNotFound".
import type { TransactionFailure } from '@openvpp/runtime';

/** `InstructionError` variants by their Display text (solana-instruction-error). */
const INSTRUCTION_ERRORS: Record<string, string> = {
  'generic instruction error': 'GenericError',
  'invalid program argument': 'InvalidArgument',
  'invalid instruction data': 'InvalidInstructionData',
  'invalid account data for instruction': 'InvalidAccountData',
  'account data too small for instruction': 'AccountDataTooSmall',
  'insufficient funds for instruction': 'InsufficientFunds',
  'incorrect program id for instruction': 'IncorrectProgramId',
  'missing required signature for instruction': 'MissingRequiredSignature',
  'instruction requires an uninitialized account': 'AccountAlreadyInitialized',
  'instruction requires an initialized account': 'UninitializedAccount',
  'sum of account balances before and after instruction do not match': 'UnbalancedInstruction',
  'instruction illegally modified the program id of an account': 'ModifiedProgramId',
  'instruction spent from the balance of an account it does not own': 'ExternalAccountLamportSpend',
  'instruction modified data of an account it does not own': 'ExternalAccountDataModified',
  'instruction changed the balance of a read-only account': 'ReadonlyLamportChange',
  'instruction modified data of a read-only account': 'ReadonlyDataModified',
  'instruction contains duplicate accounts': 'DuplicateAccountIndex',
  'instruction changed executable bit of an account': 'ExecutableModified',
  'instruction modified rent epoch of an account': 'RentEpochModified',
  'insufficient account keys for instruction': 'NotEnoughAccountKeys',
  "program other than the account's owner changed the size of the account data": 'AccountDataSizeChanged',
  'instruction expected an executable account': 'AccountNotExecutable',
  'instruction tries to borrow reference for an account which is already borrowed': 'AccountBorrowFailed',
  'instruction left account with an outstanding borrowed reference': 'AccountBorrowOutstanding',
  'instruction modifications of multiply-passed account differ': 'DuplicateAccountOutOfSync',
  'instruction error': 'InvalidError',
  'instruction changed executable accounts data': 'ExecutableDataModified',
  'instruction changed the balance of an executable account': 'ExecutableLamportChange',
  'executable accounts must be rent exempt': 'ExecutableAccountNotRentExempt',
  'Unsupported program id': 'UnsupportedProgramId',
  'Cross-program invocation call depth too deep': 'CallDepth',
  'An account required by the instruction is missing': 'MissingAccount',
  'Cross-program invocation reentrancy not allowed for this instruction': 'ReentrancyNotAllowed',
  'Length of the seed is too long for address generation': 'MaxSeedLengthExceeded',
  'Provided seeds do not result in a valid address': 'InvalidSeeds',
  'Failed to reallocate account data': 'InvalidRealloc',
  'Computational budget exceeded': 'ComputationalBudgetExceeded',
  'Cross-program invocation with unauthorized signer or writable account': 'PrivilegeEscalation',
  'Failed to create program execution environment': 'ProgramEnvironmentSetupFailure',
  'Program failed to complete': 'ProgramFailedToComplete',
  'Program failed to compile': 'ProgramFailedToCompile',
  'Account is immutable': 'Immutable',
  'Incorrect authority provided': 'IncorrectAuthority',
  'Account is not rent exempt': 'AccountNotRentExempt',
  'Invalid account owner': 'InvalidAccountOwner',
  'Program arithmetic overflowed': 'ArithmeticOverflow',
  'Unsupported sysvar': 'UnsupportedSysvar',
  'Provided owner is not allowed': 'IllegalOwner',
  'Accounts data allocations exceeded the maximum allowed per transaction': 'MaxAccountsDataAllocationsExceeded',
  'Max accounts exceeded': 'MaxAccountsExceeded',
  'Max instruction trace length exceeded': 'MaxInstructionTraceLengthExceeded',
  'Builtin programs must consume compute units': 'BuiltinProgramsMustConsumeComputeUnits',
};

export type TxErrorJson = string | Record<string, unknown>;

export function txErrorJson(err: TransactionFailure): TxErrorJson {
  if (err.kind === 'InstructionError' && err.instructionIndex !== null && err.instructionIndex !== undefined) {
    if (err.customCode !== null && err.customCode !== undefined) {
      return { InstructionError: [err.instructionIndex, { Custom: err.customCode }] };
    }
    const text = err.message.replace(/^Error processing Instruction \d+: /, '');
    return { InstructionError: [err.instructionIndex, INSTRUCTION_ERRORS[text] ?? 'GenericError'] };
  }
  const account = /account index (\d+)/i.exec(err.message);
  if (err.kind === 'InsufficientFundsForRent' && account) {
    return { InsufficientFundsForRent: { account_index: Number(account[1]) } };
  }
  return err.kind;
}

/** Failures a validator commits (the fee is charged and the signature recorded). */
export function isCommitted(err: TransactionFailure | null): boolean {
  return !err || err.kind === 'InstructionError' || err.kind === 'InsufficientFundsForRent';
}

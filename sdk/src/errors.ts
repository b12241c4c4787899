/** Why the SDK refused an input before anything was sent (see `ClientError`). */
export type ClientErrorReason =
  // registry
  | 'InvalidName'
  | 'InvalidPartnerName'
  | 'InvalidHandle'
  | 'InvalidFingerprint'
  | 'InvalidCertificate'
  | 'TooManyCaFingerprints'
  | 'InvalidCapabilities'
  // compressed devices
  | 'InvalidBatch'
  | 'DuplicateLfdi'
  | 'InvalidProof'
  | 'LfdiTaken'
  // routing
  | 'InvalidProgramName'
  | 'InvalidEndpoint'
  | 'InvalidCertPins'
  // payments
  | 'InvalidAmount'
  | 'InvalidReading'
  | 'MissingInput'
  // reading accounts
  | 'UnknownVariant'
  | 'WrongAccountOwner'
  | 'WrongAccountType'
  | 'AccountNotFound';

/**
 * The one client-side error of the SDK: an input it refuses before anything is sent, or an
 * account it cannot read as asked. `reason` names the problem; the message says what to do.
 */
export class ClientError extends Error {
  constructor(
    readonly reason: ClientErrorReason,
    message: string,
  ) {
    super(`${reason}: ${message}`);
    this.name = 'ClientError';
  }
}

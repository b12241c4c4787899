// Issue 8, generically (see instructions.test.ts): for EVERY account type of the IDLs, Anchor's
// decoder and the SDK's fetcher read the same values from the same real account.
import { PublicKey } from '@solana/web3.js';
import { expect } from 'chai';

import {
  fetchEndpointAttestation,
  fetchAttestation,
  fetchCaIndex,
  fetchCertIndex,
  fetchCompressedTree,
  fetchLfdiChain,
  fetchRegistryConfig,
  fetchDevice,
  fetchDrEvent,
  fetchEnrollment,
  fetchMandate,
  fetchMember,
  fetchMeter,
  fetchNameRecord,
  fetchPartner,
  fetchPaymentsConfig,
  fetchReverseRecord,
  fetchRoute,
  fetchTariff,
  fetchTariffBinding,
  fetchTariffRevision,
  fetchUnitMarket,
  fetchUtilityProgram,
  findDrRewardPda,
  findEnrollmentPda,
} from '@openvpp/sdk/web3';
import * as generated from '@openvpp/sdk';

import { type Any, programs } from '../../utils/anchor';
import { CA_FINGERPRINT } from '../../utils/harness';
import { key, norm, richWorld } from './world';

describe('sdk: Anchor decodes every account as the SDK does', () => {
  it('decodes every account type of the three IDLs as the SDK does, field by field', async () => {
    const w = richWorld();
    const { rt } = w;
    const p = programs(rt);
    const device = (await fetchDevice(rt, { deviceKey: w.deviceKey.publicKey }))!;
    const enrollment = findEnrollmentPda({ program: w.program, device: w.device })[0];
    const drReward = findDrRewardPda({ event: w.event, device: w.device })[0];
    // One real account per IDL account type, read with the SDK's public fetcher (the generated
    // decoder where the SDK has no fetcher). The routing and payments IDLs carry the registry's
    // `Device` and `Partner` (accounts they read): the registry's fetchers decode them.
    const sdk: Record<string, () => Promise<(object & { address?: PublicKey }) | null>> = {
      Attestation: () => fetchAttestation(rt, { subject: w.device, kind: 'openAdr3Conformance' }),
      EndpointAttestation: () => fetchEndpointAttestation(rt, { endpoint: w.route.endpoint }),
      CaIndex: () => fetchCaIndex(rt, { fingerprint: CA_FINGERPRINT }),
      CertIndex: () => fetchCertIndex(rt, { lfdi: device.lfdi }),
      CompressedTree: () => fetchCompressedTree(rt, { merkleTree: w.fleet.vendorTree }),
      Config: () => fetchRegistryConfig(rt),
      Device: () => fetchDevice(rt, { deviceKey: w.deviceKey.publicKey }),
      LfdiChain: () => fetchLfdiChain(rt),
      Member: () => fetchMember(rt, { wallet: w.owner.publicKey }),
      NameRecord: () => fetchNameRecord(rt, { name: w.name }),
      Partner: () => fetchPartner(rt, { authority: w.utility.publicKey }),
      ReverseRecord: () => fetchReverseRecord(rt, { target: w.device }),
      Enrollment: () => fetchEnrollment(rt, { program: w.program, device: w.device }),
      Route: () => fetchRoute(rt, { enrollment }),
      UtilityProgram: () => fetchUtilityProgram(rt, { address: w.program }),
      DrEvent: () => fetchDrEvent(rt, { address: w.event }),
      // No hand-written fetcher: the SDK's generated decoder (`generated.payments`).
      DrReward: async () => ({
        address: drReward,
        ...generated.payments.getDrRewardDecoder().decode(Uint8Array.from(rt.getAccount(drReward)!.data)),
      }),
      Mandate: () => fetchMandate(rt, { owner: w.owner.publicKey, device: w.device }),
      Meter: () => fetchMeter(rt, { device: w.device }),
      PaymentsConfig: () => fetchPaymentsConfig(rt),
      Tariff: () => fetchTariff(rt, { address: w.tariff }),
      TariffRevision: () => fetchTariffRevision(rt, { tariff: w.tariff, revision: 1 }),
      TariffBinding: () => fetchTariffBinding(rt, { tariff: w.tariff, device: w.device }),
      UnitMarket: () => fetchUnitMarket(rt, { kind: 'kwh' }),
    };
    const failures: string[] = [];
    const notExposed: string[] = [];
    let fields = 0;
    const covered: string[] = [];
    for (const [programName, program] of Object.entries(p)) {
      for (const idlAccount of (program.rawIdl.accounts ?? []) as Any[]) {
        const typeName = idlAccount.name as string;
        const what = `${programName}.${typeName}`;
        const read = sdk[typeName];
        if (!read) {
          failures.push(`${what}: no SDK reader in this test`);
          continue;
        }
        const ours = await read();
        if (!ours?.address) {
          failures.push(`${what}: the SDK found no account`);
          continue;
        }
        // `Program` camel-cases the IDL: the coder knows `nameRecord`, not `NameRecord`.
        const coderName = (program.idl.accounts as Any[]).find((a) => key(a.name) === key(typeName)).name;
        const decoded = program.coder.accounts.decode(coderName, rt.getAccount(ours.address)!.data);
        const theirs = new Map(Object.entries(ours).map(([k, v]) => [key(k), v]));
        for (const [field, value] of Object.entries(decoded as Record<string, unknown>)) {
          if (!theirs.has(key(field))) {
            notExposed.push(`${typeName}.${field}`);
            continue;
          }
          fields += 1;
          const a = JSON.stringify(norm(value));
          const b = JSON.stringify(norm(theirs.get(key(field))));
          if (a !== b) failures.push(`${what}.${field}: Anchor ${a}, SDK ${b}`);
        }
        covered.push(what);
      }
    }
    const uniqueNotExposed = [...new Set(notExposed)].sort();
    console.log(
      `      ${covered.length} account types (${new Set(covered.map((c) => c.split('.')[1])).size} distinct) ` +
        `decoded by Anchor and the SDK: ${fields} fields equal; not in the SDK's types: ` +
        `${uniqueNotExposed.join(', ') || 'none'}`,
    );
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(uniqueNotExposed.filter((f) => !BOOKKEEPING.test(f.split('.')[1]))).to.deep.equal([]);
    expect(fields).to.be.at.least(FIELDS_FLOOR);
    const all = Object.entries(p).flatMap(([n, prog]) =>
      ((prog.rawIdl.accounts ?? []) as Any[]).map((a) => `${n}.${a.name}`),
    );
    expect(covered.sort()).to.deep.equal(all.sort());
  });
});

/**
 * The only account fields the SDK's types may leave out: layout versions, PDA bumps and
 * reserved padding (program bookkeeping, not data for clients). Any other field Anchor decodes
 * must be in the SDK's object with the same value.
 */
const BOOKKEEPING = /^(version|reserved|bump|[a-z][A-Za-z]*Bump)$/;
/** Fields compared when written (23 account types); fewer means fields went missing. */
const FIELDS_FLOOR = 202;

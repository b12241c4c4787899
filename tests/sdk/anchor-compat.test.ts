// The official Anchor client (@coral-xyz/anchor 0.31, `Program` over the committed IDLs)
// agrees with the SDK: for instructions of every program, Anchor resolves PDAs, relations and
// constant addresses from the IDL and builds the same instruction byte for byte (program id,
// account metas with signer/writable flags, data); its account decoders read the same values
// as the SDK's fetchers, and its `EventParser` finds the same events in a real transaction's
// logs. Accounts Anchor cannot derive are passed explicitly and listed per instruction.
import type * as anchorNs from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';
import { expect } from 'chai';

import { attestDemoEndpoint } from '@openvpp/testing';

import {
  HOOK_PROGRAM_ID,
  configInitInstructions,
  deviceClaimInstructions,
  findSkeletonPda,
  deviceRegisterInstructions,
  enrollmentRequestInstructions,
  fetchDevice,
  fetchMandate,
  fetchPartner,
  fetchRoute,
  fetchTariff,
  findCertIndexPda,
  findDevicePda,
  findEnrollmentPda,
  findExtraAccountMetaListPda,
  findMandatePda,
  findMemberPda,
  findPartnerPda,
  findProgramDataAddress,
  findToken2022Ata,
  findUnitMarketPda,
  findUnitMintPda,
  findUsdeAccount,
  findUsdeMintPda,
  findExportVaultPda,
  findTariffRevisionPda,
  mandateCreateInstructions,
  nameHash,
  nameRegisterInstructions,
  parsePaymentsEvents,
  parseRegistryEvents,
  parseRoutingEvents,
  partnerRegisterInstructions,
  paymentsInitInstructions,
  routeSetInstructions,
  findEndpointAttestationPda,
  unitBuyInstructions,
  usdeWrapInstructions,
  utilityProgramCreateInstructions,
} from '@openvpp/sdk/web3';

import {
  type Any,
  BN,
  EventParser,
  HOOK_IDL,
  PAYMENTS_IDL,
  REGISTRY_IDL,
  ROUTING_IDL,
  expectSame,
  fullWorld,
  only,
  programs,
} from '../utils/anchor';
import { CAPS, CA_FINGERPRINT, CERT_NOT_AFTER, fakeFingerprint, send } from '../utils/harness';
import { reading } from '../utils/payments';

const bn = (v: bigint | number) => new BN(v.toString());
const variant = (v: Record<string, unknown>) => Object.keys(v)[0];

describe('sdk: the official Anchor client agrees with the SDK', () => {
  it('the IDLs carry PDA seeds and relations', () => {
    for (const idl of [REGISTRY_IDL, ROUTING_IDL, PAYMENTS_IDL, HOOK_IDL]) {
      const accounts = idl.instructions.flatMap((i) => i.accounts as Any[]);
      expect(accounts.filter((a) => a.pda).length, idl.metadata.name).to.be.greaterThan(0);
    }
  });

  it('builds byte-identical instructions for every program, Anchor resolving PDAs, relations and addresses', async () => {
    const w = fullWorld();
    const { rt, payer } = w;
    const p = programs(rt);
    const registryId = p.registry.programId as PublicKey;
    const paymentsId = p.payments.programId as PublicKey;
    let proven = 0;
    const same = (what: string, sdk: TransactionInstruction, fromAnchor: TransactionInstruction) => {
      expectSame(what, sdk, fromAnchor);
      proven += 1;
    };

    // --- registry ---
    const authority = Keypair.generate().publicKey;
    same(
      'config_init',
      configInitInstructions({ payer, authority })[0],
      await p.registry.methods
        .configInit({ authority })
        .accounts({ deployer: payer, program: registryId, programData: findProgramDataAddress()[0], payer })
        .instruction(),
    );

    // `authority` is the config's (relation `config.authority`), but Anchor fills a signer it
    // is not given with the provider's wallet before it reads relations: signers are passed.
    const partnerAuthority = Keypair.generate().publicKey;
    same(
      'partner_register',
      only(
        partnerRegisterInstructions({
          authority: w.reg.admin.publicKey,
          partnerAuthority,
          payer,
          kind: 'vendor',
          name: 'Volt Co',
          handle: 'voltco',
        }),
        registryId,
      ),
      await p.registry.methods
        .partnerRegister({
          kind: { vendor: {} },
          name: 'Volt Co',
          handle: 'voltco',
          handleHash: Array.from(nameHash('voltco')),
        })
        .accounts({
          authority: w.reg.admin.publicKey,
          partnerAuthority,
          payer,
          skeletonRecord: findSkeletonPda({ name: 'voltco' })[0],
        })
        .instruction(),
    );

    const deviceKey = Keypair.generate().publicKey;
    const owner = Keypair.generate().publicKey;
    const fp = fakeFingerprint(77);
    same(
      'device_register',
      only(
        deviceRegisterInstructions({
          vendorAuthority: w.reg.vendor.publicKey,
          deviceKey,
          payer,
          owner,
          ownerSigns: true,
          deviceType: 'battery',
          capabilities: CAPS,
          certFingerprint: fp,
          issuerCa: CA_FINGERPRINT,
          certNotAfter: CERT_NOT_AFTER,
        }),
        registryId,
      ),
      await p.registry.methods
        .deviceRegister({
          owner,
          deviceType: { battery: {} },
          capabilities: {
            flags: CAPS.flags,
            protocols: CAPS.protocols,
            maxImportW: CAPS.maxImportW,
            maxExportW: CAPS.maxExportW,
            energyCapacityWh: bn(CAPS.energyCapacityWh),
          },
          certFingerprint: Array.from(fp),
          issuerCa: Array.from(CA_FINGERPRINT),
          certNotAfter: bn(CERT_NOT_AFTER),
        })
        // cert_index's seed is the LFDI (a hash of the fingerprint): not in the IDL, passed.
        .accounts({
          vendorAuthority: w.reg.vendor.publicKey,
          deviceKey,
          owner,
          certIndex: findCertIndexPda({ lfdi: fp })[0],
          payer,
        })
        .instruction(),
    );

    // A dotted name under the vendor's handle: Anchor leaves the optional parent record out
    // unless given, so it is passed (its seed is the hash of the name's last label), as are the
    // skeleton reservations of the name and its last label (derived from the name in the program).
    for (const name of ['meter-900', 'meter-900.acme']) {
      const sdkIx = only(
        nameRegisterInstructions({ target: w.device, authority: w.owner.publicKey, payer, name }),
        registryId,
      );
      const parent = sdkIx.keys[6].pubkey.equals(registryId) ? null : sdkIx.keys[6].pubkey;
      same(
        `name_register ${name}`,
        sdkIx,
        await p.registry.methods
          .nameRegister({ name, nameHash: Array.from(nameHash(name)) })
          .accounts({
            target: w.device,
            authority: w.owner.publicKey,
            payer,
            parentName: parent,
            skeleton: findSkeletonPda({ name })[0],
            parentSkeleton: parent === null ? null : findSkeletonPda({ name: name.split('.').pop()! })[0],
          })
          .instruction(),
      );
    }

    // `device` is seeded by its own `device_key` field: Anchor cannot derive it, passed.
    const newOwner = Keypair.generate().publicKey;
    same(
      'device_claim',
      only(deviceClaimInstructions({ deviceKey: w.deviceKey.publicKey, newOwner }), registryId),
      await p.registry.methods.deviceClaim().accounts({ device: w.device, newOwner, member: null }).instruction(),
    );

    // --- routing ---
    same(
      'program_create',
      only(
        utilityProgramCreateInstructions({
          utility: w.utilityPda,
          authority: w.utility.publicKey,
          payer,
          utilityProgramId: 8,
          kind: 'tariff',
          name: 'Time of use',
        }),
        p.routing.programId,
      ),
      await p.routing.methods
        .programCreate({ programId: 8, kind: { tariff: {} }, name: 'Time of use' })
        .accounts({ utility: w.utilityPda, authority: w.utility.publicKey, payer })
        .instruction(),
    );

    // `program` is seeded by its own fields: passed. The enrollment is derived.
    same(
      'enrollment_request',
      only(
        enrollmentRequestInstructions({
          program: w.program,
          device: w.device,
          vendor: w.vendorPda,
          requester: w.owner.publicKey,
          payer,
        }),
        p.routing.programId,
      ),
      await p.routing.methods
        .enrollmentRequest()
        .accounts({ program: w.program, device: w.device, vendor: w.vendorPda, requester: w.owner.publicKey, payer })
        .instruction(),
    );

    // The enrollment and route are derived; the signer `authority` (relation `program.authority`)
    // is passed, and the endpoint attestation (seeded by the hash of the URL).
    same(
      'route_set',
      only(routeSetInstructions(w.route), p.routing.programId),
      await p.routing.methods
        .routeSet({
          protocol: { openAdr3Vtn: {} },
          endpoint: w.route.endpoint,
          certPins: w.route.certPins.map((pin) => Array.from(pin)),
          expiresAt: bn(w.route.expiresAt),
        })
        .accounts({
          program: w.program,
          utility: w.utilityPda,
          authority: w.utility.publicKey,
          device: w.device,
          endpointAttestation: findEndpointAttestationPda({ endpoint: w.route.endpoint })[0],
          payer,
        })
        .instruction(),
    );

    // --- payments ---
    const deployer = Keypair.generate().publicKey;
    same(
      'payments_init',
      only(paymentsInitInstructions({ payer, authority, usdcMint: w.usdcMint, deployer }), paymentsId),
      await p.payments.methods
        .paymentsInit({ authority })
        .accounts({
          usdcMint: w.usdcMint,
          deployer,
          program: paymentsId,
          programData: findProgramDataAddress({ programId: paymentsId })[0],
          payer,
          usdcTokenProgram: TOKEN_PROGRAM_ID,
        })
        .instruction(),
    );

    // The USDC mint, USDE mint and vault come from the payments config (relations).
    const user = w.user.publicKey;
    same(
      'usde_wrap',
      only(usdeWrapInstructions({ user, usdcMint: w.usdcMint, amount: 5_000_000n }), paymentsId),
      await p.payments.methods
        .usdeWrap({ amount: bn(5_000_000n) })
        .accounts({
          user,
          userUsdc: getAssociatedTokenAddressSync(w.usdcMint, user, true, TOKEN_PROGRAM_ID),
          userUsde: findUsdeAccount({ owner: user }),
          usdcTokenProgram: TOKEN_PROGRAM_ID,
        })
        .instruction(),
    );

    // The mandate is derived; the signer `owner` (relation `device.owner`) is passed.
    const caps = { maxPerPeriod: 9_000_000n, periodSecs: 86_400, maxTotal: 90_000_000n };
    same(
      'mandate_create',
      only(
        mandateCreateInstructions({
          device: w.device,
          owner: w.owner.publicKey,
          utility: w.utilityPda,
          payer,
          ...caps,
        }),
        paymentsId,
      ),
      await p.payments.methods
        .mandateCreate({
          maxPerPeriod: bn(caps.maxPerPeriod),
          periodSecs: caps.periodSecs,
          maxTotal: bn(caps.maxTotal),
        })
        .accounts({ device: w.device, owner: w.owner.publicKey, utility: w.utilityPda, payer })
        .instruction(),
    );

    // The tariff is seeded by its own fields and the device by the meter's (a cycle): both
    // passed, with the token accounts, and the mandate (seeded by `device.owner`: Anchor does
    // not resolve it). The meter, the utility (relation of the tariff), USDE mint, settlement
    // authority and sysvar are resolved.
    const r = reading(1n, 1n, 1_000n);
    same(
      'meter_settle',
      only(w.settle(r), paymentsId),
      await p.payments.methods
        .meterSettle({
          revision: r.revision,
          seq: bn(r.seq),
          intervalStart: bn(r.intervalStart),
          importWh: bn(r.importWh),
          exportWh: bn(r.exportWh),
        })
        .accounts({
          device: w.device,
          tariff: w.tariff,
          revision: findTariffRevisionPda({ tariff: w.tariff, revision: r.revision })[0],
          enrollment: findEnrollmentPda({ program: w.tariffProgram, device: w.device })[0],
          ownerUsde: w.ownerUsde,
          utilityTreasury: w.treasury,
          exportVault: findExportVaultPda({ tariff: w.tariff })[0],
          mandate: findMandatePda({ owner: w.owner.publicKey, device: w.device })[0],
        })
        .instruction(),
    );

    // The market is seeded by its own `kind`: passed, with the mint and the token accounts.
    const unitMint = findUnitMintPda({ kind: 'kwh' })[0];
    same(
      'unit_buy',
      only(
        unitBuyInstructions({ user, kind: 'kwh', feed: w.feed, usdeAmount: 3_000_000n, minUnitsOut: 1n }),
        paymentsId,
      ),
      await p.payments.methods
        .unitBuy({ usdeAmount: bn(3_000_000n), minUnitsOut: bn(1n) })
        .accounts({
          market: findUnitMarketPda({ kind: 'kwh' })[0],
          feed: w.feed,
          user,
          unitMint,
          userUsde: findUsdeAccount({ owner: user }),
          userUnits: findToken2022Ata({ mint: unitMint, owner: user }),
          recipientPartner: findPartnerPda({ authority: user })[0],
          recipientMember: findMemberPda({ wallet: user })[0],
        })
        .instruction(),
    );

    // --- hook (no SDK builder: `unit_market_create` calls it) ---
    const hookIx: TransactionInstruction = await p.hook.methods
      .metaListInit()
      .accounts({ payer, mint: unitMint })
      .instruction();
    expect(hookIx.programId.toBase58()).to.equal(HOOK_PROGRAM_ID.toBase58());
    expect(hookIx.keys[2].pubkey.toBase58()).to.equal(findExtraAccountMetaListPda({ mint: unitMint })[0].toBase58());

    expect(proven).to.equal(14);
    expect(TOKEN_2022_PROGRAM_ID).to.be.instanceOf(PublicKey);
    expect(findDevicePda({ deviceKey: w.deviceKey.publicKey })[0].equals(w.device)).to.equal(true);
    expect(findMandatePda({ owner: w.owner.publicKey, device: w.device })[0]).to.be.instanceOf(PublicKey);
    expect(findEnrollmentPda({ program: w.program, device: w.device })[0]).to.be.instanceOf(PublicKey);
    expect(findUsdeMintPda()[0]).to.be.instanceOf(PublicKey);
  });

  it("Anchor's account decoders read what the SDK reads (Device, Partner, Route, Tariff, Mandate)", async () => {
    const w = fullWorld();
    const { rt } = w;
    const p = programs(rt);
    const data = async (k: PublicKey) => (await rt.getAccountInfo(k))!.data;

    // `Program` camelCases the IDL: its coder knows `device`, not the program's `Device`.
    expect(() => p.registry.coder.accounts.decode('Device', Buffer.alloc(0))).to.throw();

    const device = (await fetchDevice(rt, { deviceKey: w.deviceKey.publicKey }))!;
    const d = p.registry.coder.accounts.decode('device', await data(w.device));
    expect(d.deviceKey.toBase58()).to.equal(device.deviceKey.toBase58());
    expect(d.owner.toBase58()).to.equal(device.owner.toBase58());
    expect(d.vendor.toBase58()).to.equal(device.vendor.toBase58());
    expect(variant(d.deviceType)).to.equal(device.deviceType);
    expect(variant(d.status)).to.equal(device.status);
    expect(variant(d.suspendedBy)).to.equal(device.suspendedBy);
    expect(d.capabilities.maxImportW).to.equal(device.capabilities.maxImportW);
    expect(BigInt(d.capabilities.energyCapacityWh.toString())).to.equal(device.capabilities.energyCapacityWh);
    expect(BigInt(d.certNotAfter.toString())).to.equal(device.certNotAfter);

    const partner = (await fetchPartner(rt, { authority: w.utility.publicKey }))!;
    const pa = p.registry.coder.accounts.decode('partner', await data(w.utilityPda));
    expect(pa.name).to.equal(partner.name);
    expect(pa.handle).to.equal(partner.handle);
    expect(variant(pa.kind)).to.equal(partner.kind);
    expect(variant(pa.status)).to.equal(partner.status);
    expect(pa.authority.toBase58()).to.equal(partner.authority.toBase58());

    const enrollment = findEnrollmentPda({ program: w.program, device: w.device })[0];
    const route = (await fetchRoute(rt, { enrollment }))!;
    const ro = p.routing.coder.accounts.decode('route', await data(route.address));
    expect(variant(ro.protocol)).to.equal(route.protocol).and.to.equal('openAdr3Vtn');
    expect(ro.endpoint).to.equal(route.endpoint);
    expect(ro.version).to.equal(route.version);
    expect(BigInt(ro.expiresAt.toString())).to.equal(route.expiresAt);
    expect(ro.certPins.map((x: number[]) => Buffer.from(x).toString('hex'))).to.deep.equal(
      route.certPins.map((x) => Buffer.from(x).toString('hex')),
    );

    // Every variant name is Anchor's camel-casing of the program's (no exceptions).
    attestDemoEndpoint(rt, {
      admin: w.reg.admin,
      endpoint: w.route.endpoint,
      protocol: 'ieee2030Dot5',
      spkiSha256: w.route.certPins[0],
    });
    send(rt, routeSetInstructions({ ...w.route, protocol: 'ieee2030Dot5' }), [w.utility]);
    const ieee = (await fetchRoute(rt, { enrollment }))!;
    expect(ieee.protocol).to.equal('ieee2030Dot5');
    expect(variant(p.routing.coder.accounts.decode('route', await data(route.address)).protocol)).to.equal(
      ieee.protocol,
    );

    const tariff = (await fetchTariff(rt, { address: w.tariff }))!;
    const t = p.payments.coder.accounts.decode('tariff', await data(w.tariff));
    expect(t.tariffId).to.equal(tariff.tariffId);
    expect(t.revision).to.equal(tariff.revision);
    expect(t.intervalSecs).to.equal(tariff.intervalSecs);
    expect(t.utility.toBase58()).to.equal(tariff.utility.toBase58());
    expect(BigInt(t.effectiveFrom.toString())).to.equal(tariff.effectiveFrom);
    expect(t.exportVault.toBase58()).to.equal(tariff.exportVault.toBase58());

    const mandate = (await fetchMandate(rt, { owner: w.owner.publicKey, device: w.device }))!;
    const m = p.payments.coder.accounts.decode('mandate', await data(mandate.address));
    expect(BigInt(m.maxPerPeriod.toString())).to.equal(mandate.maxPerPeriod);
    expect(BigInt(m.maxTotal.toString())).to.equal(mandate.maxTotal);
    expect(m.periodSecs).to.equal(mandate.periodSecs);
    expect(m.owner.toBase58()).to.equal(mandate.owner.toBase58());
    expect(m.utility.toBase58()).to.equal(mandate.utility.toBase58());
  });

  it("Anchor's EventParser finds the same events as the SDK's parsers in real transaction logs", () => {
    const w = fullWorld();
    const { rt } = w;
    const p = programs(rt);
    // Names and values, normalised: the SDK's events keep the program's names (PascalCase
    // events and variants, snake_case fields), Anchor's `Program` camelCases them all.
    const key = (k: string) => k.toLowerCase().replace(/_/g, '');
    const norm = (v: unknown): unknown => {
      if (v instanceof PublicKey) return v.toBase58();
      if (BN.isBN(v)) return (v as anchorNs.BN).toString();
      if (Array.isArray(v)) return v.map(norm);
      if (v && typeof v === 'object') {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [key(k), norm(x)]));
      }
      return v;
    };
    const events = (list: { name: string; data: unknown }[]) =>
      list.map((e) => ({ name: key(e.name), data: norm(e.data) }));
    const anchorEvents = (program: Any, logs: string[]) =>
      events([...new EventParser(program.programId, program.coder).parseLogs(logs)]);
    const camel = (list: { name: string; data: unknown }[]) => {
      expect(list.length).to.be.greaterThan(0);
      return events(list);
    };

    const newDevice = Keypair.generate();
    const registered = send(
      rt,
      deviceRegisterInstructions({
        vendorAuthority: w.reg.vendor.publicKey,
        deviceKey: newDevice.publicKey,
        payer: w.payer,
        owner: w.owner.publicKey,
        deviceType: 'meter',
        capabilities: CAPS,
        certFingerprint: fakeFingerprint(31),
        issuerCa: CA_FINGERPRINT,
        certNotAfter: CERT_NOT_AFTER,
      }),
      [w.reg.vendor, newDevice],
    );
    const reg = parseRegistryEvents(registered.logs);
    expect(reg.map((e) => e.name)).to.include('DeviceRegistered');
    expect(anchorEvents(p.registry, registered.logs)).to.deep.equal(camel(reg));

    const routed = parseRoutingEvents(w.routeOutcome.logs);
    expect(routed.map((e) => e.name)).to.deep.equal(['RouteUpdated']);
    expect(anchorEvents(p.routing, w.routeOutcome.logs)).to.deep.equal(camel(routed));

    const settled = send(rt, w.settle(reading(1n, 1n, 1_000n)));
    const pay = parsePaymentsEvents(settled.logs);
    expect(pay.map((e) => e.name)).to.include('ReadingSettled');
    expect(anchorEvents(p.payments, settled.logs)).to.deep.equal(camel(pay));
  });
});

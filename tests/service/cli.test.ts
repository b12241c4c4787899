import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import {
  configInitInstructions,
  fetchNameRecord,
  fetchPartner,
  parseRegistryError,
  resolveRoute,
} from '@openvpp/sdk/web3';

import { Keypair } from '@solana/web3.js';

import { Runtime } from '@openvpp/runtime';
import { runtimeBackend } from '@openvpp/service';

import { parseDeviceCsv, parseReadingCsv } from '../../service/src/commands/csv';
import { enrollCsv } from '../../service/src/commands/enroll-csv';
import { onboardPartner } from '../../service/src/commands/onboard';
import { settleCsv } from '../../service/src/commands/settle';
import { CA_PEM, localnetAdmin } from '../utils/harness';

describe('cli: bulk enrollment from CSV', () => {
  it('reports every bad row with its line number and accepts nothing else', () => {
    const { rows, errors } = parseDeviceCsv(
      [
        'name,type,max_import_w,protocols',
        'ok-1,meter,100,openadr3',
        'Bad_Name,meter,100,openadr3',
        'ok-1,meter,100,openadr3',
        'ok-2,toaster,100,openadr3',
        'ok-3,meter,-5,openadr3',
        'ok-4,meter,100,zigbee',
      ].join('\n'),
    );
    expect(rows.map((r) => r.name)).to.deep.equal(['ok-1']);
    expect(errors).to.have.length(5);
    expect(errors[0]).to.match(/^line 3: invalid name/);
    expect(errors[1]).to.match(/^line 4: duplicate name/);
    expect(errors[2]).to.match(/^line 5: type must be/);
    expect(errors[3]).to.match(/^line 6: max_import_w/);
    expect(errors[4]).to.match(/^line 7: protocols must be/);
    expect(parseDeviceCsv('nope\n').errors).to.deep.equal(['line 1: header must be name,type,max_import_w,protocols']);
  });

  it('registers, names, enrolls and routes the fixture fleet', async () => {
    const csv = fs.readFileSync(path.join(__dirname, '..', '..', 'testing', 'fixtures', 'devices.csv'), 'utf8');
    const { rows } = parseDeviceCsv(csv);
    let progressed = 0;
    const { rt, program, results } = enrollCsv(rows, {
      endpoint: 'https://vtn.example.org/oadr3',
      onProgress: (d) => (progressed = d),
    });
    try {
      expect(progressed).to.equal(4);
      expect(results.filter((r) => !r.error).map((r) => r.name)).to.deep.equal([
        'meter-0001.acme',
        'charger-0002.acme',
        'battery-0003.acme',
      ]);
      expect(results[3].error).to.match(/OpenADR 3/);
      const named = await fetchNameRecord(rt, { name: 'charger-0002.acme' });
      const resolved = await resolveRoute(rt, {
        program,
        device: named!.target,
        now: BigInt(rt.getClock().unixTimestamp),
      });
      expect(resolved.ok && resolved.params.endpoint).to.equal('https://vtn.example.org/oadr3');
    } finally {
      rt.close();
    }
  });

  it('settles device-signed readings from CSV once each, reporting refusals by line', async () => {
    const fixture = (f: string) => fs.readFileSync(path.join(__dirname, '..', '..', 'testing', 'fixtures', f), 'utf8');
    const { rows: devices } = parseDeviceCsv(fixture('devices.csv'));
    const { rows: readings, errors } = parseReadingCsv(fixture('readings.csv'));
    expect(errors).to.deep.equal([]);
    const { rt, outcomes, paid } = await settleCsv(devices, readings, { pricePerKwh: 150_000n });
    try {
      expect(outcomes.map((o) => o.error ?? o.amount)).to.deep.equal([
        '225000',
        '375000',
        '1050000',
        'ReplayedReading',
        'unknown device',
      ]);
      expect(paid).to.equal(1_650_000n);
    } finally {
      rt.close();
    }
    expect(parseReadingCsv('device,seq,hour,import_wh\nmeter-1,0,25,-1').errors[0]).to.match(
      /line 2: seq .*hour .*import_wh/,
    );
  });

  it('onboards a partner through a backend and reports typed refusals', async () => {
    const rt = Runtime.start();
    try {
      const authority = Keypair.generate();
      const deployer = localnetAdmin();
      rt.processInstructions(
        configInitInstructions({
          payer: rt.payer.publicKey,
          authority: authority.publicKey,
          deployer: deployer.publicKey,
        }),
        [deployer],
      );
      const partner = Keypair.generate();
      const out = await onboardPartner({
        backend: runtimeBackend(rt),
        authority,
        partner,
        kind: 'vendor',
        name: 'Acme',
        caPems: [CA_PEM],
      });
      expect((await fetchPartner(rt, { authority: partner.publicKey }))?.address.toBase58()).to.equal(out.partner);
      let refused: unknown;
      try {
        await onboardPartner({
          backend: runtimeBackend(rt),
          authority: Keypair.generate(),
          partner: Keypair.generate(),
          kind: 'utility',
          name: 'X',
          caPems: [],
        });
      } catch (e) {
        refused = e;
      }
      expect(parseRegistryError(refused)?.errorName).to.equal('Unauthorized');
    } finally {
      rt.close();
    }
  });
});

import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

import { fetchNameRecord, resolveRoute } from '@openvpp/sdk';

import { enrollCsv, parseDeviceCsv } from '../../service/src/cli';

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
    const csv = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'devices.csv'), 'utf8');
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
});

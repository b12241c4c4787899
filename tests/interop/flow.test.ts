// The integration flow end to end against the real peers, as `npm run demo:interop` runs it: a
// route is refused before validation, the probe's passing report is attested on-chain, the route
// is published pinned to the attested key, and the device connects through it.
import { expect } from 'chai';

import { runInteropDemo } from '../../scripts/demo/interop';
import { requirePeer } from './peers';

describe('interop: validate -> attest -> route -> connect, one device per protocol', function () {
  this.timeout(120_000);
  before(async function () {
    await requirePeer(this, 'ocpp-rpc', 9102);
    await requirePeer(this, 'openleadr-vtn', 3443);
    await requirePeer(this, 'gridappsd-2030-5', 8443);
  });

  it('OCPP 2.0.1, OpenADR 3 and IEEE 2030.5: routed only after validation, then connected', async () => {
    const rows = await runInteropDemo();
    expect(rows.map((r) => r.protocol)).to.deep.equal(['ocpp201Csms', 'openAdr3Vtn', 'ieee2030Dot5']);
    for (const r of rows) {
      expect(r.refusedBeforeValidation, r.protocol).to.equal('EndpointNotAttested');
      const [passed, total] = r.checks.split(' ')[0].split('/').map(Number);
      expect(passed, `${r.protocol}: ${r.checks}`).to.equal(total);
    }
    expect(rows[0].connected).to.match(/^BootNotification Accepted \(ocpp2\.0\.1/);
    expect(rows[1].connected).to.match(/^GET \/programs: \d+ program\(s\), OpenADR 3\.0$/);
    expect(rows[2].connected).to.match(/^GET \/dcap: DeviceCapability, device LFDI [0-9A-F]{12}/i);
  });
});

// `openvpp probe`: validates a utility endpoint (OpenADR 3 VTN, IEEE 2030.5 server, OCPP 2.0.1
// CSMS) from this machine and prints the capability report and its hash. Exit code 0 when every
// check passed, 1 when one failed, 2 on a usage problem or a refused endpoint.
import { Command, InvalidArgumentError } from 'commander';
import fs from 'node:fs';

import type { Protocol } from '@openvpp/sdk/web3';

import { ProbeRefusedError, normalizePin, probeEndpoint, reportHash } from '../probe';
import { positiveInt, usage } from './util';

const PROTOCOLS: Record<string, Protocol> = {
  openadr: 'openAdr3Vtn',
  openAdr3Vtn: 'openAdr3Vtn',
  ieee2030_5: 'ieee2030Dot5',
  '2030.5': 'ieee2030Dot5',
  ieee2030Dot5: 'ieee2030Dot5',
  ocpp: 'ocpp201Csms',
  ocpp201Csms: 'ocpp201Csms',
};

const collect = (v: string, prev: string[] = []) => [...prev, v];
const pin = (v: string, prev: string[] = []) => {
  const p = normalizePin(v);
  if (!/^[0-9a-f]{64}$/.test(p)) throw new InvalidArgumentError('a pin is the SPKI SHA-256: 64 hex digits');
  return [...prev, p];
};

export function register(parent: Command) {
  parent
    .command('probe')
    .description(
      'validate a utility endpoint (OpenADR 3 VTN, IEEE 2030.5 server, OCPP 2.0.1 CSMS) and print its capability report and hash',
    )
    .requiredOption(
      '--protocol <p>',
      'openadr | ieee2030_5 | ocpp (or the route names openAdr3Vtn, ieee2030Dot5, ocpp201Csms)',
    )
    .requiredOption('--endpoint <url>', 'https://... (OpenADR, 2030.5) or ws[s]://... (OCPP)')
    .option('--pin <hex>', 'a route SPKI SHA-256 pin the server must match (repeatable)', pin)
    .option('--client-id <id>', 'OpenADR OAuth2 client_id; OCPP charging-station identity')
    .option(
      '--client-secret <secret>',
      'OpenADR OAuth2 client_secret; OCPP Basic password (default: OVPP_PROBE_CLIENT_SECRET, which keeps it out of shell history)',
      process.env.OVPP_PROBE_CLIENT_SECRET,
    )
    .option('--cert <file>', 'client certificate PEM (mutual TLS: 2030.5, OCPP security profile 3)')
    .option('--key <file>', 'client private key PEM')
    .option('--ca <file>', 'extra trust anchors PEM (a private CA or SERCA)')
    .option('--allow <ip>', 'IP or CIDR the probe may reach although private/loopback/link-local (repeatable)', collect)
    .option('--timeout <ms>', 'per-step connect/read deadline', positiveInt, 10_000)
    .action(
      async (opts: {
        protocol: string;
        endpoint: string;
        pin?: string[];
        clientId?: string;
        clientSecret?: string;
        cert?: string;
        key?: string;
        ca?: string;
        allow?: string[];
        timeout: number;
      }) => {
        const protocol = PROTOCOLS[opts.protocol];
        if (!protocol) return usage(`unknown --protocol ${opts.protocol}: use openadr, ieee2030_5 or ocpp`);
        if (Boolean(opts.cert) !== Boolean(opts.key)) return usage('--cert and --key go together');
        const read = (f?: string) => (f ? fs.readFileSync(f, 'utf8') : undefined);
        try {
          const report = await probeEndpoint({
            protocol,
            endpoint: opts.endpoint,
            pins: opts.pin,
            credentials:
              opts.clientId !== undefined || opts.clientSecret !== undefined
                ? { clientId: opts.clientId, clientSecret: opts.clientSecret }
                : undefined,
            clientCert: opts.cert ? { cert: read(opts.cert)!, key: read(opts.key)! } : undefined,
            ca: read(opts.ca),
            allow: opts.allow,
            timeoutMs: opts.timeout,
          });
          console.log(JSON.stringify({ hash: reportHash(report), report }, null, 2));
          if (!report.ok) process.exitCode = 1;
        } catch (e) {
          if (e instanceof ProbeRefusedError) return usage(`openvpp probe: ${e.reason}: ${e.message}`);
          throw e;
        }
      },
    );
}

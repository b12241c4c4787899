// `openvpp connect`: a device connects through its route (the SDK's connectRoute): the route is
// read on-chain (--rpc) or from a running service (--service, e.g. the embedded `openvpp serve`),
// then pinned TLS/WSS and the protocol's first exchange. Prints the result as JSON; secrets are
// taken from files or the environment rather than the command line when possible, never printed.
import { Command } from 'commander';
import { Connection, PublicKey } from '@solana/web3.js';
import fs from 'node:fs';

import {
  type AccountReader,
  type ConnectionParams,
  type ResolveFailure,
  fetchDevice,
  findDevicePda,
} from '@openvpp/sdk/web3';
import {
  type ConnectOptions,
  type ConnectResult,
  ConnectError,
  connectEndpoint,
  connectRoute,
} from '@openvpp/sdk/connect';

import { usage } from './util';

/** Where the route comes from: on-chain through a reader, or a resolver service's `/v1/resolve`. */
export type RouteSource = { reader: AccountReader } | { service: string };

/**
 * The registry device account for `device`: itself when it is a device account, else the
 * account derived from it as a device key. (A service source only tells "no route", so both are
 * tried there.)
 */
async function deviceCandidates(source: RouteSource, device: PublicKey): Promise<PublicKey[]> {
  const derived = findDevicePda({ deviceKey: device })[0];
  if ('reader' in source) {
    return (await fetchDevice(source.reader, { address: device })) ? [device] : [derived];
  }
  return [device, derived];
}

async function resolveViaService(service: string, device: PublicKey, program: PublicKey) {
  const res = await fetch(
    `${service.replace(/\/+$/, '')}/v1/resolve?device=${device.toBase58()}&program=${program.toBase58()}`,
  );
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status === 200) {
    const p = body as unknown as Omit<ConnectionParams, 'expiresAt'> & { expiresAt: string | number };
    return { ok: true as const, params: { ...p, expiresAt: BigInt(p.expiresAt) } };
  }
  return { ok: false as const, reason: String(body.error ?? `HTTP ${res.status}`) };
}

/** `openvpp connect` without the command line: resolve (on-chain or via a service) and connect. */
export async function connectDevice({
  source,
  device,
  program,
  ...opts
}: { source: RouteSource; device: PublicKey; program: PublicKey } & ConnectOptions): Promise<ConnectResult> {
  const candidates = await deviceCandidates(source, device);
  if ('reader' in source) return connectRoute({ reader: source.reader, program, device: candidates[0], ...opts });
  let reason = 'notEnrolled';
  for (const d of candidates) {
    const r = await resolveViaService(source.service, d, program);
    if (r.ok) return connectEndpoint(r.params, opts);
    reason = r.reason;
    if (reason !== 'notEnrolled') break;
  }
  throw new ConnectError('NoRoute', `device ${device.toBase58()} has no usable route: ${reason}`, {
    resolveFailure: reason as ResolveFailure,
  });
}

/** A result as JSON-safe data (bigints as strings, keys base58, pins hex). */
export function connectResultJson(r: ConnectResult) {
  const { route, ...rest } = r;
  return {
    ...rest,
    ...(route && {
      route: {
        address: route.address.toBase58(),
        version: route.version,
        expiresAt: route.expiresAt.toString(),
        certPins: route.certPins.map((p) => Buffer.from(p).toString('hex')),
      },
    }),
  };
}

const readFile = (f: string) => fs.readFileSync(f, 'utf8');
/** A secret from a file (first line) or an environment variable, else the option itself. */
const secret = (value?: string, file?: string, env?: string) =>
  file ? readFile(file).split(/\r?\n/)[0] : (value ?? (env ? process.env[env] : undefined));

export function register(parent: Command) {
  parent
    .command('connect')
    .description(
      "connect as a device through its route: pinned TLS/WSS to the utility's endpoint, then the protocol's first exchange",
    )
    .requiredOption('--device <pubkey>', 'registry device account, or the device key')
    .requiredOption('--program <pubkey>', 'routing program account')
    .option('--rpc <url>', 'read the route on-chain from this Solana RPC')
    .option(
      '--service <url>',
      'without --rpc: ask a running service for the route (e.g. `openvpp serve` on the embedded runtime)',
      'http://127.0.0.1:8787',
    )
    .option('--cert <file>', 'device client certificate PEM (IEEE 2030.5, OCPP security profile 3)')
    .option('--key <file>', 'device private key PEM')
    .option(
      '--password <password>',
      'OCPP Basic-auth password (profile 2); prefer --password-file or OPENVPP_OCPP_PASSWORD',
    )
    .option('--password-file <file>', 'file holding the OCPP password')
    .option('--client-id <id>', 'OpenADR 3 OAuth client id')
    .option(
      '--client-secret <secret>',
      'OpenADR 3 OAuth client secret; prefer --client-secret-file or OPENVPP_CLIENT_SECRET',
    )
    .option('--client-secret-file <file>', 'file holding the OAuth client secret')
    .option('--token-url <url>', 'OpenADR 3 token URL instead of discovery')
    .option('--identity <id>', 'OCPP station identity appended to the endpoint path')
    .option('--ca <file>', 'trust anchors PEM for the server chain (default: the system store)')
    .option('--no-hostname-check', 'skip the host-name check (chain and pin are still verified)')
    .option('--timeout <ms>', 'deadline for connect and first exchange', '10000')
    .action(
      async (opts: {
        device: string;
        program: string;
        rpc?: string;
        service: string;
        cert?: string;
        key?: string;
        password?: string;
        passwordFile?: string;
        clientId?: string;
        clientSecret?: string;
        clientSecretFile?: string;
        tokenUrl?: string;
        identity?: string;
        ca?: string;
        hostnameCheck: boolean;
        timeout: string;
      }) => {
        let device: PublicKey;
        let program: PublicKey;
        try {
          device = new PublicKey(opts.device);
          program = new PublicKey(opts.program);
        } catch {
          return usage('--device and --program must be public keys');
        }
        if (Boolean(opts.cert) !== Boolean(opts.key)) return usage('--cert and --key go together');
        const timeoutMs = Number(opts.timeout);
        if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) return usage('--timeout must be a positive integer');
        const source: RouteSource = opts.rpc
          ? { reader: new Connection(opts.rpc, 'confirmed') }
          : { service: opts.service };
        try {
          const result = await connectDevice({
            source,
            device,
            program,
            credentials: {
              ...(opts.cert && opts.key ? { cert: readFile(opts.cert), key: readFile(opts.key) } : {}),
              password: secret(opts.password, opts.passwordFile, 'OPENVPP_OCPP_PASSWORD'),
              clientId: opts.clientId,
              clientSecret: secret(opts.clientSecret, opts.clientSecretFile, 'OPENVPP_CLIENT_SECRET'),
            },
            ...(opts.ca ? { ca: readFile(opts.ca) } : {}),
            checkHostname: opts.hostnameCheck,
            timeoutMs,
            ...(opts.tokenUrl ? { tokenUrl: opts.tokenUrl } : {}),
            ...(opts.identity ? { identity: opts.identity } : {}),
          });
          console.log(JSON.stringify(connectResultJson(result), null, 2));
        } catch (e) {
          if (!(e instanceof ConnectError)) throw e;
          console.log(
            JSON.stringify(
              { error: e.reason, message: e.message, ...(e.resolveFailure && { resolveFailure: e.resolveFailure }) },
              null,
              2,
            ),
          );
          process.exitCode = 1;
        }
      },
    );
}

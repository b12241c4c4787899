// The API key: what a strong one is, and the `requireApiKey` hook every write route runs
// (`onRequest: app.requireApiKey`). Reads need no key.
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { HttpError } from '../errors';

declare module 'fastify' {
  interface FastifyInstance {
    /** `onRequest` hook: 401 Unauthorized unless `x-api-key` is the key the service started with. */
    requireApiKey: (req: FastifyRequest) => Promise<void>;
  }
}

/** Shortest API key the service starts with (32 characters, e.g. 16 random bytes in hex). */
export const MIN_API_KEY_LENGTH = 32;
/** Placeholders and defaults seen in docs, scripts and tests: refused whatever their length. */
const WELL_KNOWN_API_KEYS = [
  'change-me',
  'changeme',
  'change_me',
  'demo-key',
  'test-key',
  'default',
  'password',
  'secret',
  'api-key',
  'apikey',
  'openvpp',
  'example',
  'placeholder',
  'your-api-key',
];
const API_KEY_HINT = 'generate one with `openssl rand -hex 32` and pass it with --api-key or OVPP_API_KEY';

export type InsecureApiKeyReason = 'empty' | 'wellKnown' | 'tooShort' | 'lowEntropy';

/** `buildApp` / `openvpp serve` refuse to start with an empty, default or weak API key. */
export class InsecureApiKeyError extends Error {
  override readonly name = 'InsecureApiKeyError';
  constructor(
    readonly reason: InsecureApiKeyReason,
    detail: string,
  ) {
    super(`InsecureApiKey (${reason}): ${detail}; ${API_KEY_HINT}`);
  }
}

/** A fresh random API key: 32 bytes from the OS CSPRNG, hex (64 characters). */
export function generateApiKey(): string {
  return randomBytes(32).toString('hex');
}

/** Throws `InsecureApiKeyError` unless `key` is long, not a known default and not repetitive. */
export function assertStrongApiKey(key: string | undefined | null): asserts key is string {
  if (!key || key.trim() === '') {
    throw new InsecureApiKeyError('empty', 'the API key is empty, which would leave every write endpoint open');
  }
  const folded = key.trim().toLowerCase();
  if (WELL_KNOWN_API_KEYS.some((w) => folded === w || folded.includes(w))) {
    throw new InsecureApiKeyError('wellKnown', 'the API key is a default or placeholder value');
  }
  if (key.length < MIN_API_KEY_LENGTH) {
    throw new InsecureApiKeyError(
      'tooShort',
      `the API key has ${key.length} characters, at least ${MIN_API_KEY_LENGTH} are required`,
    );
  }
  if (new Set(key).size < 8) {
    throw new InsecureApiKeyError('lowEntropy', 'the API key repeats too few distinct characters');
  }
}

/** SHA-256 of a key: compared with `timingSafeEqual`, equal lengths whatever the caller sends. */
const keyDigest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/**
 * Decorates the instance with `requireApiKey` (for every route, hence `fastify-plugin`). Throws
 * `InsecureApiKeyError` for a weak `apiKey`.
 */
export const apiKeyAuth = fp<{ apiKey: string }>(
  async (app, { apiKey }) => {
    assertStrongApiKey(apiKey);
    const expected = keyDigest(apiKey);
    // Constant time: both sides are hashed to 32 bytes first, so neither the content nor the
    // length of the expected key leaks through the comparison time.
    app.decorate('requireApiKey', async function requireApiKey(req: FastifyRequest) {
      const header = req.headers['x-api-key'];
      if (typeof header !== 'string' || !timingSafeEqual(keyDigest(header), expected)) {
        throw new HttpError(
          401,
          'Unauthorized',
          'missing or wrong x-api-key: send the key this service was started with',
        );
      }
    });
  },
  { name: 'openvpp-api-key' },
);

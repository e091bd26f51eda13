import { randomBytes } from 'node:crypto';
import { ConfigError } from '../errors/config-error.js';

/** Hex digits of randomness in a unique tag: 64 bits, so 100,000 tags collide with odds of ~3·10⁻¹⁰. */
export const UNIQUE_TAG_HEX_DIGITS = 16;
/** Hex digits of the content hash kept in a content-hash tag (64 bits). */
export const CONTENT_HASH_TAG_HEX_DIGITS = 16;
/** An image tag may be at most 128 characters (OCI distribution spec). */
const MAX_TAG_LENGTH = 128;
const CONSUMER = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function checkConsumer(consumer: string, suffixLength: number): void {
  const max = MAX_TAG_LENGTH - suffixLength - 1;
  if (!CONSUMER.test(consumer) || consumer.length > max) {
    throw ConfigError.field(
      'consumer',
      `${JSON.stringify(consumer)} cannot start an image tag: use 1–${max} characters of A-Z, a-z, 0-9, \`_\`, \`.\` and \`-\`, not starting with \`.\` or \`-\` (e.g. \`gateway-e2e\`)`,
    );
  }
}

/**
 * A tag no other run will produce: `<consumer>-<16 hex digits from crypto.randomBytes>`. The seed derived
 * its tags from the clock and they repeated within seconds across parallel suites; randomness does not.
 */
export function uniqueTag(consumer: string): string {
  checkConsumer(consumer, UNIQUE_TAG_HEX_DIGITS);
  return `${consumer}-${randomBytes(UNIQUE_TAG_HEX_DIGITS / 2).toString('hex')}`;
}

/**
 * A tag that is the same whenever the build inputs are: `<consumer>-<first 16 hex digits of hash>`.
 * `hash` is a hex digest of the inputs (an `algorithm:` prefix such as `sha256:` is dropped).
 */
export function contentHashTag(consumer: string, hash: string): string {
  checkConsumer(consumer, CONTENT_HASH_TAG_HEX_DIGITS);
  const hex = hash.includes(':') ? hash.slice(hash.indexOf(':') + 1) : hash;
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length < CONTENT_HASH_TAG_HEX_DIGITS) {
    throw ConfigError.field(
      'hash',
      `${JSON.stringify(hash)} is not a content hash: give at least ${CONTENT_HASH_TAG_HEX_DIGITS} hex digits (e.g. a sha256 hex digest)`,
    );
  }
  return `${consumer}-${hex.slice(0, CONTENT_HASH_TAG_HEX_DIGITS).toLowerCase()}`;
}

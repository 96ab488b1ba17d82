/**
 * The OAuth `state` of the companion's launches. fhirclient uses its `stateKey` option as the `state`
 * parameter (and as the sessionStorage key of the launch); without it, it makes a 16-character key from
 * Math.random, below the 122 bits SMART asks for, and the extension rightly warns about it.
 * 32 random bytes from the Web Crypto API, base64url: 43 characters, 256 bits.
 */
export const STATE_BYTES = 32;

export type RandomFill = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const webCrypto: RandomFill = (bytes) => crypto.getRandomValues(bytes);

export function newStateKey(random: RandomFill = webCrypto): string {
  const bytes = random(new Uint8Array(STATE_BYTES));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RS256 signing key for id_tokens and access tokens, kept in keysDir so `/jwk` stays stable across runs. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function loadOrCreateSigningKey(keysDir: string): Promise<SigningKey> {
  const path = join(keysDir, 'jwt-signing-key.json');
  let jwk: JWK | undefined;
  if (existsSync(path)) {
    try {
      jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    } catch {
      jwk = undefined;
    }
  }
  if (!jwk?.d) {
    const pair = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    jwk = await exportJWK(pair.privateKey);
    mkdirSync(keysDir, { recursive: true });
    writeFileSync(`${path}.${process.pid}.tmp`, JSON.stringify(jwk), { mode: 0o600 });
    renameSync(`${path}.${process.pid}.tmp`, path);
  }
  const { d, p, q, dp, dq, qi, ...pub } = jwk;
  const kid = await calculateJwkThumbprint(pub);
  const privateKey = (await importJWK(jwk, 'RS256')) as CryptoKey;
  return { kid, privateKey, publicJwk: { ...pub, kid, alg: 'RS256', use: 'sig' } };
}

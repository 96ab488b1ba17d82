/**
 * TLS certificate for every sandbox hostname, generated at first start into keysDir and reused, so the
 * SPKI pin printed for Chromium (`--ignore-certificate-errors-spki-list`) stays the same between runs.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as Chromium's SPKI list wants it. */
  spkiPin: string;
}

const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000;

export function spkiPinOf(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

function usable(keyPem: string, certPem: string, hosts: string[]): boolean {
  try {
    const x = new X509Certificate(certPem);
    const fresh = new Date(x.validTo).getTime() - Date.now() > RENEW_BEFORE_MS;
    return fresh && hosts.every((h) => x.checkHost(h) === h) && x.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

export async function loadOrCreateTls(keysDir: string, hosts: string[]): Promise<TlsMaterial> {
  const keyPath = join(keysDir, 'tls-key.pem');
  const certPath = join(keysDir, 'tls-cert.pem');
  if (existsSync(keyPath) && existsSync(certPath)) {
    const key = readFileSync(keyPath, 'utf8');
    const cert = readFileSync(certPath, 'utf8');
    if (usable(key, cert, hosts)) return { key, cert, spkiPin: spkiPinOf(cert) };
  }
  const now = Date.now();
  const pems = await generate([{ name: 'commonName', value: 'SMART Launch Debugger sandbox' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now - 3600_000),
    // Chromium rejects leaf certificates valid for more than 398 days.
    notAfterDate: new Date(now + 365 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...hosts.map((h) => ({ type: 2 as const, value: h })),
          { type: 7 as const, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  mkdirSync(keysDir, { recursive: true });
  // Write-then-rename so a sandbox starting at the same time never reads a half-written file.
  const tmpKey = `${keyPath}.${process.pid}.tmp`;
  const tmpCert = `${certPath}.${process.pid}.tmp`;
  writeFileSync(tmpKey, pems.private, { mode: 0o600 });
  writeFileSync(tmpCert, pems.cert);
  renameSync(tmpKey, keyPath);
  renameSync(tmpCert, certPath);
  return { key: pems.private, cert: pems.cert, spkiPin: spkiPinOf(pems.cert) };
}

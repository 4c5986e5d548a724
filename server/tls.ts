/**
 * The room's certificate. Browsers give WebGPU and cross-origin isolation only to a secure context, so the room
 * is served over HTTPS: with the instructor's own certificate (e.g. from mkcert) when given, otherwise with a
 * self-signed one made on first start and kept in the room folder, so students accept the warning once.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface Pem {
  cert: string;
  key: string;
  /** Where it came from, in words. */
  origin: string;
}

/**
 * Loads `cert.pem` and `key.pem` from `dir`, or generates them (RSA 2048, SHA-256, valid 400 days) naming
 * `hosts` (addresses and host names the students will type) as subject alternative names.
 */
export async function roomCertificate(dir: string, hosts: readonly string[]): Promise<Pem> {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath))
    return {
      cert: readFileSync(certPath, 'utf8'),
      key: readFileSync(keyPath, 'utf8'),
      origin: `self-signed, ${certPath}`,
    };
  mkdirSync(dir, { recursive: true });
  const names = [...new Set(['localhost', '127.0.0.1', ...hosts])];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const pems = await generate([{ name: 'commonName', value: 'Inference Cost Lab room' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 400 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((host) =>
          isIP(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host },
        ),
      },
    ],
  });
  writeFileSync(certPath, pems.cert);
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  return { cert: pems.cert, key: pems.private, origin: `self-signed, made now, ${certPath}` };
}

/** The instructor's own certificate and key files. */
export const ownCertificate = (certPath: string, keyPath: string): Pem => ({
  cert: readFileSync(certPath, 'utf8'),
  key: readFileSync(keyPath, 'utf8'),
  origin: `your certificate, ${certPath}`,
});

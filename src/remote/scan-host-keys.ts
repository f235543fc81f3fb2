import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import { OpsError } from '../errors.js';
import { sshFingerprint, sshKeyType } from './fingerprint.js';

/**
 * `moneymind scan`: the host keys an SSH server offers, one connection per key algorithm (a server
 * shows one key per handshake, of the first algorithm both sides accept). The key is taken in
 * `hostVerifier`, which then refuses it, so the handshake stops there: no authentication is ever
 * attempted. It trusts nothing: what comes back is what answered on that address, to be checked on
 * the host itself (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub).
 */
export const SCAN_ALGORITHMS = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512'] as const;

export interface ScannedKey {
  /** As ssh-keygen -l names it: ED25519, ECDSA, RSA. */
  readonly type: string;
  readonly bits: number;
  /** "SHA256:…" as ssh-keygen -lf prints it. */
  readonly fingerprint: string;
  /** The key's own name, "ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa". */
  readonly keyType: string;
}

export interface ScanTarget {
  readonly host: string;
  readonly port: number;
}

/** "HOST", "HOST:PORT", "[V6]:PORT" → a target; only host names and IP addresses pass. */
export function parseScanTarget(text: string): ScanTarget {
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  const host = m?.[1] ?? (isIP(text) === 6 ? text : undefined);
  const port = m?.[2] === undefined ? 22 : Number(m[2]);
  if (!host || !(isIP(host) || isHostname(host)))
    throw new OpsError('USAGE', `not a host name or IP address: ${JSON.stringify(text.slice(0, 80))}`, { fix: 'usage: moneymind scan HOST[:PORT]' });
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OpsError('USAGE', `not a port: ${m?.[2]}`, { fix: 'a port is 1…65535' });
  return { host, port };
}

function isHostname(s: string): boolean {
  return s.length <= 253 && s.split('.').every((l) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

/** Every key the server offers, in SCAN_ALGORITHMS order (RSA once). Throws SSH_CONNECT when nothing answers. */
export async function scanHostKeys(target: ScanTarget, timeoutMs: number, tunnel?: () => Promise<Duplex>): Promise<ScannedKey[]> {
  const keys: ScannedKey[] = [];
  for (const algorithm of SCAN_ALGORITHMS) {
    // Behind a jump host every handshake gets its own forwarding channel (a stream carries one SSH session).
    const sock = tunnel ? await tunnel() : undefined;
    const blob = await offeredKey(target, algorithm, timeoutMs, sock);
    if (blob && !keys.some((k) => k.fingerprint === sshFingerprint(blob))) keys.push(describeKey(blob));
  }
  return keys;
}

/** One handshake restricted to one host key algorithm: the key, or undefined when the server has none of that kind. */
function offeredKey(target: ScanTarget, algorithm: (typeof SCAN_ALGORITHMS)[number], timeoutMs: number, sock?: Duplex): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let key: Buffer | undefined;
    let done = false;
    const finish = (err?: OpsError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      client.removeAllListeners('ready');
      client.on('error', () => {}); // late errors of a connection we are leaving
      client.end();
      sock?.destroy();
      if (err) reject(err);
      else resolve(key);
    };
    const timer = setTimeout(
      () =>
        finish(
          new OpsError('SSH_CONNECT', `no SSH handshake from ${target.host}:${target.port} within ${timeoutMs} ms`, {
            fix: 'check the address, port and firewall',
          }),
        ),
      timeoutMs,
    );
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      // The verifier's refusal (we have the key) or no common algorithm (the server has no such key).
      if (key || err.level === 'handshake' || /no matching|host key/i.test(err.message)) return finish();
      finish(
        new OpsError('SSH_CONNECT', `cannot connect to ${target.host}:${target.port}: ${err.code ?? err.message}`, {
          fix: 'check the host is up and sshd listens on that address and port',
        }),
      );
    });
    client.on('ready', () => finish()); // cannot happen (the verifier refuses), but never hang
    client.on('close', () => finish());
    client.connect({
      ...(sock ? { sock } : { host: target.host, port: target.port }),
      username: 'moneymind-scan',
      readyTimeout: timeoutMs,
      algorithms: { serverHostKey: [algorithm] },
      hostVerifier: (blob: Buffer) => {
        key = Buffer.from(blob);
        return false;
      },
    });
  });
}

/** Bits as ssh-keygen -l counts them: the curve's size, or the RSA modulus' bit length. */
function describeKey(blob: Buffer): ScannedKey {
  const keyType = sshKeyType(blob);
  const fingerprint = sshFingerprint(blob);
  if (keyType === 'ssh-ed25519') return { type: 'ED25519', bits: 256, fingerprint, keyType };
  const curve = /^ecdsa-sha2-nistp(\d+)$/.exec(keyType);
  if (curve) return { type: 'ECDSA', bits: Number(curve[1]), fingerprint, keyType };
  if (keyType === 'ssh-rsa') return { type: 'RSA', bits: rsaBits(blob), fingerprint, keyType };
  return { type: keyType.toUpperCase(), bits: 0, fingerprint, keyType };
}

/** string "ssh-rsa", mpint e, mpint n: the bit length of n (its leading zero byte is sign padding). */
function rsaBits(blob: Buffer): number {
  let off = 4 + blob.readUInt32BE(0);
  off += 4 + blob.readUInt32BE(off);
  const len = blob.readUInt32BE(off);
  let n = blob.subarray(off + 4, off + 4 + len);
  while (n.length && n[0] === 0) n = n.subarray(1);
  return n.length ? (n.length - 1) * 8 + (32 - Math.clz32(n[0] as number)) : 0;
}

import type { SshTarget } from '../config/types.js';
import { sshFingerprint, sshKeyType } from './fingerprint.js';

/** The key a host offered during the handshake, and what the pin says of it. */
export interface ReceivedHostKey {
  readonly fp: string;
  readonly type: string;
  /** `revoked`: a known_hosts @revoked line names it (line: the first such line). */
  readonly verdict: 'accepted' | 'mismatch' | 'revoked';
  readonly line?: number;
}

/**
 * Judges the host key offered in the handshake against the host's pin: the `hostKey` fingerprint,
 * or the keys its known_hosts file lists for it (any of them, unless an @revoked line names the
 * key — revocation wins). Pure; the hostVerifier accepts only `accepted`.
 */
export function knownHostsVerdict(t: Pick<SshTarget, 'hostKey' | 'knownHosts'>, keyBlob: Buffer): ReceivedHostKey {
  const fp = sshFingerprint(keyBlob);
  const type = sshKeyType(keyBlob);
  if (!t.knownHosts) return { fp, type, verdict: t.hostKey !== undefined && fp === t.hostKey ? 'accepted' : 'mismatch' };
  const offered = keyBlob.toString('base64');
  const revoked = t.knownHosts.revoked.find((k) => k.key === offered);
  if (revoked) return { fp, type, verdict: 'revoked', line: revoked.line };
  return { fp, type, verdict: t.knownHosts.keys.some((k) => k.key === offered) ? 'accepted' : 'mismatch' };
}

import { createHash } from 'node:crypto';

/** SHA256 fingerprint of a raw SSH public key blob, formatted exactly as `ssh-keygen -lf` does. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of the blob (uint32 length + "ssh-ed25519"), for error messages. */
export function sshKeyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString('ascii') : 'unknown';
}

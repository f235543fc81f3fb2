import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Secret } from '../config/secret.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Does the request carry `Authorization: Bearer TOKEN`? Compared as SHA-256 digests with
 * timingSafeEqual: equal lengths whatever was sent, and no early exit on the first wrong byte, so
 * the time of a refusal tells a caller nothing about the token.
 */
export function hasBearer(req: Pick<IncomingMessage, 'headers'>, token: Secret): boolean {
  const sent = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
  const same = timingSafeEqual(digest(sent ?? ''), digest(token.reveal()));
  return sent !== undefined && same;
}

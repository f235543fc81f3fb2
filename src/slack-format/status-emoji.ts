import type { CheckStatus } from '../checks/check-types.js';

/** A check's or a host's state in Slack: reports, restart confirmations, the hosts list. */
export const EMOJI: Record<CheckStatus, string> = { ok: '✅', warn: '⚠️', fail: '🔴', unknown: '❔' };

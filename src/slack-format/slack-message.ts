import type { KnownBlock } from './block-kit.js';

/**
 * The one shape of a Slack message the bot sends: what chat.postMessage, chat.update and
 * response_url take — Block Kit blocks and the fallback `text` (notifications, screen readers, old
 * clients). The answer builders return it, the restart flow posts and edits it, the watcher's alert
 * builder writes it into the store's outbox as JSON, and the alert sender posts it from there.
 * `blocks` is a plain array, as Bolt's arguments take it, so a message goes to Slack unchanged.
 */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

import { context, section, type KnownBlock } from '../../slack-format/block-kit.js';
import { LIMITS } from '../../slack-format/slack-limits.js';

export const ATTACHED = 'the full answer is attached as a file';

// Room kept free in every fitted message for one notice added after an upload (`withNotice`): a
// block, and its JSON (text at most twice as long once quotes are escaped, plus the object around it).
const NOTICE_TEXT = 200;
const MAX_BLOCKS = LIMITS.blocks - 1;
const MAX_JSON = LIMITS.messageJson - (2 * NOTICE_TEXT + 100);

const size = (b: KnownBlock): number => JSON.stringify(b).length;
const sum = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0);

/**
 * Keeps blocks within Slack's 50 blocks and its whole-message budget: the last `keep` (context,
 * buttons) always stay; blocks before them go from the end, and one section says how many went
 * and where (`rest`: by default, the attached file). `dropped` > 0: something was left out.
 */
export function fitBlocks(blocks: readonly KnownBlock[], keep: number, rest: string = ATTACHED): { blocks: KnownBlock[]; dropped: number } {
  const sizes = blocks.map(size);
  // The JSON of an array: two brackets and a comma between items.
  if (blocks.length <= MAX_BLOCKS && 1 + blocks.length + sum(sizes) <= MAX_JSON) return { blocks: [...blocks], dropped: 0 };
  const cut = Math.max(0, blocks.length - keep);
  const head = blocks.slice(0, cut);
  const tail = blocks.slice(cut);
  const note = (n: number): KnownBlock => section(`…and ${n} more block${n === 1 ? '' : 's'}: ${rest}`);
  let used = 1 + tail.length + sum(sizes.slice(cut)) + 1 + size(note(head.length));
  let n = 0;
  while (n < head.length && n + 1 + tail.length < MAX_BLOCKS && used + sizes[n]! + 1 <= MAX_JSON) used += sizes[n++]! + 1;
  return { blocks: [...head.slice(0, n), note(head.length - n), ...tail], dropped: head.length - n };
}

/** A fitted message plus one line said after the fact (an upload that failed), in the room `fitBlocks` kept. */
export const withNotice = (blocks: readonly KnownBlock[], text: string): KnownBlock[] => [...blocks, context(text, NOTICE_TEXT)];

/**
 * Slack's limits on what the bot sends, and where each is written down. The builders keep to them
 * by construction; test/slack/limits-conformance.test.ts checks every message kind against its own
 * copy of this table. Lengths are String.length (UTF-16 units), never fewer than Slack's characters.
 * Block Kit numbers are also in @slack/types' doc comments (node_modules/@slack/types/dist/block-kit).
 */
export const LIMITS = {
  // "You can include up to 50 blocks in each message" — https://api.slack.com/reference/block-kit/blocks
  blocks: 50,
  // SectionBlock.text: "maximum length is 3000 characters" — https://api.slack.com/reference/block-kit/blocks#section
  sectionText: 3000,
  // SectionBlock.fields: "Maximum number of items is 10 … each item is 2000 characters" (same page)
  fields: 10,
  fieldText: 2000,
  // Any text object: "maximum length is 3000 characters" — https://api.slack.com/reference/block-kit/composition-objects#text
  textObject: 3000,
  // HeaderBlock.text: plain_text, "Maximum length … 150 characters" — https://api.slack.com/reference/block-kit/blocks#header
  headerText: 150,
  // ContextBlock.elements: "Maximum number of items is 10" — https://api.slack.com/reference/block-kit/blocks#context
  contextElements: 10,
  // ActionsBlock.elements: "a maximum of 25 elements" — https://api.slack.com/reference/block-kit/blocks#actions
  actionsElements: 25,
  // Button.text 75, Button.value 2000 — https://api.slack.com/reference/block-kit/block-elements#button
  buttonText: 75,
  buttonValue: 2000,
  // action_id and block_id: "Maximum length for this field is 255 characters" (same pages)
  actionId: 255,
  blockId: 255,
  // Confirmation dialog: title 100, text 300 (plain_text), confirm and deny 30 each —
  // https://api.slack.com/reference/block-kit/composition-objects#confirm
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  // Top-level `text`: truncated above 40,000 characters; Slack long asked for under 4,000 —
  // https://api.slack.com/changelog/2018-04-truncating-really-long-messages
  fallbackText: 4000,
  // The blocks of one message together: Slack answers msg_blocks_too_long well under 50 × 3000
  // (slackapi/bolt-js#2509: "12,000 text characters with a buffer for block containers"; #2867:
  // refused at 17,694 characters of JSON, accepted at 15,561). Counted as JSON.stringify(blocks).length,
  // which over-counts, so this is on the safe side of every report.
  messageJson: 12_000,
  // A response_url takes "up to 5 times within 30 minutes" —
  // https://api.slack.com/interactivity/handling#message_responses; the bot answers a click once.
  responsesPerClick: 1,
} as const;

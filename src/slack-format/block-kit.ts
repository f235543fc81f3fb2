import type { types } from '@slack/bolt';
import { clip } from '../boundary/clip.js';
import { clipMrkdwn, wellFormed } from '../boundary/slack-escape.js';
import { LIMITS } from './slack-limits.js';

// @slack/types through Bolt's re-export (the package the app depends on): the compiler checks every block.
export type KnownBlock = types.KnownBlock;
export type SectionBlock = types.SectionBlock;
export type ContextBlock = types.ContextBlock;
export type ActionsBlock = types.ActionsBlock;
export type HeaderBlock = types.HeaderBlock;
export type Button = types.Button;
export type ConfirmationDialog = types.ConfirmationDialog;
export type MrkdwnElement = types.MrkdwnElement;
export type PlainTextElement = types.PlainTextElement;

/**
 * Small typed Block Kit pieces, each within Slack's limits however long its input. They take
 * mrkdwn the caller composed (host text already passed through `mrkdwn`/`codeBlock`) and never
 * escape it again; the clipping is the last guard, never the plan.
 */

/** verbatim: Slack does not auto-link bare URLs or #names in it; the bot's explicit <@U…> still works. */
export const md = (text: string, max: number = LIMITS.textObject): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clipMrkdwn(wellFormed(text) || ' ', max),
  verbatim: true,
});

export const plain = (text: string, max: number = LIMITS.textObject): PlainTextElement => ({
  type: 'plain_text',
  text: clip(wellFormed(text) || ' ', max),
  emoji: true,
});

export const section = (text: string): SectionBlock => ({ type: 'section', text: md(text, LIMITS.sectionText) });

export const fieldsSection = (text: string, fields: readonly string[]): SectionBlock => ({
  type: 'section',
  text: md(text, LIMITS.sectionText),
  fields: fields.slice(0, LIMITS.fields).map((f) => md(f, LIMITS.fieldText)),
});

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(text, LIMITS.headerText) });

export const context = (text: string, max: number = LIMITS.textObject): ContextBlock => ({ type: 'context', elements: [md(text, max)] });

export const actions = (buttons: readonly Button[]): ActionsBlock => ({ type: 'actions', elements: buttons.slice(0, LIMITS.actionsElements) });

/** `value` is an id or a host name the bot chose (at most 2000 characters by construction, never clipped: a cut id is a wrong one). */
export function button(actionId: string, label: string, value: string, opts: { style?: 'danger' | 'primary'; confirm?: ConfirmationDialog } = {}): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: plain(label, LIMITS.buttonText),
    value,
    ...(opts.style ? { style: opts.style } : {}),
    ...(opts.confirm ? { confirm: opts.confirm } : {}),
  };
}

/** Slack's dialog documents plain_text for every part; the full command stays in the message itself. */
export const confirmDialog = (title: string, text: string, confirm: string, deny: string): ConfirmationDialog => ({
  title: plain(title, LIMITS.confirmTitle),
  text: plain(text, LIMITS.confirmText),
  confirm: plain(confirm, LIMITS.confirmButton),
  deny: plain(deny, LIMITS.confirmButton),
});

/** The fallback `text` (notifications, screen readers, old clients): composed mrkdwn, capped. */
export const fallback = (text: string): string => clipMrkdwn(wellFormed(text) || ' ', LIMITS.fallbackText);

import { type OutboundMessage, type TemplateRef, ValidationError } from '@khaacho/core';

/** Meta's documented limits (interactive reply-buttons, list and text message pages). */
export const LIMITS = Object.freeze({
  textBody: 4096,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  buttonsBody: 1024,
  listBody: 4096,
  listButton: 20,
  listSections: 10,
  /** Across all sections together. */
  listRows: 10,
  listRowTitle: 24,
  listRowDescription: 72,
  listRowId: 200,
  listSectionTitle: 24,
  templateName: 512,
});

/** A message that breaks a documented limit: refused before anything is sent. */
export class WhatsAppPayloadError extends ValidationError {
  constructor(
    readonly violations: readonly string[],
    kind: OutboundMessage['kind'],
  ) {
    super(`${kind} message breaks WhatsApp limits: ${violations.join('; ')}`, { kind, violations });
    this.name = 'WhatsAppPayloadError';
  }
}

/*
 * Meta says "characters" without saying which. UTF-16 units are the strictest reading: an
 * emoji counts 2, every Devanagari sign 1 (all in the BMP). Counting fewer could pass a
 * payload Meta then refuses after the user waited; counting more refuses only emoji-heavy titles.
 */
const length = (s: string): number => s.length;

type Json = Record<string, unknown>;

function check(problems: string[], value: string | undefined, max: number, what: string, required = true): void {
  if (value === undefined) {
    if (required) problems.push(`${what} is required`);
    return;
  }
  if (required && value.trim() === '') problems.push(`${what} is empty`);
  else if (length(value) > max) problems.push(`${what} is ${length(value)} characters (max ${max})`);
}

function templateBody(ref: TemplateRef, problems: string[]): Json {
  if (!/^[a-z0-9_]+$/.test(ref.template) || ref.template.length > LIMITS.templateName) {
    problems.push('template name must be lowercase letters, digits and _');
  }
  if (!/^[a-z]{2,3}(_[A-Z]{2})?$/.test(ref.language))
    problems.push('template language must be a code like en or en_US');
  ref.parameters.forEach((p, i) => {
    if (p.trim() === '') problems.push(`template parameter ${i + 1} is empty`);
    // Meta refuses body parameters with new lines, tabs or more than 4 spaces in a row.
    if (/[\n\t]| {5,}/.test(p)) problems.push(`template parameter ${i + 1} has a new line, tab or 5 spaces`);
  });
  const template: Json = { name: ref.template, language: { code: ref.language } };
  if (ref.parameters.length > 0) {
    template.components = [{ type: 'body', parameters: ref.parameters.map((text) => ({ type: 'text', text })) }];
  }
  return template;
}

/** The Graph API's recipient: digits only (E.164 without "+"), so no country code is prepended. */
const recipient = (message: OutboundMessage): string => message.to.value.replace(/^\+/, '');

/** The `/messages` request body of a template. */
export function templatePayload(to: string, ref: TemplateRef): Json {
  const problems: string[] = [];
  const template = templateBody(ref, problems);
  if (problems.length > 0) throw new WhatsAppPayloadError(problems, 'template');
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'template', template };
}

/**
 * The `/messages` request body of a message, after checking every documented limit; a
 * `WhatsAppPayloadError` lists all that are broken. A fallback template is checked too,
 * so a bad one is found now rather than when the window has closed.
 */
export function graphPayload(message: OutboundMessage): Json {
  const to = recipient(message);
  const problems: string[] = [];
  // An erased party's placeholder is not a number: refused here, before any request leaves.
  if (message.to.isErased) problems.push('the recipient was erased');
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  let payload: Json;
  switch (message.kind) {
    case 'text':
      check(problems, message.text, LIMITS.textBody, 'text');
      payload = { ...base, type: 'text', text: { preview_url: false, body: message.text } };
      break;
    case 'buttons': {
      check(problems, message.body, LIMITS.buttonsBody, 'body');
      if (message.buttons.length === 0 || message.buttons.length > LIMITS.buttons) {
        problems.push(`${message.buttons.length} buttons (1 to ${LIMITS.buttons})`);
      }
      const titles = new Set<string>();
      const ids = new Set<string>();
      message.buttons.forEach((b, i) => {
        check(problems, b.title, LIMITS.buttonTitle, `button ${i + 1} title`);
        check(problems, b.id, LIMITS.buttonId, `button ${i + 1} id`);
        if (titles.has(b.title)) problems.push(`button ${i + 1} title repeats "${b.title}"`);
        if (ids.has(b.id)) problems.push(`button ${i + 1} id repeats`);
        titles.add(b.title);
        ids.add(b.id);
      });
      payload = {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: message.body },
          action: { buttons: message.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
        },
      };
      break;
    }
    case 'list': {
      check(problems, message.body, LIMITS.listBody, 'body');
      check(problems, message.button, LIMITS.listButton, 'list button');
      const rows = message.sections.flatMap((s) => s.rows);
      if (message.sections.length === 0 || message.sections.length > LIMITS.listSections) {
        problems.push(`${message.sections.length} sections (1 to ${LIMITS.listSections})`);
      }
      if (rows.length === 0 || rows.length > LIMITS.listRows) {
        problems.push(`${rows.length} rows (1 to ${LIMITS.listRows} across all sections)`);
      }
      message.sections.forEach((s, i) => {
        if (s.rows.length === 0) problems.push(`section ${i + 1} has no rows`);
        // Meta requires a title on every section once there is more than one.
        if (message.sections.length > 1 && s.title === undefined) problems.push(`section ${i + 1} needs a title`);
        check(problems, s.title, LIMITS.listSectionTitle, `section ${i + 1} title`, false);
      });
      const ids = new Set<string>();
      rows.forEach((r, i) => {
        check(problems, r.title, LIMITS.listRowTitle, `row ${i + 1} title`);
        check(problems, r.id, LIMITS.listRowId, `row ${i + 1} id`);
        check(problems, r.description, LIMITS.listRowDescription, `row ${i + 1} description`, false);
        if (ids.has(r.id)) problems.push(`row ${i + 1} id repeats`);
        ids.add(r.id);
      });
      payload = {
        ...base,
        type: 'interactive',
        interactive: {
          type: 'list',
          body: { text: message.body },
          action: {
            button: message.button,
            sections: message.sections.map((s) => ({
              ...(s.title === undefined ? {} : { title: s.title }),
              rows: s.rows.map((r) => ({
                id: r.id,
                title: r.title,
                ...(r.description === undefined ? {} : { description: r.description }),
              })),
            })),
          },
        },
      };
      break;
    }
    case 'template':
      payload = { ...base, type: 'template', template: templateBody(message, problems) };
      break;
  }
  if (message.kind !== 'template' && message.fallbackTemplate !== undefined) {
    templateBody(message.fallbackTemplate, problems);
  }
  if (problems.length > 0) throw new WhatsAppPayloadError(problems, message.kind);
  return payload;
}

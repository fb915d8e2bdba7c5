import type { ListSection, OutboundMessage, ReplyButton, TemplateRef } from '../ports/message-sender.js';
import { InvariantError } from '../shared/errors.js';
import { PhoneNumber } from '../shared/phone-number.js';

type Json<M> = M extends { readonly to: PhoneNumber } ? Omit<M, 'to'> & { readonly to: string } : never;

/** An `OutboundMessage` as stored in an event payload: the recipient as its E.164 string. */
export type OutboundMessageJSON = Json<OutboundMessage>;

export function outboundMessageToJSON(message: OutboundMessage): OutboundMessageJSON {
  // Through JSON so optional fields left undefined are dropped, as the outbox would drop them.
  return JSON.parse(JSON.stringify({ ...message, to: message.to.value })) as OutboundMessageJSON;
}

function fail(field: string): never {
  throw new InvariantError(`outbound message: ${field} is missing or mistyped`, { field });
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(o: Readonly<Record<string, unknown>>, field: string): string {
  const v = o[field];
  return typeof v === 'string' ? v : fail(field);
}

function template(o: Readonly<Record<string, unknown>>, at: string): TemplateRef {
  const parameters = o.parameters;
  if (!Array.isArray(parameters) || !parameters.every((p) => typeof p === 'string')) fail(`${at}parameters`);
  return { template: str(o, 'template'), language: str(o, 'language'), parameters };
}

function fallback(o: Readonly<Record<string, unknown>>): { fallbackTemplate?: TemplateRef } {
  const f = o.fallbackTemplate;
  if (f === undefined) return {};
  return isRecord(f) ? { fallbackTemplate: template(f, 'fallbackTemplate.') } : fail('fallbackTemplate');
}

function buttons(value: unknown): ReplyButton[] {
  if (!Array.isArray(value)) fail('buttons');
  return value.map((b) => (isRecord(b) ? { id: str(b, 'id'), title: str(b, 'title') } : fail('buttons')));
}

function sections(value: unknown): ListSection[] {
  if (!Array.isArray(value)) fail('sections');
  return value.map((s) => {
    if (!isRecord(s) || !Array.isArray(s.rows)) fail('sections');
    const rows = s.rows.map((r) => {
      if (!isRecord(r)) fail('rows');
      const description = r.description;
      if (description !== undefined && typeof description !== 'string') fail('rows.description');
      return { id: str(r, 'id'), title: str(r, 'title'), ...(description === undefined ? {} : { description }) };
    });
    const title = s.title;
    if (title !== undefined && typeof title !== 'string') fail('sections.title');
    return { ...(title === undefined ? {} : { title }), rows };
  });
}

/**
 * Back from a stored payload, every field checked: a consumer may hand the result to a
 * `MessageSender` as it is. Malformed → `InvariantError` (the job fails, not the send).
 */
export function outboundMessageFromJSON(value: unknown): OutboundMessage {
  if (!isRecord(value)) fail('message');
  const to = PhoneNumber.parse(str(value, 'to'));
  switch (value.kind) {
    case 'text':
      return { kind: 'text', to, text: str(value, 'text'), ...fallback(value) };
    case 'buttons':
      return { kind: 'buttons', to, body: str(value, 'body'), buttons: buttons(value.buttons), ...fallback(value) };
    case 'list':
      return {
        kind: 'list',
        to,
        body: str(value, 'body'),
        button: str(value, 'button'),
        sections: sections(value.sections),
        ...fallback(value),
      };
    case 'template':
      return { kind: 'template', to, ...template(value, '') };
    default:
      return fail('kind');
  }
}

// Inbound WhatsApp messages written to the webhook inbox the way app-http's webhook writes
// them: a Cloud API delivery serialised to bytes and signed with the app secret, the signature
// checked on those bytes, parsed, and each event recorded with `inboxRecordOf`.
import { randomBytes } from 'node:crypto';
import { inboxRecordOf, parseDelivery, signBody, verifySignature } from '@khaacho/adapters-whatsapp';
import type { InboxEvent, WebhookInbox } from '@khaacho/core';

export type InboundContent =
  | { readonly text: string }
  | { readonly button: { readonly id: string; readonly title: string } };

export interface DeliveredMessage {
  /** The inbox row's event id as the conversation sees it (`wa:msg:<wamid>`). */
  readonly eventId: string;
  readonly stored: InboxEvent;
}

export function webhookDeliverer(inbox: WebhookInbox, appSecret: string, phoneNumberId: string) {
  return async (from: string, content: InboundContent, contextId?: string): Promise<DeliveredMessage> => {
    const id = `wamid.${randomBytes(18).toString('base64url')}`;
    const at = new Date();
    const message: Record<string, unknown> = {
      ...(contextId === undefined ? {} : { context: { from: '9779800000000', id: contextId } }),
      from,
      id,
      timestamp: String(Math.floor(at.getTime() / 1000)),
      ...('text' in content
        ? { type: 'text', text: { body: content.text } }
        : { type: 'interactive', interactive: { type: 'button_reply', button_reply: content.button } }),
    };
    const body = Buffer.from(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '900800700600',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '9779800000000', phone_number_id: phoneNumberId },
                  contacts: [{ profile: { name: `Phone ${from}` }, wa_id: from }],
                  messages: [message],
                },
              },
            ],
          },
        ],
      }),
      'utf8',
    );
    const signature = signBody(body, appSecret);
    if (!verifySignature(body, signature, appSecret)) throw new Error('the delivery does not verify');
    const { events, skipped } = parseDelivery(JSON.parse(body.toString('utf8')));
    const [event] = events;
    if (events.length !== 1 || skipped.length > 0 || event === undefined) {
      throw new Error(`the delivery parsed to ${events.length} events, ${skipped.length} skipped`);
    }
    const { event: stored } = await inbox.record(inboxRecordOf(event, at));
    return { eventId: event.eventId, stored };
  };
}

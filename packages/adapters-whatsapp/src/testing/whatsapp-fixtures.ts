import type { OutboundMessage } from '@khaacho/core';
import { PhoneNumber } from '@khaacho/core';
import nock from 'nock';
import { type WhatsAppConfig, whatsappConfig } from '../whatsapp-config.js';

/*
 * The project's own webhook fixtures, shaped as Meta documents them: ids and timestamps are
 * strings, error codes and coordinates numbers; `contacts[]` sits beside `messages[]`
 * (absent for system messages); errors come on a message, a status or the whole change.
 */

export const BUSINESS_NUMBER_ID = '310987654321098';
export const SHOP_WA_ID = '9779812345678';
export const VENDOR_WA_ID = '9779851234567';
export const GRAPH = 'https://graph.example.test';

export type Json = Record<string, unknown>;

export function testConfig(over: Partial<WhatsAppConfig> = {}): WhatsAppConfig {
  return whatsappConfig({
    baseUrl: GRAPH,
    graphApiVersion: 'v23.0',
    phoneNumberId: BUSINESS_NUMBER_ID,
    accessToken: 'EAAtest-not-a-real-token',
    appSecret: 'app-secret-for-tests',
    verifyToken: 'khaacho-verify',
    ...over,
  });
}

export const MESSAGES_PATH = `/v23.0/${BUSINESS_NUMBER_ID}/messages`;

export function change(value: Json): Json {
  return {
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '9779800000000', phone_number_id: BUSINESS_NUMBER_ID },
      ...value,
    },
    field: 'messages',
  };
}

export function delivery(...entries: Json[][]): Json {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes, i) => ({ id: `10254${i}987654321`, changes })),
  };
}

export const contact = (waId: string, name: string): Json => ({ profile: { name }, wa_id: waId });

let serial = 0;
export function message(type: string, body: Json, over: Json = {}): Json {
  serial += 1;
  return {
    from: SHOP_WA_ID,
    id: `wamid.HBgNOTc3OTgxMjM0NTY3OBUCABIYFjNF${String(serial).padStart(6, '0')}AA==`,
    timestamp: String(1764980000 + serial),
    type,
    ...(type === 'system' || type === 'contacts' ? {} : { [type]: body }),
    ...(type === 'system' ? { system: body } : {}),
    ...over,
  };
}

/** One message from the shop, with its contact profile, as a whole delivery. */
export function inbound(type: string, body: Json, over: Json = {}): { delivery: Json; message: Json } {
  const m = message(type, body, over);
  return { delivery: delivery([change({ contacts: [contact(SHOP_WA_ID, 'Ram Kirana')], messages: [m] })]), message: m };
}

export function status(id: string, state: string, ts: number, over: Json = {}): Json {
  return { id, status: state, timestamp: String(ts), recipient_id: SHOP_WA_ID, ...over };
}

export const graphError = (code: number, message: string, details: string): Json => ({
  error: {
    message,
    type: 'OAuthException',
    code,
    error_data: { messaging_product: 'whatsapp', details },
    fbtrace_id: 'AtestTraceId123',
  },
});

export const accepted = (id: string): Json => ({
  messaging_product: 'whatsapp',
  contacts: [{ input: SHOP_WA_ID, wa_id: SHOP_WA_ID }],
  messages: [{ id }],
});

export const shop = PhoneNumber.parse(`+${SHOP_WA_ID}`);

export const text = (body: string, over: Partial<OutboundMessage> = {}): OutboundMessage =>
  ({ kind: 'text', to: shop, text: body, ...over }) as OutboundMessage;

/** The Graph API: each test sets the replies it expects; any other request is refused, never sent out. */
export function graph(): nock.Scope {
  nock.disableNetConnect();
  return nock(GRAPH);
}

export function resetGraph(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

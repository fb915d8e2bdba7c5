// WhatsApp webhook deliveries for the tests and the bench: the project's own, shaped like
// Meta's documented payloads (ids and timestamps strings, error codes numbers).
import { signBody } from '@khaacho/adapters-whatsapp';

export const WEBHOOK_SECRET = 'app-secret-for-webhook-tests';
export const WEBHOOK_VERIFY_TOKEN = 'khaacho-verify-token';
export const BUSINESS_NUMBER_ID = '310987654321098';
export const SHOP_WA_ID = '9779812345678';

type Json = Record<string, unknown>;

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

/** A delivery of `entries`, each a list of changes. */
export function delivery(...entries: Json[][]): Json {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes, i) => ({ id: `10254${i}987654321`, changes })),
  };
}

export function textMessage(id: string, body: string, from = SHOP_WA_ID): Json {
  return { from, id: `wamid.${id}`, timestamp: '1764980000', type: 'text', text: { body } };
}

/** One text from the shop, with its contact profile. */
export function textDelivery(id: string, body: string): Json {
  return delivery([
    change({ contacts: [{ profile: { name: 'Ram Kirana' }, wa_id: SHOP_WA_ID }], messages: [textMessage(id, body)] }),
  ]);
}

export function statusChange(messageId: string, status: string, timestamp: number, errors?: Json[]): Json {
  return change({
    statuses: [
      {
        id: messageId,
        status,
        timestamp: String(timestamp),
        recipient_id: SHOP_WA_ID,
        ...(errors ? { errors } : {}),
      },
    ],
  });
}

export interface SignedBody {
  readonly bytes: Buffer;
  readonly signature: string;
}

/** The body as Meta sends it: compact JSON, UTF-8, non-ASCII unescaped; signed over those bytes. */
export function signed(json: unknown, secret = WEBHOOK_SECRET): SignedBody {
  const bytes = Buffer.from(JSON.stringify(json), 'utf8');
  return { bytes, signature: signBody(bytes, secret) };
}

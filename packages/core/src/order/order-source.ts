/** Where an order came from. Its own module so the event catalog can name it without importing the aggregate. */
export type OrderSource = 'whatsapp' | 'api' | 'admin';

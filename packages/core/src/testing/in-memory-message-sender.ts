import type { MessageSender, OutboundMessage } from '../ports/message-sender.js';

/** Records what would have been sent; tests read `sent`. */
export class InMemoryMessageSender implements MessageSender {
  readonly sent: Array<OutboundMessage & { readonly providerMessageId: string }> = [];
  private failuresLeft = 0;

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('simulated provider failure');
    }
    const providerMessageId = `mem.${this.sent.length + 1}`;
    this.sent.push({ ...message, providerMessageId });
    return { providerMessageId };
  }

  /** Make the next `count` sends fail, to exercise retries. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  to(phone: string): OutboundMessage[] {
    return this.sent.filter((m) => m.to.value === phone);
  }
}

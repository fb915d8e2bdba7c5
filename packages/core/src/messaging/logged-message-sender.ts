import type { Logger } from '../ports/logger.js';
import type { MessageSender, OutboundMessage } from '../ports/message-sender.js';
import type { OutboundMessageLog } from '../ports/outbound-message-log.js';
import type { Clock } from '../shared/clock.js';

/**
 * A MessageSender that notes every message the provider accepted in the OutboundMessageLog,
 * so the webhook's status callbacks have something to advance. The message is already out
 * when the log is written: a failure to log is reported, not thrown, because a throw would
 * make the caller's job retry and send the message a second time.
 */
export class LoggedMessageSender implements MessageSender {
  constructor(
    readonly inner: MessageSender,
    private readonly log: OutboundMessageLog,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async send(message: OutboundMessage): Promise<{ readonly providerMessageId: string }> {
    const result = await this.inner.send(message);
    try {
      await this.log.record({
        providerMessageId: result.providerMessageId,
        recipient: message.to.value,
        kind: message.kind,
        sentAt: this.clock.now(),
      });
    } catch (error) {
      this.logger.error('outbound message sent but not logged', {
        kind: message.kind,
        providerMessageId: result.providerMessageId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    return result;
  }
}

import { LOGGER, type Logger, MESSAGE_SENDER, type MessageSender, type OutboundMessage } from '@khaacho/core';
import { ContainerModule } from 'inversify';
import { provide } from '../composition/bindings.js';
import { scrubPhones } from '../logging/redaction.js';

/**
 * Stands in for WhatsApp until its adapter exists: each outbound message becomes one info
 * line. The recipient is logged as `message.to`, which the pino redaction censors; a phone
 * number inside the text becomes `[phone]`.
 */
export class LoggingMessageSender implements MessageSender {
  private sent = 0;

  constructor(private readonly logger: Logger) {}

  async send(message: OutboundMessage): Promise<{ readonly providerMessageId: string }> {
    this.sent += 1;
    const providerMessageId = `log-${this.sent}`;
    this.logger.info('message sent (logged, not delivered)', {
      providerMessageId,
      message: { kind: message.kind, to: message.to.value, ...contentOf(message) },
    });
    return { providerMessageId };
  }
}

function contentOf(message: OutboundMessage): Record<string, unknown> {
  switch (message.kind) {
    case 'text':
      return { text: scrubPhones(message.text) };
    case 'buttons':
      return { text: scrubPhones(message.body), buttons: message.buttons.map((b) => b.id) };
    case 'list':
      return {
        text: scrubPhones(message.body),
        rows: message.sections.flatMap((section) => section.rows.map((row) => row.id)),
      };
    case 'template':
      return { template: message.template, language: message.language, parameterCount: message.parameters.length };
  }
}

/** `KHAACHO_MESSAGE_SENDER=log` (the default). Needs LOGGER. */
export function loggingMessageSenderModule(): ContainerModule {
  return new ContainerModule(({ bind }) => {
    provide(bind, MESSAGE_SENDER, [LOGGER], (logger) => new LoggingMessageSender(logger));
  });
}

import { randomUUID } from 'node:crypto';
import { withLogContext } from '@khaacho/app-worker';
import type { Logger } from '@khaacho/core';
import type { Middleware } from 'koa';
import { type ErrorBody, mapError, responseHeadersOf } from './error-statuses.js';

/** A client's own id is kept when it is a plausible id; anything else is replaced. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export interface RequestState {
  requestId: string;
  /** The route template once matched (`/api/v1/orders/:orderId`), for logs. */
  route?: string;
  /**
   * Set by a high-volume machine route (the WhatsApp webhook): no access line when it answers
   * below 400. Its errors are still logged, and the metrics histogram still counts it.
   */
  quietAccess?: boolean;
}

/**
 * The outermost middleware: a request id (the client's X-Request-Id, or a new UUID) on the
 * response and on every log line written while the request runs; one access line (none for a
 * quiet route's success, see `quietAccess`); and
 * every error turned into the one error shape, logged with its errorId and the request id.
 */
export function requestContext(logger: Logger): Middleware<RequestState> {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const requestId = CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    await withLogContext({ requestId }, async () => {
      try {
        await next();
      } catch (error) {
        const mapped = mapError(error);
        const errorId = randomUUID();
        const fields = {
          errorId,
          status: mapped.status,
          code: mapped.code,
          method: ctx.method,
          path: ctx.path,
          ...(ctx.state.route ? { route: ctx.state.route } : {}),
        };
        if (mapped.status >= 500) {
          logger.error('request failed', {
            ...fields,
            error:
              error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error),
          });
        } else {
          logger.info('request refused', { ...fields, message: mapped.message });
        }
        const body: ErrorBody = {
          error: {
            code: mapped.code,
            message: mapped.message,
            ...(mapped.details ? { details: mapped.details } : {}),
            errorId,
          },
        };
        ctx.status = mapped.status;
        ctx.body = body;
        for (const [name, value] of Object.entries(responseHeadersOf(error))) ctx.set(name, value);
      }
      if (ctx.state.quietAccess && ctx.status < 400) return;
      logger.info('request', {
        method: ctx.method,
        path: ctx.path,
        ...(ctx.state.route ? { route: ctx.state.route } : {}),
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HttpServer {
  readonly port: number;
  readonly url: string;
  /**
   * Stop accepting, let in-flight requests finish within `timeoutMs`, then cut what is
   * left. Resolves once the server is closed. Idempotent.
   */
  close(timeoutMs: number): Promise<void>;
}

export async function startHttpServer(
  handler: Parameters<typeof createServer>[1],
  options: { readonly port: number; readonly host: string },
): Promise<HttpServer> {
  const server: Server = createServer(handler);
  // Bounded slow clients: headers within 15 s, a whole request within 30 s.
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`,
    close(timeoutMs) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive sockets with no request in flight would hold close() open.
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

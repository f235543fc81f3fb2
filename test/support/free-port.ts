import { createServer } from 'node:net';

/**
 * Ask the kernel for a free TCP port on 127.0.0.1.
 *
 * The port is released before it is returned, so another process can grab it
 * before our server binds it. The start* helpers therefore retry with a new
 * port when a server reports "Address already in use".
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close(() => reject(new Error(`freePort: unexpected address ${String(address)}`)));
        return;
      }
      const { port } = address;
      server.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

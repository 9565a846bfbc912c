// A loopback TCP forwarder standing in for `ssh -N -L local:127.0.0.1:remote`: real sockets, another local port,
// and a switch to cut every connection (a network blip) and to refuse new ones for a while.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpTunnel {
  port: number;
  /** destroy every open connection; new ones are refused (closed at once) until `restore` */
  cut(): void;
  /** destroy every open connection; new ones are accepted but nothing passes (a black hole) until `restore` */
  stall(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTunnel(targetPort: number): Promise<TcpTunnel> {
  const open = new Set<Socket>();
  let refusing = false;
  let stalling = false;
  const held = new Set<Socket>();
  const server = createServer((client) => {
    if (refusing) return void client.destroy();
    if (stalling) {
      held.add(client);
      client.on('error', () => undefined).on('close', () => held.delete(client));
      return;
    }
    const upstream = connect(targetPort, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      refusing = true;
      for (const s of [...open]) s.destroy();
      open.clear();
    },
    stall() {
      stalling = true;
      for (const s of [...open]) s.destroy();
      open.clear();
    },
    restore() {
      refusing = false;
      stalling = false;
      for (const s of [...held]) s.destroy();
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const s of [...open, ...held]) s.destroy();
        server.close(() => ok());
      }),
  };
}

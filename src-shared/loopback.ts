/**
 * Is this host this computer itself (a loopback address or name)? One rule for the bind address, the Host header's
 * peer, and a fleet URL: 127.0.0.0/8, ::1 (bare or in brackets), an IPv4-mapped 127.x, and `localhost`.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

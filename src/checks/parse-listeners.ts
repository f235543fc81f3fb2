export interface Listener {
  readonly address: string;
  readonly port: number;
  /** From ss -p; only visible for the login user's own processes unless it is root. */
  readonly process: { readonly name: string; readonly pid: number } | null;
}

/**
 * `ss -tlnp` output. Example input:
 *   State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
 *   LISTEN 0      1024       0.0.0.0:5070       0.0.0.0:*     users:(("python3",pid=4242,fd=3))
 *   LISTEN 0      128           [::]:22            [::]:*
 */
export function parseSsListen(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] !== 'LISTEN' || cols.length < 4) continue;
    const local = cols[3] as string;
    const i = local.lastIndexOf(':');
    const port = Number(local.slice(i + 1));
    if (i < 0 || !Number.isInteger(port)) continue;
    const proc = /users:\(\("([^"]+)",pid=(\d+)/.exec(line);
    out.push({ address: local.slice(0, i), port, process: proc ? { name: proc[1] as string, pid: Number(proc[2]) } : null });
  }
  return out;
}

/**
 * `/proc/net/tcp` and `/proc/net/tcp6`, for hosts without ss. State 0A is LISTEN; addresses are
 * hex in host byte order. Example input line:
 *   0: 00000000:13CE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 12345 1 …
 */
export function parseProcNetTcp(text: string): Listener[] {
  const out: Listener[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (!/^\d+:$/.test(cols[0] ?? '') || cols[3] !== '0A') continue;
    const [addrHex, portHex] = (cols[1] ?? '').split(':');
    if (!addrHex || !portHex) continue;
    out.push({ address: decodeAddress(addrHex), port: Number.parseInt(portHex, 16), process: null });
  }
  return out;
}

function decodeAddress(hex: string): string {
  if (hex.length === 8) {
    // IPv4 in little-endian: 0100007F is 127.0.0.1.
    return [6, 4, 2, 0].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  if (/^0+$/.test(hex)) return '[::]';
  if (hex === '00000000000000000000000001000000') return '[::1]';
  return `[${hex.toLowerCase()}]`;
}

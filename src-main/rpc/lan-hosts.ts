import { hostname, networkInterfaces } from 'node:os';
import { LOOPBACK_HOSTS } from './http.js';

/**
 * The names this desk answers to (anything else in Host is refused: DNS rebinding). Loopback
 * always; with `--host 0.0.0.0`, also this PC's name and every address of its network cards,
 * so other PCs of the clinic's LAN can open it by name or address; `--lan-name` adds its DNS names.
 */
export function allowedHosts(host: string, lanNames: readonly string[]): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [...LOOPBACK_HOSTS, host, ...lanNames];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return [...LOOPBACK_HOSTS, hostname(), `${hostname()}.local`, ...addresses, ...lanNames];
}

/** Whether the desk was asked to serve other PCs: a `--host` beyond this PC's loopback. */
export function servesLan(host: string): boolean {
  return !LOOPBACK_HOSTS.includes(host.toLowerCase());
}

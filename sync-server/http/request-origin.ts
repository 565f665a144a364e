import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * Behind the reverse proxy every request comes from the proxy; KEZEK_TRUST_PROXY=1 takes the client's address from
 * X-Forwarded-For and the scheme from X-Forwarded-Proto (only set it behind a proxy that writes those headers, or
 * anyone could pick their own address).
 */
const trustProxy = () => process.env.KEZEK_TRUST_PROXY === '1';

/** The origin the browser sees. */
export function originOf(c: Context): URL {
  const url = new URL(c.req.url);
  const proto = trustProxy() ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  if (proto === 'https' || proto === 'http') url.protocol = `${proto}:`;
  return url;
}

/** The client's address, for sign-in throttles and rate limits. */
export function addressOf(c: Context): string {
  if (trustProxy()) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** A form posted from this origin (or a client that sends no Origin): pages that change things refuse any other. */
export const sameOrigin = (c: Context): boolean => {
  const origin = c.req.header('origin');
  return !origin || origin === originOf(c).origin;
};

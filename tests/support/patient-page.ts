/** A browser at the patient's page (/p): form posts from the same origin and a cookie jar the caller keeps. */

/** A browser's form post to the page (same origin), following nothing; the cookie jar is the caller's. */
export async function post(base: string, path: string, form: Record<string, string>, cookie = '') {
  const res = await fetch(`${base}/p${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams(form).toString(),
  });
  // A browser's cookie jar: what was sent, updated by what the answer sets and deletes (signing in with a code sets
  // the session and drops the code's).
  const jar = new Map(cookie ? cookie.split('; ').map((c) => [c.split('=')[0]!, c] as const) : []);
  for (const c of res.headers.getSetCookie().map((x) => x.split(';')[0]!)) {
    if (c.endsWith('=')) jar.delete(c.slice(0, -1));
    else jar.set(c.split('=')[0]!, c);
  }
  return { status: res.status, text: await res.text(), location: res.headers.get('location'), cookie: [...jar.values()].join('; '), headers: res.headers };
}
export const get = async (base: string, path: string, cookie: string) => {
  const res = await fetch(`${base}/p${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
};

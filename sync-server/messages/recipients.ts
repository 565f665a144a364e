/**
 * A phone as registered, in E.164 for the gateway, or null when it cannot be one. Registrars type numbers as the
 * patient says them: «0555 123 456» and «555123456» in Kyrgyzstan (+996), «8 701 …» in Kazakhstan and Russia (+7).
 */
export function e164(phone: string, country: 'KG' | 'KZ' | 'RU'): string | null {
  const d = phone.replace(/\D/g, '');
  if (country === 'KG') {
    if (d.length === 12 && d.startsWith('996')) return `+${d}`;
    if (d.length === 10 && d.startsWith('0')) return `+996${d.slice(1)}`;
    if (d.length === 9) return `+996${d}`;
    return null;
  }
  if (d.length === 11 && (d.startsWith('7') || d.startsWith('8'))) return `+7${d.slice(1)}`;
  if (d.length === 10) return `+7${d}`;
  return null;
}

/** What the desk's card shows of where a message went: enough to recognise it, not to copy it. */
export function masked(to: string): string {
  const at = to.indexOf('@');
  if (at > 0) return `${to[0]}•••${to.slice(at)}`;
  return `${to.slice(0, 4)}•••••${to.slice(-3)}`;
}

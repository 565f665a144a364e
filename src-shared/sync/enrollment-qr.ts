/**
 * What the enrollment QR carries: the server's address and the one-time code, in one line a desk's
 * barcode scanner types as keystrokes (issue 12: the first-run wizard takes it like typed input).
 */
const PREFIX = 'KEZEK-ENROLL ';

export const enrollmentQr = (serverUrl: string, code: string): string => `${PREFIX}${serverUrl} ${code}`;

export function parseEnrollmentQr(text: string): { serverUrl: string; code: string } | null {
  if (!text.startsWith(PREFIX)) return null;
  const [serverUrl, code] = text.slice(PREFIX.length).trim().split(/\s+/);
  if (!serverUrl || !code || !/^https?:\/\/\S+$/.test(serverUrl)) return null;
  return { serverUrl, code };
}

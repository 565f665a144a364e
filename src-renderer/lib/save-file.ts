/** Hand a file made by the desk (an export) to the browser's or Electron's download, under its own name. */
export function saveFile(f: { fileName: string; mimeType: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: f.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy by now; the object URL would otherwise live as long as the page.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

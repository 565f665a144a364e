/**
 * Content-Security-Policy of the desk UI: only our own scripts; barcodes are data: images. Its own
 * module: the Electron shell sends it without loading the HTTP transport (and its web framework).
 */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

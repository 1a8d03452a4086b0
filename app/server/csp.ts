/**
 * The renderer's Content Security Policy, the same in browser mode and Electron: only our own scripts and
 * styles, images from our own media route (and data: for placeholders), sockets only back to us.
 * Inline styles stay allowed because the virtualized grid positions cells with style attributes.
 */
export function contentSecurityPolicy(connectSrc: string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

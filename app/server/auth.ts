import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'shoebox_token';

/** A fresh random token per `serve` run: 192 bits, URL-safe. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/**
 * [Note: serve authentication] Browser mode listens on loopback only, but any web page the user visits can
 * make requests to 127.0.0.1, and a DNS-rebinding page can even read the answers. So every request and socket
 * must carry the per-run token (as the cookie set by the first `?token=` visit, an `Authorization: Bearer`
 * header, or the query parameter), and its Host must be our loopback address — a rebinding page's Host is its
 * own domain. Sockets must also come from our own origin.
 */
export function isAuthorized(req: IncomingMessage, token: string): boolean {
  const offered = bearer(req) ?? cookie(req, TOKEN_COOKIE) ?? queryToken(req);
  return offered !== undefined && sameSecret(offered, token);
}

export function isLoopbackHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** A WebSocket's Origin must be the page we served (browsers always send it on sockets). */
export function isOwnOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function queryToken(req: IncomingMessage): string | undefined {
  return new URL(req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

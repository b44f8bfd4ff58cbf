import type { Request, Response } from 'express';
import type { SignInOptions } from '#identity';

/** The session cookie's name. */
export const SESSION_COOKIE = 'rk_session';

/** The header a cookie-authenticated request that changes something must carry, equal to the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** The session secret from the request's `Cookie` header, if one is there (the last one wins, as browsers send one). */
export function sessionSecretOf(request: Request): string | undefined {
  const header = request.header('cookie');
  if (!header) return undefined;
  let secret: string | undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) secret = part.slice(eq + 1).trim();
  }
  return secret && /^[A-Za-z0-9_-]{1,128}$/.test(secret) ? secret : undefined;
}

/**
 * HttpOnly (page scripts cannot read it), SameSite=Strict (other sites' pages do not send it), Secure unless
 * SESSION_COOKIE_SECURE=false, whole-site Path. No Max-Age: the server ends sessions; the browser drops the cookie
 * when it closes.
 */
export function setSessionCookie(response: Response, secret: string, options: SignInOptions): void {
  response.append('Set-Cookie', `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict${options.cookieSecure ? '; Secure' : ''}`);
}

export function clearSessionCookie(response: Response, options: SignInOptions): void {
  response.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict${options.cookieSecure ? '; Secure' : ''}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
  );
}

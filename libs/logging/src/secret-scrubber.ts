/**
 * The last line of defence before a log line is written: masks whatever looks like a secret the product issues
 * or handles, wherever it stands (a field, a message, an error's stack). Works on the serialised JSON line, so
 * every replacement keeps it valid JSON: masked spans never include quotes or backslashes.
 */

export const MASK = '[REDACTED]';

// Characters a secret may run over: none that ends a JSON string or starts an escape.
const VALUE = String.raw`[^\s"'\\&,;<>(){}\[\]]+`;

// Generic shapes first (a header value, `key=value`, a URL's credentials and query), then the product's own
// formats wherever else they stand; a masked span is not matched again.
const PATTERNS: Array<[RegExp, string]> = [
  // Authorization header values, whatever the token looks like (a bad one is a secret too: maybe a typo of a good one).
  [new RegExp(String.raw`\b(Bearer|Basic)(\s+)${VALUE}`, 'gi'), `$1$2${MASK}`],
  // `password=…`, `"token": "…"`, `secret: …` in free text or in a JSON text quoted inside a message.
  [
    new RegExp(String.raw`\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|cookie)(\\?["']?\s*[:=]\s*\\?["']?)${VALUE}`, 'gi'),
    `$1$2${MASK}`,
  ],
  // Credentials in a URL: `scheme://user:password@host` (a database URL, a webhook with basic auth).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\]+@/gi, `$1${MASK}@`],
  // Query strings of URLs: robot webhooks (WeCom `?key=`, DingTalk `?access_token=`) carry their secret there.
  [/\b(https?:\/\/[^\s?#"'\\]*)\?[^\s#"'\\]*/gi, `$1?${MASK}`],
  // API tokens: `rk_` + 43 base64url characters (libs/identity/src/api-token.ts).
  [/\brk_[A-Za-z0-9_-]{16,}/g, `rk_${MASK}`],
  // Webhook signing secrets: `whsec_` + 64 hex digits (libs/events/src/webhooks.service.ts).
  [/\bwhsec_[A-Za-z0-9_-]+/g, `whsec_${MASK}`],
];

/** Masks known secret formats and the given literal values (e.g. a configured bootstrap token) in `text`. */
export function scrubSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let scrubbed = text;
  for (const secret of knownSecrets) {
    if (secret.length < 8) continue;
    // As written, and as it reads inside a JSON string (quotes and backslashes escaped).
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join(MASK);
    }
  }
  for (const [pattern, replacement] of PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
  return scrubbed;
}

/** A URL fit for a log line: no user, password or query string (robot keys live there). */
export function urlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    const credentials = parsed.username || parsed.password ? `${MASK}@` : '';
    const query = parsed.search ? `?${MASK}` : '';
    return `${parsed.protocol}//${credentials}${parsed.host}${parsed.pathname}${query}`;
  } catch {
    return scrubSecrets(url);
  }
}

import { nameKey } from '#domain';

export const USERNAME_MAX_LENGTH = 64;

/** Usernames are compared case-folded, as other names are (see nameKey): `Wang.Fang` and `wang.fang` are one. */
export function usernameKey(username: string): string {
  return nameKey(username);
}

/**
 * A username made from a person's name when none is given: case-folded, every run of characters that are neither
 * letters nor digits (spaces, brackets, dots) becomes one dot. `Li Wei (inspector)` → `li.wei.inspector`,
 * `王芳` → `王芳`. Callers make it unique (see withSuffix).
 */
export function usernameFromName(name: string): string {
  const base = nameKey(name)
    .replace(/[^\p{L}\p{N}]+/gu, '.')
    .replace(/^\.+|\.+$/g, '');
  return [...(base || 'user')].slice(0, USERNAME_MAX_LENGTH - 4).join('');
}

/** The n-th candidate for a taken username: `li.wei`, `li.wei.2`, `li.wei.3` … */
export function withSuffix(base: string, n: number): string {
  return n <= 1 ? base : `${base}.${n}`;
}

/** The first of `base`, `base.2`, `base.3` … that `taken` says is free. */
export async function firstFreeUsername(base: string, taken: (key: string) => Promise<boolean>): Promise<string> {
  for (let n = 1; ; n += 1) {
    const candidate = withSuffix(base, n);
    if (!(await taken(usernameKey(candidate)))) return candidate;
  }
}

/**
 * Hides the credentials of a URL-like setting, even a malformed one (`redis//:pw@host` has no
 * scheme for a parser to find): everything between the scheme and the last `@` becomes `***`.
 */
export function redactUrl(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = value.indexOf('://');
  const keep = scheme >= 0 && scheme < at ? scheme + 3 : 0;
  return `${value.slice(0, keep)}***${value.slice(at)}`;
}

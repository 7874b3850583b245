/** Characters that end or confuse an HTML `<script>` element or a JavaScript string, as JSON escapes. */
const UNSAFE: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/**
 * Makes serialized JSON safe to put inside `<script type="application/ld+json">`: `</script>` or
 * `<!--` in a quoted statement can no longer end the element, and U+2028/2029 no longer break a
 * JavaScript string. These characters only ever occur inside JSON strings, where `\u003c` means
 * the same as `<`, so the value a JSON parser reads is unchanged.
 *
 * @example
 *   embeddableJson(JSON.stringify({ q: '</script>' })); // '{"q":"\u003c/script\u003e"}'
 */
export function embeddableJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => UNSAFE[c] ?? c);
}

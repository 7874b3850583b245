import { expect, it } from 'vitest';
import { embeddableJson } from './embeddable-json.ts';

it('escapes <, >, & and the JavaScript line separators, and parses back to the same value', () => {
  const value = { quote: 'He said </script><script>alert(1)</script> & <!-- left \u2028 \u2029', n: 1 };
  const text = embeddableJson(JSON.stringify(value));
  expect(text).not.toMatch(/[<>&\u2028\u2029]/);
  expect(text).toContain('\\u003c/script\\u003e');
  expect(text).toContain('\\u0026');
  expect(text).toContain('\\u2028');
  expect(JSON.parse(text)).toEqual(value);
});

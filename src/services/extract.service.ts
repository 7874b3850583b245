/**
 * Proposing facts from an article without recording anything (docs/extraction-format.md): the
 * text of a file or a web page, its readable text when it is HTML, and the extractors' facts,
 * each with its span and confidence.
 */
import fs from 'node:fs';
import { VigilError } from '../domain/errors.ts';
import { checkTarget, fetchWithLimits, headerOf } from '../evidence/capture-fetch.ts';
import { extract } from '../extract/extract.ts';
import { htmlToText } from '../extract/html.ts';
import type { Extraction } from '../extract/types.ts';

export type { Extraction } from '../extract/types.ts';

/** Limits of extracting from a URL: one page of news, not a download. */
const URL_LIMITS = { timeoutMs: 20_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5, userAgent: 'Vigil/0.1 (+extract)' };
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The title and readable text of an HTML page (Readability over jsdom). */
export function articleText(html: string, url?: string): { title: string | null; text: string } {
  return htmlToText(html, url);
}

export interface ExtractOptions {
  /** Let a URL reach loopback and private networks (the operator's own machine, tests). */
  allowPrivate?: boolean;
  timeoutMs?: number;
}

/** The proposed facts of an article: a plain text or HTML file, or an http(s) address. */
export async function extractArticle(input: string, opts: ExtractOptions = {}): Promise<Extraction> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    const { text, title, url } = await readUrl(input, opts);
    return { source: { kind: 'url', location: url, title }, ...extract(text) };
  }
  if (!fs.existsSync(input)) throw new VigilError('validation.invalid', `no such file: ${input}`, { path: 'file' });
  const st = fs.statSync(input);
  if (!st.isFile()) throw new VigilError('validation.invalid', `not a file: ${input}`, { path: 'file' });
  if (st.size > MAX_FILE_BYTES)
    throw new VigilError('validation.invalid', `${input} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`, {
      path: 'file',
    });
  const raw = fs.readFileSync(input);
  if (raw.includes(0)) throw new VigilError('validation.invalid', `${input} is not a text file`, { path: 'file' });
  let text = raw.toString('utf8');
  let title: string | null = null;
  if (/\.x?html?$/i.test(input) || /^\s*(?:<!doctype html|<html)/i.test(text)) ({ text, title } = htmlToText(text));
  return { source: { kind: 'file', location: input, title }, ...extract(text) };
}

async function readUrl(
  raw: string,
  opts: ExtractOptions,
): Promise<{ text: string; title: string | null; url: string }> {
  // Checked first: a refused address then fails at once, before the fetch arms its time limit.
  checkTarget(raw, opts.allowPrivate ?? false);
  const res = await fetchWithLimits(raw, {
    ...URL_LIMITS,
    timeoutMs: opts.timeoutMs ?? URL_LIMITS.timeoutMs,
    allowPrivate: opts.allowPrivate ?? false,
  });
  try {
    if (res.status >= 400)
      throw new VigilError('capture.http_error', `${res.url} answered ${res.status} ${res.statusText}`, {
        path: 'url',
      });
    const chunks: Uint8Array[] = [];
    for await (const c of res.body) chunks.push(c);
    const body = Buffer.concat(chunks);
    const type = headerOf(res.headers, 'content-type') ?? '';
    const charset = /charset=([\w-]+)/i.exec(type)?.[1] ?? 'utf-8';
    let decoded: string;
    try {
      decoded = new TextDecoder(charset).decode(body);
    } catch {
      decoded = new TextDecoder('utf-8').decode(body);
    }
    if (/text\/plain/i.test(type)) return { text: decoded, title: null, url: res.url };
    if (!/html|xml/i.test(type) && !/^\s*</.test(decoded))
      throw new VigilError('validation.invalid', `${res.url} is ${type || 'not text'}, not a web page or text`, {
        path: 'url',
      });
    const { text, title } = htmlToText(decoded, res.url);
    return { text, title, url: res.url };
  } finally {
    res.close();
  }
}

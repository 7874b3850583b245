/**
 * The readable text of an HTML page, one way for every reader: Mozilla Readability over jsdom,
 * paragraphs separated by blank lines where the page's blocks were. Extraction (`vigil extract`,
 * the review queue) and web capture both take a page's text from here, so one page gives the same
 * text, and the same spans, through either. Evidence imports this file; extract never imports
 * evidence.
 */
import { createRequire } from 'node:module';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

const require = createRequire(import.meta.url);
const version = (pkg: string): string => (require(`${pkg}/package.json`) as { version: string }).version;

/** The extractor as named in an item's `tool`, e.g. `readability 0.6.0 (jsdom 27.4.0)`. */
export const READABLE_TOOL = `readability ${version('@mozilla/readability')} (jsdom ${version('jsdom')})`;

/** The readable text of a page and what the page says about itself. */
export interface ReadableText {
  /** Paragraphs separated by blank lines. */
  text: string;
  title: string | null;
  byline: string | null;
  excerpt: string | null;
  siteName: string | null;
  lang: string | null;
  publishedTime: string | null;
  /** `article`: Readability found the article; `body`: it found none and the whole body text was taken. */
  method: 'article' | 'body';
}

const BLOCK = new Set([
  'ADDRESS',
  'ARTICLE',
  'ASIDE',
  'BLOCKQUOTE',
  'DD',
  'DIV',
  'DL',
  'DT',
  'FIGCAPTION',
  'FIGURE',
  'FOOTER',
  'FORM',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'HEADER',
  'HR',
  'LI',
  'MAIN',
  'NAV',
  'OL',
  'P',
  'PRE',
  'SECTION',
  'TABLE',
  'TR',
  'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME']);

/** Text of a node with paragraph breaks where the blocks were (textContent runs paragraphs together). */
function textOf(root: Node): string {
  const parts: string[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      parts.push((node.nodeValue ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (node.nodeType === 9 || node.nodeType === 11) {
      for (const child of Array.from(node.childNodes)) walk(child);
      return;
    }
    if (node.nodeType !== 1) return;
    const tag = (node as Element).tagName.toUpperCase();
    if (SKIP.has(tag)) return;
    if (tag === 'BR') {
      parts.push('\n');
      return;
    }
    const block = BLOCK.has(tag);
    if (block) parts.push('\n\n');
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) parts.push('\n\n');
  };
  walk(root);
  return parts
    .join('')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Extracts the readable text of an HTML document with Readability, from the bytes as received:
 * jsdom decodes them by the declared charset, a `<meta charset>` or a byte-order mark. Scripts do
 * not run and nothing is loaded. When Readability finds no article, the body's text is taken.
 */
export function readableText(html: Uint8Array | string, url?: string, contentType = 'text/html'): ReadableText {
  const input = typeof html === 'string' ? html : Buffer.from(html.buffer, html.byteOffset, html.byteLength);
  const dom = new JSDOM(input, {
    ...(url === undefined ? {} : { url }),
    contentType: contentType.toLowerCase().startsWith('application/xhtml')
      ? contentType
      : `text/html${charsetOf(contentType)}`,
    virtualConsole: new VirtualConsole(),
  });
  try {
    const doc = dom.window.document;
    const pageTitle = doc.title.trim() || null;
    const lang = doc.documentElement.getAttribute('lang');
    const fallback = textOf(doc.body ?? doc.documentElement);
    const article = new Readability(doc).parse();
    const nonEmpty = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
    if (article?.content) {
      const fragment = JSDOM.fragment(article.content);
      const text = textOf(fragment);
      if (text) {
        return {
          text,
          title: nonEmpty(article.title) ?? pageTitle,
          byline: nonEmpty(article.byline),
          excerpt: nonEmpty(article.excerpt),
          siteName: nonEmpty(article.siteName),
          lang: nonEmpty(article.lang) ?? lang,
          publishedTime: nonEmpty(article.publishedTime),
          method: 'article',
        };
      }
    }
    return {
      text: fallback,
      title: pageTitle,
      byline: null,
      excerpt: null,
      siteName: null,
      lang,
      publishedTime: null,
      method: 'body',
    };
  } finally {
    dom.window.close();
  }
}

/** The title and readable text of an HTML document, the text led by the title (once) for the extractors. */
export function htmlToText(html: string, url?: string): { title: string | null; text: string } {
  const { title, text } = readableText(html, url);
  return { title, text: title && !text.startsWith(title) ? `${title}\n\n${text}` : text };
}

function charsetOf(contentType: string): string {
  const m = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType);
  if (!m) return '';
  try {
    // A label the decoder does not know is dropped: jsdom then sniffs <meta charset> and the BOM.
    new TextDecoder(m[1]);
    return `; charset=${m[1]}`;
  } catch {
    return '';
  }
}

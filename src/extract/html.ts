/** Readable text of an HTML page (Mozilla Readability over jsdom), paragraphs separated by blank lines. */
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';

/** The title and main text of an HTML document; falls back to the body text when Readability finds no article. */
export function htmlToText(html: string, url?: string): { title: string | null; text: string } {
  // No scripts, no sub-resources, no console noise: the page is only parsed.
  const dom = new JSDOM(html, { url, virtualConsole: new VirtualConsole() });
  const doc = dom.window.document;
  const article = new Readability(doc).parse();
  let text: string;
  if (article?.content) {
    const inner = new JSDOM(article.content, { virtualConsole: new VirtualConsole() }).window.document;
    text = blocksText(inner.body);
  } else text = blocksText(doc.body);
  const title = article?.title?.trim() || doc.title?.trim() || null;
  dom.window.close();
  return { title, text: title && !text.startsWith(title) ? `${title}\n\n${text}` : text };
}

const BLOCK = new Set([
  'P',
  'DIV',
  'LI',
  'H1',
  'H2',
  'H3',
  'H4',
  'H5',
  'H6',
  'BLOCKQUOTE',
  'TR',
  'SECTION',
  'ARTICLE',
  'PRE',
  'FIGCAPTION',
]);

function blocksText(root: Element | null): string {
  if (!root) return '';
  const parts: string[] = [];
  let line = '';
  const walk = (n: Node) => {
    if (n.nodeType === 3) line += n.textContent ?? '';
    else if (n.nodeType === 1) {
      const el = n as Element;
      if (el.tagName === 'SCRIPT' || el.tagName === 'STYLE' || el.tagName === 'NOSCRIPT') return;
      const block = BLOCK.has(el.tagName);
      if (block && line.trim()) {
        parts.push(line);
        line = '';
      }
      if (el.tagName === 'BR') line += '\n';
      for (const c of Array.from(el.childNodes)) walk(c);
      if (block && line.trim()) {
        parts.push(line);
        line = '';
      }
    }
  };
  walk(root);
  if (line.trim()) parts.push(line);
  return parts
    .map((p) =>
      p
        .replace(/[ \t\u00a0]+/g, ' ')
        .replace(/\s*\n\s*/g, '\n')
        .trim(),
    )
    .filter(Boolean)
    .join('\n\n');
}

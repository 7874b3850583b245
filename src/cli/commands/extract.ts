import { extractArticle, type ExtractOptions, type Extraction } from '../../services/extract.service.ts';

/** `vigil extract FILE|URL`: the proposed facts of an article (plain text, HTML file or web page). */
export function extractCommand(input: string, opts: ExtractOptions = {}): Promise<Extraction> {
  return extractArticle(input, opts);
}

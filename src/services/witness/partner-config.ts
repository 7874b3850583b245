/**
 * Which partner instances witness this one, and the witness token each gave us:
 *
 *   VIGIL_WITNESS_PARTNERS='https://partner-a.example|vgl_…,https://partner-b.example/vigil|vgl_…'
 *
 * or, to keep the tokens out of the environment, VIGIL_WITNESS_PARTNERS_FILE naming a file (mode
 * 0600) with one `URL|TOKEN` a line (`#` starts a comment). Both may be set; a URL given twice
 * is refused. A URL is the partner's base address (where its `/api/v1` lives), http or https.
 */
import fs from 'node:fs';
import { VigilError } from '../../domain/errors.ts';

/** A partner instance: its base URL (no trailing slash) and the witness token it gave us. */
export interface PartnerConfig {
  readonly url: string;
  readonly token: string;
}

const TOKEN_RE = /^vgl_[A-Za-z0-9_-]{43}$/;

/** A partner's base URL in the one form used to name it and to match `--witness URL`; throws `config.invalid` at `where`. */
export function partnerBaseUrl(text: string, where: string): string {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new VigilError('config.invalid', 'is not a URL (expected e.g. https://partner.example)', { path: where });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:')
    throw new VigilError('config.invalid', 'must be an http or https URL', { path: where });
  if (u.username || u.password || u.search || u.hash)
    throw new VigilError('config.invalid', 'must be a base URL without credentials, query or fragment', {
      path: where,
    });
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

function parseEntries(text: string, source: string): PartnerConfig[] {
  const entries = text
    .split(/[\n,]/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
  return entries.map((entry, i) => {
    const where = `${source}.${i}`;
    const bar = entry.lastIndexOf('|');
    if (bar < 0)
      throw new VigilError(
        'config.invalid',
        'must be URL|TOKEN (the witness token the partner made for this instance)',
        { path: where },
      );
    const token = entry.slice(bar + 1).trim();
    // The token itself is never repeated in a message.
    if (!TOKEN_RE.test(token))
      throw new VigilError('config.invalid', 'the token after | is not a Vigil API token (vgl_ and 43 characters)', {
        path: `${where}.token`,
      });
    return { url: partnerBaseUrl(entry.slice(0, bar), `${where}.url`), token };
  });
}

/** The configured partners (none when neither variable is set). Throws `config.invalid` with the entry's path on a bad one. */
export function partnersFromEnv(env: NodeJS.ProcessEnv = process.env): PartnerConfig[] {
  const partners: PartnerConfig[] = [];
  if (env.VIGIL_WITNESS_PARTNERS?.trim())
    partners.push(...parseEntries(env.VIGIL_WITNESS_PARTNERS, 'VIGIL_WITNESS_PARTNERS'));
  const file = env.VIGIL_WITNESS_PARTNERS_FILE?.trim();
  if (file) {
    let text: string;
    try {
      if ((fs.statSync(file).mode & 0o077) !== 0) {
        throw new VigilError(
          'config.invalid',
          `${file} holds tokens and is readable by other users; run: chmod 600 ${file}`,
          { path: 'VIGIL_WITNESS_PARTNERS_FILE' },
        );
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if (err instanceof VigilError) throw err;
      throw new VigilError('config.invalid', `cannot read ${file}: ${(err as Error).message}`, {
        path: 'VIGIL_WITNESS_PARTNERS_FILE',
      });
    }
    partners.push(...parseEntries(text, 'VIGIL_WITNESS_PARTNERS_FILE'));
  }
  const seen = new Set<string>();
  for (const p of partners) {
    if (seen.has(p.url))
      throw new VigilError('config.invalid', `${p.url} is configured twice`, { path: 'VIGIL_WITNESS_PARTNERS' });
    seen.add(p.url);
  }
  return partners;
}

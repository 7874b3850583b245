import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Extraction } from '../../src/extract/types.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';

const ARTICLE = [
  'Kazakhstan: The Ministry of Internal Affairs denies existence of torture cells',
  'The Ministry of Internal Affairs of Kazakhstan stated that the rumors about the existence of a torture facility in the pre-trial detention center LA-155/18 in Almaty are not true.',
  'So, at the end of January, Nurdilda Oraz, adviser to the minister, said at a briefing that 7 pre-trial investigations had been launched on 27 reports of torture under Article 146 of the Criminal Code.',
].join('\n');

/** Runs the CLI without blocking this process, so the test's HTTP server can answer it. */
function runAsync(cli: CliEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = cli.spawn(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

// `vigil extract` needs no database: the environment only keeps the CLI from touching the user's data directory.
describe('vigil extract', () => {
  let cli: CliEnv;
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    cli = cliEnv({ dialect: 'sqlite', file: path.join(os.tmpdir(), `vigil-extract-${process.pid}.db`) });
    server = http.createServer((req, res) => {
      if (req.url === '/article') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          `<html><head><title>MIA denies torture cells</title></head><body><nav>Menu</nav><article><h1>MIA denies torture cells</h1>${ARTICLE.split(
            '\n',
          )
            .map((p) => `<p>${p}</p>`)
            .join('')}</article></body></html>`,
        );
      } else {
        res.writeHead(404);
        res.end('no');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    cli.cleanup();
    await new Promise((r) => server.close(r));
  });

  it('prints the proposed facts of a text file as JSON, with spans into the file', () => {
    const file = path.join(cli.dir, 'article.txt');
    fs.writeFileSync(file, ARTICLE);
    const r = cli.run(['extract', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Extraction & { source: { kind: string } };
    expect(out.source.kind).toBe('file');
    Extraction.parse(out);
    expect(out.facilities).toMatchObject([{ kind: 'pretrial_detention', code: 'LA-155/18', city: 'Almaty' }]);
    expect(out.legal_refs).toMatchObject([{ code: 'criminal_code', article: '146', part: null }]);
    expect(out.people).toMatchObject([{ name: 'Nurdilda Oraz', role: 'adviser to the minister' }]);
    const f = out.facilities[0]!;
    expect(ARTICLE.slice(f.span.start, f.span.end)).toBe(f.text);
    expect(out.reported_figures.map((x) => [x.stage, x.value, x.speaker])).toEqual([
      ['investigations', 7, 'Nurdilda Oraz'],
      ['reports', 27, 'Nurdilda Oraz'],
    ]);
  });

  it('reads the article text of a web page', async () => {
    const r = await runAsync(cli, ['extract', `${base}/article`, '--allow-private']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Extraction & { source: { kind: string; title: string } };
    expect(out.source).toMatchObject({ kind: 'url', title: 'MIA denies torture cells' });
    expect(out.facilities).toMatchObject([{ code: 'LA-155/18' }]);
  });

  it('fails with exit 2 and one line for a missing file, a refused address and an HTTP error', async () => {
    const cases = [
      ['extract', path.join(cli.dir, 'nope.txt')],
      ['extract', 'http://127.0.0.1:1/x'],
      ['extract', `${base}/missing`, '--allow-private'],
      ['extract', 'ftp://example.org/a'],
    ];
    const results = await Promise.all(cases.map((args) => runAsync(cli, args)));
    for (const [i, args] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
  }, 120_000);
});

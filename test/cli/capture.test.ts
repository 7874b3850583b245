import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startCaptureSite, type CaptureSite } from '../support/capture-site.ts';
import { cliEnv, type CliEnv } from '../support/cli.ts';
import { describeEachDialect, freshDatabaseConfig, type FreshDatabase } from '../support/databases.ts';

/** Runs the CLI without blocking this process: the test web site must keep answering meanwhile. */
function run(cli: CliEnv, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = cli.spawn(args);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += String(d)));
    child.stderr!.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describeEachDialect('vigil capture', (dialect) => {
  let site: CaptureSite;
  let db: FreshDatabase;
  let cli: CliEnv;
  beforeAll(async () => {
    site = await startCaptureSite();
  });
  afterAll(async () => site.close());
  beforeEach(async () => {
    db = await freshDatabaseConfig(dialect);
    cli = cliEnv(db.config);
  });
  afterEach(async () => {
    cli.cleanup();
    await db.drop();
  });

  // Three runs of the CLI, each a new Node process: slow on a busy machine.
  it('captures a page and prints the source and the stored items; bad input exits 2 with one line', {
    timeout: 180_000,
  }, async () => {
    const r = await run(cli, [
      'capture',
      site.url('/old'),
      '--no-browser',
      '--purpose',
      'preserve the report',
      '--kind',
      'news_article',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^capture: ${site.url('/article')} \\(HTTP 200, 2 redirects from ${site.url('/old')}\\) at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`,
      ),
    );
    expect(lines[1]).toMatch(/^source [\w-]+: Semi-basement cells at LA-155\/18/);
    expect(lines.slice(2, 5).map((l) => l.split('\t').slice(1, 4).join(' '))).toEqual([
      'body original text/html',
      'headers original application/json',
      'readable working text/plain',
    ]);
    expect(lines[5]).toMatch(/^screenshot: missing \(disabled/);

    const bad = await run(cli, ['capture', 'file:///etc/passwd']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toBe('error: url: file: addresses cannot be captured, only http: and https:\n');
    const slow = await run(cli, ['capture', site.url('/slow'), '--timeout', '0.3', '--no-browser']);
    expect(slow.code).toBe(2);
    expect(slow.stderr.trim().split('\n').at(-1)).toMatch(/^error: url: the capture did not finish within 0\.3 s$/);
  });
});

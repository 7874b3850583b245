import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { VigilError } from '../domain/errors.ts';
import { USER_ROLES } from '../domain/vocabularies-people.ts';
import { SOURCE_KINDS } from '../domain/vocabularies-sources.ts';
import type { CaptureCommandOptions } from './commands/capture.ts';
import { registerReview } from './commands/review.ts';

// Each command loads what it needs when it runs (`await import()` in its action): the store, the
// services and their libraries cost seconds, and `vigil --help` or `vigil user list` needs few of them.

/** The store, the keys and the services of a command that opens the database. */
const runtime = () => import('./runtime.ts');

/** Exit codes: 0 done, 1 verification found a break (or a witness push failed), 2 bad input or usage (or a witness asked for could not be checked). */
const EXIT_BAD_INPUT = 2;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

/** `--timeout 12.5` → 12.5 seconds. */
function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600)
    throw new InvalidArgumentError('must be a number of seconds between 0 and 3600');
  return n;
}

/** `--max-bytes 1000000`. */
function byteCount(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive whole number of bytes');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0–65535');
  return n;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

const program = new Command()
  .name('vigil')
  .description(
    'Vigil: document torture and ill-treatment in places of detention, preserve the evidence, follow what the authorities did.',
  )
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

program
  .command('serve')
  .description('run the web server and API (http://localhost:3000 by default)')
  .addOption(new Option('-p, --port <port>', 'port to listen on').env('PORT').default(3000).argParser(port))
  .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
  .option('--demo', 'load the LA-155/18 demo case first (idempotent)')
  .action(async (opts: { port: number; host: string; demo?: boolean }) => {
    // Loaded on demand: the other commands start faster without the HTTP stack.
    const { serveCommand } = await import('./commands/serve.ts');
    await serveCommand(opts);
  });

program
  .command('demo')
  .description('load the LA-155/18 demo case into the current database (twice = once)')
  .action(async () => {
    const [{ withServices }, { loadDemo }] = await Promise.all([runtime(), import('./commands/demo.ts')]);
    const s = await withServices(loadDemo, { create: true });
    out(`demo: ${s.created} records added, ${s.existing} already present`);
  });

program
  .command('import')
  .description('import records from JSON Lines or CSV (see docs/import-format.md); bad lines go to a rejects file')
  .argument('<file>', 'a .jsonl or .csv file')
  .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['jsonl', 'csv']))
  .option(
    '--rejects <file>',
    'where to write rejected lines (default: NAME.rejects.jsonl or NAME.rejects.csv beside the file)',
  )
  .option('--batch <n>', 'lines per transaction', positiveInt, 500)
  .action(async (file: string, opts: { format?: string; rejects?: string; batch: number }) => {
    const [{ withServices }, { importCommand }] = await Promise.all([runtime(), import('./commands/import.ts')]);
    const s = await withServices((svc) => importCommand(svc, file, opts), { create: true });
    out(`import: ${s.lines} lines, ${s.created} records added, ${s.existing} already present, ${s.rejected} rejected`);
    if (s.unkeyed > 0)
      out(`${s.unkeyed} records came from lines without an externalId: importing this file again will add them again`);
    if (s.rejectsFile) out(`rejected lines written to ${s.rejectsFile}`);
    if (s.rejected > 0) process.exitCode = EXIT_BAD_INPUT;
  });

program
  .command('export')
  .description('export records as JSON Lines or CSV, streamed (stdout unless --out); re-imports to the same records')
  .option('-o, --out <file>', 'write to this file (.jsonl or .csv)')
  .addOption(
    new Option('--format <format>', 'jsonl or csv (default: from --out, else jsonl)').choices(['jsonl', 'csv']),
  )
  .option('--type <types...>', 'only these record types (e.g. allegation statement)')
  .option('--facility <id>', 'only records of this facility (id or external id)')
  .option('--since <date>', 'only records changed on or after this date (YYYY-MM-DD)')
  .action(async (opts) => {
    const [{ withServices }, { exportCommand }] = await Promise.all([runtime(), import('./commands/export.ts')]);
    const n = await withServices((svc) => exportCommand(svc, opts));
    if (opts.out) out(`export: ${n} records written to ${opts.out}`);
  });

program
  .command('verify')
  .description(
    'recompute the audit hash chain and the state hash of every record, re-hash every evidence file, and compare with the last checkpoint',
  )
  .option(
    '--checkpoint <file>',
    'where the chain head is kept between runs (default: VIGIL_CHECKPOINT_FILE or audit-checkpoint.json in the data directory); keep a copy off this machine',
  )
  .option('--no-checkpoint', 'neither compare with nor write a checkpoint')
  .option(
    '--witness <url-or-file>',
    'also compare with the heads a witness holds: a partner URL (token from VIGIL_WITNESS_PARTNERS) or a witness file; repeatable',
    (v: string, all: string[]) => [...all, v],
    [] as string[],
  )
  .action(async (opts: { checkpoint: string | boolean; witness: string[] }) => {
    const [{ checkpointFileFromEnv, withServices }, { describeVerify, verifyCommand }] = await Promise.all([
      runtime(),
      import('./commands/verify.ts'),
    ]);
    const checkpointFile =
      opts.checkpoint === false
        ? null
        : typeof opts.checkpoint === 'string'
          ? path.resolve(opts.checkpoint)
          : checkpointFileFromEnv();
    // The key is checked (a restored database without its key must not verify as ok), but nothing is upgraded: verify only reads.
    const outcome = await withServices((svc) => verifyCommand(svc, { checkpointFile, witnesses: opts.witness }), {
      upgrade: false,
    });
    const r = describeVerify(outcome);
    for (const l of r.lines) out(l);
    if (outcome.saved) {
      const { file, checkpoint } = outcome.saved;
      process.stderr.write(
        `checkpoint: entry ${checkpoint.seq}, hash ${checkpoint.hash.slice(0, 16)}… saved to ${file} (keep a copy off this machine)\n`,
      );
    }
    if (r.broken) process.exitCode = 1;
    else if (outcome.witnesses?.some((w) => w.status === 'unchecked')) process.exitCode = EXIT_BAD_INPUT;
  });

program
  .command('history')
  .description(
    "show a record's history from the audit log: who changed what from what to what, when, why (an allegation's with its parts, team, proceedings, evidence and people)",
  )
  .argument('<id>', 'record id (an allegation also by external id)')
  .addOption(new Option('--lang <lang>', 'language of the labels').choices(['en', 'ru']).default('en'))
  .action(async (id: string, opts: { lang: 'en' | 'ru' }) => {
    const [{ consoleActor, withServices }, { describeHistoryEntry, historyCommand }] = await Promise.all([
      runtime(),
      import('./commands/history.ts'),
    ]);
    const entries = await withServices((svc) => historyCommand(svc, consoleActor(), id), { key: false });
    for (const e of entries) for (const l of describeHistoryEntry(e, opts.lang)) out(l);
  });

program
  .command('backup')
  .description(
    'write one archive while Vigil runs: a consistent copy of the database, every evidence file, a manifest of SHA-256s and the signed head; never the keys (see docs/backup.md)',
  )
  .argument('<file>', 'the archive to create (never overwritten)')
  .action(async (file: string) => {
    const [{ withServices }, { backupCommand }] = await Promise.all([runtime(), import('./commands/backup.ts')]);
    for (const l of await withServices((svc) => backupCommand(svc, file), { key: false })) out(l);
  });

program
  .command('restore')
  .description(
    'fill an empty data directory (and, on PostgreSQL, an empty database) from a backup archive, checking every file; the key files may be put back first (see docs/backup.md)',
  )
  .argument('<file>', 'the archive vigil backup wrote')
  .action(async (file: string) => {
    const { restoreCommand } = await import('./commands/restore.ts');
    for (const l of await restoreCommand(file)) out(l);
  });

program
  .command('bundle')
  .description(
    'write a signed evidence bundle of an allegation: files, manifest, custody log, audit entries (see docs/bundles.md)',
  )
  .requiredOption('--allegation <id>', 'allegation id or external id')
  .requiredOption('-o, --out <file>', 'the .zip file to write (never overwritten)')
  .addOption(
    new Option('--audience <audience>', 'court: originals; partner or public: working copies only, free text left out')
      .choices(['court', 'partner', 'public'])
      .default('court'),
  )
  .option('--purpose <text>', "why the bundle is made (recorded in each file's custody log)")
  .option('--recipient <text>', 'who receives it (default: the audience)')
  .action(
    async (opts: {
      allegation: string;
      out: string;
      audience: 'court' | 'partner' | 'public';
      purpose?: string;
      recipient?: string;
    }) => {
      const [{ withServices }, { bundleCommand, describeBundle }] = await Promise.all([
        runtime(),
        import('./commands/bundle.ts'),
      ]);
      const r = await withServices((svc) => bundleCommand(svc, opts));
      for (const l of describeBundle(r)) out(l);
    },
  );

program
  .command('verify-bundle')
  .description(
    'check an evidence bundle offline (no database, no network): every hash, the signature, the audit entries',
  )
  .argument('<file>', 'the bundle .zip')
  .option('--key <key>', "the instance's public key to expect (PEM, base64 or a file; see vigil key show)")
  .option(
    '--tsa-cert <file>',
    "check the files' RFC 3161 timestamp tokens against this TSA certificate or its CA (PEM)",
  )
  .action(async (file: string, opts: { key?: string; tsaCert?: string }) => {
    const { verifyBundleCommand } = await import('./commands/verify-bundle.ts');
    process.exitCode = await verifyBundleCommand(file, opts, (t) => process.stdout.write(t));
  });

program
  .command('timestamp')
  .description(
    "ask the TSA (VIGIL_TSA_URL) for the RFC 3161 tokens still missing: evidence filed while it was down, and the audit chain's current head",
  )
  .action(async () => {
    const [{ withServices }, { describeStampRound, timestampCommand }] = await Promise.all([
      runtime(),
      import('./commands/timestamp.ts'),
    ]);
    const r = describeStampRound(await withServices(timestampCommand, { upgrade: false }));
    for (const l of r.lines) out(l);
    if (r.incomplete) process.exitCode = 1;
  });

const key = program
  .command('key')
  .description("the instance's keys: the signing key (bundles) and the identity key (sealed identities)");
key
  .command('show')
  .description(
    "print the public key that verifies this instance's bundles and its fingerprint, and the identity key's fingerprint",
  )
  .addOption(
    new Option('--format <format>', 'only one form, for scripts').choices([
      'pem',
      'base64',
      'fingerprint',
      'identity-fingerprint',
    ]),
  )
  .action(async (opts: { format?: 'pem' | 'base64' | 'fingerprint' | 'identity-fingerprint' }) => {
    const [{ requireDataDir }, { keyShowCommand }] = await Promise.all([runtime(), import('./commands/key.ts')]);
    requireDataDir();
    process.stdout.write(keyShowCommand(opts.format ?? 'all'));
  });
key
  .command('rotate')
  .description(
    're-seal every identity and TOTP secret under a new identity key in audited batches (run again to resume after a crash), then retire the old key; stop the server first (see docs/keys.md)',
  )
  .option('--batch <n>', 'people per transaction', positiveInt, 500)
  .option(
    '--keep-old',
    'keep the old key as vigil.key.retired-<fingerprint> (mode 0600): backups taken before the rotation need it',
  )
  .action(async (opts: { batch: number; keepOld?: boolean }) => {
    const { describeRotation, keyRotateCommand } = await import('./commands/key-rotate.ts');
    const { openInstanceStore } = await runtime();
    const { databaseConfigFromEnv } = await import('../services/instance.service.ts');
    const store = await openInstanceStore(databaseConfigFromEnv());
    try {
      for (const l of describeRotation(await keyRotateCommand(store, opts))) out(l);
    } finally {
      await store.close();
    }
  });

program
  .command('extract')
  .description(
    'propose facts from an article (text or HTML file, or http(s) URL) as JSON, each with its span and confidence (docs/extraction-format.md)',
  )
  .argument('<file-or-url>', 'a .txt/.html file or an http(s) address')
  .option('--allow-private', 'let a URL reach loopback and private networks')
  .action(async (input: string, opts: { allowPrivate?: boolean }) => {
    const { extractCommand } = await import('./commands/extract.ts');
    out(JSON.stringify(await extractCommand(input, opts), null, 2));
  });

program
  .command('capture')
  .description(
    'preserve a web page: body as received, headers, readable text, screenshot and PDF (with Chromium), as a new source',
  )
  .argument('<url>', 'an http or https address')
  .option('--allegation <id>', 'file the captured items under this allegation')
  .option('--purpose <text>', 'why the page is captured, for the custody log')
  .addOption(
    new Option('--kind <kind>', 'kind of the new source (default: other)').choices(SOURCE_KINDS.map((k) => k.id)),
  )
  .option('--timeout <seconds>', 'time limit of the fetch (default 30)', seconds)
  .option('--max-bytes <n>', 'largest response body accepted (default 52428800)', byteCount)
  .option('--no-browser', 'no screenshot or PDF, even when Chromium is installed')
  .action(async (url: string, opts: CaptureCommandOptions) => {
    const [{ withServices }, { captureCommand, describeCapture }] = await Promise.all([
      runtime(),
      import('./commands/capture.ts'),
    ]);
    const c = await withServices((svc) => captureCommand(svc, url, opts));
    for (const line of describeCapture(c)) out(line);
  });

const evidence = program
  .command('evidence')
  .description('preserve files as evidence: file, show and retrieve them, each action in the custody log');
evidence
  .command('add')
  .description(
    'file a file under an allegation: stored once by SHA-256, hashed as it is read; prints the id and the hash',
  )
  .argument('<file>', 'the file, kept byte for byte as it is')
  .requiredOption('--allegation <id>', 'allegation id or external id')
  .option('--source <id>', 'the source it came from (id or external id)')
  .option('--purpose <text>', 'why it is filed, for the custody log')
  .action(async (file: string, opts: { allegation: string; source?: string; purpose?: string }) => {
    const [{ withServices }, { evidenceAddCommand, describeFiled }] = await Promise.all([
      runtime(),
      import('./commands/evidence.ts'),
    ]);
    for (const l of describeFiled(await withServices((svc) => evidenceAddCommand(svc, file, opts)))) out(l);
  });
evidence
  .command('show')
  .description("an evidence item's metadata and its custody log")
  .argument('<id>', 'evidence item id or external id')
  .action(async (id: string) => {
    const [{ withServices }, { evidenceShowCommand }] = await Promise.all([
      runtime(),
      import('./commands/evidence.ts'),
    ]);
    for (const l of await withServices((svc) => evidenceShowCommand(svc, id))) out(l);
  });
evidence
  .command('get')
  .description(
    'write the stored bytes to a file (never overwritten), checking their hash; the download is logged with its purpose',
  )
  .argument('<id>', 'evidence item id or external id')
  .requiredOption('-o, --out <file>', 'the file to write')
  .requiredOption('--purpose <text>', 'why the file is taken out, for the custody log')
  .action(async (id: string, opts: { out: string; purpose: string }) => {
    const [{ withServices }, { evidenceGetCommand }] = await Promise.all([runtime(), import('./commands/evidence.ts')]);
    const r = await withServices((svc) => evidenceGetCommand(svc, id, opts));
    out(`${r.out}\t${r.sha256}\t${r.size} bytes`);
  });

await registerReview(program);

const witness = program
  .command('witness')
  .description(
    'witnesses of the audit chain: a witness file and partner instances keep its signed heads (docs/witnesses.md)',
  );
witness
  .command('push')
  .description(
    'send the current signed head to every configured witness now, one line per witness; exit 1 if one failed or refused it (it stays queued)',
  )
  .action(async () => {
    const [{ withServices }, { witnessPushCommand }] = await Promise.all([runtime(), import('./commands/witness.ts')]);
    if (!(await withServices((svc) => witnessPushCommand(svc, out), { upgrade: false }))) process.exitCode = 1;
  });
witness
  .command('status')
  .description(
    'each configured witness: the last head delivered and when, what is pending, attempts, the last error; and the heads held here for partners',
  )
  .action(async () => {
    const [{ withServices }, { witnessStatusCommand }] = await Promise.all([
      runtime(),
      import('./commands/witness.ts'),
    ]);
    for (const l of await withServices((svc) => witnessStatusCommand(svc), { upgrade: false })) out(l);
  });

const user = program.command('user').description('manage the people who sign in');
user
  .command('add')
  .description('add a user')
  .argument('<username>')
  .addOption(new Option('--role <role>', 'role').choices(USER_ROLES.map((r) => r.id)).makeOptionMandatory())
  .option('--name <display name>', 'display name')
  .addOption(
    new Option('--password-env <var>', 'read the password from this environment variable').default('VIGIL_PASSWORD'),
  )
  .action(async (username: string, opts: { role: string; name?: string; passwordEnv: string }) => {
    const [{ consoleActor, withServices }, { addUser }] = await Promise.all([
      runtime(),
      import('../services/user.service.ts'),
    ]);
    const password = process.env[opts.passwordEnv] || undefined;
    const u = await withServices(
      (svc) => addUser(svc, consoleActor(), { username, role: opts.role, displayName: opts.name, password }),
      { create: true },
    );
    out(
      `user ${u.username} added as ${u.role}${password ? '' : ` (invited: no password yet; set one with ${opts.passwordEnv}=… vigil user passwd ${u.username})`}`,
    );
  });
user
  .command('passwd')
  .description("set a user's password (an invited user can then sign in); their open sessions end")
  .argument('<username>')
  .addOption(
    new Option('--password-env <var>', 'read the password from this environment variable').default('VIGIL_PASSWORD'),
  )
  .action(async (username: string, opts: { passwordEnv: string }) => {
    const password = process.env[opts.passwordEnv];
    if (!password)
      throw new VigilError('validation.invalid', `set the new password in ${opts.passwordEnv}`, {
        path: opts.passwordEnv,
      });
    const [{ consoleActor, withServices }, { setPassword }] = await Promise.all([
      runtime(),
      import('../services/user.service.ts'),
    ]);
    const r = await withServices((svc) => setPassword(svc, consoleActor(), username, { password }));
    out(`user ${r.user.username}: password set, ${r.sessionsEnded} open session(s) ended`);
  });
user
  .command('list')
  .description('list users')
  .action(async () => {
    const [{ withServices }, { listUsers }] = await Promise.all([runtime(), import('../services/user.service.ts')]);
    const users = await withServices(listUsers);
    for (const u of users)
      out(
        `${u.username}\t${u.role}\t${u.disabled ? 'disabled' : u.invited ? 'invited' : 'active'}\t${u.displayName ?? ''}`,
      );
    if (users.length === 0) out('no users yet: vigil user add NAME --role admin');
  });
user
  .command('disable')
  .description('disable a user (kept for the audit trail)')
  .argument('<username>')
  .option('--reason <text>', 'why')
  .action(async (username: string, opts: { reason?: string }) => {
    const [{ consoleActor, withServices }, { disableUser }] = await Promise.all([
      runtime(),
      import('../services/user.service.ts'),
    ]);
    const u = await withServices((svc) => disableUser(svc, consoleActor(), username, opts.reason));
    out(`user ${u.username} disabled`);
  });
user
  .command('revoke-sessions')
  .description('end every session of a user (and, with --tokens, their API tokens)')
  .argument('<username>')
  .option('--tokens', 'also revoke their API tokens')
  .option('--reason <text>', 'why')
  .action(async (username: string, opts: { tokens?: boolean; reason?: string }) => {
    const [{ consoleActor, withServices }, { revokeUserSessions }] = await Promise.all([
      runtime(),
      import('../services/auth.service.ts'),
    ]);
    const r = await withServices((svc) =>
      revokeUserSessions(svc, consoleActor(), username, {
        tokens: opts.tokens === true,
        ...(opts.reason ? { reason: opts.reason } : {}),
      }),
    );
    out(
      `${username}: ${r.sessions} session(s) ended${opts.tokens ? `, ${r.tokens} API token(s) revoked` : '; API tokens left valid (add --tokens to revoke them)'}`,
    );
  });
user
  .command('reset-2fa')
  .description(
    "switch off a user's second factor (lost phone) and end their sessions; they sign in with the password and set it up again",
  )
  .argument('<username>')
  .option('--reason <text>', 'why')
  .action(async (username: string, opts: { reason?: string }) => {
    const [{ consoleActor, withServices }, { resetSecondFactor }] = await Promise.all([
      runtime(),
      import('../services/second-factor.service.ts'),
    ]);
    const r = await withServices((svc) => resetSecondFactor(svc, consoleActor(), username, opts.reason));
    out(
      r.reset
        ? `${username}: second factor reset, ${r.sessionsEnded} session(s) ended`
        : `${username} had no second factor; nothing changed`,
    );
  });
user
  .command('require-2fa')
  .description('set the roles whose users must sign in with a second factor (no roles: show the current ones)')
  .argument('[roles...]', USER_ROLES.map((r) => r.id).join(', '))
  .option('--none', 'require it of no role')
  .option('--reason <text>', 'why')
  .action(async (roles: string[], opts: { none?: boolean; reason?: string }) => {
    const [{ consoleActor, withServices }, { secondFactorPolicy, setSecondFactorPolicy }] = await Promise.all([
      runtime(),
      import('../services/second-factor.service.ts'),
    ]);
    const policy = await withServices((svc) =>
      roles.length === 0 && !opts.none
        ? secondFactorPolicy(svc)
        : setSecondFactorPolicy(svc, consoleActor(), { roles: opts.none ? [] : roles }, opts.reason),
    );
    out(
      policy.roles.length > 0
        ? `second factor required for: ${policy.roles.join(', ')}`
        : 'second factor required for no role',
    );
  });

/** One readable line on stderr and the exit code; never a stack trace for expected errors. */
function fail(err: unknown): void {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
      process.exitCode = 0;
      return;
    }
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  if (err instanceof VigilError) {
    // Key problems print their code: an operator (or a script) must tell a missing key from a wrong one.
    process.stderr.write(`error: ${err.code.startsWith('key.') ? `${err.code}: ` : ''}${err.toLine()}\n`);
    process.exitCode = EXIT_BAD_INPUT;
    return;
  }
  const e = err as NodeJS.ErrnoException;
  const msg =
    e?.code === 'ECONNREFUSED'
      ? `cannot reach the database (${e.message})`
      : (e?.message ?? String(err)).split('\n')[0];
  process.stderr.write(`error: ${msg}\n`);
  if (process.env.VIGIL_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  process.exitCode = 1;
}

// `vigil export | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  fail(err);
}

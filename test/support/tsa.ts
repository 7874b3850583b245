/**
 * A real RFC 3161 time-stamping authority on 127.0.0.1 for tests, made with Debian's `openssl`:
 * a CA and a TSA certificate (EC P-256, extendedKeyUsage=critical,timeStamping) are generated
 * into a temp dir, and each POSTed `application/timestamp-query` is answered by running
 * `openssl ts -reply` on it and returning the DER reply.
 *
 *   const tsa = await startTestTsa();
 *   const client = new TsaClient({ url: tsa.url, trusted: parseTrustedCerts(tsa.caPem) });
 *   tsa.down = true;     // connections are dropped, as if the TSA were unreachable
 *   await tsa.close();
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running test TSA. */
export interface TestTsa {
  /** Where to POST queries. */
  readonly url: string;
  /** The CA that issued the TSA certificate (PEM). */
  readonly caPem: string;
  /** The TSA's own certificate (PEM). */
  readonly certPem: string;
  /** The directory holding keys, certificates, the openssl config and the serial file. */
  readonly dir: string;
  /** While true, every connection is dropped before an answer (an unreachable TSA). */
  down: boolean;
  /** While set, queries are answered with this HTTP status and no token. */
  failWith: number | null;
  /** Queries answered with a token so far. */
  readonly granted: number;
  close(): Promise<void>;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await run('openssl', args, { cwd });
}

/** Makes the CA, the TSA key and certificate, and the `openssl ts` config in `dir`. */
async function makeAuthority(dir: string, name: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await openssl(
    [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-subj',
      `/O=Vigil tests/CN=${name} CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  await openssl(
    ['req', '-new', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', `/O=Vigil tests/CN=${name}`],
    dir,
  );
  await writeFile(
    path.join(dir, 'tsa.ext'),
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=critical,timeStamping',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
    ].join('\n'),
  );
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'tsa.pem',
      '-days',
      '30',
      '-extfile',
      'tsa.ext',
    ],
    dir,
  );
  await writeFile(path.join(dir, 'serial'), '01\n');
  await writeFile(
    path.join(dir, 'ts.cnf'),
    `
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`,
  );
}

/**
 * Starts a TSA named `name` (its certificate's CN) on a free port of 127.0.0.1. Queries are
 * answered one at a time: `openssl ts -reply` increments a serial file.
 */
export async function startTestTsa(opts: { name?: string } = {}): Promise<TestTsa> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vigil-tsa-'));
  await makeAuthority(dir, opts.name ?? 'Vigil Test TSA');
  const caPem = await readFile(path.join(dir, 'ca.pem'), 'utf8');
  const certPem = await readFile(path.join(dir, 'tsa.pem'), 'utf8');
  let queue: Promise<unknown> = Promise.resolve();
  let n = 0;

  const reply = async (query: Buffer): Promise<Buffer> => {
    n += 1;
    const q = path.join(dir, `q${n}.tsq`);
    const r = path.join(dir, `r${n}.tsr`);
    await writeFile(q, query);
    await openssl(['ts', '-reply', '-queryfile', q, '-config', path.join(dir, 'ts.cnf'), '-out', r], dir);
    const der = await readFile(r);
    await Promise.all([rm(q, { force: true }), rm(r, { force: true })]);
    return der;
  };

  const state = {
    down: false,
    failWith: null as number | null,
    granted: 0,
  };
  const server: Server = createServer((req, res) => {
    if (state.down) {
      req.socket.destroy();
      return;
    }
    if (state.failWith !== null) {
      res.writeHead(state.failWith, { 'content-type': 'text/plain' }).end('unavailable\n');
      return;
    }
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('POST an application/timestamp-query\n');
      return;
    }
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const job = queue.then(() => reply(Buffer.concat(parts)));
      queue = job.catch(() => undefined);
      job.then(
        (der) => {
          state.granted += 1;
          res.writeHead(200, { 'content-type': 'application/timestamp-reply', 'content-length': der.length }).end(der);
        },
        (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caPem,
    certPem,
    dir,
    get down() {
      return state.down;
    },
    set down(v: boolean) {
      state.down = v;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(v: number | null) {
      state.failWith = v;
    },
    get granted() {
      return state.granted;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

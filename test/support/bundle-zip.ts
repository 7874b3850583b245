/** Reading and rewriting bundle zips in tests: every entry into memory, and back out with yazl. */
import fs from 'node:fs';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Every entry of a zip, by name, decompressed. */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await yauzl.openPromise(file, { autoClose: false });
  const out = new Map<string, Buffer>();
  try {
    for await (const e of zip.eachEntry()) {
      const parts: Buffer[] = [];
      for await (const c of await zip.openReadStreamPromise(e)) parts.push(c as Buffer);
      out.set(e.fileName, Buffer.concat(parts));
    }
  } finally {
    zip.close();
  }
  return out;
}

/** Writes entries as a zip (files/ stored, the rest deflated, like the bundle writer). */
export async function writeZip(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name, { compress: !name.startsWith('files/') });
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const sink = fs.createWriteStream(file);
    sink.on('close', resolve);
    sink.on('error', reject);
    zip.outputStream.pipe(sink);
  });
}

/** Every byte a bundle holds once decompressed, as one string (for canaries). */
export async function allText(file: string): Promise<string> {
  return [...(await readZip(file)).entries()].map(([n, b]) => `${n}\n${b.toString('utf8')}`).join('\n');
}

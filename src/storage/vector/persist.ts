// The on-disk format of a saved VectorIndex: a magic, a JSON header, then binary sections.

import { open, readFile, rename } from 'node:fs/promises';
import { CorruptionError, VectorConfigError } from '../../errors.js';
import type { VectorIndexConfig } from './config.js';

const MAGIC = 'TOONVEC1';

/** What a saved index holds. `graph` is usearch's own file format; `pq` the codebooks and codes. */
export interface IndexFile {
  config: VectorIndexConfig;
  highWater: number;
  keys: string[];
  states: Uint8Array;
  vectors: Float32Array;
  i8Scale: number;
  graph: Uint8Array | undefined;
  pq: { codebooks: Float32Array; codes: Uint8Array } | undefined;
}

/**
 * Layout: "TOONVEC1", u32 LE header length, header JSON (config, keys, section lengths), then the
 * sections states | vectors (f32 LE) | graph | codebooks (f32 LE) | codes, each at a 4-byte-aligned
 * offset. Written to `path.tmp`, fsynced, then renamed over `path`.
 */
export async function writeIndexFile(path: string, f: IndexFile): Promise<void> {
  const sections: Uint8Array[] = [
    f.states,
    bytesOf(f.vectors),
    f.graph ?? new Uint8Array(0),
    bytesOf(f.pq?.codebooks ?? new Float32Array(0)),
    f.pq?.codes ?? new Uint8Array(0),
  ];
  const header = Buffer.from(
    JSON.stringify({
      config: f.config,
      highWater: f.highWater,
      keys: f.keys,
      i8Scale: f.i8Scale,
      sections: sections.map((s) => s.byteLength),
    }),
  );
  const parts: Uint8Array[] = [Buffer.from(MAGIC), u32(header.length), header];
  let offset = 12 + header.length;
  for (const s of sections) {
    const pad = (4 - (offset % 4)) % 4;
    parts.push(new Uint8Array(pad), s);
    offset += pad + s.byteLength;
  }
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    for (const p of parts) await handle.write(p);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** Reads a file written by writeIndexFile and checks it against `config`. */
export async function readIndexFile(path: string, config: VectorIndexConfig): Promise<IndexFile> {
  const buf = await readFile(path);
  const fail = (why: string): never => {
    throw new CorruptionError(`vector index file ${path} is damaged: ${why}`, { details: { path } });
  };
  if (buf.length < 12 || buf.subarray(0, 8).toString() !== MAGIC) fail('bad magic');
  const headerLength = buf.readUInt32LE(8);
  if (12 + headerLength > buf.length) fail('truncated header');
  let header: { config: VectorIndexConfig; highWater: number; keys: string[]; i8Scale: number; sections: number[] };
  try {
    header = JSON.parse(buf.subarray(12, 12 + headerLength).toString());
  } catch (cause) {
    return fail(`unreadable header (${String(cause)})`);
  }
  for (const field of ['dimension', 'metric', 'quantization', 'pqNumSubvectors', 'pqNumCentroids'] as const) {
    if (header.config[field] !== config[field]) {
      throw new VectorConfigError(
        `saved vector index has ${field} ${String(header.config[field])}, the config asks for ${String(config[field])}`,
        { details: { field, path } },
      );
    }
  }
  const sections: Uint8Array[] = [];
  let offset = 12 + headerLength;
  for (const len of header.sections) {
    offset += (4 - (offset % 4)) % 4;
    if (offset + len > buf.length) fail('truncated section');
    // Copy, so every section starts at offset 0 of its own buffer (aligned, and safe for usearch).
    sections.push(new Uint8Array(buf.subarray(offset, offset + len)));
    offset += len;
  }
  const [states, vectors, graph, codebooks, codes] = sections;
  const dim = config.dimension;
  if (states.length !== header.highWater || vectors.byteLength !== header.highWater * dim * 4 || header.keys.length !== header.highWater) {
    fail('section sizes disagree with the header');
  }
  return {
    config: header.config,
    highWater: header.highWater,
    keys: header.keys,
    states,
    vectors: new Float32Array(vectors.buffer, 0, header.highWater * dim),
    i8Scale: header.i8Scale,
    graph,
    pq: codebooks.length > 0 || codes.length > 0 ? { codebooks: new Float32Array(codebooks.buffer, 0, codebooks.byteLength / 4), codes } : undefined,
  };
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function u32(n: number): Uint8Array {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

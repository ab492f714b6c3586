// The usearch binding, loaded through its CommonJS build.
//
// usearch's ES-module build finds its native library by walking up from `__dirname` when that
// global exists; under `node -e` it is '.', so the walk never reaches '/' and the import never
// returns. The CommonJS build resolves from its own file, which always works.

import { createRequire } from 'node:module';
import type UsearchModule from 'usearch';

/** The usearch module (Index, MetricKind, ScalarKind, exactSearch). */
export const usearch = createRequire(import.meta.url)('usearch') as typeof UsearchModule;

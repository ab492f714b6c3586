// The migration stage: importing dumps and SQLite files, and dumping a database as a script.

export { importFile, importScript, type ImportOptions, type ImportSummary, type ImportProgress, type SkippedStatement, type Dialect } from './import.js';
export { dumpDatabase, type DumpOptions, type DumpSummary, type DumpTarget } from './dump.js';

// Starts the interactive shell on an open database: wires session, history, editor and the ink view.

import { render } from 'ink';
import type { Database } from '../api/database.js';
import { ShellApp, type ShellChannel } from './app.js';
import { defaultHistoryPath, History } from './history.js';
import { LineEditor } from './line-editor.js';
import type { OutputFormat } from './meta-command.js';
import { ShellSession } from './shell-session.js';

/** Options of the interactive shell. */
export interface InteractiveShellOptions {
  readonly format?: OutputFormat;
  /** History file (default: $TOONDB_HISTORY or ~/.toondb_history). */
  readonly historyPath?: string;
}

/** Runs the interactive shell until .quit or Ctrl-D. The database stays open; the caller closes it. */
export async function runInteractiveShell(db: Database, options: InteractiveShellOptions = {}): Promise<void> {
  const channel: ShellChannel = {};
  const session = new ShellSession(
    db,
    {
      out: (text) => channel.onOutput?.(text),
      err: (text) => channel.onOutput?.(text),
      progress: (p) => channel.onProgress?.(p),
    },
    { format: options.format, color: true, interactive: true, width: () => process.stdout.columns },
  );
  await session.refreshNames();
  const history = History.load(options.historyPath ?? defaultHistoryPath());
  const editor = new LineEditor(history, session.completionSource());
  const banner = `ToonDB shell on ${db.path}. Type SQL ending with ;  or .help for commands.`;
  const app = render(<ShellApp session={session} editor={editor} channel={channel} banner={banner} />, { exitOnCtrlC: false });
  await app.waitUntilExit();
}

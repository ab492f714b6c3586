// The interactive shell's view (ink + react): printed output, the highlighted prompt, progress, and key handling.

import { Box, Static, Text, useApp, useInput, type Key } from 'ink';
import { useCallback, useRef, useState, type ReactNode } from 'react';
import { highlight, type HighlightKind } from './highlight.js';
import type { LineEditor } from './line-editor.js';
import type { Progress, RunStatus, ShellSession } from './shell-session.js';

/** The prompt of a statement's first line. */
export const PROMPT = 'toondb> ';
/** The prompt of the lines that continue a statement. */
export const CONTINUATION_PROMPT = '   ...> ';

/** One block of printed output. */
export interface OutputBlock {
  readonly id: number;
  readonly text: string;
}

/** What the app shares with whoever started it. */
export interface ShellChannel {
  /** Receives output blocks (set by the app while mounted). */
  onOutput?: (text: string) => void;
  /** Receives progress updates (set by the app while mounted). */
  onProgress?: (p: Progress | undefined) => void;
}

const COLORS: Partial<Record<HighlightKind, { color?: string; bold?: boolean; dim?: boolean }>> = {
  keyword: { color: 'cyan', bold: true },
  literal: { color: 'magenta' },
  string: { color: 'green' },
  number: { color: 'yellow' },
  comment: { color: 'gray' },
  parameter: { color: 'magenta' },
  error: { color: 'red' },
};

interface Segment {
  readonly text: string;
  readonly kind: HighlightKind;
  readonly cursor?: boolean;
}

/** The buffer as lines of highlighted segments, with the character under the cursor marked. */
function promptLines(buffer: string, cursor: number, showCursor: boolean): Segment[][] {
  const lines: Segment[][] = [[]];
  let pos = 0;
  const push = (text: string, kind: HighlightKind, isCursor = false) => {
    const parts = text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part !== '') lines[lines.length - 1]!.push({ text: part, kind, cursor: isCursor });
    });
  };
  for (const span of highlight(buffer)) {
    const end = pos + span.text.length;
    if (showCursor && cursor >= pos && cursor < end) {
      const at = cursor - pos;
      push(span.text.slice(0, at), span.kind);
      const ch = span.text[at]!;
      if (ch === '\n') {
        push(' ', span.kind, true);
        push(span.text.slice(at), span.kind);
      } else {
        push(ch, span.kind, true);
        push(span.text.slice(at + 1), span.kind);
      }
    } else {
      push(span.text, span.kind);
    }
    pos = end;
  }
  if (showCursor && cursor >= buffer.length) lines[lines.length - 1]!.push({ text: ' ', kind: 'space', cursor: true });
  return lines;
}

function renderSegments(segments: readonly Segment[]): ReactNode[] {
  return segments.map((s, i) => (
    <Text key={i} {...COLORS[s.kind]} inverse={s.cursor === true}>
      {s.text}
    </Text>
  ));
}

/** A bar of `width` cells filled in proportion to done / total. */
export function progressBar(p: Progress, width = 30): string {
  const fraction = p.total === 0 ? 1 : Math.min(1, p.done / p.total);
  const filled = Math.round(fraction * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${p.done}/${p.total} statements ${Math.floor(fraction * 100)}%`;
}

const NO_KEY = { return: false, tab: false, backspace: false, delete: false, ctrl: false };

/**
 * Splits a chunk of raw input into single keys: runs of text, and control characters as Ctrl-letter
 * keys. A Tab ending the chunk is the Tab key (text typed fast, then Tab); a Tab inside it is
 * pasted indentation.
 */
export function splitKeys(chunk: string): { input: string; key: Partial<Key> }[] {
  const keys: { input: string; key: Partial<Key> }[] = [];
  for (const m of chunk.matchAll(/[^\u0000-\u001f\u007f]+|[\s\S]/g)) {
    const s = m[0];
    const code = s.charCodeAt(0);
    if (s.length > 1 || code >= 32 && code !== 127) keys.push({ input: s, key: NO_KEY });
    else if (s === '\r' || s === '\n') keys.push({ input: '', key: { ...NO_KEY, return: true } });
    else if (s === '\t' && m.index + 1 < chunk.length) keys.push({ input: '  ', key: NO_KEY });
    else if (s === '\t') keys.push({ input: '', key: { ...NO_KEY, tab: true } });
    else if (code === 127 || code === 8) keys.push({ input: '', key: { ...NO_KEY, backspace: true } });
    else keys.push({ input: String.fromCharCode(code + 96), key: { ...NO_KEY, ctrl: true } });
  }
  return keys;
}

/** Props of the shell app. */
export interface ShellAppProps {
  readonly session: ShellSession;
  readonly editor: LineEditor;
  readonly channel: ShellChannel;
  /** A banner printed first. */
  readonly banner: string;
}

/** The interactive shell. */
export function ShellApp({ session, editor, channel, banner }: ShellAppProps): ReactNode {
  const { exit } = useApp();
  const [blocks, setBlocks] = useState<OutputBlock[]>([{ id: 0, text: banner }]);
  const [, setTick] = useState(0);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<Progress | undefined>(undefined);
  const [notice, setNotice] = useState('');
  const nextId = useRef(1);
  const queue = useRef<string[]>([]);
  const abort = useRef<AbortController | undefined>(undefined);
  const busy = useRef(false);
  const redraw = () => setTick((t) => t + 1);

  channel.onOutput = (text) => {
    const id = nextId.current++;
    setBlocks((b) => [...b, { id, text }]);
  };
  channel.onProgress = setProgress;

  const drain = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    setRunning(true);
    try {
      for (let input = queue.current.shift(); input !== undefined; input = queue.current.shift()) {
        channel.onOutput?.(input.split('\n').map((l, i) => `${i === 0 ? PROMPT : CONTINUATION_PROMPT}${l}`).join('\n'));
        abort.current = new AbortController();
        let status: RunStatus;
        try {
          status = await session.run(input, abort.current.signal);
        } catch (err) {
          channel.onOutput?.(`Error: ${err instanceof Error ? err.message : String(err)}`);
          status = 'error';
        }
        if (status === 'quit') {
          exit();
          return;
        }
        if (status !== 'ok') queue.current.length = 0; // typed-ahead input after a failure is dropped
      }
    } finally {
      abort.current = undefined;
      busy.current = false;
      setRunning(false);
      setProgress(undefined);
    }
  }, [session, exit, channel]);

  const submit = (input: string) => {
    if (input.trim() === '') return;
    queue.current.push(input);
    void drain();
  };

  const enter = () => {
    const input = editor.enter();
    if (input !== undefined) submit(input);
  };

  const onKey = (input: string, key: Key) => {
    setNotice('');
    // A chunk mixing text and control characters (a paste, or keys sent together) goes key by key.
    if (input.length > 1 && /[\u0000-\u001f\u007f]/.test(input) && !key.meta) {
      for (const k of splitKeys(input)) onKey(k.input, { ...key, ...k.key });
      return;
    }
    if (key.ctrl && input === 'c') {
      if (busy.current) {
        queue.current.length = 0;
        abort.current?.abort();
      } else if (editor.buffer !== '' || editor.search) {
        editor.clear();
      } else {
        setNotice('(To exit, press Ctrl-D or type .quit)');
      }
      return redraw();
    }
    if (key.ctrl && input === 'd') {
      if (editor.buffer === '' && !busy.current) return exit();
      editor.deleteForward();
      return redraw();
    }
    if (editor.search) {
      if (key.ctrl && input === 'r') editor.searchBackward();
      else if (key.ctrl && input === 'g') editor.endSearch(false);
      else if (key.escape) editor.endSearch(false);
      else if (key.return) enter();
      else if (key.backspace || key.delete) editor.searchType('backspace');
      else if (key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) editor.endSearch(true);
      else if (input !== '' && !key.ctrl && !key.meta) editor.searchType(input);
      return redraw();
    }
    if (key.return) enter();
    else if (key.ctrl && input === 'r') editor.searchBackward();
    else if (key.upArrow) editor.historyUp();
    else if (key.downArrow) editor.historyDown();
    else if (key.leftArrow) editor.move(-1);
    else if (key.rightArrow) editor.move(1);
    else if (key.home || (key.ctrl && input === 'a')) editor.lineEdge(false);
    else if (key.end || (key.ctrl && input === 'e')) editor.lineEdge(true);
    else if (key.ctrl && input === 'u') editor.killToLineStart();
    else if (key.ctrl && input === 'w') editor.killWord();
    // Terminals send DEL (0x7f) for Backspace, which ink names `delete`; both delete backwards.
    else if (key.backspace || key.delete) editor.backspace();
    else if (key.tab) editor.tab();
    else if (key.ctrl || key.escape) return;
    else if (input !== '') {
      // Pasted text arrives as one chunk: each line break acts as Enter.
      const parts = input.replace(/\r\n?/g, '\n').split('\n');
      parts.forEach((part, i) => {
        if (i > 0) enter();
        editor.insert(part.replace(/\t/g, '  '));
      });
    }
    redraw();
  };

  useInput(onKey);

  const lines = promptLines(editor.buffer, editor.cursor, !running && !editor.search);
  return (
    <>
      <Static items={blocks}>{(b) => <Text key={b.id}>{b.text}</Text>}</Static>
      {running ? (
        <Box flexDirection="column">
          {progress ? <Text color="cyan">{`${progress.label} ${progressBar(progress)}`}</Text> : null}
          <Text dimColor>running… (Ctrl-C cancels)</Text>
        </Box>
      ) : editor.search ? (
        <Text>
          <Text color="yellow">{`(reverse-i-search)'${editor.search.query}': `}</Text>
          {editor.searchMatch ?? ''}
        </Text>
      ) : (
        <Box flexDirection="column">
          {lines.map((segments, i) => (
            <Text key={i}>
              <Text color="green">{i === 0 ? PROMPT : CONTINUATION_PROMPT}</Text>
              {renderSegments(segments)}
            </Text>
          ))}
          {editor.candidates.length > 0 ? <Text dimColor>{editor.candidates.slice(0, 60).join('  ')}</Text> : null}
          {notice !== '' ? <Text dimColor>{notice}</Text> : null}
        </Box>
      )}
    </>
  );
}

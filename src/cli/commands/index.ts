// The subcommands of `toondb`, each registered by its own module (add a module here to add a command).

import type { Command } from 'commander';
import * as dump from './dump.js';
import * as exec from './exec.js';
import * as importCommand from './import.js';
import * as shell from './shell.js';

/** A module that adds a subcommand (or the default action) to the program. */
export interface CommandModule {
  register(program: Command): void;
}

/** Every command module, in registration order. */
export const COMMANDS: readonly CommandModule[] = [shell, exec, importCommand, dump];

#!/usr/bin/env node
import { Command } from 'commander';
import { runCli } from './cli/run.js';

/** `migraflow <command>` — also `npm run cli -- <command>`. */
const program = new Command();
await runCli(program, process.argv);

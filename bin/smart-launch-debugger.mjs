#!/usr/bin/env node
// Thin launcher: checks the Node version in plain JavaScript, then runs the TypeScript entry through tsx.
import { nodeVersionProblem } from './node-version.mjs';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exit(2);
}
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../sandbox/start/main.ts');
process.exitCode = await main(process.argv.slice(2));

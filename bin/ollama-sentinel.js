#!/usr/bin/env node
// V8's flags first (src/cli/v8-flags.ts: the regex engine that cannot be made to backtrack for ever, no
// pretenuring of events), then the command.
const { setV8Flags } = await import('../dist/src/cli/v8-flags.js');
setV8Flags();

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));

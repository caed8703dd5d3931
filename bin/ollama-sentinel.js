#!/usr/bin/env node
// V8's flags first (src/cli/v8-flags.ts: the regex engine that cannot be made to backtrack for ever, no
// pretenuring of events), then the command, from its bundle (scripts/bundle.ts: one file loads faster than
// the modules it is made of).
const { setV8Flags } = await import('../dist/src/cli/v8-flags.js');
setV8Flags();

const { main } = await import('../dist/bundle/cli/main.js');
process.exitCode = await main(process.argv.slice(2));

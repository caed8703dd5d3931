#!/usr/bin/env node
// Detections run user-written regular expressions over attacker-written log lines. Before any regex is
// compiled, let V8 switch a regex that backtracks excessively to its linear-time engine, so no crafted line
// can stall a scan.
import v8 from 'node:v8';
v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

const { main } = await import('../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));

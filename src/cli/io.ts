// Where a command writes: stdout for results, stderr for messages. Tests pass their own.
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * A reader that stops reading our output (`scan … | head`) closes the pipe: the next write fails with EPIPE,
 * which Node raises as an error event on stdout, and unhandled it printed a stack trace. We stop quietly
 * instead, with the status a shell gives a command killed by SIGPIPE (128 + 13), as `git log | head` does.
 */
export const EXIT_PIPE_CLOSED = 141;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT_PIPE_CLOSED);
  throw e;
});

export const processIo: Io = {
  out: (t) => { process.stdout.write(t); },
  err: (t) => { process.stderr.write(t); },
};

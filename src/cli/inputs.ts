import { fileSource, stdinSource, defaultSources, type LogSource } from '../input/sources.js';

/** FILE… arguments to sources: `-` is stdin, none means the platform's default locations (said on stderr). */
export function resolveInputs(paths: string[], say: (m: string) => void): LogSource[] {
  if (paths.length === 0) {
    const d = defaultSources();
    say(d.description);
    return d.sources;
  }
  const sources = paths.map((p) => (p === '-' ? stdinSource() : fileSource(p)));
  // Several files: oldest first, so rotated logs are read in the order they were written.
  if (sources.length > 1) return [...sources].sort((a, b) => a.mtimeMs - b.mtimeMs);
  return sources;
}

// Its own module so that the CLI can recognise it without loading the watch engine for every command.

/** A detection's schedule that cannot be run (its cron expression): a user's error, reported without a stack. */
export class ScheduleError extends Error {}

// Loads the detections and macros a command runs with: the built-in ones, then the user's.
import { MacroTable } from '../spl/macros.js';
import { loadDetections, loadMacros, addFilterMacros, BUILTIN_DETECTIONS, BUILTIN_MACROS } from '../detections/loader.js';
import type { Detection } from '../detections/types.js';
import { addTuningMacros, loadTuning } from '../detections/tuning.js';
import { compileSearchText, SearchCompileError } from '../spl/compile.js';
import type { Job } from '../engine/runner.js';
import type { Common } from './options.js';

export interface Content { detections: Detection[]; macros: MacroTable }

export function loadContent(detectionDirs: string[] = [], macroFiles: string[] = [], tuningFile?: string): Content {
  const detections = loadDetections([BUILTIN_DETECTIONS, ...detectionDirs]);
  const macros = loadMacroFiles(macroFiles, tuningFile);
  addFilterMacros(macros, detections);
  return { detections, macros };
}

/** The macros without the detections' `<name>_filter` ones: built-in, tuning, then the user's files. */
export function loadMacroFiles(macroFiles: string[] = [], tuningFile?: string): MacroTable {
  const macros = loadMacros([BUILTIN_MACROS]);
  addTuningMacros(macros, loadTuning(tuningFile ?? (process.env.OLLAMA_SENTINEL_TUNING || undefined)));
  loadMacros(macroFiles, macros);
  return macros;
}

export class DetectionCompileError extends Error {
  /** The SPL error's code (SPL_UNKNOWN_MACRO, …). */
  constructor(message: string, readonly code?: string) { super(message); this.name = 'DetectionCompileError'; }
}

/** Compiles a search with the command's time range applied on top of any earliest=/latest= it names. */
export function compileJob(key: string, search: string, macros: MacroTable, common: Common, where?: string): Job {
  try {
    const { plan, expanded } = compileSearchText(search, macros, { tz: common.tz, now: common.now });
    if (common.earliest !== undefined) plan.earliest = Math.max(plan.earliest ?? -Infinity, common.earliest);
    if (common.latest !== undefined) plan.latest = Math.min(plan.latest ?? Infinity, common.latest);
    return { key, plan, expanded };
  } catch (e) {
    if (e instanceof SearchCompileError) throw new DetectionCompileError(`${where ? `${where}: ` : ''}${e.detail}`, e.splError.code);
    throw e;
  }
}

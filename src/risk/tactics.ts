// MITRE ATT&CK (Enterprise): the tactics a technique serves, for the techniques detections here use and common
// neighbours. A sub-technique inherits its parent's tactics. The tactic rule counts distinct tactics per
// object, so a technique that serves two tactics counts for both, as Splunk's risk annotations do.
import { table } from '../util/table.js';

export interface Tactic { id: string; name: string }

export const TACTICS: Readonly<Record<string, Tactic>> = table({
  TA0043: { id: 'TA0043', name: 'Reconnaissance' },
  TA0042: { id: 'TA0042', name: 'Resource Development' },
  TA0001: { id: 'TA0001', name: 'Initial Access' },
  TA0002: { id: 'TA0002', name: 'Execution' },
  TA0003: { id: 'TA0003', name: 'Persistence' },
  TA0004: { id: 'TA0004', name: 'Privilege Escalation' },
  TA0005: { id: 'TA0005', name: 'Defense Evasion' },
  TA0006: { id: 'TA0006', name: 'Credential Access' },
  TA0007: { id: 'TA0007', name: 'Discovery' },
  TA0008: { id: 'TA0008', name: 'Lateral Movement' },
  TA0009: { id: 'TA0009', name: 'Collection' },
  TA0011: { id: 'TA0011', name: 'Command and Control' },
  TA0010: { id: 'TA0010', name: 'Exfiltration' },
  TA0040: { id: 'TA0040', name: 'Impact' },
});

/** Kill-chain order, for listing an incident's stages. */
export const TACTIC_ORDER = ['TA0043', 'TA0042', 'TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040'];

const TECHNIQUES: Readonly<Record<string, string[]>> = table({
  T1005: ['TA0009'], T1020: ['TA0010'], T1030: ['TA0010'], T1036: ['TA0005'], T1041: ['TA0010'], T1046: ['TA0007'],
  T1048: ['TA0010'], T1059: ['TA0002'], T1071: ['TA0011'], T1078: ['TA0005', 'TA0003', 'TA0004', 'TA0001'],
  T1083: ['TA0007'], T1087: ['TA0007'], T1090: ['TA0011'], T1105: ['TA0011'], T1110: ['TA0006'],
  T1133: ['TA0003', 'TA0001'], T1189: ['TA0001'], T1190: ['TA0001'], T1195: ['TA0001'], T1203: ['TA0002'],
  T1204: ['TA0002'], T1485: ['TA0040'], T1489: ['TA0040'], T1490: ['TA0040'], T1496: ['TA0040'], T1498: ['TA0040'],
  T1499: ['TA0040'], T1528: ['TA0006'], T1530: ['TA0009'], T1531: ['TA0040'], T1552: ['TA0006'], T1565: ['TA0040'],
  T1567: ['TA0010'], T1571: ['TA0011'], T1574: ['TA0003', 'TA0004', 'TA0005'], T1583: ['TA0042'], T1584: ['TA0042'],
  T1588: ['TA0042'], T1590: ['TA0043'], T1592: ['TA0043'], T1595: ['TA0043'],
});

/** Tactic ids for an ATT&CK technique id ("T1499.003" uses T1499's); empty when unknown. */
export function tacticsOf(technique: string): string[] {
  const id = technique.trim().toUpperCase();
  return TECHNIQUES[id] ?? TECHNIQUES[id.split('.')[0]!] ?? [];
}

/** Distinct tactic ids for a detection's techniques, in kill-chain order. */
export function tacticsFor(techniques: string[]): string[] {
  const set = new Set(techniques.flatMap(tacticsOf));
  return TACTIC_ORDER.filter((t) => set.has(t));
}

export function tacticName(id: string): string { return TACTICS[id]?.name ?? id; }

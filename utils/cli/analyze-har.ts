/**
 * The CLI's analysis: the same engine as the extension's HAR import (readHar, then analyze) on the text
 * of a HAR file. Pure: reading the file and printing are the caller's.
 */
import { noSmartLaunch, readHar, skippedNote } from '../har/import';
import { analyze } from '../launch/analyze';
import { type AnalysisSummary, summarize } from './summary';

export function analyzeHarText(text: string, fileName: string): AnalysisSummary {
  const read = readHar(text, fileName, 'cli');
  const launches = analyze(read.exchanges);
  if (launches.length === 0) throw noSmartLaunch(fileName);
  const summary = summarize(fileName, launches);
  const skipped = skippedNote(read);
  return skipped ? { ...summary, skippedEntries: skipped } : summary;
}

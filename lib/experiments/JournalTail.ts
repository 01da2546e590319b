import * as fs from 'node:fs';
import type { JournalEntry } from './ExperimentContract';

/** Reads the entries appended to a journal file since the last call (the runner polls it while a program runs). */
export class JournalTail {
  private offset = 0;
  private partial = '';

  constructor(private readonly file: string) {}

  read(): JournalEntry[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return [];
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      const text = this.partial + buf.toString('utf8', 0, n);
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      const entries: JournalEntry[] = [];
      for (const line of lines) {
        try {
          entries.push(JSON.parse(line) as JournalEntry);
        } catch {
          // A line torn by a kill: the writer is gone, nothing else will complete it.
        }
      }
      return entries;
    } finally {
      fs.closeSync(fd);
    }
  }
}

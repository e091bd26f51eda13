import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** One process below a build command. */
export interface ProcessNode {
  readonly pid: number;
  /** `/proc/<pid>/exe`, when readable. */
  readonly executable: string | undefined;
}

/** The process table, as far as stopping a build's steps needs it. Replaceable in tests. */
export interface ProcessTree {
  /** False where the table cannot be read (no `/proc`): builds are then stopped the plain way. */
  readonly supported: boolean;
  /** Every descendant of `pid` (children, grandchildren, …). */
  descendants(pid: number): readonly ProcessNode[];
  /** The child of `parent` running exactly `argv` (program name compared by basename), if any. */
  findChild(parent: number, argv: readonly string[]): number | undefined;
  /** `/proc/<pid>/stat` start time, to recognise the same process later. */
  startTime(pid: number): string | undefined;
  executable(pid: number): string | undefined;
  /** True while `pid` runs (a zombie does not). */
  alive(pid: number): boolean;
  signal(pid: number, signal: NodeJS.Signals): void;
}

function parentAndState(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: the fields start after the LAST ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** The Linux process table under `/proc`. */
export const procTree: ProcessTree = {
  supported: process.platform === 'linux',

  descendants(root) {
    const children = new Map<number, number[]>();
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return [];
    }
    for (const name of entries) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      const info = parentAndState(pid);
      if (!info) continue;
      const list = children.get(info.ppid) ?? [];
      list.push(pid);
      children.set(info.ppid, list);
    }
    const found: ProcessNode[] = [];
    const queue = [...(children.get(root) ?? [])];
    while (queue.length > 0) {
      const pid = queue.shift()!;
      found.push({ pid, executable: procTree.executable(pid) });
      queue.push(...(children.get(pid) ?? []));
    }
    return found;
  },

  findChild(parent, argv) {
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return undefined;
    }
    const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);
    for (const name of entries) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (parentAndState(pid)?.ppid !== parent) continue;
      let cmdline: string[];
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      } catch {
        continue;
      }
      if (cmdline.at(-1) === '') cmdline.pop();
      if (
        cmdline.length === argv.length &&
        base(cmdline[0] ?? '') === base(argv[0] ?? '') &&
        cmdline.every((arg, i) => i === 0 || arg === argv[i])
      ) {
        return pid;
      }
    }
    return undefined;
  },

  startTime(pid) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    } catch {
      return undefined;
    }
  },

  executable(pid) {
    try {
      return readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return undefined;
    }
  },

  alive(pid) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    const info = parentAndState(pid);
    if (!info) return process.platform !== 'linux';
    return info.state !== 'Z' && info.state !== 'X';
  },

  signal(pid, signal) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already: that is what we wanted.
    }
  },
};

// The bridge from the Node tools to scripts/eval_suite.py (the model's prompt suite and the one
// scorer, in Python): runs one of its commands with Debian's Python and returns what it printed.
import { execFileSync } from 'node:child_process';

export function evalSuite(...args: string[]): string {
  return execFileSync('/usr/bin/python3', ['scripts/eval_suite.py', ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
}

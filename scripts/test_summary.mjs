// Adds up ctest's and node:test's own closing counts into one line: "N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

const [ctestLog, nodeLog] = process.argv.slice(2).map((path) => readFileSync(path, 'utf8'));
const ctest = ctestLog.match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
const ctestTotal = ctest ? Number(ctest[3]) : 0;
const ctestFailed = ctest ? Number(ctest[2]) : 1;
const count = (name) => Number(nodeLog.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm'))?.[1] ?? 0);
const nodeSkipped = count('skipped') + count('todo');
const nodeFailed = count('fail') + count('cancelled');
const nodePassed = count('pass');
const passed = ctestTotal - ctestFailed + nodePassed;
const failed = ctestFailed + nodeFailed;
console.log(`\nC++: ${ctestTotal - ctestFailed}/${ctestTotal} passed; ` +
  `JS: ${nodePassed} passed, ${nodeFailed} failed, ${nodeSkipped} skipped`);
console.log(`tests: ${passed} passed, ${failed} failed, ${nodeSkipped} skipped`);

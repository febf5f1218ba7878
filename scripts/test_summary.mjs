// Adds up the closing counts of every suite npm test ran into one line: "N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const read = (name) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
const parts = [];

const ctest = read('ctest.log').match(/(\d+)% tests passed, (\d+) tests failed out of (\d+)/);
parts.push({ name: 'C++ (ctest)', passed: ctest ? Number(ctest[3]) - Number(ctest[2]) : 0, failed: ctest ? Number(ctest[2]) : 1, skipped: 0 });

const nodeLog = read('node.log');
const count = (name) => Number(nodeLog.match(new RegExp(`^ℹ ${name} (\\d+)`, 'm'))?.[1] ?? 0);
parts.push({ name: 'JS (node:test)', passed: count('pass'), failed: count('fail') + count('cancelled') + (nodeLog ? 0 : 1), skipped: count('skipped') + count('todo') });

// Catch2's compact reporter: "Passed all 142 test cases with 8606 assertions." or "Failed 2 test cases, ...".
const sanitize = read('sanitize.log');
const allPassed = sanitize.match(/Passed all (\d+) test cases?/);
const someFailed = sanitize.match(/Failed (\d+) test cases?.*?(?:out of|\()/);
const sanitizeTotal = Number(sanitize.match(/(\d+) test cases?/)?.[1] ?? 0);
parts.push(allPassed
  ? { name: 'C++ (ASan+UBSan)', passed: Number(allPassed[1]), failed: 0, skipped: 0 }
  : { name: 'C++ (ASan+UBSan)', passed: 0, failed: Math.max(1, Number(someFailed?.[1] ?? sanitizeTotal)), skipped: 0 });

const fuzz = read('fuzz.log').match(/fuzz: (\d+) passed, (\d+) failed/);
parts.push({ name: 'fuzz targets', passed: fuzz ? Number(fuzz[1]) : 0, failed: fuzz ? Number(fuzz[2]) : 1, skipped: 0 });

console.log('');
const phases = read('phases.log').trim().split('\n').filter(Boolean).map((line) => line.split(' '));
if (phases.length) console.log(`phases (s): ${phases.map(([name, seconds]) => `${name} ${seconds}`).join(', ')}`);
for (const part of parts) console.log(`${part.name}: ${part.passed} passed, ${part.failed} failed, ${part.skipped} skipped`);
const total = (key) => parts.reduce((sum, part) => sum + part[key], 0);
console.log(`tests: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);

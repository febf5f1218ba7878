#!/usr/bin/env node
// npm run eval -- --model model.swm --events test.csv [--k 20] [--json]
// The same report as `build/bin/shelfwise eval`, computed through the .wasm and the JS SDK.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Personalizer, ShelfwiseError } from 'shelfwise';
import { parseInteractionLog } from '../js/eval/interaction_csv.js';
import { evaluateNextItem } from '../js/eval/next_item_eval.js';

function fail(message, exitCode = 1) {
  process.stderr.write(`npm run eval: ${message}\n`);
  process.exit(exitCode);
}

let values;
try {
  ({ values } = parseArgs({
    options: { model: { type: 'string' }, events: { type: 'string' }, k: { type: 'string', default: '20' }, json: { type: 'boolean' } },
  }));
} catch (error) {
  fail(error.message, 2);
}
if (!values.model || !values.events) fail('usage: npm run eval -- --model model.swm --events test.csv [--k 20] [--json]', 2);
const k = Number(values.k);
if (!Number.isInteger(k) || k < 1 || k > 1000) fail('--k must be between 1 and 1000', 2);

let personalizer;
try {
  personalizer = await Personalizer.create({ bundle: await readFile(values.model) });
} catch (error) {
  fail(error instanceof ShelfwiseError ? `${error.code}: ${error.message}` : error.message);
}
let log;
try {
  log = parseInteractionLog(await readFile(values.events, 'utf8'), values.events);
} catch (error) {
  fail(`PARSE_ERROR: ${error.message}`);
}
const metrics = evaluateNextItem(personalizer, log, k);
const info = personalizer.modelInfo();
personalizer.close();
const at = `@${k}`;
if (values.json) {
  process.stdout.write(`${JSON.stringify({
    [`coverage${at}`]: metrics.coverage,
    k,
    ms_per_prediction: metrics.msPerPrediction,
    model: info.version,
    [`mrr${at}`]: metrics.mrr,
    n: metrics.predictions,
    [`recall${at}`]: metrics.recall,
    sessions: metrics.sessions,
  })}\n`);
} else {
  const row = (name, value) => `${name.padEnd(18)} ${value}\n`;
  process.stdout.write(
    row('model', `${info.version} (${info.kind}, ${info.itemCount} items)`) +
    row('events', `${values.events} (${metrics.sessions} sessions)`) +
    row(`recall${at}`, metrics.recall.toFixed(6)) +
    row(`mrr${at}`, metrics.mrr.toFixed(6)) +
    row(`coverage${at}`, metrics.coverage.toFixed(6)) +
    row('n', metrics.predictions) +
    row('ms_per_prediction', metrics.msPerPrediction.toFixed(4)));
}

#!/usr/bin/env node
// npm run eval -- --model model.swm --events test.csv [--k 20] [--json]
// npm run eval -- --protocol next-for-user --model model.swm --history train.csv --events valid.csv [--k 10] [--json]
// The same report as `build/bin/shelfwise eval`, computed through the .wasm and the JS SDK.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Personalizer, ShelfwiseError } from 'shelfwise';
import { parseInteractionLog } from '../js/eval/interaction_csv.js';
import { evaluateNextItem } from '../js/eval/next_item_eval.js';
import { evaluateNextForUser } from '../js/eval/next_for_user_eval.js';

function fail(message, exitCode = 1) {
  process.stderr.write(`npm run eval: ${message}\n`);
  process.exit(exitCode);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      model: { type: 'string' }, events: { type: 'string' }, k: { type: 'string' }, json: { type: 'boolean' },
      protocol: { type: 'string', default: 'next-item' }, history: { type: 'string' },
    },
  }));
} catch (error) {
  fail(error.message, 2);
}
if (!values.model || !values.events) fail('usage: npm run eval -- --model model.swm --events test.csv [--k 20] [--json]', 2);
if (values.protocol !== 'next-item' && values.protocol !== 'next-for-user') fail('--protocol must be next-item or next-for-user', 2);
const forUser = values.protocol === 'next-for-user';
if (forUser && !values.history) fail('usage: npm run eval -- --protocol next-for-user --model m.swm --history train.csv --events valid.csv [--k 10] [--json]', 2);
if (!forUser && values.history) fail('--history goes with --protocol next-for-user', 2);
const k = Number(values.k ?? (forUser ? 10 : 20));
if (!Number.isInteger(k) || k < 1 || k > 1000) fail('--k must be between 1 and 1000', 2);

let personalizer;
try {
  // Every history event folds in, however long (the native evaluation has no cap either).
  personalizer = await Personalizer.create({ bundle: await readFile(values.model), maxHistoryEvents: 100000 });
} catch (error) {
  fail(error instanceof ShelfwiseError ? `${error.code}: ${error.message}` : error.message);
}
async function readLog(path) {
  try {
    return parseInteractionLog(await readFile(path, 'utf8'), path);
  } catch (error) {
    return fail(`PARSE_ERROR: ${error.message}`);
  }
}
const log = await readLog(values.events);
if (forUser) {
  const metrics = evaluateNextForUser(personalizer, await readLog(values.history), log, k);
  const info = personalizer.modelInfo();
  personalizer.close();
  const mf = info.manifest.mf ?? null;
  const at = `@${k}`;
  if (values.json) {
    process.stdout.write(`${JSON.stringify({
      dtype: mf ? mf.dtype : null,
      [`hr${at}`]: metrics.hitRate,
      k,
      model: info.version,
      ms_per_user: metrics.msPerUser,
      n: metrics.users,
      [`ndcg${at}`]: metrics.ndcg,
      protocol: 'next-for-user',
      users_without_history: metrics.usersWithoutHistory,
    })}\n`);
  } else {
    const row = (name, value) => `${name.padEnd(18)} ${value}\n`;
    process.stdout.write(
      row('model', `${info.version} (${info.kind}, ${info.itemCount} items)`) +
      row('factors', mf ? `${mf.factors} as ${mf.dtype}` : 'none (popularity ranking)') +
      row('history', values.history) +
      row('events', `${values.events} (${metrics.users} users, ${metrics.usersWithoutHistory} without history)`) +
      row(`hr${at}`, metrics.hitRate.toFixed(6)) +
      row(`ndcg${at}`, metrics.ndcg.toFixed(6)) +
      row('n', metrics.users) +
      row('ms_per_user', metrics.msPerUser.toFixed(4)));
  }
  process.exit(0);
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

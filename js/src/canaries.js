// Replays a manifest's canary vectors (models/publishing/canary_vectors.hpp) on an engine that
// has just loaded a candidate bundle, before that engine serves anything. Ids must match in
// order and scores within the publisher's tolerance; anything else is CANARY_MISMATCH.
import { ShelfwiseError } from './errors.js';

const EVENT_TYPES = Object.freeze({ view: 0, cart: 1, purchase: 2 });
const SCORE_TOLERANCE = 1e-5;
const MAX_CANARIES = 64;

function mismatch(index, message) {
  return new ShelfwiseError('CANARY_MISMATCH', `canaries[${index}]: ${message}`);
}

function malformed(index, message) {
  return new ShelfwiseError('BAD_MANIFEST', `manifest canaries[${index}]: ${message}`);
}

function indexOf(engine, itemId, index) {
  if (typeof itemId !== 'string') throw malformed(index, 'item_id must be a string');
  const found = engine.itemIndex(itemId);
  if (found < 0) throw mismatch(index, `item '${itemId}' is not in the bundle`);
  return found;
}

function run(core, engine, canary, index) {
  const k = canary.k;
  if (!Number.isInteger(k) || k < 1 || k > 1000) throw malformed(index, 'k must be an integer from 1 to 1000');
  if (canary.request === 'related') return engine.related(indexOf(engine, canary.item_id, index), k, 0);
  if (canary.request !== 'recommend') throw malformed(index, `request '${canary.request}' is not recommend or related`);
  if (!Array.isArray(canary.events)) throw malformed(index, 'events must be an array');
  const session = new core.Session(Math.max(1, canary.events.length));
  try {
    for (const event of canary.events) {
      const type = EVENT_TYPES[event?.type];
      if (type === undefined) throw malformed(index, `event type '${event?.type}' is not view, cart or purchase`);
      session.add(indexOf(engine, event.item_id, index), type, 0);
    }
    return engine.recommend(session, k, 0);
  } finally {
    session.delete();
  }
}

/** Throws CANARY_MISMATCH (or BAD_MANIFEST for malformed canaries); returns the number checked. */
export function checkCanaries(core, engine, canaries) {
  if (!Array.isArray(canaries) || canaries.length === 0 || canaries.length > MAX_CANARIES) {
    throw malformed(0, `there must be 1 to ${MAX_CANARIES} canaries`);
  }
  engine.reserveExclude(0);
  canaries.forEach((canary, index) => {
    if (canary === null || typeof canary !== 'object' || !Array.isArray(canary.expected)) throw malformed(index, 'expected must be an array');
    const count = run(core, engine, canary, index);
    if (count < 0) throw mismatch(index, `the engine failed: ${engine.errorMessage()}`);
    if (count !== canary.expected.length) throw mismatch(index, `${count} results, expected ${canary.expected.length}`);
    // Views are taken after the call: memory may have grown during it.
    const items = new Uint32Array(core.HEAPU8.buffer, engine.resultItems(), count);
    const scores = new Float32Array(core.HEAPU8.buffer, engine.resultScores(), count);
    for (let rank = 0; rank < count; rank += 1) {
      const want = canary.expected[rank];
      if (typeof want?.item_id !== 'string' || typeof want.score !== 'number') throw malformed(index, `expected[${rank}] needs item_id and score`);
      const itemId = engine.itemId(items[rank]);
      const close = Math.abs(want.score - scores[rank]) <= Math.max(1e-6, SCORE_TOLERANCE * Math.abs(want.score));
      if (itemId !== want.item_id || !close) {
        throw mismatch(index, `rank ${rank}: got ${itemId} (${scores[rank]}), expected ${want.item_id} (${want.score})`);
      }
    }
  });
  return canaries.length;
}

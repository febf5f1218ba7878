// The next-item protocol run through the public SDK, as `shelfwise eval` runs it natively
// (models/evaluation/next_item_evaluation.hpp): every prefix of every session, full ranking,
// recall@k, MRR@k, coverage@k. Sums run in prediction order so the figures match bit for bit.

/**
 * @param {import('../src/index.js').Personalizer} personalizer
 * @param {{ sessions: Array<{ events: Array<{ itemId: string, type: string, time: number|null }> }> }} log
 * @param {number} k
 */
export function evaluateNextItem(personalizer, log, k) {
  const recommended = new Set();
  let predictions = 0;
  let hits = 0;
  let reciprocalSum = 0;
  let milliseconds = 0;
  for (const session of log.sessions) {
    personalizer.clearSession();
    const { events } = session;
    const start = performance.now();
    for (let position = 0; position + 1 < events.length; position += 1) {
      const event = events[position];
      personalizer.track({ type: event.type, itemId: event.itemId, time: event.time ?? 0 });
      const results = personalizer.recommend({ k });
      const target = events[position + 1].itemId;
      predictions += 1;
      for (let rank = 0; rank < results.length; rank += 1) {
        recommended.add(results[rank].itemId);
        if (results[rank].itemId === target) {
          hits += 1;
          reciprocalSum += 1 / (rank + 1);
        }
      }
    }
    milliseconds += performance.now() - start;
  }
  const itemCount = personalizer.modelInfo().itemCount;
  return {
    k,
    sessions: log.sessions.length,
    predictions,
    recall: predictions > 0 ? hits / predictions : 0,
    mrr: predictions > 0 ? reciprocalSum / predictions : 0,
    coverage: recommended.size / itemCount,
    msPerPrediction: predictions > 0 ? milliseconds / predictions : 0,
  };
}

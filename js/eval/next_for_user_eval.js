// The next-for-user protocol through the public SDK, as `shelfwise eval --protocol next-for-user`
// runs it natively (models/evaluation/next_for_user_evaluation.hpp): each user's rows of the
// history log are tracked (folded into the user vector on the device), then the ranker ranks
// every item outside that history with the user source alone for the user's first row of the
// events log. Sums run in user order so the figures match the native ones bit for bit.

// The user source alone; exclusions only by history (the request's `exclude`).
const USER_ONLY_RULES = Object.freeze({
  weights: { session: 0, context: 0, popular: 0, page: 0, user: 1 },
  exclude: { purchased: false, in_cart: false },
});

// Rows are keyed like the native preference matrix: user_id, or the session when anonymous.
function userKey(session) {
  return session.userId ? session.userId : `session:${session.id}`;
}

/**
 * @param {import('../src/index.js').Personalizer} personalizer created with maxHistoryEvents large enough for the longest history
 * @param {{ sessions: Array<{ id: string, userId: string, events: Array<{ itemId: string, type: string, time: number|null }> }> }} historyLog
 * @param {typeof historyLog} eventsLog
 * @param {number} k
 */
export function evaluateNextForUser(personalizer, historyLog, eventsLog, k) {
  const cases = [];
  const caseOf = new Map();
  for (const session of eventsLog.sessions) {
    if (session.events.length === 0) continue;
    const key = userKey(session);
    if (caseOf.has(key)) continue;
    caseOf.set(key, cases.length);
    cases.push({ target: session.events[0].itemId, history: [] });
  }
  for (const session of historyLog.sessions) {
    const index = caseOf.get(userKey(session));
    if (index !== undefined) cases[index].history.push(...session.events);
  }
  let hits = 0;
  let gain = 0;
  let withoutHistory = 0;
  let milliseconds = 0;
  for (const { target, history } of cases) {
    const start = performance.now();
    personalizer.clearSession();
    let known = 0;
    for (const event of history) {
      if (personalizer.track({ type: event.type, itemId: event.itemId, time: event.time ?? 0 }).known) known += 1;
    }
    if (known === 0) withoutHistory += 1;
    const exclude = [...new Set(history.map((event) => event.itemId))];
    const results = personalizer.recommend({ slot: 'home', k, exclude, rules: USER_ONLY_RULES });
    milliseconds += performance.now() - start;
    const rank = results.findIndex((result) => result.itemId === target);
    if (rank >= 0) {
      hits += 1;
      gain += 1 / Math.log2(rank + 2);
    }
  }
  const n = cases.length;
  return {
    k,
    users: n,
    usersWithoutHistory: withoutHistory,
    hitRate: n > 0 ? hits / n : 0,
    ndcg: n > 0 ? gain / n : 0,
    msPerUser: n > 0 ? milliseconds / n : 0,
    longestHistory: cases.reduce((longest, { history }) => Math.max(longest, history.length), 0),
  };
}

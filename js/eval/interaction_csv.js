// Interaction logs for offline evaluation in JS, read exactly as the native trainer reads them
// (models/training/interaction_log.cpp): header names the columns in any order, rows grouped by
// session in order of first appearance, click order kept, malformed rows named by line.

const COLUMNS = ['session_id', 'user_id', 'item_id', 'timestamp', 'event'];
const EVENT_TYPES = new Set(['', 'view', 'cart', 'purchase']);
const MAX_REPORTED_ERRORS = 10;

/** Splits RFC 4180 CSV text into records: yields { fields, line, malformed }. */
export function* csvRecords(text) {
  let position = 0;
  let line = 1;
  while (position < text.length) {
    while (position < text.length && (text[position] === '\n' || text[position] === '\r')) {
      if (text[position] === '\n') line += 1;
      position += 1;
    }
    if (position >= text.length) return;
    const recordLine = line;
    const fields = [];
    let field = '';
    let quoted = false;
    let fieldWasQuoted = false;
    let ended = false;
    while (position < text.length && !ended) {
      const character = text[position++];
      if (quoted) {
        if (character === '"') {
          if (text[position] === '"') {
            field += '"';
            position += 1;
          } else {
            quoted = false;
          }
        } else {
          if (character === '\n') line += 1;
          field += character;
        }
      } else if (character === '"' && field.length === 0 && !fieldWasQuoted) {
        quoted = true;
        fieldWasQuoted = true;
      } else if (character === ',') {
        fields.push(field);
        field = '';
        fieldWasQuoted = false;
      } else if (character === '\n') {
        line += 1;
        ended = true;
      } else if (character !== '\r') {
        field += character;
      }
    }
    fields.push(field);
    yield { fields, line: recordLine, malformed: quoted };
    if (quoted) return;
  }
}

function validTimestamp(text) {
  return text === '' || /^-?\d+(\.\d*)?$/.test(text);
}

/**
 * @returns {{ sessions: Array<{ id: string, userId: string, events: Array<{ itemId: string, type: string, time: number|null }> }> }}
 *   userId is the session's first row's user_id ('' when anonymous), as the native reader keeps it
 * @throws Error listing malformed rows as `source:line: reason`
 */
export function parseInteractionLog(text, sourceName) {
  const records = csvRecords(text);
  const header = records.next();
  if (header.done) throw new Error(`${sourceName}: empty file, expected a header`);
  const columnOf = COLUMNS.map((name) => header.value.fields.indexOf(name));
  const missing = COLUMNS.find((name, index) => columnOf[index] < 0);
  if (missing) {
    throw new Error(`${sourceName}:${header.value.line}: header lacks column '${missing}' (expected ${COLUMNS.join(',')})`);
  }
  const width = header.value.fields.length;
  const sessionsById = new Map();
  const errors = [];
  let errorCount = 0;
  const reject = (line, why) => {
    errorCount += 1;
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(`${sourceName}:${line}: ${why}`);
  };
  for (const { fields, line, malformed } of records) {
    if (malformed) {
      reject(line, 'unterminated quoted field');
      break;
    }
    if (fields.length !== width) {
      reject(line, `expected ${width} fields, found ${fields.length}`);
      continue;
    }
    const [sessionId, userId, itemId, timestamp, type] = columnOf.map((column) => fields[column]);
    if (sessionId === '') { reject(line, 'session_id is empty'); continue; }
    if (itemId === '') { reject(line, 'item_id is empty'); continue; }
    if (!validTimestamp(timestamp)) { reject(line, `timestamp '${timestamp}' is not unix seconds`); continue; }
    if (!EVENT_TYPES.has(type)) { reject(line, `event '${type}' is not view, cart or purchase`); continue; }
    let session = sessionsById.get(sessionId);
    if (!session) {
      session = { id: sessionId, userId, events: [] };
      sessionsById.set(sessionId, session);
    }
    session.events.push({ itemId, type: type || 'view', time: timestamp === '' ? null : Math.trunc(Number(timestamp)) });
  }
  if (errorCount > 0) {
    const more = errorCount > errors.length ? `\n... and ${errorCount - errors.length} more malformed rows` : '';
    throw new Error(`${errorCount} malformed rows\n${errors.join('\n')}${more}`);
  }
  return { sessions: [...sessionsById.values()] };
}

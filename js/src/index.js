export { Personalizer } from './personalizer.js';
export { ShelfwiseError } from './errors.js';
export { PersonalizerEvent } from './events.js';
export { MemoryStorage } from './storage.js';
export { SDK_VERSION } from './version.js';
export { IndexedDbStorage } from './indexeddb_storage.js';
export { encodeEdgeSession, decodeEdgeSession, EDGE_SESSION_COOKIE, EDGE_SESSION_HEADER } from './edge_session.js';

// Private: the core's plain C exports (wasm/exports.cpp) as the small object model the SDK uses:
// Engine, Session and Behaviour classes whose methods mirror wasm/engine.hpp, errorCodeNames(),
// and the current HEAPU8/HEAPU32 views (re-read on every access: memory growth replaces them).
// Objects are addresses in wasm memory, freed by an idempotent delete(). Text crosses as UTF-8:
// in through the core's two staging slots, out through its one output slot, which also carries
// structured results in the binary JSON form of json_binary.js.
import { decodeJsonValue } from './json_binary.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function bindCore(module) {
  // Writes `text` into input slot `slot`; returns its byte length.
  const textIn = (slot, text) => {
    const capacity = text.length * 3;
    const address = module._sw_text_in(slot, capacity) >>> 0;
    return encoder.encodeInto(text, module.HEAPU8.subarray(address, address + capacity)).written;
  };
  // The text a call left in the output slot, given the byte length it returned.
  const textOut = (size) => {
    const address = module._sw_text_out() >>> 0;
    return decoder.decode(module.HEAPU8.subarray(address, address + size));
  };
  // The value a call left in the output slot, given the byte length it returned.
  const valueOut = (size) => {
    const address = module._sw_text_out() >>> 0;
    return decodeJsonValue(module.HEAPU8.subarray(address, address + size));
  };

  class Session {
    constructor(maxEvents) { this.ptr = module._sw_session_new(maxEvents); }
    add(item, type, time) { module._sw_session_add(this.ptr, item, type, time); }
    clear() { module._sw_session_clear(this.ptr); }
    size() { return module._sw_session_size(this.ptr) >>> 0; }
    delete() {
      if (this.ptr) module._sw_session_delete(this.ptr);
      this.ptr = 0;
    }
  }

  class Engine {
    constructor() { this.ptr = module._sw_engine_new(); }
    reserveBundle(size) { return module._sw_engine_reserve_bundle(this.ptr, size) >>> 0; }
    commitBundle() { return module._sw_engine_commit_bundle(this.ptr); }
    hasModel() { return module._sw_engine_has_model(this.ptr) !== 0; }
    errorMessage() { return textOut(module._sw_engine_error_message(this.ptr)); }
    reserveExclude(count) { return module._sw_engine_reserve_exclude(this.ptr, count) >>> 0; }
    reserveContext(count) { return module._sw_engine_reserve_context(this.ptr, count) >>> 0; }
    reservePage(count) { return module._sw_engine_reserve_page(this.ptr, count) >>> 0; }
    recommend(session, k, excludeCount) { return module._sw_engine_recommend(this.ptr, session.ptr, k, excludeCount); }
    related(item, k, excludeCount) { return module._sw_engine_related(this.ptr, item, k, excludeCount); }
    boughtTogether(item, k, excludeCount) { return module._sw_engine_bought_together(this.ptr, item, k, excludeCount); }
    rank(session, slot, k, contextCount, rerank, pageCount, excludeCount, rules) {
      const slotSize = textIn(0, slot);
      const rulesSize = textIn(1, rules);
      return module._sw_engine_rank(this.ptr, session.ptr, slotSize, k, contextCount, rerank ? 1 : 0, pageCount, excludeCount, rulesSize);
    }
    intent(session) { return valueOut(module._sw_engine_intent(this.ptr, session.ptr)); }
    hasItemFactors() { return module._sw_engine_has_item_factors(this.ptr) !== 0; }
    userAdd(item, type) { module._sw_engine_user_add(this.ptr, item, type); }
    userRemove(item, type) { module._sw_engine_user_remove(this.ptr, item, type); }
    userClear() { module._sw_engine_user_clear(this.ptr); }
    userHistoryItems() { return module._sw_engine_user_history_items(this.ptr) >>> 0; }
    resultItems() { return module._sw_engine_result_items(this.ptr) >>> 0; }
    resultScores() { return module._sw_engine_result_scores(this.ptr) >>> 0; }
    resultSources() { return module._sw_engine_result_sources(this.ptr) >>> 0; }
    resultBecause() { return module._sw_engine_result_because(this.ptr) >>> 0; }
    itemIndex(itemId) { return module._sw_engine_item_index(this.ptr, textIn(0, itemId)); }
    itemId(index) { return textOut(module._sw_engine_item_id(this.ptr, index)); }
    itemCount() { return module._sw_engine_item_count(this.ptr) >>> 0; }
    kind() { return textOut(module._sw_engine_kind(this.ptr)); }
    version() { return textOut(module._sw_engine_version(this.ptr)); }
    manifest() { return valueOut(module._sw_engine_manifest(this.ptr)); }
    hasCatalog() { return module._sw_engine_has_catalog(this.ptr) !== 0; }
    itemAttributes(index) { return valueOut(module._sw_engine_item_attributes(this.ptr, index)); }
    delete() {
      if (this.ptr) module._sw_engine_delete(this.ptr);
      this.ptr = 0;
    }
  }

  class Behaviour {
    constructor() { this.ptr = module._sw_behaviour_new(); }
    reserve(count) { return module._sw_behaviour_reserve(this.ptr, count) >>> 0; }
    types() { return module._sw_behaviour_types(this.ptr) >>> 0; }
    times() { return module._sw_behaviour_times(this.ptr) >>> 0; }
    compute(engine, count, now, hour, device, halfLifeDays) {
      return module._sw_behaviour_compute(this.ptr, engine.ptr, count, now, hour, device, halfLifeDays);
    }
    result() { return valueOut(module._sw_behaviour_result(this.ptr)); }
    errorMessage() { return textOut(module._sw_behaviour_error_message(this.ptr)); }
    delete() {
      if (this.ptr) module._sw_behaviour_delete(this.ptr);
      this.ptr = 0;
    }
  }

  return {
    Engine,
    Session,
    Behaviour,
    errorCodeNames: () => valueOut(module._sw_error_code_names()),
    get HEAPU8() { return module.HEAPU8; },
    get HEAPU32() { return module.HEAPU32; },
  };
}

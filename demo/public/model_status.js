// The model-status line: the model in use, how the last sync went and when the channel was last
// checked (re-read every second from the SDK's syncStatus()).
import { $ } from './dom.js';

export class ModelStatus {
  #personalizer;
  #lastUpdate = null;
  #started;

  constructor(personalizer, startedMs) {
    this.#personalizer = personalizer;
    this.#started = startedMs;
    personalizer.addEventListener('update', (event) => {
      this.#lastUpdate = { source: event.detail.source, at: new Date() };
      this.render();
    });
    personalizer.addEventListener('error', () => this.render());
    setInterval(() => this.render(), 1000);
  }

  render() {
    const info = this.#personalizer.modelInfo();
    $('model-status').textContent = `model ${info.version} · ${info.kind} · ${info.itemCount} items · ${info.sha256?.slice(0, 12) ?? ''}`;
    $('model-status').dataset.sha256 = info.sha256 ?? '';
    const status = this.#personalizer.syncStatus();
    const parts = [this.#lastUpdate
      ? `last sync: new model from ${this.#lastUpdate.source} at ${this.#lastUpdate.at.toLocaleTimeString()}`
      : `ready in ${this.#started} ms`];
    if (status?.lastCheckedAt) {
      const result = status.lastError
        ? `failed (${status.lastError.code}); still using the current model`
        : 'up to date';
      parts.push(`last check ${new Date(status.lastCheckedAt).toLocaleTimeString()}: ${result}`);
      $('sync-status').dataset.lastCheck = status.lastError ? status.lastError.code : 'ok';
    }
    $('sync-status').textContent = parts.join(' · ');
  }
}

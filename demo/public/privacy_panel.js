// "Your data": the consent choice, what this device keeps (the profile exactly as the SDK exports
// it), export and erase, and what the model infers about the visit (session intent, segments)
// when the SDK in use offers it: those methods are looked up, never assumed.
import { $ } from './dom.js';

const CONSENT_KEY = 'shelfwise-demo-consent';
// Optional SDK methods describing the visit, in the order they are shown.
const INSIGHTS = Object.freeze([
  ['sessionIntent', 'intent'], ['intent', 'intent'], ['segments', 'segment'], ['segment', 'segment'],
  ['affinities', 'affinities'], ['propensity', 'propensity'],
]);

export function storedConsent() {
  return localStorage.getItem(CONSENT_KEY) ?? 'session-only';
}

function summarize(value) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return String(value);
  const text = Object.entries(value).filter(([, field]) => field !== null && field !== undefined)
    .map(([key, field]) => `${key} ${typeof field === 'number' ? Number(field.toFixed(2)) : typeof field === 'object' ? JSON.stringify(field) : field}`)
    .join(', ');
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

export class PrivacyPanel {
  #personalizer;
  #onChange;
  #generation = 0;

  constructor(personalizer, onChange) {
    this.#personalizer = personalizer;
    this.#onChange = onChange;
    $('consent').addEventListener('change', async () => {
      localStorage.setItem(CONSENT_KEY, $('consent').value);
      await personalizer.setConsent($('consent').value);
      this.#showConsent(); // applied, storage included
      onChange();
    });
    $('export-profile').addEventListener('click', async () => {
      $('export-output').textContent = JSON.stringify(await personalizer.exportProfile(), null, 2);
      $('export-output').hidden = false;
    });
    $('erase-profile').addEventListener('click', async () => {
      await personalizer.erase();
      $('export-output').hidden = true;
      onChange();
    });
    // Another tab changed the shared profile or the consent.
    personalizer.addEventListener('profile', () => {
      this.#showConsent();
      onChange();
    });
    this.#showConsent();
  }

  #showConsent() {
    $('consent').value = this.#personalizer.consent();
    document.body.dataset.consent = this.#personalizer.consent();
  }

  /** Re-reads what the device keeps and what the SDK says about the visit. */
  async refresh() {
    const generation = ++this.#generation;
    const profile = await this.#personalizer.exportProfile();
    if (generation !== this.#generation) return; // a newer refresh is under way
    const where = profile.stored ? 'stored on this device (encrypted)' : 'kept in this tab only, gone on reload';
    $('stored-summary').textContent = profile.consent === 'none'
      ? 'Nothing is kept: recommendations are not personal.'
      : `${profile.events.length} event${profile.events.length === 1 ? '' : 's'} ${where}.`;
    $('stored-summary').dataset.events = String(profile.events.length);
    $('stored-summary').dataset.stored = String(profile.stored);
    const lines = [];
    for (const [method, label] of INSIGHTS) {
      if (typeof this.#personalizer[method] !== 'function' || lines.some((line) => line.startsWith(`${label}:`))) continue;
      try {
        const text = summarize(await this.#personalizer[method]());
        if (text) lines.push(`${label}: ${text}`);
      } catch {
        // An insight the current model cannot give (e.g. an older bundle) is simply not shown.
      }
    }
    if (generation !== this.#generation) return;
    $('intent').textContent = lines.length > 0 ? lines.join(' · ') : 'Session intent: not offered by this SDK version.';
    $('intent').dataset.available = String(lines.length > 0);
  }
}

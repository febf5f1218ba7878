// The shopper's choice, passed by the page (the SDK never asks):
//   'none'          nothing is kept, not even for the tab; only non-personal results (popular, related-to-this-page)
//   'session-only'  this visit's events in the tab's memory; nothing is written to storage
//   'full'          events are also stored on the device (encrypted in browsers) and shared by the shop's tabs
import { invalidArgument } from './errors.js';

export const CONSENT_LEVELS = Object.freeze(['none', 'session-only', 'full']);
export const DEFAULT_CONSENT = 'session-only';

export function checkConsent(consent) {
  if (!CONSENT_LEVELS.includes(consent)) throw invalidArgument(`consent '${consent}' is not one of ${CONSENT_LEVELS.join(', ')}`);
  return consent;
}

// What a Personalizer dispatches (it is an EventTarget):
//   'update'  detail { source: 'network'|'storage'|'rollback', version, kind, sha256, sequence, previousSha256 }
//   'error'   detail { error, retryInMs }, and event.error, a ShelfwiseError with a code
//   'profile' detail { change: 'events'|'erase'|'consent', consent }: another tab changed the shared profile
// Errors are events, not rejections: sync never breaks the page, and the model in use stays.
export class PersonalizerEvent extends Event {
  constructor(type, detail) {
    super(type);
    this.detail = detail;
    this.error = detail?.error ?? null;
  }
}

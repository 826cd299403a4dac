package dev.sluice.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.EventIdentity;
import dev.sluice.core.backlog.ReleaseRecord;

/** One release-log line as exported by {@code GET /v1/releases} and {@code sluice releases}. */
final class ReleaseJson {
  private ReleaseJson() {}

  static ObjectNode of(ReleaseRecord r, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("releaseId", r.releaseId());
    o.put("eventId", r.eventId());
    // null once retention deleted the event while its release stays in the log
    EventIdentity identity = r.identity() == null ? null : EventIdentity.fromString(r.identity());
    o.put("identity", identity == null ? null : identity.toString());
    o.put("idempotencyKey", identity == null ? null : identity.idempotencyKey());
    o.put("bucket", r.bucket());
    o.put("key", r.key());
    o.put("attempt", r.attempt());
    o.put("releasedAt", r.releasedAt().toString());
    o.put("reachedAt", r.reachedAt() == null ? null : r.reachedAt().toString());
    o.put("answeredAt", r.answeredAt() == null ? null : r.answeredAt().toString());
    o.put("outcome", r.outcome());
    o.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
    if (r.error() != null) {
      o.put("error", r.error());
    }
    if (r.batch() != null) {
      // the releases of one batch share it: the lowest release id among its members
      o.put("batch", r.batch());
    }
    return o;
  }
}

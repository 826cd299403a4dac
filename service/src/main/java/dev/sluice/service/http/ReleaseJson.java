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
    o.put("identity", readableIdentity(r));
    o.put("bucket", r.bucket());
    o.put("key", r.key());
    o.put("attempt", r.attempt());
    o.put("releasedAt", r.releasedAt().toString());
    o.put("outcome", r.outcome());
    o.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
    if (r.error() != null) {
      o.put("error", r.error());
    }
    return o;
  }

  /**
   * The identity as {@code GET /v1/dead} shows it ({@code bucket/key@version}). The stored form
   * separates its parts with NUL, which has no place in a text export (grep calls it binary).
   */
  static String readableIdentity(ReleaseRecord r) {
    String stored = r.identity();
    int first = stored.indexOf('\u0000');
    int last = stored.lastIndexOf('\u0000');
    if (first < 0 || first == last) {
      return stored;
    }
    return new EventIdentity(
            stored.substring(0, first), stored.substring(first + 1, last), stored.substring(last + 1))
        .toString();
  }
}

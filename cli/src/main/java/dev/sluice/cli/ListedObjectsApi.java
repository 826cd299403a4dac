package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.ListedObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's endpoints for listed objects: {@code POST /v1/events/lookup} (which has the backlog
 * seen) and {@code POST /v1/events/listed} (take the unseen ones as events). A page is sent in
 * parts small enough for the service's body limit (1 MiB by default) whatever the keys.
 */
final class ListedObjectsApi {
  // Half the default body limit: room for keys of up to 1,024 bytes, escaped.
  private static final int MAX_BODY_CHARS = 512 * 1024;

  private final ApiClient api;

  ListedObjectsApi(ApiClient api) {
    this.api = api;
  }

  /** What the service did with listed objects it was asked to take. */
  record Taken(int taken, int known) {}

  /** For each object, in order, whether the backlog has seen it. */
  List<Boolean> known(List<ListedObject> objects) {
    List<Boolean> known = new ArrayList<>(objects.size());
    for (List<ListedObject> part : parts(objects, null)) {
      JsonNode r = Json.read(api.call("POST", "v1/events/lookup", body(part, null)));
      JsonNode answer = r.path("known");
      if (!answer.isArray() || answer.size() != part.size()) {
        throw new CliException("the service answered a lookup of " + part.size() + " with " + r);
      }
      answer.forEach(k -> known.add(k.asBoolean()));
    }
    return known;
  }

  /** Takes the objects the backlog has not seen as events of {@code source}. */
  Taken take(List<ListedObject> objects, String source) {
    int taken = 0;
    int known = 0;
    for (List<ListedObject> part : parts(objects, source)) {
      JsonNode r = Json.read(api.call("POST", "v1/events/listed", body(part, source)));
      taken += r.path("taken").asInt();
      known += r.path("known").asInt();
    }
    return new Taken(taken, known);
  }

  /** The objects in runs of at most 1,000 whose bodies fit the limit. */
  private static List<List<ListedObject>> parts(List<ListedObject> objects, String source) {
    List<List<ListedObject>> parts = new ArrayList<>();
    for (int from = 0; from < objects.size(); from += 1_000) {
      split(objects.subList(from, Math.min(objects.size(), from + 1_000)), source, parts);
    }
    return parts;
  }

  private static void split(List<ListedObject> run, String source, List<List<ListedObject>> parts) {
    if (run.size() > 1 && body(run, source).length() > MAX_BODY_CHARS) {
      int half = run.size() / 2;
      split(run.subList(0, half), source, parts);
      split(run.subList(half, run.size()), source, parts);
    } else {
      parts.add(run);
    }
  }

  private static String body(List<ListedObject> objects, String source) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (source != null) {
      body.put("source", source);
    }
    ArrayNode arr = body.putArray("objects");
    for (ListedObject o : objects) {
      ObjectNode n = arr.addObject().put("bucket", o.bucket()).put("key", o.key());
      if (o.eTag() != null) {
        n.put("eTag", o.eTag());
      }
      if (o.size() != null) {
        n.put("size", o.size());
      }
      if (o.lastModified() != null) {
        n.put("lastModified", o.lastModified().toString());
      }
    }
    return body.toString();
  }
}

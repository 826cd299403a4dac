package dev.sluice.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.control.AuditEntry;
import java.io.IOException;

/** An audit entry as the API shows it; the states before and after are JSON, shown as such. */
final class AuditJson {
  private AuditJson() {}

  static ObjectNode of(AuditEntry e, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("id", e.id());
    o.put("at", e.at().toString());
    o.put("action", e.action());
    o.put("via", e.via());
    o.put("client", e.client());
    o.set("before", parse(e.before(), json));
    o.set("after", parse(e.after(), json));
    return o;
  }

  private static JsonNode parse(String text, ObjectMapper json) {
    if (text == null) {
      return json.nullNode();
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      // Written by this code as JSON; should a row hold plain text, show it as text.
      return json.getNodeFactory().textNode(text);
    }
  }
}

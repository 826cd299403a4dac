package dev.sluice.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.gate.Capacity;
import dev.sluice.core.gate.CapacitySchedule;
import dev.sluice.core.gate.Limits;
import dev.sluice.core.gate.ScheduleRule;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A capacity schedule as a document, with the same keys and checks in the {@code schedule:} section
 * of the config file and in {@code PUT /v1/schedule}:
 *
 * <pre>{@code
 * zone: Europe/Berlin
 * rules:
 *   - name: backup
 *     from: "02:00"
 *     until: "04:00"
 *     blackout: true
 *   - name: night
 *     days: [mon, tue, wed, thu, fri]
 *     from: "22:00"
 *     until: "06:00"
 *     limits:
 *       window: {limit: 500, every: 1m}
 * }</pre>
 *
 * A rule's {@code days} default to every day ({@code weekdays} and {@code weekend} name five and
 * two); its {@code limits} take the keys of the {@code limits:} section, and a part a rule leaves
 * out keeps the base limit.
 */
public final class ScheduleDocument {

  private static final String SCHEDULE = "schedule";

  private ScheduleDocument() {}

  /**
   * Reads a schedule document; {@code {}} or no rules is no schedule.
   *
   * @throws ConfigException naming the key and the problem
   */
  public static CapacitySchedule read(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new ConfigException(SCHEDULE + ": expected an object with zone and rules");
    }
    return read(YamlSection.at(SCHEDULE, node));
  }

  static CapacitySchedule read(YamlSection s) {
    s.allowOnly("zone", "rules");
    List<YamlSection> ruleSections = s.sections("rules");
    String zoneText = s.string("zone", null);
    ZoneId zone;
    if (zoneText == null) {
      if (!ruleSections.isEmpty()) {
        throw s.error(
            "zone",
            "required: the time zone the rules' days and times are read in"
                + " (for example Europe/Berlin or UTC)");
      }
      zone = CapacitySchedule.NONE.zone();
    } else {
      try {
        zone = ZoneId.of(zoneText.strip());
      } catch (DateTimeException e) {
        throw s.error("zone", "unknown time zone '" + zoneText + "' (for example Europe/Berlin)");
      }
    }
    List<ScheduleRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlSection r : ruleSections) {
      ScheduleRule rule = rule(r);
      if (!names.add(rule.name())) {
        throw r.error("name", "'" + rule.name() + "' names an earlier rule too; names must differ");
      }
      rules.add(rule);
    }
    return new CapacitySchedule(zone, rules);
  }

  private static ScheduleRule rule(YamlSection r) {
    r.allowOnly("name", "days", "from", "until", "blackout", "limits");
    String name = r.string("name", null);
    if (name == null || name.isBlank()) {
      throw r.error("name", "required: how the rule is shown (for example night or backup)");
    }
    Set<DayOfWeek> days = days(r);
    LocalTime from = time(r, "from");
    LocalTime until = time(r, "until");
    boolean blackout = r.bool("blackout", false);
    Limits limits = r.section("limits").map(ConfigReader::limits).orElse(null);
    if (blackout && limits != null) {
      throw r.error("limits", "a blackout releases nothing: set limits or blackout, not both");
    }
    if (!blackout && (limits == null || limits.equals(Limits.none()))) {
      throw new ConfigException(
          r.path() + ": set limits (window, rate or concurrency) or blackout: true");
    }
    try {
      return new ScheduleRule(
          name,
          days,
          from,
          until,
          blackout,
          limits == null ? null : limits.window(),
          limits == null ? null : limits.rate(),
          limits == null ? null : limits.maxInFlight());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(r.path() + ": " + e.getMessage(), e);
    }
  }

  private static Set<DayOfWeek> days(YamlSection r) {
    List<String> names = r.strings("days", null);
    if (names == null) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    if (names.isEmpty()) {
      throw r.error("days", "name at least one day (or leave days out: every day)");
    }
    EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String n : names) {
      String name = n.strip().toLowerCase(Locale.ROOT);
      switch (name) {
        case "weekdays" -> days.addAll(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        case "weekend" -> days.addAll(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
        default -> days.add(day(r, name, n));
      }
    }
    return days;
  }

  private static DayOfWeek day(YamlSection r, String name, String written) {
    for (DayOfWeek d : DayOfWeek.values()) {
      String full = d.name().toLowerCase(Locale.ROOT);
      if (name.equals(full) || name.equals(full.substring(0, 3))) {
        return d;
      }
    }
    throw r.error(
        "days",
        "unknown day '"
            + written
            + "' (expected mon, tue, wed, thu, fri, sat, sun, their full names, weekdays or"
            + " weekend)");
  }

  private static LocalTime time(YamlSection r, String key) {
    String text = r.string(key, null);
    if (text == null) {
      throw r.error(key, "required: a local time HH:MM or HH:MM:SS");
    }
    String t = text.strip();
    if (t.equals("24:00") || t.equals("24:00:00")) {
      return LocalTime.MIDNIGHT;
    }
    try {
      if (!t.matches("\\d{2}:\\d{2}(:\\d{2})?")) {
        throw new DateTimeParseException("not HH:MM", t, 0);
      }
      return LocalTime.parse(t);
    } catch (DateTimeParseException e) {
      throw r.error(
          key, "expected a local time HH:MM or HH:MM:SS (00:00 to 24:00), got '" + text + "'");
    }
  }

  /** The schedule as a document that {@link #read(JsonNode)} reads back to an equal schedule. */
  public static ObjectNode write(CapacitySchedule schedule, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("zone", schedule.zone().getId());
    ArrayNode rules = o.putArray("rules");
    for (ScheduleRule r : schedule.rules()) {
      ObjectNode rule = rules.addObject();
      rule.put("name", r.name());
      ArrayNode days = rule.putArray("days");
      for (DayOfWeek d : EnumSet.copyOf(r.days())) {
        days.add(d.name().toLowerCase(Locale.ROOT).substring(0, 3));
      }
      rule.put("from", r.from().toString());
      rule.put("until", r.until().toString());
      if (r.blackout()) {
        rule.put("blackout", true);
      } else {
        ObjectNode limits =
            LimitsDocument.write(new Limits(r.window(), r.rate(), r.maxInFlight()), json);
        // In a rule, a part left out keeps the base limit: write only the parts it sets.
        List<String> unset = new ArrayList<>();
        limits.fieldNames().forEachRemaining(f -> unset.add(f));
        unset.removeIf(f -> !limits.get(f).isNull());
        limits.remove(unset);
        rule.set("limits", limits);
      }
    }
    return o;
  }

  /**
   * What the schedule gives now: {@code {"limits": ..., "blackout": false, "rules": ["night"],
   * "nextChange": "2026-06-02T04:00:00Z"}} ({@code nextChange} null when it never changes).
   */
  public static ObjectNode writeCapacity(Capacity capacity, ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.set("limits", LimitsDocument.write(capacity.limits(), json));
    o.put("blackout", capacity.blackout());
    ArrayNode rules = o.putArray("rules");
    capacity.rules().forEach(rules::add);
    if (capacity.nextChange() == null) {
      o.putNull("nextChange");
    } else {
      o.put("nextChange", capacity.nextChange().toString());
    }
    return o;
  }
}

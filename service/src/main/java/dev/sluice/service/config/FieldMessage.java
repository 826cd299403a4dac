package dev.sluice.service.config;

/**
 * Turns a record's validation message ({@code window.limit must be > 0, got -5}, field name first,
 * as the records in core and here write them) into a config error naming the full key ({@code
 * limits.window.limit: must be > 0, got -5}).
 */
final class FieldMessage {
  private FieldMessage() {}

  /**
   * @param section the key path of the section that built the record, empty for the top level
   * @param message the record's message: a field name, a space, the problem
   */
  static String qualify(String section, String message) {
    int space = message.indexOf(' ');
    if (space <= 0) {
      return section.isEmpty() ? message : section + ": " + message;
    }
    String field = message.substring(0, space);
    String problem = message.substring(space + 1);
    return (section.isEmpty() ? field : section + "." + field) + ": " + problem;
  }
}

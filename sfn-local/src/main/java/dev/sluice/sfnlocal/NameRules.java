package dev.sluice.sfnlocal;

/**
 * The characters Step Functions refuses in an execution (or state machine) name: white space,
 * {@code < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /}, control characters (U+0000–001F,
 * U+007F–009F, U+FFFE–FFFF), lone surrogates and U+10FFFF. The length rule (1 to 80) is a model
 * constraint, checked apart, because the service answers it with a different error.
 */
final class NameRules {

  static final int MAX_LENGTH = 80;

  private static final String FORBIDDEN = "<>{}[]?*\"#%\\^|~`$&,;:/";

  private NameRules() {}

  /** Whether every character of {@code name} is one Step Functions takes in a name. */
  static boolean hasOnlyAllowedCharacters(String name) {
    return name.codePoints().allMatch(NameRules::allowed);
  }

  private static boolean allowed(int c) {
    if (c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF || c == 0x10FFFF) {
      return false;
    }
    if (c >= 0xD800 && c <= 0xDFFF) {
      return false; // a lone surrogate: a paired one arrives as one supplementary code point
    }
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return false;
    }
    return FORBIDDEN.indexOf(c) < 0;
  }
}

package dev.sluice.service.http;

/**
 * An HTTP answer other than success: its status, a code a program can test ({@code bad_request},
 * {@code store_full}, ...) and the message the JSON body carries.
 */
final class ApiError extends RuntimeException {
  final int status;
  final String code;

  ApiError(int status, String message) {
    this(status, codeOf(status), message);
  }

  ApiError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** The code of an answer with this status when nothing more precise is known. */
  static String codeOf(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 413 -> "too_large";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal" : "error";
    };
  }
}

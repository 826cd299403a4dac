package dev.sluice.service.http;

/** An HTTP answer other than success: its status and the message the JSON body carries. */
final class ApiError extends RuntimeException {
  final int status;

  ApiError(int status, String message) {
    super(message);
    this.status = status;
  }
}

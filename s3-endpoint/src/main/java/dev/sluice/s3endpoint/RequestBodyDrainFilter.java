package dev.sluice.s3endpoint;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Reads what s3proxy left of a request body before the request completes, so the connection stays
 * usable.
 *
 * <p>s3proxy reads an aws-chunked body only up to the object's decoded length and leaves the end
 * (the zero-length chunk, the checksum trailer) unread. When those bytes are still in flight as the
 * response completes, Jetty closes the connection; the client, still writing them, sees a write
 * error on a request that succeeded and sends it again, which makes a second event for one object.
 * About one request in a few hundred did so before this filter.
 */
final class RequestBodyDrainFilter implements Filter {
  /** More than this is left on purpose (an error answered early); let Jetty close instead. */
  static final int MAX_LEFTOVER_BYTES = 64 * 1024;

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(request, response);
    drain(request);
  }

  private static void drain(ServletRequest request) {
    try {
      ServletInputStream body = request.getInputStream();
      byte[] buffer = new byte[8192];
      long left = MAX_LEFTOVER_BYTES;
      while (left > 0) {
        int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException | IllegalStateException e) {
      // The body was read as a Reader, or the client went away: Jetty handles the connection as it
      // would have without this filter.
    }
  }
}

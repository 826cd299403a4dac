package dev.sluice.service.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Protected mode, as Redis has it: a service that listens beyond loopback must have credentials, or
 * be told explicitly that it may run open. Otherwise anyone who can reach the port could post
 * events, pause the release or purge the dead letters.
 */
public final class ProtectedMode {
  private ProtectedMode() {}

  /** Why this configuration must not start, in one line; empty when it may. */
  public static Optional<String> refusal(SluiceConfig config) {
    HttpConfig http = config.http();
    if (!isLoopback(http.host()) && !http.allowUnprotected()) {
      WebhookAuthConfig webhook = config.webhookAuth();
      boolean webhookOpen = !webhook.requiresBearer() && !webhook.requiresSignature();
      boolean controlOpen = !http.requiresControlToken() && !webhook.protectControl();
      if (webhookOpen || controlOpen) {
        String open =
            webhookOpen && controlOpen
                ? "the webhook and the control endpoints are open"
                : webhookOpen
                    ? "the webhook is open (no sources.webhook.auth bearer-token or hmac-secret)"
                    : "the control endpoints are open (no http.control-token)";
        return Optional.of(
            "refusing to serve the HTTP API on "
                + http.host()
                + ", beyond loopback, while "
                + open
                + ": set "
                + (webhookOpen ? "sources.webhook.auth" : "")
                + (webhookOpen && controlOpen ? " and " : "")
                + (controlOpen ? "http.control-token" : "")
                + ", or http.allow-unprotected: true to serve it open");
      }
    }
    S3EndpointConfig s3 = config.s3Endpoint();
    if (s3.enabled()
        && !isLoopback(s3.host())
        && !s3.requiresAuthentication()
        && !s3.allowUnprotected()) {
      return Optional.of(
          "refusing to serve the S3 endpoint on "
              + s3.host()
              + ", beyond loopback, without credentials: set s3-endpoint.access-key and"
              + " s3-endpoint.secret-key, or s3-endpoint.allow-unprotected: true to serve it open");
    }
    return Optional.empty();
  }

  /**
   * Whether an address to bind reaches this host only. Names other than {@code localhost} count as
   * beyond loopback: what they resolve to can change.
   */
  static boolean isLoopback(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }
}

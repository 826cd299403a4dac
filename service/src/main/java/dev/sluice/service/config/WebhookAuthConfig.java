package dev.sluice.service.config;

import java.util.regex.Pattern;

/**
 * Who may post to the intake webhook ({@code sources.webhook.auth}). Each credential that is set is
 * required; with neither set the webhook is open, as it is on its default 127.0.0.1 binding.
 *
 * @param bearerToken the token of {@code Authorization: Bearer <token>}, as MinIO sends it with
 *     {@code auth_token}; null for none
 * @param hmacSecret key of an HMAC-SHA256 over the raw body, carried in {@code hmacHeader}; null
 *     for none
 * @param hmacHeader the header that carries the signature, as lowercase hex or {@code sha256=<hex>}
 * @param protectControl whether the control endpoints (everything under {@code /v1} except {@code
 *     POST /v1/events}) also need the bearer token; {@code /healthz} always stays open
 */
public record WebhookAuthConfig(
    String bearerToken, String hmacSecret, String hmacHeader, boolean protectControl) {

  public static final String DEFAULT_HMAC_HEADER = "X-Sluice-Signature";

  /** An HTTP header name (RFC 9110 token). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  public WebhookAuthConfig {
    if (bearerToken != null && bearerToken.isBlank()) {
      throw new IllegalArgumentException("bearer-token must not be empty; leave it null for none");
    }
    if (hmacSecret != null && hmacSecret.isEmpty()) {
      throw new IllegalArgumentException("hmac-secret must not be empty; leave it null for none");
    }
    if (hmacHeader == null || !HEADER_NAME.matcher(hmacHeader).matches()) {
      throw new IllegalArgumentException(
          "hmac-header must be an HTTP header name like "
              + DEFAULT_HMAC_HEADER
              + ", got '"
              + hmacHeader
              + "'");
    }
    if (hmacHeader.equalsIgnoreCase("Authorization")) {
      throw new IllegalArgumentException(
          "hmac-header must not be Authorization: that header carries the bearer token");
    }
    if (protectControl && bearerToken == null) {
      throw new IllegalArgumentException(
          "protect-control needs bearer-token: the control endpoints are guarded by the token");
    }
  }

  /** No auth: anyone who can reach the port may post. */
  public static WebhookAuthConfig none() {
    return new WebhookAuthConfig(null, null, DEFAULT_HMAC_HEADER, false);
  }

  public static WebhookAuthConfig bearer(String token) {
    return new WebhookAuthConfig(token, null, DEFAULT_HMAC_HEADER, false);
  }

  public static WebhookAuthConfig hmac(String secret) {
    return new WebhookAuthConfig(null, secret, DEFAULT_HMAC_HEADER, false);
  }

  public boolean requiresBearer() {
    return bearerToken != null;
  }

  public boolean requiresSignature() {
    return hmacSecret != null;
  }

  /** Never prints the secrets, so a logged config leaks nothing. */
  @Override
  public String toString() {
    return "WebhookAuthConfig[bearerToken="
        + (bearerToken == null ? "none" : "***")
        + ", hmacSecret="
        + (hmacSecret == null ? "none" : "***")
        + ", hmacHeader="
        + hmacHeader
        + ", protectControl="
        + protectControl
        + "]";
  }
}

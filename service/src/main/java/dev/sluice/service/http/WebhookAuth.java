package dev.sluice.service.http;

import dev.sluice.service.config.WebhookAuthConfig;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's credentials against {@link WebhookAuthConfig}: the bearer token and the
 * HMAC-SHA256 signature of the raw body, each compared in constant time. A failure names what was
 * missing or wrong, never the expected value.
 */
final class WebhookAuth {
  private static final String HMAC = "HmacSHA256";
  private static final String BEARER = "bearer ";
  private static final String SHA256_PREFIX = "sha256=";

  private final WebhookAuthConfig config;
  private final byte[] tokenDigest;
  private final SecretKeySpec hmacKey;

  WebhookAuth(WebhookAuthConfig config) {
    this.config = config;
    this.tokenDigest = config.requiresBearer() ? sha256(config.bearerToken()) : null;
    this.hmacKey =
        config.requiresSignature()
            ? new SecretKeySpec(config.hmacSecret().getBytes(StandardCharsets.UTF_8), HMAC)
            : null;
  }

  boolean protectsControl() {
    return config.protectControl();
  }

  /**
   * The problem with a webhook post, or empty when it may pass.
   *
   * @param authorization the {@code Authorization} header, or null
   * @param signature the signature header, or null
   * @param body the raw body as received
   */
  Optional<String> checkPost(String authorization, String signature, byte[] body) {
    Optional<String> bearer = checkBearer(authorization);
    if (bearer.isPresent()) {
      return bearer;
    }
    return checkSignature(signature, body);
  }

  /** The problem with a control call, or empty; only the bearer token guards these. */
  Optional<String> checkControl(String authorization) {
    return checkBearer(authorization);
  }

  String signatureHeader() {
    return config.hmacHeader();
  }

  private Optional<String> checkBearer(String authorization) {
    if (!config.requiresBearer()) {
      return Optional.empty();
    }
    if (authorization == null || authorization.isBlank()) {
      return Optional.of("missing Authorization header: expected 'Bearer <token>'");
    }
    String value = authorization.strip();
    boolean matches = false;
    if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      matches = sameToken(value.substring(BEARER.length()).strip());
    }
    // MinIO sends an auth_token that already has two words ("<scheme> <token>") as it is, without
    // putting "Bearer" in front; such a configured token matches the whole header.
    if (!matches && config.bearerToken().strip().contains(" ")) {
      matches = sameToken(value);
    }
    return matches
        ? Optional.empty()
        : Optional.of(
            "wrong credentials in the Authorization header: the bearer token does not match");
  }

  /** Compares digests, so the time taken depends neither on the content nor on the length. */
  private boolean sameToken(String presented) {
    return MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  private Optional<String> checkSignature(String signature, byte[] body) {
    if (!config.requiresSignature()) {
      return Optional.empty();
    }
    String header = config.hmacHeader();
    if (signature == null || signature.isBlank()) {
      return Optional.of(
          "missing "
              + header
              + " header: expected the HMAC-SHA256 of the body as hex or sha256=<hex>");
    }
    String hex = signature.strip();
    if (hex.toLowerCase(Locale.ROOT).startsWith(SHA256_PREFIX)) {
      hex = hex.substring(SHA256_PREFIX.length());
    }
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(hex);
    } catch (IllegalArgumentException e) {
      return Optional.of(
          header + " is not hex: expected the HMAC-SHA256 of the body as hex or sha256=<hex>");
    }
    return MessageDigest.isEqual(hmac(body), presented)
        ? Optional.empty()
        : Optional.of(header + " does not match the body: wrong secret or a changed body");
  }

  private byte[] hmac(byte[] body) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(hmacKey);
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}

package dev.sluice.service.http;

import dev.sluice.service.config.HttpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may use the control endpoints. With {@code http.control-token} set, every action (pause,
 * resume, drain, limits, redrive, purge) needs {@code Authorization: Bearer <control-token>}, and
 * the read-only views (status, limits, dead letters, releases, audit) need it from any client
 * beyond loopback; a client on the service's own host reads them freely. Without it, the older
 * {@code sources.webhook.auth.protect-control} guards actions and views alike with the webhook's
 * token; with neither, control is open (protected mode allows that only on loopback).
 */
final class ControlAccess {
  private static final String BEARER = "bearer ";

  private final byte[] controlTokenDigest;
  private final WebhookAuth webhook;

  ControlAccess(HttpConfig http, WebhookAuth webhook) {
    this.controlTokenDigest = http.requiresControlToken() ? sha256(http.controlToken()) : null;
    this.webhook = webhook;
  }

  /** The problem with an action's credentials, or empty when it may go on. */
  Optional<String> checkAction(String authorization) {
    if (controlTokenDigest != null) {
      return checkControlToken(authorization);
    }
    return webhook.protectsControl() ? webhook.checkControl(authorization) : Optional.empty();
  }

  /** The problem with a read-only view's credentials, or empty when it may go on. */
  Optional<String> checkView(String authorization, String clientAddress) {
    if (controlTokenDigest != null) {
      return isLoopback(clientAddress) ? Optional.empty() : checkControlToken(authorization);
    }
    return webhook.protectsControl() ? webhook.checkControl(authorization) : Optional.empty();
  }

  private Optional<String> checkControlToken(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Optional.of(
          "missing Authorization header: control needs 'Bearer <token>' with http.control-token");
    }
    String value = authorization.strip();
    boolean matches =
        value.regionMatches(true, 0, BEARER, 0, BEARER.length())
            && MessageDigest.isEqual(
                controlTokenDigest, sha256(value.substring(BEARER.length()).strip()));
    return matches
        ? Optional.empty()
        : Optional.of(
            "wrong credentials in the Authorization header: the control token does not match");
  }

  /** The address is the peer's literal IP, so this looks nothing up. */
  static boolean isLoopback(String address) {
    if (address == null || address.isBlank()) {
      return false;
    }
    try {
      String a = address.strip();
      if (a.startsWith("[") && a.endsWith("]")) {
        a = a.substring(1, a.length() - 1);
      }
      if (!a.matches("[0-9a-fA-F:.%]+")) {
        return false;
      }
      return InetAddress.getByName(a).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
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

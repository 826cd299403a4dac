package dev.sluice.sfnlocal;

import com.sun.net.httpserver.Headers;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that a request carries a SigV4 {@code Authorization} header scoped to Step Functions in
 * the endpoint's region, in the order and with the errors of the service's front end. The signature
 * itself is not verified: any secret key passes.
 */
final class SignatureHeader {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String SERVICE = "states";

  private SignatureHeader() {}

  /** Why the request is not signed as the service requires, or empty when it is. */
  static Optional<ApiError> check(Headers headers, String region) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null || !authorization.trim().startsWith("AWS4-")) {
      return Optional.of(ApiError.missingAuthenticationToken());
    }
    String trimmed = authorization.trim();
    int space = trimmed.indexOf(' ');
    String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
    Map<String, String> params = new HashMap<>();
    if (space > 0) {
      for (String part : trimmed.substring(space + 1).split("[, ]+")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          params.put(part.substring(0, eq), part.substring(eq + 1));
        }
      }
    }
    StringBuilder missing = new StringBuilder();
    for (String param : new String[] {"Credential", "Signature", "SignedHeaders"}) {
      if (params.get(param) == null || params.get(param).isEmpty()) {
        missing.append("Authorization header requires '").append(param).append("' parameter. ");
      }
    }
    if (headers.getFirst("X-Amz-Date") == null && headers.getFirst("Date") == null) {
      missing.append(
          "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
    }
    if (missing.length() > 0) {
      return Optional.of(ApiError.incompleteSignature(missing + "Authorization=" + authorization));
    }
    if (!algorithm.equals(ALGORITHM)) {
      return Optional.of(
          ApiError.incompleteSignature(
              "Unsupported AWS 'algorithm': '"
                  + algorithm
                  + "' (only "
                  + ALGORITHM
                  + " for now). "));
    }
    String credential = params.get("Credential");
    String[] scope = credential.replaceAll("/+$", "").split("/", -1);
    if (scope.length != 5) {
      return Optional.of(
          ApiError.incompleteSignature(
              "Credential must have exactly 5 slash-delimited elements, "
                  + "e.g. keyid/date/region/service/term, got '"
                  + credential
                  + "'"));
    }
    StringBuilder wrongScope = new StringBuilder();
    if (!scope[2].equals(region)) {
      wrongScope
          .append("Credential should be scoped to a valid region, not '")
          .append(scope[2])
          .append("'. ");
    }
    if (!scope[3].equals(SERVICE)) {
      wrongScope
          .append("Credential should be scoped to correct service: '")
          .append(SERVICE)
          .append("'. ");
    }
    if (!scope[4].equals("aws4_request")) {
      wrongScope
          .append("Credential should be scoped with a valid terminator: 'aws4_request', not '")
          .append(scope[4])
          .append("'. ");
    }
    if (wrongScope.length() > 0) {
      return Optional.of(ApiError.invalidSignature(wrongScope.toString().trim()));
    }
    boolean hostSigned = false;
    for (String h : params.get("SignedHeaders").split(";")) {
      hostSigned |= h.toLowerCase(Locale.ROOT).equals("host");
    }
    if (!hostSigned) {
      return Optional.of(
          ApiError.invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization."));
    }
    return Optional.empty();
  }
}

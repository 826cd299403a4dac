package dev.sluice.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** The {@code --url} option shared by the commands that talk to a running service. */
final class ServiceUrl {
  @Option(
      names = "--url",
      description = "URL of the running service (default: $SLUICE_URL or http://127.0.0.1:8080)")
  String url;

  @Option(
      names = "--token",
      description =
          "Control token, when the service has one (http.control-token, or the webhook's"
              + " token with sources.webhook.auth.protect-control; default: $SLUICE_TOKEN)")
  String token;

  ApiClient client() {
    String u =
        url != null ? url : System.getenv().getOrDefault("SLUICE_URL", "http://127.0.0.1:8080");
    URI uri;
    try {
      uri = URI.create(u.endsWith("/") ? u : u + "/");
    } catch (IllegalArgumentException e) {
      throw new CliException("--url is not a URL: " + u);
    }
    if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
      throw new CliException("--url must start with http:// or https://, got " + u);
    }
    return new ApiClient(uri, token != null ? token : System.getenv("SLUICE_TOKEN"));
  }
}

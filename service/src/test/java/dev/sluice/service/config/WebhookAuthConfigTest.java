package dev.sluice.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** {@code sources.webhook.auth} in the YAML file: read with its defaults, bad values named. */
class WebhookAuthConfigTest {

  private static String errorOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml));
    assertThat(e).as("expected a ConfigException for:\n%s", yaml).isNotNull();
    return e.getMessage();
  }

  @Test
  void parse_whenNoSourcesSection_leavesTheWebhookOpen() {
    WebhookAuthConfig auth = ConfigLoader.parse("http: { port: 8081 }\n").webhookAuth();

    assertThat(auth.requiresBearer()).isFalse();
    assertThat(auth.requiresSignature()).isFalse();
    assertThat(auth.protectControl()).isFalse();
  }

  @Test
  void parse_whenAuthSet_readsEveryKey() {
    WebhookAuthConfig auth =
        ConfigLoader.parse(
                "sources:\n"
                    + "  webhook:\n"
                    + "    auth:\n"
                    + "      bearer-token: t0ken\n"
                    + "      hmac-secret: s3cret\n"
                    + "      hmac-header: X-Hub-Signature-256\n"
                    + "      protect-control: true\n")
            .webhookAuth();

    assertThat(auth)
        .isEqualTo(new WebhookAuthConfig("t0ken", "s3cret", "X-Hub-Signature-256", true));
  }

  @Test
  void parse_whenOnlyBearerSet_takesTheDefaultSignatureHeader() {
    WebhookAuthConfig auth =
        ConfigLoader.parse("sources: { webhook: { auth: { bearer-token: abc } } }\n").webhookAuth();

    assertThat(auth.bearerToken()).isEqualTo("abc");
    assertThat(auth.hmacSecret()).isNull();
    assertThat(auth.hmacHeader()).isEqualTo("X-Sluice-Signature");
    assertThat(auth.protectControl()).isFalse();
  }

  @Test
  void parse_whenValuesBad_namesTheKey() {
    assertThat(errorOf("sources: { webhook: { auth: { bearer-token: ' ' } } }\n"))
        .startsWith("sources.webhook.auth.bearer-token: must not be empty");
    assertThat(errorOf("sources: { webhook: { auth: { hmac-secret: '' } } }\n"))
        .startsWith("sources.webhook.auth.hmac-secret: must not be empty");
    assertThat(errorOf("sources: { webhook: { auth: { hmac-header: 'X Sig' } } }\n"))
        .startsWith("sources.webhook.auth.hmac-header: must be an HTTP header name");
    assertThat(errorOf("sources: { webhook: { auth: { protect-control: true } } }\n"))
        .startsWith("sources.webhook.auth.protect-control: needs bearer-token");
    assertThat(errorOf("sources: { webhook: { auth: { bearer-tokn: x } } }\n"))
        .isEqualTo(
            "unknown key 'bearer-tokn' in sources.webhook.auth (did you mean 'bearer-token'?)");
  }

  @Test
  void toString_whenSecretsSet_hidesThem() {
    String text = new WebhookAuthConfig("t0ken", "s3cret", "X-Sig", false).toString();

    assertThat(text).doesNotContain("t0ken").doesNotContain("s3cret");
  }
}

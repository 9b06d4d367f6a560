package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * The built-in declarative rules ({@link SecretRule}): credential types whose token format is published by the
 * issuer. The patterns are written for this project from the vendors' documented formats. Credential types with
 * a hand-written detector ({@link Detectors}: AWS, GitHub, GitLab personal tokens, Slack {@code xox*} tokens and
 * webhooks, Stripe live keys, npm, PyPI, JWT, PEM keys, GCP service accounts) are not repeated here.
 *
 * <p>All rules run in one pass per text: {@link KeywordIndex} finds which keywords occur, and only the rules with
 * a keyword present run their pattern, on the lines that hold one of their keywords.
 */
public final class SecretRules {
  private static final String CRITICAL = Detectors.CRITICAL;
  private static final String HIGH = Detectors.HIGH;
  private static final String MEDIUM = Detectors.MEDIUM;
  /** Characters that continue a token of the common {@code [A-Za-z0-9_-]} alphabet. */
  private static final String W = "A-Za-z0-9_-";
  private static final double ENTROPY = 3.0;

  /** Passwords in connection URIs that documentation uses as stand-ins (declared before the rules that use it). */
  private static final List<Pattern> URI_ALLOW =
      List.of(Pattern.compile("(?i)^(?:pass|pwd|pw|user|username|pass123|mypass|secret123)$"));

  private static final List<SecretRule> ALL = List.of(
      // Google, Microsoft, Alibaba, Tencent, Yandex, Cloudflare
      tok("gcp-api-key", "Google API key", HIGH, "AIza[0-9A-Za-z_-]{35}", W, "aiza"),
      tok("gcp-oauth-access-token", "Google OAuth access token", HIGH, "ya29\\.[0-9A-Za-z_-]{30,1000}", W, "ya29."),
      tok("gcp-oauth-refresh-token", "Google OAuth refresh token", HIGH, "1//0[0-9A-Za-z_-]{40,500}", W, "1//0"),
      tok("gcp-oauth-client-secret", "Google OAuth client secret", HIGH, "GOCSPX-[0-9A-Za-z_-]{28}", W,
          "gocspx-"),
      rule("azure-storage-account-key", "Azure storage account key", CRITICAL,
          "(?i)(?:^|[^a-z0-9])accountkey=([A-Za-z0-9+/]{86}==)(?:$|[^A-Za-z0-9+/=])", ENTROPY, "accountkey="),
      rule("azure-shared-access-key", "Azure Service Bus / Event Hubs shared access key", HIGH,
          "(?i)(?:^|[^a-z0-9])sharedaccesskey=([A-Za-z0-9+/]{43}=)(?:$|[^A-Za-z0-9+/=])", ENTROPY,
          "sharedaccesskey="),
      rule("azure-sas-token", "Azure shared access signature", HIGH,
          "(?:^|[^A-Za-z0-9])sv=[0-9]{4}-[0-9]{2}-[0-9]{2}&[^\\s\"'<>]{0,500}?\\bsig=([A-Za-z0-9%+/]{40,150})"
              + "(?:$|[^A-Za-z0-9%+/=])", ENTROPY, "sig="),
      tok("azure-devops-pat", "Azure DevOps personal access token", CRITICAL,
          "[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}", "A-Za-z0-9", "azdo"),
      tok("azure-ad-client-secret", "Microsoft Entra ID (Azure AD) client secret", CRITICAL,
          "[A-Za-z0-9_.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}", "A-Za-z0-9_~.-", "q~"),
      tok("alibaba-access-key-id", "Alibaba Cloud AccessKey ID", HIGH, "LTAI[0-9A-Za-z]{12,20}",
          "A-Za-z0-9", "ltai"),
      tok("tencent-secret-id", "Tencent Cloud SecretId", HIGH, "AKID[0-9A-Za-z]{32}", "A-Za-z0-9", "akid"),
      tok("yandex-api-key", "Yandex Cloud API key", HIGH, "AQVN[A-Za-z0-9_-]{35,38}", W, "aqvn"),
      tok("cloudflare-origin-ca-key", "Cloudflare Origin CA key", HIGH,
          "v1\\.0-[0-9a-f]{24}-[0-9a-f]{146}", W, "v1.0-"),
      tok("digitalocean-pat", "DigitalOcean personal access token", CRITICAL, "dop_v1_[0-9a-f]{64}", W,
          "dop_v1_"),
      tok("digitalocean-oauth-token", "DigitalOcean OAuth access or refresh token", CRITICAL,
          "do[or]_v1_[0-9a-f]{64}", W, "doo_v1_", "dor_v1_"),
      // AI providers
      tok("openai-api-key", "OpenAI API key", CRITICAL,
          "sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}", W, "t3blbkfj"),
      tok("anthropic-api-key", "Anthropic API key", CRITICAL,
          "sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}", W, "sk-ant-"),
      tok("huggingface-token", "Hugging Face access token", HIGH, "hf_[A-Za-z0-9]{34,40}", W, "hf_"),
      tok("groq-api-key", "Groq API key", HIGH, "gsk_[A-Za-z0-9]{52}", W, "gsk_"),
      tok("replicate-api-token", "Replicate API token", HIGH, "r8_[A-Za-z0-9]{37}", W, "r8_"),
      tok("perplexity-api-key", "Perplexity API key", HIGH, "pplx-[A-Za-z0-9]{48}", W, "pplx-"),
      tok("xai-api-key", "xAI API key", HIGH, "xai-[A-Za-z0-9]{80}", W, "xai-"),
      // source forges, CI, package registries
      tok("gitlab-runner-token", "GitLab runner authentication token", HIGH,
          "glrt-[A-Za-z0-9_-]{20,200}(?:\\.[A-Za-z0-9_-]{1,50}){0,3}", W, "glrt-"),
      tok("gitlab-deploy-token", "GitLab deploy token", HIGH, "gldt-[A-Za-z0-9_-]{20,200}", W, "gldt-"),
      tok("gitlab-pipeline-trigger-token", "GitLab pipeline trigger token", HIGH, "glptt-[0-9a-f]{40}", W,
          "glptt-"),
      tok("gitlab-feed-token", "GitLab feed token", MEDIUM, "glft-[A-Za-z0-9_-]{20,200}", W, "glft-"),
      tok("gitlab-oauth-app-secret", "GitLab OAuth application secret", HIGH, "gloas-[0-9a-f]{64}", W, "gloas-"),
      tok("sourcegraph-token", "Sourcegraph access token", HIGH, "sgp_(?:[0-9a-f]{16}_)?[0-9a-f]{40}", W, "sgp_"),
      tok("onepassword-service-account-token", "1Password service account token", CRITICAL,
          "ops_eyJ[A-Za-z0-9+/=_-]{100,1000}", "A-Za-z0-9+/=_-", "ops_eyj"),
      tok("prefect-api-key", "Prefect Cloud API key", HIGH, "pnu_[A-Za-z0-9]{36}", W, "pnu_"),
      tok("readme-api-key", "ReadMe API key", HIGH, "rdme_[a-z0-9]{70}", W, "rdme_"),
      tok("atlassian-api-token", "Atlassian API token", HIGH, "ATATT3[A-Za-z0-9_=-]{100,300}", "A-Za-z0-9_=-",
          "atatt3"),
      tok("buildkite-token", "Buildkite API access token", HIGH, "bkua_[0-9a-f]{40}", W, "bkua_"),
      tok("circleci-pat", "CircleCI personal API token", HIGH, "CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40}", W,
          "ccipat_"),
      tok("docker-hub-pat", "Docker Hub personal access token", HIGH, "dckr_pat_[A-Za-z0-9_-]{27}", W,
          "dckr_pat_"),
      tok("rubygems-api-key", "RubyGems API key", HIGH, "rubygems_[0-9a-f]{48}", W, "rubygems_"),
      tok("nuget-api-key", "NuGet API key", HIGH, "oy2[a-z0-9]{43}", "A-Za-z0-9", "oy2"),
      tok("clojars-token", "Clojars deploy token", HIGH, "CLOJARS_[a-z0-9]{60}", W, "clojars_"),
      tok("jfrog-api-key", "JFrog Artifactory API key", HIGH, "AKCp[A-Za-z0-9]{69}", "A-Za-z0-9", "akcp"),
      tok("pulumi-access-token", "Pulumi access token", HIGH, "pul-[0-9a-f]{40}", W, "pul-"),
      tok("terraform-cloud-token", "Terraform Cloud / Enterprise API token", CRITICAL,
          "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}", W, ".atlasv1."),
      tok("vault-service-token", "HashiCorp Vault service token", CRITICAL, "hvs\\.[A-Za-z0-9_-]{24,500}", W,
          "hvs."),
      tok("vault-batch-token", "HashiCorp Vault batch token", HIGH, "hvb\\.[A-Za-z0-9_-]{24,500}", W,
          "hvb."),
      tok("doppler-token", "Doppler token", HIGH, "dp\\.(?:pt|st|sa|ct)\\.[A-Za-z0-9]{40,44}", W, "dp.pt.",
          "dp.st.", "dp.sa.", "dp.ct."),
      tok("postman-api-key", "Postman API key", HIGH, "PMAK-[0-9a-f]{24}-[0-9a-f]{34}", W, "pmak-"),
      tok("linear-api-key", "Linear API key", HIGH, "lin_api_[A-Za-z0-9]{40}", W, "lin_api_"),
      tok("supabase-access-token", "Supabase personal access token", HIGH, "sbp_[0-9a-f]{40}", W, "sbp_"),
      tok("planetscale-token", "PlanetScale service token", HIGH, "pscale_tkn_[A-Za-z0-9_.-]{32,64}",
          "A-Za-z0-9_.-", "pscale_tkn_"),
      tok("planetscale-password", "PlanetScale database password", HIGH, "pscale_pw_[A-Za-z0-9_.-]{32,64}",
          "A-Za-z0-9_.-", "pscale_pw_"),
      // payment, commerce
      // no rule for Stripe test keys (sk_test_, rk_test_): PlaceholderNegativesTest holds that they are not secrets
      tok("stripe-webhook-secret", "Stripe webhook signing secret", HIGH, "whsec_[A-Za-z0-9]{32,64}", W,
          "whsec_"),
      tok("square-access-token", "Square access token", CRITICAL, "sq0atp-[0-9A-Za-z_-]{22}", W,
          "sq0atp-"),
      tok("square-oauth-secret", "Square OAuth application secret", HIGH, "sq0csp-[0-9A-Za-z_-]{43}", W,
          "sq0csp-"),
      tok("shopify-access-token", "Shopify access token", CRITICAL, "shp(?:at|ca|pa)_[0-9a-fA-F]{32}", W,
          "shpat_", "shpca_", "shppa_"),
      tok("shopify-shared-secret", "Shopify app shared secret", HIGH, "shpss_[0-9a-fA-F]{32}", W, "shpss_"),
      // messaging, e-mail
      tok("slack-app-token", "Slack app-level token", HIGH,
          "xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{10,16}-[0-9a-f]{64}", W, "xapp-"),
      tok("discord-bot-token", "Discord bot token", HIGH,
          "[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}", W, "discord"),
      rule("discord-webhook", "Discord webhook URL", MEDIUM,
          "https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,68})"
              + "(?:$|[^A-Za-z0-9_-])", ENTROPY, "discord"),
      // only a digit may not come before it: the Bot API puts the token right after "bot" (…/bot123:AA…/getMe)
      rule("telegram-bot-token", "Telegram bot token", HIGH,
          "(?:^|[^0-9])([0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?:$|[^0-9A-Za-z_-])", ENTROPY, ":aa"),
      tok("twilio-api-key", "Twilio API key SID", HIGH, "SK[0-9a-fA-F]{32}", "A-Za-z0-9", "twilio"),
      tok("sendgrid-api-key", "SendGrid API key", HIGH, "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}", W,
          "sg."),
      tok("mailgun-api-key", "Mailgun API key", HIGH, "key-[0-9a-f]{32}", W, "key-"),
      tok("mailchimp-api-key", "Mailchimp API key", HIGH, "[0-9a-f]{32}-us[0-9]{1,2}", W, "-us"),
      tok("brevo-api-key", "Brevo (Sendinblue) API key", HIGH, "xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}", W,
          "xkeysib-"),
      // observability, identity, storage
      rule("datadog-api-key", "Datadog API key", HIGH,
          "(?i)(?:datadog|dd)[_-]?api[_-]?key[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?([0-9a-f]{32})(?:$|[^0-9a-z])",
          ENTROPY, "datadog", "dd_api", "dd-api", "ddapi"),
      rule("datadog-app-key", "Datadog application key", HIGH,
          "(?i)(?:datadog|dd)[_-]?app(?:lication)?[_-]?key[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?([0-9a-f]{40})"
              + "(?:$|[^0-9a-z])", ENTROPY, "datadog", "dd_app", "dd-app", "ddapp"),
      tok("newrelic-user-api-key", "New Relic user API key", HIGH, "NRAK-[A-Z0-9]{27}", W, "nrak-"),
      tok("sentry-org-token", "Sentry organization auth token", HIGH, "sntrys_eyJ[A-Za-z0-9+/=_-]{50,1000}",
          "A-Za-z0-9+/=_-", "sntrys_"),
      tok("sentry-user-token", "Sentry user auth token", HIGH, "sntryu_[0-9a-f]{64}", W, "sntryu_"),
      tok("grafana-service-account-token", "Grafana service account token", HIGH,
          "glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}", W, "glsa_"),
      tok("grafana-cloud-token", "Grafana Cloud access policy token", HIGH, "glc_[A-Za-z0-9+/]{32,400}={0,2}",
          "A-Za-z0-9+/=_-", "glc_"),
      tok("heroku-api-key", "Heroku API key", HIGH, "HRKU-[0-9A-Za-z_-]{20,100}", W, "hrku-"),
      rule("heroku-api-key-legacy", "Heroku API key (UUID assigned to a Heroku name)", HIGH,
          "(?i)heroku[a-z_-]{0,20}[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?"
              + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:$|[^0-9a-z-])",
          ENTROPY, "heroku"),
      rule("okta-api-token", "Okta API token", HIGH,
          "(?i)okta[a-z_-]{0,20}[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?(00[A-Za-z0-9_-]{40})(?:$|[^A-Za-z0-9_-])",
          ENTROPY, "okta"),
      tok("databricks-token", "Databricks personal access token", HIGH, "dapi[0-9a-f]{32}(?:-[0-9])?", W,
          "dapi"),
      tok("dropbox-access-token", "Dropbox short-lived access token", HIGH,
          "sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,1000}", W, "sl."),
      tok("mapbox-secret-token", "Mapbox secret token", HIGH,
          "sk\\.eyJ[A-Za-z0-9_-]{20,400}\\.[A-Za-z0-9_-]{20,100}", W, "sk.eyj"),
      tok("age-secret-key", "age secret key", CRITICAL, "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
          W, "age-secret-key-1"),
      // database connection URIs with a password
      uri("postgres-uri-password", "PostgreSQL connection URI with a password", "postgres(?:ql)?", "postgres"),
      uri("mysql-uri-password", "MySQL / MariaDB connection URI with a password", "mysql(?:x)?|mariadb", "mysql",
          "mariadb"),
      uri("mongodb-uri-password", "MongoDB connection URI with a password", "mongodb(?:\\+srv)?", "mongodb"),
      uri("redis-uri-password", "Redis connection URI with a password", "rediss?", "redis"),
      uri("amqp-uri-password", "AMQP (RabbitMQ) connection URI with a password", "amqps?", "amqp"));

  private static final RuleIndex INDEX = new RuleIndex(ALL);

  private SecretRules() {}

  /** The built-in rules, in the order their hits are preferred. */
  public static List<SecretRule> all() {
    return ALL;
  }

  /** The built-in rules that {@link #find} would run on {@code lower} (the lower-cased text). */
  static boolean[] selected(String lower) {
    return INDEX.selected(lower);
  }

  /** The built-in rules as one prefiltered index. */
  static RuleIndex index() {
    return INDEX;
  }

  /** Runs the built-in rules whose keywords occur in {@code lower} (same length as {@code text}). */
  static void find(String text, String lower, List<Raw> out) {
    INDEX.find(text, lower, out);
  }

  /** Runs one rule on the lines of {@code text} that hold one of its keywords. */
  static void find(SecretRule rule, String text, String lower, List<Raw> out) {
    int[] lines = Detectors.linesWith(lower, rule.keywords());
    String severity = rule.severity();
    for (int k = 0; k < lines.length; k += 2) {
      int base = lines[k];
      String line = text.substring(base, lines[k + 1]);
      Matcher m = rule.pattern().matcher(line);
      int from = 0;
      while (from <= line.length() && m.find(from)) {
        from = Math.max(m.end(1), m.start() + 1);
        String value = m.group(1);
        if (value != null && rule.accepts(value)) {
          out.add(new Raw(rule.id(), rule.title(), severity, base + m.start(1), base + m.end(1), value));
        }
      }
    }
  }

  /**
   * A token rule: group 1 is the token, which no character of {@code cont} (a character class body) may touch
   * (except that {@code =} may come before it).
   */
  private static SecretRule tok(String id, String title, String severity, String token, String cont,
      String... keywords) {
    // "=" (base64 padding) may continue a token but never starts one: KEY=token must match
    String before = cont.replace("=", "");
    return rule(id, title, severity, "(?:^|[^" + before + "])(" + token + ")(?:$|[^" + cont + "])", ENTROPY, keywords);
  }

  private static SecretRule rule(String id, String title, String severity, String regex, double minEntropy,
      String... keywords) {
    return new SecretRule(id, title, severity, List.of(keywords), Pattern.compile(regex), minEntropy, List.of());
  }

  /**
   * A connection URI {@code scheme://user:password@host}; the password is the secret. The user may be empty
   * ({@code redis://:pw@host}); documentation stand-ins ({@code user:pass}) are allowed.
   */
  private static SecretRule uri(String id, String title, String schemes, String... keywords) {
    Pattern p = Pattern.compile("(?i)(?:^|[^a-z0-9+.-])(?:" + schemes + ")://[^:/?#@\\s\"'<>]{0,100}:"
        + "([^:/?#@\\s\"'<>]{3,200})@[A-Za-z0-9\\[]");
    return new SecretRule(id, title, HIGH, List.of(keywords), p, 1.5, URI_ALLOW);
  }
}

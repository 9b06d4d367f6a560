package dev.caulk.audit.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every declarative rule with at least one true positive and one near miss. Samples are generated
 * from a seeded generator and prefixes are split, so the repository holds no literal token (see
 * {@link Tokens}).
 */
class SecretRulesTest {
  private static final String URL_SAFE = Tokens.ALNUM + "_-";
  private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String LOWER_DIGITS = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final String BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

  /**
   * One sample: the text, and the secret the rule must report in it, or null when it must report
   * nothing.
   */
  record Case(String rule, String text, String secret) {}

  private final Tokens t = new Tokens(1111);
  private final List<Case> cases = new ArrayList<>();

  private String a(int n) {
    return t.chars(Tokens.ALNUM, n);
  }

  private String u(int n) {
    return t.chars(URL_SAFE, n);
  }

  private String h(int n) {
    return t.hex(n);
  }

  private String d(int n) {
    return t.chars("123456789", 1) + t.chars("0123456789", n - 1);
  }

  private String b64(int n) {
    return t.chars(Tokens.BASE64, n);
  }

  /** A true positive: {@code text} is {@code before + secret + after}. */
  private void yes(String rule, String before, String secret, String after) {
    cases.add(new Case(rule, before + secret + after, secret));
  }

  private void yes(String rule, String before, String secret) {
    yes(rule, before, secret, "\n");
  }

  private void no(String rule, String text) {
    cases.add(new Case(rule, text, null));
  }

  private List<Case> cases() {
    if (!cases.isEmpty()) {
      return cases;
    }
    yes("aws-access-key-id", "key = ", "AB" + "IA" + t.chars(Tokens.BASE32, 16));
    yes("aws-access-key-id", "key = ", "AC" + "CA" + t.chars(Tokens.BASE32, 16));
    yes("aws-access-key-id", "key = ", "AP" + "KA" + t.chars(Tokens.BASE32, 16));
    no("aws-access-key-id", "key = " + "AB" + "IA" + t.chars(Tokens.BASE32, 15));

    yes("gcp-api-key", "key=", "AI" + "za" + u(35));
    no("gcp-api-key", "key=" + "AI" + "za" + u(34));
    yes("gcp-oauth-access-token", "Authorization: Bearer ", "ya" + "29." + u(120));
    no("gcp-oauth-access-token", "Authorization: Bearer " + "ya" + "29." + u(20));
    yes("gcp-oauth-refresh-token", "\"refresh_token\": \"", "1/" + "/0" + u(100), "\"");
    no("gcp-oauth-refresh-token", "\"refresh_token\": \"" + "1/" + "/0" + u(30) + "\"");
    yes("gcp-oauth-client-secret", "\"client_secret\": \"", "GOC" + "SPX-" + u(28), "\"");
    no("gcp-oauth-client-secret", "\"client_secret\": \"" + "GOC" + "SPX-" + u(27) + "\"");
    yes(
        "azure-storage-account-key",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=",
        b64(86) + "==",
        ";EndpointSuffix=core.windows.net");
    no(
        "azure-storage-account-key",
        "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + b64(80) + "==");
    yes(
        "azure-shared-access-key",
        "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;" + "SharedAccessKey=",
        b64(43) + "=");
    no(
        "azure-shared-access-key",
        "Endpoint=sb://ns/;SharedAccessKeyName=Root;SharedAccessKey=" + b64(40) + "=");
    yes(
        "azure-sas-token",
        "https://acct.blob.core.windows.net/c/f?sv=2022-11-02&ss=b&srt=o&sp=r"
            + "&se=2030-01-01T00:00:00Z&spr=https&sig=",
        a(40) + "%2B" + a(3) + "%3D");
    no("azure-sas-token", "https://acct.blob.core.windows.net/c/f?sig=" + a(43) + "%3D");
    yes("azure-devops-pat", "AZURE_DEVOPS_EXT_PAT=", a(76) + "AZ" + "DO" + a(4));
    no("azure-devops-pat", "AZURE_DEVOPS_EXT_PAT=" + a(75) + "AZ" + "DO" + a(4));
    yes(
        "azure-ad-client-secret",
        "client_secret: ",
        a(3) + "8Q~" + t.chars(Tokens.ALNUM + "_~.-", 34));
    no("azure-ad-client-secret", "client_secret: " + a(3) + "8Q~" + a(20));
    yes("alibaba-access-key-id", "access_key_id = ", "LT" + "AI" + a(16));
    no("alibaba-access-key-id", "access_key_id = " + "LT" + "AI" + a(8));
    yes("tencent-secret-id", "SecretId: ", "AK" + "ID" + a(32));
    no("tencent-secret-id", "SecretId: " + "AK" + "ID" + a(31));
    yes("yandex-api-key", "YC_API_KEY=", "AQ" + "VN" + u(36));
    no("yandex-api-key", "YC_API_KEY=" + "AQ" + "VN" + u(30));
    yes("cloudflare-origin-ca-key", "CF_ORIGIN=", "v1" + ".0-" + h(24) + "-" + h(146));
    no("cloudflare-origin-ca-key", "CF_ORIGIN=" + "v1" + ".0-" + h(24) + "-" + h(140));
    yes("digitalocean-pat", "DO_TOKEN=", "dop" + "_v1_" + h(64));
    no("digitalocean-pat", "DO_TOKEN=" + "dop" + "_v1_" + h(63));
    yes("digitalocean-oauth-token", "token: ", "doo" + "_v1_" + h(64));
    yes("digitalocean-oauth-token", "refresh: ", "dor" + "_v1_" + h(64));
    no("digitalocean-oauth-token", "token: " + "doo" + "_v2_" + h(64));

    yes("openai-api-key", "OPENAI_API_KEY=", "sk-" + "proj-" + u(40) + "T3Blbk" + "FJ" + u(40));
    yes("openai-api-key", "openai.api_key = '", "sk-" + a(20) + "T3Blbk" + "FJ" + a(20), "'");
    no("openai-api-key", "OPENAI_API_KEY=" + "sk-" + "proj-" + u(80));
    yes("anthropic-api-key", "ANTHROPIC_API_KEY=", "sk-" + "ant-api03-" + u(93) + "AA");
    no("anthropic-api-key", "ANTHROPIC_API_KEY=" + "sk-" + "ant-api03-" + u(40));
    yes("huggingface-token", "HF_TOKEN=", "hf" + "_" + a(34));
    no("huggingface-token", "HF_TOKEN=" + "hf" + "_" + a(20));
    yes("groq-api-key", "GROQ_API_KEY=", "gs" + "k_" + a(52));
    no("groq-api-key", "GROQ_API_KEY=" + "gs" + "k_" + a(51));
    yes("replicate-api-token", "REPLICATE_API_TOKEN=", "r8" + "_" + a(37));
    no("replicate-api-token", "REPLICATE_API_TOKEN=" + "r8" + "_" + a(36));
    yes("perplexity-api-key", "PPLX_KEY=", "pp" + "lx-" + a(48));
    no("perplexity-api-key", "PPLX_KEY=" + "pp" + "lx-" + a(47));
    yes("xai-api-key", "XAI_API_KEY=", "xa" + "i-" + a(80));
    no("xai-api-key", "XAI_API_KEY=" + "xa" + "i-" + a(79));

    yes("gitlab-runner-token", "token = \"", "gl" + "rt-" + u(20), "\"");
    no("gitlab-runner-token", "token = \"" + "gl" + "rt-" + u(10) + "\"");
    yes("gitlab-deploy-token", "CI_DEPLOY=", "gl" + "dt-" + u(20));
    no("gitlab-deploy-token", "CI_DEPLOY=" + "gl" + "dt-" + u(12));
    yes(
        "gitlab-pipeline-trigger-token",
        "curl -F token=",
        "gl" + "ptt-" + h(40),
        " https://gitlab.example/api");
    no(
        "gitlab-pipeline-trigger-token",
        "curl -F token=" + "gl" + "ptt-" + h(39) + " https://gitlab.example/api");
    yes(
        "gitlab-feed-token",
        "feed: https://gitlab.example/dashboard/projects.atom?feed_token=",
        "gl" + "ft-" + u(20));
    no("gitlab-feed-token", "feed_token=" + "gl" + "ft-" + u(12));
    yes("gitlab-oauth-app-secret", "GITLAB_APP_SECRET=", "glo" + "as-" + h(64));
    no("gitlab-oauth-app-secret", "GITLAB_APP_SECRET=" + "glo" + "as-" + h(63));
    yes("sourcegraph-token", "SRC_ACCESS_TOKEN=", "sg" + "p_" + h(40));
    yes("sourcegraph-token", "SRC_ACCESS_TOKEN=", "sg" + "p_" + h(16) + "_" + h(40));
    no("sourcegraph-token", "SRC_ACCESS_TOKEN=" + "sg" + "p_" + h(39));
    yes("onepassword-service-account-token", "OP_SERVICE_ACCOUNT_TOKEN=", "op" + "s_eyJ" + u(300));
    no("onepassword-service-account-token", "OP_SERVICE_ACCOUNT_TOKEN=" + "op" + "s_eyJ" + u(50));
    yes("prefect-api-key", "PREFECT_API_KEY=", "pn" + "u_" + a(36));
    no("prefect-api-key", "PREFECT_API_KEY=" + "pn" + "u_" + a(35));
    yes("readme-api-key", "README_API_KEY=", "rd" + "me_" + t.chars(LOWER_DIGITS, 70));
    no("readme-api-key", "README_API_KEY=" + "rd" + "me_" + t.chars(LOWER_DIGITS, 69));
    yes(
        "atlassian-api-token",
        "JIRA_API_TOKEN=",
        "ATA" + "TT3" + u(180) + "=" + h(8).toUpperCase(Locale.ROOT));
    no("atlassian-api-token", "JIRA_API_TOKEN=" + "ATA" + "TT3" + u(50));
    yes("buildkite-token", "BUILDKITE_API_TOKEN=", "bk" + "ua_" + h(40));
    no("buildkite-token", "BUILDKITE_API_TOKEN=" + "bk" + "ua_" + h(39));
    yes("circleci-pat", "CIRCLE_TOKEN=", "CCI" + "PAT_" + a(22) + "_" + h(40));
    no("circleci-pat", "CIRCLE_TOKEN=" + "CCI" + "PAT_" + a(22) + "_" + h(39));
    yes("docker-hub-pat", "docker login -u me -p ", "dckr" + "_pat_" + u(27), " docker.io");
    no("docker-hub-pat", "docker login -u me -p " + "dckr" + "_pat_" + u(26) + " docker.io");
    yes("rubygems-api-key", ":rubygems_api_key: ", "rubygems" + "_" + h(48));
    no("rubygems-api-key", ":rubygems_api_key: " + "rubygems" + "_" + h(47));
    yes(
        "nuget-api-key",
        "dotnet nuget push -k ",
        "oy" + "2" + t.chars(LOWER_DIGITS, 43),
        " pkg.nupkg");
    no(
        "nuget-api-key",
        "dotnet nuget push -k " + "oy" + "2" + t.chars(LOWER_DIGITS, 42) + " pkg.nupkg");
    yes("clojars-token", "CLOJARS_PASSWORD=", "CLO" + "JARS_" + t.chars(LOWER_DIGITS, 60));
    no("clojars-token", "CLOJARS_PASSWORD=" + "CLO" + "JARS_" + t.chars(LOWER_DIGITS, 59));
    yes("jfrog-api-key", "X-JFrog-Art-Api: ", "AK" + "Cp" + a(69));
    no("jfrog-api-key", "X-JFrog-Art-Api: " + "AK" + "Cp" + a(68));
    yes("pulumi-access-token", "PULUMI_ACCESS_TOKEN=", "pu" + "l-" + h(40));
    no("pulumi-access-token", "PULUMI_ACCESS_TOKEN=" + "pu" + "l-" + h(39));
    yes(
        "terraform-cloud-token",
        "credentials \"app.terraform.io\" { token = \"",
        a(14) + ".atlas" + "v1." + u(67),
        "\" }");
    no("terraform-cloud-token", "token = \"" + a(14) + ".atlas" + "v2." + u(67) + "\"");
    yes("vault-service-token", "VAULT_TOKEN=", "hv" + "s." + u(90));
    no("vault-service-token", "VAULT_TOKEN=" + "hv" + "s." + u(20));
    yes("vault-batch-token", "VAULT_TOKEN=", "hv" + "b." + u(138));
    no("vault-batch-token", "VAULT_TOKEN=" + "hv" + "b." + u(20));
    yes("doppler-token", "DOPPLER_TOKEN=", "dp" + ".pt." + a(43));
    yes("doppler-token", "DOPPLER_TOKEN=", "dp" + ".st." + a(40));
    no("doppler-token", "DOPPLER_TOKEN=" + "dp" + ".pt." + a(30));
    yes("postman-api-key", "POSTMAN_API_KEY=", "PM" + "AK-" + h(24) + "-" + h(34));
    no("postman-api-key", "POSTMAN_API_KEY=" + "PM" + "AK-" + h(24) + "-" + h(33));
    yes("linear-api-key", "LINEAR_API_KEY=", "lin" + "_api_" + a(40));
    no("linear-api-key", "LINEAR_API_KEY=" + "lin" + "_api_" + a(39));
    yes("supabase-access-token", "SUPABASE_ACCESS_TOKEN=", "sb" + "p_" + h(40));
    no("supabase-access-token", "SUPABASE_ACCESS_TOKEN=" + "sb" + "p_" + h(39));
    yes("planetscale-token", "PLANETSCALE_SERVICE_TOKEN=", "pscale" + "_tkn_" + u(43));
    no("planetscale-token", "PLANETSCALE_SERVICE_TOKEN=" + "pscale" + "_tkn_" + u(20));
    yes("planetscale-password", "DATABASE_PASSWORD=", "pscale" + "_pw_" + u(43));
    no("planetscale-password", "DATABASE_PASSWORD=" + "pscale" + "_pw_" + u(20));

    yes("stripe-webhook-secret", "STRIPE_WEBHOOK_SECRET=", "wh" + "sec_" + a(32));
    no("stripe-webhook-secret", "STRIPE_WEBHOOK_SECRET=" + "wh" + "sec_" + a(20));
    yes("square-access-token", "SQUARE_TOKEN=", "sq0" + "atp-" + u(22));
    no("square-access-token", "SQUARE_TOKEN=" + "sq0" + "atp-" + u(21));
    yes("square-oauth-secret", "SQUARE_SECRET=", "sq0" + "csp-" + u(43));
    no("square-oauth-secret", "SQUARE_SECRET=" + "sq0" + "csp-" + u(42));
    yes("shopify-access-token", "SHOPIFY_TOKEN=", "shp" + "at_" + h(32));
    yes("shopify-access-token", "SHOPIFY_TOKEN=", "shp" + "ca_" + h(32));
    no("shopify-access-token", "SHOPIFY_TOKEN=" + "shp" + "at_" + h(31));
    yes("shopify-shared-secret", "SHOPIFY_SECRET=", "shp" + "ss_" + h(32));
    no("shopify-shared-secret", "SHOPIFY_SECRET=" + "shp" + "ss_" + h(30));

    yes(
        "slack-app-token",
        "SLACK_APP_TOKEN=",
        "xa" + "pp-1-A" + t.chars(UPPER_DIGITS, 10) + "-" + d(13) + "-" + h(64));
    no(
        "slack-app-token",
        "SLACK_APP_TOKEN="
            + "xa"
            + "pp-1-A"
            + t.chars(UPPER_DIGITS, 10)
            + "-"
            + d(13)
            + "-"
            + h(60));
    String bot = "M" + u(23) + "." + u(6) + "." + u(27);
    yes("discord-bot-token", "DISCORD_BOT_TOKEN=", bot);
    no("discord-bot-token", "BOT_TOKEN=" + bot); // no keyword on the line
    no("discord-bot-token", "DISCORD_BOT_TOKEN=" + "M" + u(23) + "." + u(5) + "." + u(27));
    yes("discord-webhook", "WEBHOOK=https://discord.com/api/web" + "hooks/" + d(18) + "/", u(68));
    no("discord-webhook", "WEBHOOK=https://discord.com/api/web" + "hooks/" + d(10) + "/" + u(68));
    yes("telegram-bot-token", "TELEGRAM_TOKEN=", d(10) + ":A" + "A" + u(33));
    no("telegram-bot-token", "TELEGRAM_TOKEN=" + d(10) + ":A" + "A" + u(32));
    yes(
        "telegram-bot-token",
        "curl https://api.telegram.org/bot",
        d(9) + ":A" + "A" + u(33),
        "/getMe");
    no("telegram-bot-token", "TELEGRAM_TOKEN=" + d(11) + ":A" + "A" + u(33));
    yes("twilio-api-key", "TWILIO_API_KEY=", "S" + "K" + h(32));
    no("twilio-api-key", "API_KEY_SID=" + "S" + "K" + h(32)); // no keyword on the line
    yes("sendgrid-api-key", "SENDGRID_API_KEY=", "S" + "G." + u(22) + "." + u(43));
    no("sendgrid-api-key", "SENDGRID_API_KEY=" + "S" + "G." + u(22) + "." + u(42));
    yes("mailgun-api-key", "MAILGUN_API_KEY=", "ke" + "y-" + h(32));
    no("mailgun-api-key", "MAILGUN_API_KEY=" + "ke" + "y-" + h(31));
    yes("mailchimp-api-key", "MAILCHIMP_KEY=", h(32) + "-u" + "s14");
    no("mailchimp-api-key", "MAILCHIMP_KEY=" + h(31) + "-u" + "s14");
    yes("brevo-api-key", "BREVO_API_KEY=", "xkey" + "sib-" + h(64) + "-" + a(16));
    no("brevo-api-key", "BREVO_API_KEY=" + "xkey" + "sib-" + h(64) + "-" + a(15));

    yes("datadog-api-key", "DD_API_KEY=", h(32));
    no("datadog-api-key", "DD_API_KEY=" + h(31));
    yes("datadog-app-key", "datadog_app_key: \"", h(40), "\"");
    no("datadog-app-key", "datadog_app_key: \"" + h(32) + "\"");
    yes("newrelic-user-api-key", "NEW_RELIC_API_KEY=", "NR" + "AK-" + t.chars(UPPER_DIGITS, 27));
    no("newrelic-user-api-key", "NEW_RELIC_API_KEY=" + "NR" + "AK-" + t.chars(UPPER_DIGITS, 26));
    yes("sentry-org-token", "SENTRY_AUTH_TOKEN=", "sntr" + "ys_" + "eyJ" + u(80) + "_" + a(43));
    no("sentry-org-token", "SENTRY_AUTH_TOKEN=" + "sntr" + "ys_" + a(80));
    yes("sentry-user-token", "SENTRY_AUTH_TOKEN=", "sntr" + "yu_" + h(64));
    no("sentry-user-token", "SENTRY_AUTH_TOKEN=" + "sntr" + "yu_" + h(63));
    yes("grafana-service-account-token", "GF_TOKEN=", "gl" + "sa_" + a(32) + "_" + h(8));
    no("grafana-service-account-token", "GF_TOKEN=" + "gl" + "sa_" + a(32) + "_" + h(7));
    yes("grafana-cloud-token", "GRAFANA_CLOUD_TOKEN=", "gl" + "c_" + a(60) + "==");
    no("grafana-cloud-token", "GRAFANA_CLOUD_TOKEN=" + "gl" + "c_" + a(20));
    yes("heroku-api-key", "HEROKU_API_KEY=", "HR" + "KU-" + "AA" + u(58));
    no("heroku-api-key", "HEROKU_API_KEY=" + "HR" + "KU-" + u(10));
    String uuid = h(8) + "-" + h(4) + "-" + h(4) + "-" + h(4) + "-" + h(12);
    yes("heroku-api-key-legacy", "HEROKU_API_KEY=", uuid);
    no("heroku-api-key-legacy", "HEROKU_API_KEY=" + h(32));
    no("heroku-api-key-legacy", "REQUEST_ID=" + uuid);
    yes("okta-api-token", "OKTA_API_TOKEN=", "00" + u(40));
    no("okta-api-token", "OKTA_API_TOKEN=" + "01" + u(40));
    yes("databricks-token", "DATABRICKS_TOKEN=", "da" + "pi" + h(32));
    no("databricks-token", "DATABRICKS_TOKEN=" + "da" + "pi" + h(31));
    yes("dropbox-access-token", "DROPBOX_TOKEN=", "s" + "l." + u(135));
    no("dropbox-access-token", "DROPBOX_TOKEN=" + "s" + "l." + u(60));
    yes("mapbox-secret-token", "MAPBOX_TOKEN=", "s" + "k.eyJ" + u(60) + "." + u(22));
    no("mapbox-secret-token", "MAPBOX_TOKEN=" + "s" + "k.eyJ" + u(60));
    yes("age-secret-key", "# created: 2024-01-01\n", "AGE-" + "SECRET-KEY-1" + t.chars(BECH32, 58));
    no("age-secret-key", "AGE-" + "SECRET-KEY-1" + t.chars(BECH32, 57));

    String pw = a(16);
    yes("postgres-uri-password", "DATABASE_URL=postgres://app:", pw, "@db.internal:5432/app");
    yes("postgres-uri-password", "url: postgresql://app:", a(16), "@db/app?sslmode=require");
    no("postgres-uri-password", "DATABASE_URL=postgres://app:pass@db.internal:5432/app");
    no("postgres-uri-password", "DATABASE_URL=postgres://db.internal:5432/app");
    yes("mysql-uri-password", "mysql://root:", a(16), "@mysql:3306/shop");
    no("mysql-uri-password", "mysql://root@mysql:3306/shop");
    yes("mongodb-uri-password", "MONGO_URL=mongodb+srv://admin:", a(16), "@cluster0.mongodb.net/");
    no("mongodb-uri-password", "MONGO_URL=mongodb://admin:${MONGO_PASSWORD}@cluster0/");
    yes("redis-uri-password", "REDIS_URL=redis://:", a(16), "@cache:6379/0");
    no("redis-uri-password", "REDIS_URL=redis://cache:6379/0");
    yes("amqp-uri-password", "BROKER=amqp://guest:", a(16), "@rabbit:5672/");
    no("amqp-uri-password", "BROKER=amqp://user:user@rabbit:5672/");
    moreCases();
    return cases;
  }

  private String uuid() {
    return h(8) + "-" + h(4) + "-" + h(4) + "-" + h(4) + "-" + h(12);
  }

  private String upper(int n) {
    return t.chars(UPPER_DIGITS, n);
  }

  /** A context rule: {@code name=value} is found, and a value one character short is not. */
  private void assigned(String rule, String name, String value, String shorter) {
    yes(rule, name + "=", value);
    yes(rule, "\"" + name.toLowerCase(Locale.ROOT) + "\": \"", value, "\"");
    no(rule, name + "=" + shorter);
  }

  /** The rules added for issue 11, each with positives and near misses. */
  private void moreCases() {
    String pw = a(16);
    yes("ldap-uri-password", "LDAP_URL=ldaps://cn=admin:", pw, "@ldap.internal:636");
    no("ldap-uri-password", "LDAP_URL=ldaps://ldap.internal:636");
    yes("ftp-uri-password", "ftp://deploy:", a(14), "@files.internal/upload");
    no("ftp-uri-password", "ftp://deploy:pass@files.internal/upload");
    yes("smtp-uri-password", "MAIL_URL=smtps://mailer:", a(14), "@smtp.internal:465");
    no("smtp-uri-password", "MAIL_URL=smtps://smtp.internal:465");
    yes("neo4j-uri-password", "NEO4J_URI=neo4j+s://neo4j:", a(14), "@graph.internal:7687");
    no("neo4j-uri-password", "NEO4J_URI=bolt://graph.internal:7687");
    yes("clickhouse-uri-password", "clickhouse://default:", a(14), "@ch.internal:9000/db");
    no("clickhouse-uri-password", "clickhouse://default@ch.internal:9000/db");
    yes("mssql-uri-password", "mssql://sa:", a(14), "@sql.internal:1433/app");
    no("mssql-uri-password", "mssql://sa:${SA_PASSWORD}@sql.internal:1433/app");
    yes("snowflake-uri-password", "snowflake://etl:", a(14), "@acct.eu-west-1/db");
    no("snowflake-uri-password", "snowflake://etl@acct.eu-west-1/db");
    yes("url-credentials", "git clone https://build:", a(20), "@git.internal/app.git");
    no("url-credentials", "git clone https://git.internal:8443/app.git");
    no("url-credentials", "see https://user:password@host/ for the syntax");
    yes(
        "jdbc-password",
        "url=jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=",
        a(14),
        ";encrypt=true");
    yes("jdbc-password", "jdbc:mysql://db:3306/app?user=root&password=", a(14));
    no("jdbc-password", "url=jdbc:postgresql://db:5432/app?user=app&password=${DB_PASSWORD}");
    yes(
        "ado-connection-string-password",
        "\"Default\": \"Server=tcp:db.internal,1433;Database=app;User ID=app;" + "Password=",
        a(14),
        ";Encrypt=True\"");
    no("ado-connection-string-password", "Server=db;Database=app;Integrated Security=true;");
    yes("keystore-password", "server.ssl.key-store-password=", "Kq8s2mZ4", "");
    yes("keystore-password", "keytool -list -keystore app.jks -storepass ", "Kq8s2mZ4x", " -v");
    yes("keystore-password", "<keystorePassword>", "Kq8s2mZ4x", "</keystorePassword>");
    no("keystore-password", "javax.net.ssl.trustStorePassword=changeit");
    no("keystore-password", "server.ssl.key-store-password=${KEYSTORE_PASSWORD}");

    yes("aws-mws-key", "MWS_AUTH_TOKEN=", "amzn" + ".mws." + uuid());
    no(
        "aws-mws-key",
        "MWS_AUTH_TOKEN="
            + "amzn"
            + ".mws."
            + h(8)
            + "-"
            + h(4)
            + "-"
            + h(4)
            + "-"
            + h(4)
            + "-"
            + h(11));
    yes("aws-session-token", "AWS_SESSION_TOKEN=", b64(300));
    yes("aws-session-token", "aws_session_token = ", b64(200));
    no("aws-session-token", "AWS_SESSION_TOKEN=" + b64(60));
    yes(
        "aws-bedrock-api-key",
        "AWS_BEARER_TOKEN_BEDROCK=",
        "ABSK" + "QmVkcm9ja0FQSUtleS" + b64(100));
    no(
        "aws-bedrock-api-key",
        "AWS_BEARER_TOKEN_BEDROCK=" + "ABSK" + "QmVkcm9ja0FQSUtleS" + b64(10));
    yes(
        "azure-app-config-connection-string",
        "Endpoint=https://cfg.azconfig.io;Id=" + a(8) + ";Secret=",
        b64(43) + "=");
    no(
        "azure-app-config-connection-string",
        "Endpoint=https://cfg.azconfig.io;Id=" + a(8) + ";Secret=" + b64(20));
    yes(
        "azure-function-key",
        "curl https://fn.azurewebsites.net/api/hello?code=",
        u(54) + "==",
        " -d x");
    no("azure-function-key", "curl https://fn.azurewebsites.net/api/hello?code=" + u(20));
    assigned("alibaba-access-key-secret", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", a(30), a(29));
    assigned("ibm-cloud-api-key", "IBMCLOUD_API_KEY", u(44), u(43));
    assigned("cloudflare-api-token", "CLOUDFLARE_API_TOKEN", u(40), u(39));
    assigned("cloudflare-global-api-key", "CLOUDFLARE_API_KEY", h(37), h(36));
    assigned("linode-token", "LINODE_TOKEN", h(64), h(63));
    assigned("hetzner-cloud-token", "HCLOUD_TOKEN", a(64), a(63));
    assigned("vultr-api-key", "VULTR_API_KEY", upper(36), upper(35));
    assigned("scaleway-secret-key", "SCW_SECRET_KEY", uuid(), h(32));
    yes("flyio-access-token", "FLY_API_TOKEN=", "fo" + "1_" + u(43));
    no("flyio-access-token", "FLY_API_TOKEN=" + "fo" + "1_" + u(42));
    yes("flyio-macaroon-token", "FLY_API_TOKEN=\"FlyV1 ", "fm" + "2_" + b64(200), "\"");
    no("flyio-macaroon-token", "FLY_API_TOKEN=\"FlyV1 " + "fm" + "2_" + b64(50) + "\"");
    assigned("netlify-token", "NETLIFY_AUTH_TOKEN", u(43), u(39));
    assigned("vercel-token", "VERCEL_TOKEN", a(24), a(23));
    yes("render-api-key", "RENDER_API_KEY=", "rn" + "d_" + a(32));
    no("render-api-key", "RENDER_API_KEY=" + "rn" + "d_" + a(31));
    yes(
        "openshift-user-token",
        "oc login --token=",
        "sha256" + "~" + u(43),
        " --server=https://api.example:6443");
    no(
        "openshift-user-token",
        "oc login --token=" + "sha256" + "~" + u(42) + " --server=https://api.example:6443");
    yes("tailscale-key", "TS_AUTHKEY=", "tskey" + "-auth-" + a(12) + "-" + a(33));
    no("tailscale-key", "TS_AUTHKEY=" + "tskey" + "-other-" + a(12) + "-" + a(33));
    assigned("ngrok-authtoken", "NGROK_AUTHTOKEN", a(27) + "_" + a(21), a(27) + a(21));
    assigned("vault-legacy-token", "VAULT_TOKEN", "s." + a(24), "s." + a(23));
    assigned("consul-token", "CONSUL_HTTP_TOKEN", uuid(), h(32));
    assigned("nomad-token", "NOMAD_TOKEN", uuid(), h(32));

    yes("bitbucket-app-password", "BITBUCKET_APP_PASSWORD=", "AT" + "BB" + a(32));
    no("bitbucket-app-password", "BITBUCKET_APP_PASSWORD=" + "AT" + "BB" + a(20));
    assigned("bitbucket-client-secret", "BITBUCKET_CLIENT_SECRET", u(64), u(63));
    assigned("gitea-token", "GITEA_TOKEN", h(40), h(39));
    yes("gitlab-scim-token", "SCIM_TOKEN=", "gls" + "oat-" + u(20));
    no("gitlab-scim-token", "SCIM_TOKEN=" + "gls" + "oat-" + u(19));
    yes("gitlab-incoming-mail-token", "incoming: ", "gli" + "mt-" + u(25));
    no("gitlab-incoming-mail-token", "incoming: " + "gli" + "mt-" + u(24));
    yes("gitlab-agent-token", "config.token=", "glag" + "ent-" + u(50));
    no("gitlab-agent-token", "config.token=" + "glag" + "ent-" + u(49));
    yes("gitlab-ci-job-token", "CI_JOB_TOKEN=", "glc" + "bt-" + "64_" + u(20));
    no("gitlab-ci-job-token", "CI_JOB_TOKEN=" + "glc" + "bt-" + u(20));
    yes("gitlab-feature-flag-token", "UNLEASH_TOKEN=", "glf" + "fct-" + u(20));
    no("gitlab-feature-flag-token", "UNLEASH_TOKEN=" + "glf" + "fct-" + u(19));
    yes("huggingface-org-token", "HF_ORG_TOKEN=", "api" + "_org_" + a(34));
    no("huggingface-org-token", "HF_ORG_TOKEN=" + "api" + "_org_" + a(33));
    assigned("travis-ci-token", "TRAVIS_TOKEN", u(22), u(21));
    assigned("drone-ci-token", "DRONE_TOKEN", a(32), a(31));
    assigned("jenkins-api-token", "JENKINS_API_TOKEN", "11" + h(32), "11" + h(31));
    yes("teamcity-token", "TEAMCITY_TOKEN=", "eyJ0eXAiOiAiVENW" + "MiJ9." + u(36) + "." + u(48));
    no("teamcity-token", "TEAMCITY_TOKEN=" + "eyJ0eXAiOiAiVENW" + "MiJ9." + u(10) + "." + u(48));
    assigned("octopus-deploy-api-key", "OCTOPUS_API_KEY", "API-" + upper(26), "API-" + upper(25));
    yes("harness-token", "HARNESS_TOKEN=", "pa" + "t." + u(22) + "." + h(24) + "." + a(20));
    no("harness-token", "HARNESS_TOKEN=" + "pa" + "t." + u(22) + "." + h(23) + "." + a(20));
    assigned("snyk-api-token", "SNYK_TOKEN", uuid(), h(32));
    yes("sonarqube-token", "SONAR_TOKEN=", "sq" + "p_" + h(40));
    yes("sonarqube-token", "sonar.token=", "sq" + "u_" + h(40));
    no("sonarqube-token", "SONAR_TOKEN=" + "sq" + "p_" + h(39));
    assigned("codecov-token", "CODECOV_TOKEN", uuid(), h(32));
    yes("jfrog-identity-token", "JFROG_ACCESS_TOKEN=", "cmVmdGtu" + "OjAxOj" + a(58));
    no("jfrog-identity-token", "JFROG_ACCESS_TOKEN=" + "cmVmdGtu" + "OjAxOj" + a(20));
    yes("crates-io-token", "CARGO_REGISTRY_TOKEN=", "ci" + "o" + a(32));
    no("crates-io-token", "CARGO_REGISTRY_TOKEN=" + "ci" + "o" + a(31));
    yes("docker-hub-org-token", "DOCKER_PASSWORD=", "dckr" + "_oat_" + u(32));
    no("docker-hub-org-token", "DOCKER_PASSWORD=" + "dckr" + "_oat_" + u(31));
    yes("gradle-plugin-portal-key", "gradle.publish.key=", a(32));
    no("gradle-plugin-portal-key", "gradle.publish.key=" + a(31));

    yes("stripe-test-key", "STRIPE_SECRET_KEY=", "sk" + "_test_" + a(24));
    yes("stripe-test-key", "STRIPE_RESTRICTED=", "rk" + "_test_" + a(99));
    no("stripe-test-key", "STRIPE_PUBLISHABLE_KEY=" + "pk" + "_test_" + a(24));
    yes(
        "braintree-access-token",
        "BT_TOKEN=",
        "access_token" + "$production$" + t.chars(LOWER_DIGITS, 16) + "$" + h(32));
    no(
        "braintree-access-token",
        "BT_TOKEN=" + "access_token" + "$sandbox$" + t.chars(LOWER_DIGITS, 16) + "$" + h(32));
    assigned("razorpay-key-secret", "RAZORPAY_KEY_SECRET", a(24), a(23));
    yes("plaid-access-token", "token: ", "access-" + "production-" + uuid());
    no("plaid-access-token", "token: " + "access-" + "sandbox-" + uuid());
    assigned("plaid-secret", "PLAID_SECRET", h(30), h(29));
    yes("flutterwave-secret-key", "FLW_SECRET_KEY=", "FLW" + "SECK-" + h(32) + "-X");
    no("flutterwave-secret-key", "FLW_SECRET_KEY=" + "FLW" + "SECK-" + h(31) + "-X");
    yes("shippo-live-token", "SHIPPO_TOKEN=", "shippo" + "_live_" + h(40));
    no("shippo-live-token", "SHIPPO_TOKEN=" + "shippo" + "_live_" + h(39));
    yes("easypost-api-key", "EASYPOST_API_KEY=", "EZ" + "AK" + a(54));
    no("easypost-api-key", "EASYPOST_API_KEY=" + "EZ" + "AK" + a(53));
    yes("duffel-live-token", "DUFFEL_TOKEN=", "duffel" + "_live_" + u(43));
    no("duffel-live-token", "DUFFEL_TOKEN=" + "duffel" + "_live_" + u(42));
    assigned(
        "gocardless-access-token",
        "GOCARDLESS_ACCESS_TOKEN",
        "live" + "_" + u(40),
        "live" + "_" + u(39));
    assigned("mollie-api-key", "MOLLIE_API_KEY", "live" + "_" + a(30), "live" + "_" + a(29));

    yes(
        "slack-legacy-webhook",
        "https://acme.sla" + "ck.com/services/hooks/incoming-webhook?token=",
        a(24));
    no(
        "slack-legacy-webhook",
        "https://acme.sla" + "ck.com/services/hooks/incoming-webhook?token=" + a(23));
    yes(
        "teams-incoming-webhook",
        "TEAMS=https://acme.webhook.office.com/webhookb2/"
            + uuid()
            + "@"
            + uuid()
            + "/IncomingWebhook/",
        h(32),
        "/" + uuid());
    no(
        "teams-incoming-webhook",
        "TEAMS=https://acme.webhook.office.com/webhookb2/"
            + uuid()
            + "@"
            + uuid()
            + "/IncomingWebhook/"
            + h(31)
            + "/"
            + uuid());
    assigned("twilio-auth-token", "TWILIO_AUTH_TOKEN", h(32), h(31));
    yes("mailersend-api-key", "MAILERSEND_API_KEY=", "ml" + "sn." + h(64));
    no("mailersend-api-key", "MAILERSEND_API_KEY=" + "ml" + "sn." + h(63));
    assigned("postmark-token", "POSTMARK_SERVER_TOKEN", uuid(), h(32));
    assigned("sparkpost-api-key", "SPARKPOST_API_KEY", h(40), h(39));
    assigned("mandrill-api-key", "MANDRILL_API_KEY", u(22), u(21));
    assigned("mailjet-api-secret", "MAILJET_API_SECRET", h(32), h(31));
    assigned("messagebird-api-key", "MESSAGEBIRD_API_KEY", a(25), a(24));
    assigned("vonage-api-secret", "VONAGE_API_SECRET", a(16), a(15));
    assigned("zendesk-api-token", "ZENDESK_API_TOKEN", a(40), a(39));
    yes("intercom-access-token", "INTERCOM_TOKEN=", "dG9r" + "Om" + b64(58) + "=");
    no("intercom-access-token", "INTERCOM_TOKEN=" + "dG9r" + "Om" + b64(20));
    yes("facebook-access-token", "FB_TOKEN=", "EA" + "A" + a(180));
    no("facebook-access-token", "FB_TOKEN=" + "EA" + "A" + a(60));
    assigned("facebook-app-secret", "FACEBOOK_APP_SECRET", h(32), h(31));
    yes("twitter-bearer-token", "TWITTER_BEARER_TOKEN=", "A".repeat(21) + a(8) + "%2B" + a(50));
    no("twitter-bearer-token", "TWITTER_BEARER_TOKEN=" + "A".repeat(21) + a(60));
    assigned("twitter-api-secret", "TWITTER_API_SECRET", a(50), a(44));
    assigned("linkedin-client-secret", "LINKEDIN_CLIENT_SECRET", a(16), a(15));
    assigned("discord-client-secret", "DISCORD_CLIENT_SECRET", u(32), u(31));
    assigned("pusher-secret", "PUSHER_APP_SECRET", h(20), h(19));
    yes("fcm-server-key", "FCM_SERVER_KEY=", "AA" + "AA" + u(7) + ":APA" + "91b" + u(134));
    no("fcm-server-key", "FCM_SERVER_KEY=" + "AA" + "AA" + u(7) + ":APA" + "91b" + u(100));
    assigned(
        "twitch-secret",
        "TWITCH_CLIENT_SECRET",
        t.chars(LOWER_DIGITS, 30),
        t.chars(LOWER_DIGITS, 29));
    assigned("spotify-client-secret", "SPOTIFY_CLIENT_SECRET", h(32), h(31));

    assigned("cohere-api-key", "COHERE_API_KEY", a(40), a(39));
    assigned("mistral-api-key", "MISTRAL_API_KEY", a(32), a(31));
    assigned("deepseek-api-key", "DEEPSEEK_API_KEY", "sk-" + h(32), "sk-" + h(31));
    yes("langsmith-api-key", "LANGSMITH_API_KEY=", "lsv" + "2_pt_" + h(32) + "_" + h(10));
    no("langsmith-api-key", "LANGSMITH_API_KEY=" + "lsv" + "2_pt_" + h(32) + "_" + h(9));
    yes("pinecone-api-key", "PINECONE_API_KEY=", "pc" + "sk_" + a(6) + "_" + a(64));
    no("pinecone-api-key", "PINECONE_API_KEY=" + "pc" + "sk_" + a(6) + "_" + a(30));
    yes("openrouter-api-key", "OPENROUTER_API_KEY=", "sk-" + "or-v1-" + h(64));
    no("openrouter-api-key", "OPENROUTER_API_KEY=" + "sk-" + "or-v1-" + h(63));
    assigned("elevenlabs-api-key", "ELEVENLABS_API_KEY", "sk" + "_" + h(48), "sk" + "_" + h(47));
    assigned("wandb-api-key", "WANDB_API_KEY", h(40), h(39));
    assigned("azure-openai-api-key", "AZURE_OPENAI_API_KEY", h(32), h(31));
    assigned("together-api-key", "TOGETHER_API_KEY", h(64), h(63));
    assigned("assemblyai-api-key", "ASSEMBLYAI_API_KEY", h(32), h(31));
    assigned("deepgram-api-key", "DEEPGRAM_API_KEY", h(40), h(39));

    yes("newrelic-insert-key", "NEW_RELIC_INSERT_KEY=", "NR" + "II-" + u(32));
    no("newrelic-insert-key", "NEW_RELIC_INSERT_KEY=" + "NR" + "II-" + u(31));
    yes("newrelic-license-key", "NEW_RELIC_LICENSE_KEY=", h(36) + "NR" + "AL");
    no("newrelic-license-key", "NEW_RELIC_LICENSE_KEY=" + h(35) + "NR" + "AL");
    yes("dynatrace-api-token", "DT_API_TOKEN=", "dt0" + "c01." + upper(24) + "." + upper(64));
    no("dynatrace-api-token", "DT_API_TOKEN=" + "dt0" + "c01." + upper(24) + "." + upper(63));
    assigned("splunk-hec-token", "SPLUNK_HEC_TOKEN", uuid(), h(32));
    assigned("rollbar-access-token", "ROLLBAR_ACCESS_TOKEN", h(32), h(31));
    assigned("bugsnag-api-key", "BUGSNAG_API_KEY", h(32), h(31));
    assigned("pagerduty-api-key", "PAGERDUTY_TOKEN", u(20), u(19));
    assigned("opsgenie-api-key", "OPSGENIE_API_KEY", uuid(), h(32));
    assigned("honeycomb-api-key", "HONEYCOMB_API_KEY", a(32), a(21));
    assigned("algolia-admin-key", "ALGOLIA_ADMIN_API_KEY", h(32), h(31));
    assigned("sumologic-access-key", "SUMO_ACCESS_KEY", a(64), a(63));
    yes("launchdarkly-sdk-key", "LD_SDK_KEY=", "sd" + "k-" + uuid());
    no("launchdarkly-sdk-key", "LD_SDK_KEY=" + "sd" + "k-" + h(32));
    assigned("influxdb-token", "INFLUXDB_TOKEN", u(86) + "==", u(85) + "==");

    yes("notion-integration-token", "NOTION_TOKEN=", "nt" + "n_" + d(11) + a(35));
    no("notion-integration-token", "NOTION_TOKEN=" + "nt" + "n_" + d(11) + a(34));
    assigned(
        "notion-legacy-token", "NOTION_API_KEY", "secret" + "_" + a(43), "secret" + "_" + a(42));
    yes("figma-pat", "FIGMA_TOKEN=", "fi" + "gd_" + u(40));
    no("figma-pat", "FIGMA_TOKEN=" + "fi" + "gd_" + u(39));
    yes("airtable-pat", "AIRTABLE_TOKEN=", "pa" + "t" + a(14) + "." + h(64));
    no("airtable-pat", "AIRTABLE_TOKEN=" + "pa" + "t" + a(14) + "." + h(63));
    yes("contentful-pat", "CONTENTFUL_MANAGEMENT_TOKEN=", "CF" + "PAT-" + u(43));
    no("contentful-pat", "CONTENTFUL_MANAGEMENT_TOKEN=" + "CF" + "PAT-" + u(42));
    yes("typeform-pat", "TYPEFORM_TOKEN=", "tf" + "p_" + u(59));
    no("typeform-pat", "TYPEFORM_TOKEN=" + "tf" + "p_" + u(58));
    yes("frameio-token", "FRAMEIO_TOKEN=", "fio" + "-u-" + u(64));
    no("frameio-token", "FRAMEIO_TOKEN=" + "fio" + "-u-" + u(63));
    yes("adobe-client-secret", "ADOBE_CLIENT_SECRET=", "p8" + "e-" + a(32));
    no("adobe-client-secret", "ADOBE_CLIENT_SECRET=" + "p8" + "e-" + a(31));
    yes("infracost-api-key", "INFRACOST_API_KEY=", "ic" + "o-" + a(32));
    no("infracost-api-key", "INFRACOST_API_KEY=" + "ic" + "o-" + a(31));
    yes("scalingo-api-token", "SCALINGO_API_TOKEN=", "tk" + "-us-" + u(48));
    no("scalingo-api-token", "SCALINGO_API_TOKEN=" + "tk" + "-us-" + u(47));
    yes("salesforce-access-token", "SF_ACCESS_TOKEN=", "00" + "D" + a(15) + "!" + a(96));
    no("salesforce-access-token", "SF_ACCESS_TOKEN=" + "00" + "D" + a(15) + "!" + a(40));
    yes("hubspot-pat", "HUBSPOT_TOKEN=", "pat" + "-na1-" + uuid());
    no("hubspot-pat", "HUBSPOT_TOKEN=" + "pat" + "-na1-" + h(32));
    assigned(
        "asana-pat",
        "ASANA_TOKEN",
        "2/" + d(16) + "/" + d(16) + ":" + a(32),
        "2/" + d(16) + ":" + a(31));
    assigned("fastly-api-token", "FASTLY_API_TOKEN", u(32), u(31));
    assigned("recaptcha-secret", "RECAPTCHA_SECRET_KEY", "6L" + u(38), "6L" + u(37));
    assigned(
        "dropbox-long-lived-token",
        "DROPBOX_TOKEN",
        a(11) + "A".repeat(10) + u(43),
        a(11) + "A".repeat(10) + u(42));
    yes("yandex-oauth-token", "YANDEX_OAUTH=", "y0" + "_" + u(55));
    no("yandex-oauth-token", "YANDEX_OAUTH=" + "y0" + "_" + u(54));
    assigned("auth0-client-secret", "AUTH0_CLIENT_SECRET", u(64), u(63));
    assigned("confluent-api-secret", "CONFLUENT_CLOUD_API_SECRET", b64(64), b64(63));
    assigned("mongodb-atlas-private-key", "ATLAS_PRIVATE_KEY", uuid(), h(32));
    assigned("github-oauth-client-secret", "GITHUB_CLIENT_SECRET", h(40), h(39));
    assigned("atlassian-datacenter-pat", "JIRA_PAT", b64(44), b64(43));
  }

  private static List<Raw> of(String rule, String text) {
    return SecretScanner.detect(text).stream().filter(r -> r.id().equals(rule)).toList();
  }

  @Test
  void everyCaseFindsExactlyItsSecretOrNothing() {
    List<String> failures = new ArrayList<>();
    for (Case c : cases()) {
      List<Raw> hits = of(c.rule(), c.text());
      if (c.secret() == null) {
        if (!hits.isEmpty()) {
          failures.add("near miss reported: " + c.rule() + " in " + c.text());
        }
      } else if (hits.size() != 1 || !hits.get(0).value().equals(c.secret())) {
        failures.add("not found: " + c.rule() + " in " + c.text() + " -> " + hits);
      }
    }
    assertEquals(List.of(), failures);
  }

  @Test
  void everyRuleHasAPositiveAndANearMiss() {
    Set<String> positive = new HashSet<>();
    Set<String> negative = new HashSet<>();
    for (Case c : cases()) {
      (c.secret() == null ? negative : positive).add(c.rule());
    }
    for (SecretRule r : SecretRules.all()) {
      assertTrue(positive.contains(r.id()), "no true positive for " + r.id());
      assertTrue(negative.contains(r.id()), "no near miss for " + r.id());
    }
  }

  @Test
  void idsAreUniqueAndEveryRuleHasKeywords() {
    List<String> ids = SecretScanner.detectorIds();
    assertEquals(ids.size(), new HashSet<>(ids).size());
    Set<String> seen =
        new HashSet<>(List.of("generic-secret", "pkcs12-file", "private-key", "jwt"));
    for (Detectors.Detector d : Detectors.ALL) {
      seen.add(d.id());
    }
    for (SecretRule r : SecretRules.all()) {
      assertTrue(seen.add(r.id()), "duplicate id " + r.id());
      assertFalse(r.keywords().isEmpty(), r.id());
      dev.caulk.report.Severity.parse(r.severity());
      for (String k : r.keywords()) {
        assertEquals(k.toLowerCase(Locale.ROOT), k, r.id());
        assertTrue(k.length() >= 2, r.id());
      }
      assertTrue(ids.contains(r.id()), r.id());
    }
    assertTrue(SecretRules.all().size() >= 150, "rules: " + SecretRules.all().size());
  }

  @Test
  void thePrefilterRunsExactlyTheRulesWhoseKeywordsOccur() {
    List<String> texts = new ArrayList<>(cases().stream().map(Case::text).toList());
    texts.add("");
    texts.add("x");
    texts.add("nothing to see here\n".repeat(50));
    for (String text : texts) {
      String lower = SecretScanner.lowerSameLength(text);
      boolean[] run = SecretRules.selected(lower);
      for (int r = 0; r < run.length; r++) {
        SecretRule rule = SecretRules.all().get(r);
        boolean expected = rule.keywords().stream().anyMatch(lower::contains);
        assertEquals(expected, run[r], rule.id() + " on " + text);
      }
    }
    boolean[] none = SecretRules.selected("plain text without any credential words");
    for (boolean b : none) {
      assertFalse(b);
    }
  }

  @Test
  void aRuleWhoseKeywordIsAbsentDoesNotRunEvenWhenItsPatternWouldMatch() {
    String token = "S" + "K" + h(32);
    // the pattern alone matches the bare token, but without "twilio" on the line the rule is not
    // run
    assertTrue(
        SecretRules.all().stream()
            .filter(r -> r.id().equals("twilio-api-key"))
            .findFirst()
            .orElseThrow()
            .pattern()
            .matcher("sid=" + token)
            .find());
    assertEquals(List.of(), of("twilio-api-key", "sid=" + token));
    assertEquals(1, of("twilio-api-key", "twilio_sid=" + token).size());
  }

  @Test
  void secretsNeverAppearUnmaskedInHits() {
    for (Case c : cases()) {
      if (c.secret() == null) {
        continue;
      }
      List<SecretHit> hits =
          SecretScanner.scanText(c.text()).stream()
              .filter(h -> h.detectorId().equals(c.rule()))
              .toList();
      assertEquals(1, hits.size(), c.rule());
      SecretHit hit = hits.get(0);
      assertEquals(SecretScanner.mask(c.secret()), hit.masked(), c.rule());
      SecretScannerTest.assertMasked(hit.masked(), c.secret());
      assertFalse(hit.toString().contains(c.secret()), c.rule());
      String masked = SecretScanner.maskValue(null, c.text());
      assertFalse(masked.contains(c.secret()), c.rule() + ": " + masked);
    }
  }

  @Test
  void theDocsTableListsEveryRule() throws java.io.IOException {
    String docs = Files.readString(Path.of("../docs/secrets.md"));
    for (SecretRule r : SecretRules.all()) {
      assertTrue(
          docs.contains("| `" + r.id() + "` | " + r.title() + " | " + r.severity() + " |"),
          "docs/secrets.md: no table row for " + r.id() + " (regenerate the table)");
    }
    for (SecretDetector d : SecretScanner.detectors()) {
      assertTrue(docs.contains("`" + d.id() + "`"), "docs/secrets.md does not name " + d.id());
    }
  }

  @Test
  void offsetsSurviveCharactersWhoseLowerCaseIsLonger() {
    String token = "hf" + "_" + a(34);
    String text = "\u0130\u0130\u0130 HF_TOKEN=" + token;
    List<Raw> hits = of("huggingface-token", text);
    assertEquals(1, hits.size());
    assertEquals(token, hits.get(0).value());
  }
}

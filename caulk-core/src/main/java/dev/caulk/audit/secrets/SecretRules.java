package dev.caulk.audit.secrets;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.List;

/**
 * The built-in declarative rules ({@link SecretRule}): credential types whose token format is
 * published by the issuer. The patterns are written for this project from the vendors' documented
 * formats. Credential types with a hand-written detector ({@link Detectors}: AWS, GitHub, GitLab
 * personal tokens, Slack {@code xox*} tokens and webhooks, Stripe live keys, npm, PyPI, JWT, PEM
 * keys, GCP service accounts) are not repeated here.
 *
 * <p>All rules run in one pass per text: {@link KeywordIndex} finds which keywords occur, and only
 * the rules with a keyword present run their pattern, on the lines that hold one of their keywords.
 */
public final class SecretRules {
  private static final String CRITICAL = Detectors.CRITICAL;
  private static final String HIGH = Detectors.HIGH;
  private static final String MEDIUM = Detectors.MEDIUM;
  private static final String LOW = "LOW";

  /** A UUID, as several vendors issue their keys. */
  private static final String UUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  /** Characters that continue a token of the common {@code [A-Za-z0-9_-]} alphabet. */
  private static final String W = "A-Za-z0-9_-";

  private static final double ENTROPY = 3.0;

  /**
   * Passwords in connection URIs that documentation uses as stand-ins (declared before the rules
   * that use it).
   */
  private static final List<Pattern> URI_ALLOW =
      List.of(Pattern.compile("(?i)^(?:pass|pwd|pw|user|username|pass123|mypass|secret123)$"));

  private static final List<SecretRule> ALL =
      List.of(
          // Google, Microsoft, Alibaba, Tencent, Yandex, Cloudflare
          tok("gcp-api-key", "Google API key", HIGH, "AIza[0-9A-Za-z_-]{35}", W, "aiza"),
          tok(
              "gcp-oauth-access-token",
              "Google OAuth access token",
              HIGH,
              "ya29\\.[0-9A-Za-z_-]{30,}",
              W,
              "ya29."),
          tok(
              "gcp-oauth-refresh-token",
              "Google OAuth refresh token",
              HIGH,
              "1//0[0-9A-Za-z_-]{40,}",
              W,
              "1//0"),
          tok(
              "gcp-oauth-client-secret",
              "Google OAuth client secret",
              HIGH,
              "GOCSPX-[0-9A-Za-z_-]{28}",
              W,
              "gocspx-"),
          rule(
              "azure-storage-account-key",
              "Azure storage account key",
              CRITICAL,
              "(?i)(?:^|[^a-z0-9])accountkey=([A-Za-z0-9+/]{86}==)(?:$|[^A-Za-z0-9+/=])",
              ENTROPY,
              "accountkey="),
          rule(
              "azure-shared-access-key",
              "Azure Service Bus / Event Hubs shared access key",
              HIGH,
              "(?i)(?:^|[^a-z0-9])sharedaccesskey=([A-Za-z0-9+/]{43}=)(?:$|[^A-Za-z0-9+/=])",
              ENTROPY,
              "sharedaccesskey="),
          rule(
              "azure-sas-token",
              "Azure shared access signature",
              HIGH,
              "(?:^|[^A-Za-z0-9])sv=[0-9]{4}-[0-9]{2}-[0-9]{2}&[^\\s\"'<>]*?\\bsig=([A-Za-z0-9%+/]{40,})"
                  + "(?:$|[^A-Za-z0-9%+/=])",
              ENTROPY,
              "sig="),
          tok(
              "azure-devops-pat",
              "Azure DevOps personal access token",
              CRITICAL,
              "[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}",
              "A-Za-z0-9",
              "azdo"),
          tok(
              "azure-ad-client-secret",
              "Microsoft Entra ID (Azure AD) client secret",
              CRITICAL,
              "[A-Za-z0-9_.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}",
              "A-Za-z0-9_~.-",
              "q~"),
          tok(
              "alibaba-access-key-id",
              "Alibaba Cloud AccessKey ID",
              HIGH,
              "LTAI[0-9A-Za-z]{12,20}",
              "A-Za-z0-9",
              "ltai"),
          tok(
              "tencent-secret-id",
              "Tencent Cloud SecretId",
              HIGH,
              "AKID[0-9A-Za-z]{32}",
              "A-Za-z0-9",
              "akid"),
          tok(
              "yandex-api-key",
              "Yandex Cloud API key",
              HIGH,
              "AQVN[A-Za-z0-9_-]{35,38}",
              W,
              "aqvn"),
          tok(
              "cloudflare-origin-ca-key",
              "Cloudflare Origin CA key",
              HIGH,
              "v1\\.0-[0-9a-f]{24}-[0-9a-f]{146}",
              W,
              "v1.0-"),
          tok(
              "digitalocean-pat",
              "DigitalOcean personal access token",
              CRITICAL,
              "dop_v1_[0-9a-f]{64}",
              W,
              "dop_v1_"),
          tok(
              "digitalocean-oauth-token",
              "DigitalOcean OAuth access or refresh token",
              CRITICAL,
              "do[or]_v1_[0-9a-f]{64}",
              W,
              "doo_v1_",
              "dor_v1_"),
          // AI providers
          tok(
              "openai-api-key",
              "OpenAI API key",
              CRITICAL,
              "sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}",
              W,
              "t3blbkfj"),
          tok(
              "anthropic-api-key",
              "Anthropic API key",
              CRITICAL,
              "sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,}",
              W,
              "sk-ant-"),
          tok(
              "huggingface-token",
              "Hugging Face access token",
              HIGH,
              "hf_[A-Za-z0-9]{34,40}",
              W,
              "hf_"),
          tok("groq-api-key", "Groq API key", HIGH, "gsk_[A-Za-z0-9]{52}", W, "gsk_"),
          tok("replicate-api-token", "Replicate API token", HIGH, "r8_[A-Za-z0-9]{37}", W, "r8_"),
          tok("perplexity-api-key", "Perplexity API key", HIGH, "pplx-[A-Za-z0-9]{48}", W, "pplx-"),
          tok("xai-api-key", "xAI API key", HIGH, "xai-[A-Za-z0-9]{80}", W, "xai-"),
          // source forges, CI, package registries
          tok(
              "gitlab-runner-token",
              "GitLab runner authentication token",
              HIGH,
              "glrt-[A-Za-z0-9_-]{20,}(?:\\.[A-Za-z0-9_-]{1,50}){0,3}",
              W,
              "glrt-"),
          tok(
              "gitlab-deploy-token",
              "GitLab deploy token",
              HIGH,
              "gldt-[A-Za-z0-9_-]{20,}",
              W,
              "gldt-"),
          tok(
              "gitlab-pipeline-trigger-token",
              "GitLab pipeline trigger token",
              HIGH,
              "glptt-[0-9a-f]{40}",
              W,
              "glptt-"),
          tok(
              "gitlab-feed-token",
              "GitLab feed token",
              MEDIUM,
              "glft-[A-Za-z0-9_-]{20,}",
              W,
              "glft-"),
          tok(
              "gitlab-oauth-app-secret",
              "GitLab OAuth application secret",
              HIGH,
              "gloas-[0-9a-f]{64}",
              W,
              "gloas-"),
          tok(
              "sourcegraph-token",
              "Sourcegraph access token",
              HIGH,
              "sgp_(?:[0-9a-f]{16}_)?[0-9a-f]{40}",
              W,
              "sgp_"),
          tok(
              "onepassword-service-account-token",
              "1Password service account token",
              CRITICAL,
              "ops_eyJ[A-Za-z0-9+/=_-]{100,}",
              "A-Za-z0-9+/=_-",
              "ops_eyj"),
          tok("prefect-api-key", "Prefect Cloud API key", HIGH, "pnu_[A-Za-z0-9]{36}", W, "pnu_"),
          tok("readme-api-key", "ReadMe API key", HIGH, "rdme_[a-z0-9]{70}", W, "rdme_"),
          tok(
              "atlassian-api-token",
              "Atlassian API token",
              HIGH,
              "ATATT3[A-Za-z0-9_=-]{100,}",
              "A-Za-z0-9_=-",
              "atatt3"),
          tok(
              "buildkite-token",
              "Buildkite API access token",
              HIGH,
              "bkua_[0-9a-f]{40}",
              W,
              "bkua_"),
          tok(
              "circleci-pat",
              "CircleCI personal API token",
              HIGH,
              "CCIPAT_[A-Za-z0-9]{22}_[0-9a-f]{40}",
              W,
              "ccipat_"),
          tok(
              "docker-hub-pat",
              "Docker Hub personal access token",
              HIGH,
              "dckr_pat_[A-Za-z0-9_-]{27}",
              W,
              "dckr_pat_"),
          tok(
              "rubygems-api-key",
              "RubyGems API key",
              HIGH,
              "rubygems_[0-9a-f]{48}",
              W,
              "rubygems_"),
          tok("nuget-api-key", "NuGet API key", HIGH, "oy2[a-z0-9]{43}", "A-Za-z0-9", "oy2"),
          tok("clojars-token", "Clojars deploy token", HIGH, "CLOJARS_[a-z0-9]{60}", W, "clojars_"),
          tok(
              "jfrog-api-key",
              "JFrog Artifactory API key",
              HIGH,
              "AKCp[A-Za-z0-9]{69}",
              "A-Za-z0-9",
              "akcp"),
          tok("pulumi-access-token", "Pulumi access token", HIGH, "pul-[0-9a-f]{40}", W, "pul-"),
          tok(
              "terraform-cloud-token",
              "Terraform Cloud / Enterprise API token",
              CRITICAL,
              "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}",
              W,
              ".atlasv1."),
          tok(
              "vault-service-token",
              "HashiCorp Vault service token",
              CRITICAL,
              "hvs\\.[A-Za-z0-9_-]{24,}",
              W,
              "hvs."),
          tok(
              "vault-batch-token",
              "HashiCorp Vault batch token",
              HIGH,
              "hvb\\.[A-Za-z0-9_-]{24,}",
              W,
              "hvb."),
          tok(
              "doppler-token",
              "Doppler token",
              HIGH,
              "dp\\.(?:pt|st|sa|ct)\\.[A-Za-z0-9]{40,44}",
              W,
              "dp.pt.",
              "dp.st.",
              "dp.sa.",
              "dp.ct."),
          tok(
              "postman-api-key",
              "Postman API key",
              HIGH,
              "PMAK-[0-9a-f]{24}-[0-9a-f]{34}",
              W,
              "pmak-"),
          tok("linear-api-key", "Linear API key", HIGH, "lin_api_[A-Za-z0-9]{40}", W, "lin_api_"),
          tok(
              "supabase-access-token",
              "Supabase personal access token",
              HIGH,
              "sbp_[0-9a-f]{40}",
              W,
              "sbp_"),
          tok(
              "planetscale-token",
              "PlanetScale service token",
              HIGH,
              "pscale_tkn_[A-Za-z0-9_.-]{32,64}",
              "A-Za-z0-9_.-",
              "pscale_tkn_"),
          tok(
              "planetscale-password",
              "PlanetScale database password",
              HIGH,
              "pscale_pw_[A-Za-z0-9_.-]{32,64}",
              "A-Za-z0-9_.-",
              "pscale_pw_"),
          // payment, commerce
          // no rule for Stripe test keys (sk_test_, rk_test_): PlaceholderNegativesTest holds that
          // they are not secrets
          tok(
              "stripe-webhook-secret",
              "Stripe webhook signing secret",
              HIGH,
              "whsec_[A-Za-z0-9]{32,64}",
              W,
              "whsec_"),
          tok(
              "square-access-token",
              "Square access token",
              CRITICAL,
              "sq0atp-[0-9A-Za-z_-]{22}",
              W,
              "sq0atp-"),
          tok(
              "square-oauth-secret",
              "Square OAuth application secret",
              HIGH,
              "sq0csp-[0-9A-Za-z_-]{43}",
              W,
              "sq0csp-"),
          tok(
              "shopify-access-token",
              "Shopify access token",
              CRITICAL,
              "shp(?:at|ca|pa)_[0-9a-fA-F]{32}",
              W,
              "shpat_",
              "shpca_",
              "shppa_"),
          tok(
              "shopify-shared-secret",
              "Shopify app shared secret",
              HIGH,
              "shpss_[0-9a-fA-F]{32}",
              W,
              "shpss_"),
          // messaging, e-mail
          tok(
              "slack-app-token",
              "Slack app-level token",
              HIGH,
              "xapp-[0-9]-[A-Z0-9]{8,12}-[0-9]{10,16}-[0-9a-f]{64}",
              W,
              "xapp-"),
          tok(
              "discord-bot-token",
              "Discord bot token",
              HIGH,
              "[MNO][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}",
              W,
              "discord"),
          rule(
              "discord-webhook",
              "Discord webhook URL",
              MEDIUM,
              "https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,68})"
                  + "(?:$|[^A-Za-z0-9_-])",
              ENTROPY,
              "discord"),
          // only a digit may not come before it: the Bot API puts the token right after "bot"
          // (…/bot123:AA…/getMe)
          rule(
              "telegram-bot-token",
              "Telegram bot token",
              HIGH,
              "(?:^|[^0-9])([0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?:$|[^0-9A-Za-z_-])",
              ENTROPY,
              ":aa"),
          tok(
              "twilio-api-key",
              "Twilio API key SID",
              HIGH,
              "SK[0-9a-fA-F]{32}",
              "A-Za-z0-9",
              "twilio"),
          tok(
              "sendgrid-api-key",
              "SendGrid API key",
              HIGH,
              "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
              W,
              "sg."),
          tok("mailgun-api-key", "Mailgun API key", HIGH, "key-[0-9a-f]{32}", W, "key-"),
          tok(
              "mailchimp-api-key",
              "Mailchimp API key",
              HIGH,
              "[0-9a-f]{32}-us[0-9]{1,2}",
              W,
              "-us"),
          tok(
              "brevo-api-key",
              "Brevo (Sendinblue) API key",
              HIGH,
              "xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16}",
              W,
              "xkeysib-"),
          // observability, identity, storage
          rule(
              "datadog-api-key",
              "Datadog API key",
              HIGH,
              "(?i)(?:datadog|dd)[_-]?api[_-]?key[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?([0-9a-f]{32})(?:$|[^0-9a-z])",
              ENTROPY,
              "datadog",
              "dd_api",
              "dd-api",
              "ddapi"),
          rule(
              "datadog-app-key",
              "Datadog application key",
              HIGH,
              "(?i)(?:datadog|dd)[_-]?app(?:lication)?[_-]?key[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?([0-9a-f]{40})"
                  + "(?:$|[^0-9a-z])",
              ENTROPY,
              "datadog",
              "dd_app",
              "dd-app",
              "ddapp"),
          tok(
              "newrelic-user-api-key",
              "New Relic user API key",
              HIGH,
              "NRAK-[A-Z0-9]{27}",
              W,
              "nrak-"),
          tok(
              "sentry-org-token",
              "Sentry organization auth token",
              HIGH,
              "sntrys_eyJ[A-Za-z0-9+/=_-]{50,}",
              "A-Za-z0-9+/=_-",
              "sntrys_"),
          tok(
              "sentry-user-token",
              "Sentry user auth token",
              HIGH,
              "sntryu_[0-9a-f]{64}",
              W,
              "sntryu_"),
          tok(
              "grafana-service-account-token",
              "Grafana service account token",
              HIGH,
              "glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}",
              W,
              "glsa_"),
          tok(
              "grafana-cloud-token",
              "Grafana Cloud access policy token",
              HIGH,
              "glc_[A-Za-z0-9+/]{32,}={0,2}",
              "A-Za-z0-9+/=_-",
              "glc_"),
          tok("heroku-api-key", "Heroku API key", HIGH, "HRKU-[0-9A-Za-z_-]{20,}", W, "hrku-"),
          rule(
              "heroku-api-key-legacy",
              "Heroku API key (UUID assigned to a Heroku name)",
              HIGH,
              "(?i)heroku[a-z_-]{0,20}[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?"
                  + "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:$|[^0-9a-z-])",
              ENTROPY,
              "heroku"),
          rule(
              "okta-api-token",
              "Okta API token",
              HIGH,
              "(?i)okta[a-z_-]{0,20}[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?(00[A-Za-z0-9_-]{40})(?:$|[^A-Za-z0-9_-])",
              ENTROPY,
              "okta"),
          tok(
              "databricks-token",
              "Databricks personal access token",
              HIGH,
              "dapi[0-9a-f]{32}(?:-[0-9])?",
              W,
              "dapi"),
          tok(
              "dropbox-access-token",
              "Dropbox short-lived access token",
              HIGH,
              "sl\\.(?:u\\.)?[A-Za-z0-9_-]{130,}",
              W,
              "sl."),
          tok(
              "mapbox-secret-token",
              "Mapbox secret token",
              HIGH,
              "sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}",
              W,
              "sk.eyj"),
          tok(
              "age-secret-key",
              "age secret key",
              CRITICAL,
              "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}",
              W,
              "age-secret-key-1"),
          // database connection URIs with a password
          uri(
              "postgres-uri-password",
              "PostgreSQL connection URI with a password",
              "postgres(?:ql)?",
              "postgres"),
          uri(
              "mysql-uri-password",
              "MySQL / MariaDB connection URI with a password",
              "mysql(?:x)?|mariadb",
              "mysql",
              "mariadb"),
          uri(
              "mongodb-uri-password",
              "MongoDB connection URI with a password",
              "mongodb(?:\\+srv)?",
              "mongodb"),
          uri("redis-uri-password", "Redis connection URI with a password", "rediss?", "redis"),
          uri(
              "amqp-uri-password",
              "AMQP (RabbitMQ) connection URI with a password",
              "amqps?",
              "amqp"),
          uri("ldap-uri-password", "LDAP URI with a password", "ldaps?", "ldap"),
          uri("ftp-uri-password", "FTP / SFTP URI with a password", "s?ftps?", "ftp"),
          uri("smtp-uri-password", "SMTP URI with a password", "smtps?", "smtp"),
          uri(
              "neo4j-uri-password",
              "Neo4j / Bolt URI with a password",
              "neo4j(?:\\+ssc|\\+s)?|bolt(?:\\+ssc|\\+s)?",
              "neo4j",
              "bolt"),
          uri(
              "clickhouse-uri-password",
              "ClickHouse URI with a password",
              "clickhouse",
              "clickhouse"),
          uri(
              "mssql-uri-password",
              "SQL Server URI with a password",
              "mssql|sqlserver",
              "mssql",
              "sqlserver"),
          uri("snowflake-uri-password", "Snowflake URI with a password", "snowflake", "snowflake"),
          uri("url-credentials", "HTTP(S) URL with a user and password", "https?", "http"),
          rule(
              "jdbc-password",
              "JDBC URL with a password parameter",
              HIGH,
              "(?i)jdbc:[a-z0-9]{2,20}:[^\\s\"'<>]*?[;?&:]password=([^;&\\s\"'<>]{3,})",
              1.5,
              URI_ALLOW,
              "jdbc:"),
          rule(
              "ado-connection-string-password",
              "Connection string (ADO.NET, ODBC) with a password",
              HIGH,
              "(?i)(?:server|data source|host|address)[ \\t]*=[^\"'\\r\\n]*?;"
                  + "[ \\t]*(?:password|pwd)[ \\t]*=[ \\t]*([^;\"'\\s]{3,})",
              1.5,
              URI_ALLOW,
              "password",
              "pwd"),
          // key stores and keys in configuration: passwords are short and chosen by people, so a
          // low entropy floor
          rule(
              "keystore-password",
              "Key store or private key password in a configuration",
              MEDIUM,
              "(?i)(?:(?:key[_.-]?store|trust[_.-]?store|jks|p12|pkcs12|ssl[_.-]?key|private[_.-]?key|key)[_.-]?"
                  + "(?:password|passwd|passphrase|pass|pwd)[\"']?[ \\t]*(?:=>|:=|=|:)[ \\t]*[\"']?"
                  + "|<(?:key[_.-]?store|key)[_.-]?pass(?:word)?>[ \\t]*"
                  + "|-(?:store|key|srcstore|deststore|srckey|destkey)pass[ \\t]+[\"']?)([^\\s\"'<>;,]{4,})",
              1.5,
              List.of(Pattern.compile("^\\$|^%|^\\{")),
              "keystore",
              "key_store",
              "key-store",
              "key.store",
              "truststore",
              "storepass",
              "keypass",
              "key_pass",
              "key-pass",
              "keypass",
              "key.pass",
              "jks",
              "p12",
              "pkcs12",
              "ssl_key",
              "ssl-key",
              "ssl.key",
              "private_key_pass",
              "private-key-pass",
              "privatekeypass"),
          // more clouds and infrastructure
          tok(
              "aws-mws-key",
              "Amazon Marketplace Web Service auth token",
              HIGH,
              "amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
              W,
              "amzn.mws."),
          ctx(
              "aws-session-token",
              "AWS session token",
              HIGH,
              "aws_?session_?token|x-amz-security-token",
              "[A-Za-z0-9/+=]{100,}",
              "A-Za-z0-9/+=",
              "session_token",
              "sessiontoken",
              "x-amz-security-token"),
          tok(
              "aws-bedrock-api-key",
              "Amazon Bedrock API key",
              CRITICAL,
              "ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{20,}={0,2}",
              "A-Za-z0-9+/=",
              "abskqmvkcm9ja0fqsutles"),
          rule(
              "azure-app-config-connection-string",
              "Azure App Configuration connection string",
              HIGH,
              "Endpoint=https://[A-Za-z0-9-]{1,60}\\.azconfig\\.io;Id=[^;\\s]+;Secret=([A-Za-z0-9+/]{40,}={0,2})",
              ENTROPY,
              "azconfig.io"),
          rule(
              "azure-function-key",
              "Azure Functions key in a URL",
              HIGH,
              "https://[A-Za-z0-9-]{1,60}\\.azurewebsites\\.net/api/[^\\s?\"']+\\?(?:[^\\s\"'#]*&)?code="
                  + "([A-Za-z0-9_=-]{40,})(?:$|[^A-Za-z0-9_=-])",
              ENTROPY,
              "azurewebsites.net"),
          ctx(
              "alibaba-access-key-secret",
              "Alibaba Cloud AccessKey secret",
              CRITICAL,
              "ali(?:baba|yun|cloud)[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9]{30}",
              "A-Za-z0-9",
              "alibaba",
              "aliyun",
              "alicloud"),
          ctx(
              "ibm-cloud-api-key",
              "IBM Cloud API key",
              HIGH,
              "ibm[a-z0-9_.-]{0,20}(?:api[_.-]?key|apikey)",
              "[A-Za-z0-9_-]{44}",
              W,
              "ibm"),
          ctx(
              "cloudflare-api-token",
              "Cloudflare API token",
              HIGH,
              "cloudflare[a-z0-9_.-]{0,20}(?:token|key)|cf[_-]api[_-]token",
              "[A-Za-z0-9_-]{40}",
              W,
              "cloudflare",
              "cf_api",
              "cf-api"),
          ctx(
              "cloudflare-global-api-key",
              "Cloudflare global API key",
              CRITICAL,
              "cloudflare[a-z0-9_.-]{0,20}key|cf[_-]api[_-]key",
              "[0-9a-f]{37}",
              W,
              "cloudflare",
              "cf_api",
              "cf-api"),
          ctx(
              "linode-token",
              "Linode (Akamai) API token",
              HIGH,
              "linode[a-z0-9_.-]{0,20}(?:token|key)",
              "[0-9a-f]{64}",
              W,
              "linode"),
          ctx(
              "hetzner-cloud-token",
              "Hetzner Cloud API token",
              HIGH,
              "(?:hcloud|hetzner)[a-z0-9_.-]{0,20}token",
              "[A-Za-z0-9]{64}",
              W,
              "hcloud",
              "hetzner"),
          ctx(
              "vultr-api-key",
              "Vultr API key",
              HIGH,
              "vultr[a-z0-9_.-]{0,20}(?:key|token)",
              "[A-Z0-9]{36}",
              W,
              "vultr"),
          ctx(
              "scaleway-secret-key",
              "Scaleway secret key",
              HIGH,
              "scw[_-]secret[_-]key|scaleway[a-z0-9_.-]{0,20}(?:secret|key)",
              UUID,
              W,
              "scw_secret",
              "scw-secret",
              "scaleway"),
          tok(
              "flyio-access-token",
              "Fly.io access token",
              HIGH,
              "fo1_[A-Za-z0-9_-]{43}",
              W,
              "fo1_"),
          rule(
              "flyio-macaroon-token",
              "Fly.io macaroon token",
              HIGH,
              "FlyV1 (fm[12][ar]?_[A-Za-z0-9+/=,_-]{100,})(?:$|[^A-Za-z0-9+/=,_-])",
              ENTROPY,
              "flyv1 fm"),
          ctx(
              "netlify-token",
              "Netlify access token",
              HIGH,
              "netlify[a-z0-9_.-]{0,20}(?:token|key)",
              "[A-Za-z0-9_-]{40,46}",
              W,
              "netlify"),
          ctx(
              "vercel-token",
              "Vercel access token",
              HIGH,
              "vercel[a-z0-9_.-]{0,20}token",
              "[A-Za-z0-9]{24}",
              W,
              "vercel"),
          tok("render-api-key", "Render API key", HIGH, "rnd_[A-Za-z0-9]{32}", W, "rnd_"),
          tok(
              "openshift-user-token",
              "OpenShift user token",
              HIGH,
              "sha256~[A-Za-z0-9_-]{43}",
              W,
              "sha256~"),
          tok(
              "tailscale-key",
              "Tailscale API, auth or OAuth client key",
              HIGH,
              "tskey-(?:api|auth|client|scim|webhook)-[A-Za-z0-9]{6,20}-[A-Za-z0-9]{20,60}",
              W,
              "tskey-"),
          ctx(
              "ngrok-authtoken",
              "ngrok authtoken or API key",
              HIGH,
              "ngrok[a-z0-9_.-]{0,20}(?:token|key)",
              "[0-9A-Za-z]{20,30}_[0-9A-Za-z]{20,30}",
              W,
              "ngrok"),
          ctx(
              "vault-legacy-token",
              "HashiCorp Vault token (before 1.10)",
              HIGH,
              "vault[a-z0-9_.-]{0,20}token",
              "s\\.[A-Za-z0-9]{24}",
              W,
              "vault"),
          ctx(
              "consul-token",
              "HashiCorp Consul ACL token",
              HIGH,
              "consul[a-z0-9_.-]{0,20}token",
              UUID,
              W,
              "consul"),
          ctx(
              "nomad-token",
              "HashiCorp Nomad ACL token",
              HIGH,
              "nomad[a-z0-9_.-]{0,20}token",
              UUID,
              W,
              "nomad"),
          // more forges, CI, registries
          tok(
              "bitbucket-app-password",
              "Bitbucket app password / Atlassian API token (ATBB)",
              HIGH,
              "ATBB[A-Za-z0-9]{32,40}",
              "A-Za-z0-9",
              "atbb"),
          ctx(
              "bitbucket-client-secret",
              "Bitbucket OAuth client secret",
              HIGH,
              "bitbucket[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9_=-]{64}",
              "A-Za-z0-9_=-",
              "bitbucket"),
          ctx(
              "gitea-token",
              "Gitea / Forgejo access token",
              HIGH,
              "(?:gitea|forgejo)[a-z0-9_.-]{0,20}(?:token|key)",
              "[0-9a-f]{40}",
              W,
              "gitea",
              "forgejo"),
          tok(
              "gitlab-scim-token",
              "GitLab SCIM token",
              HIGH,
              "glsoat-[A-Za-z0-9_-]{20,}",
              W,
              "glsoat-"),
          tok(
              "gitlab-incoming-mail-token",
              "GitLab incoming mail token",
              MEDIUM,
              "glimt-[A-Za-z0-9_-]{25,}",
              W,
              "glimt-"),
          tok(
              "gitlab-agent-token",
              "GitLab agent for Kubernetes token",
              HIGH,
              "glagent-[A-Za-z0-9_-]{50,}",
              W,
              "glagent-"),
          tok(
              "gitlab-ci-job-token",
              "GitLab CI/CD job token",
              HIGH,
              "glcbt-[0-9a-fA-F]{1,5}_[A-Za-z0-9_-]{20,}",
              W,
              "glcbt-"),
          tok(
              "gitlab-feature-flag-token",
              "GitLab feature flags client token",
              MEDIUM,
              "glffct-[A-Za-z0-9_-]{20,}",
              W,
              "glffct-"),
          tok(
              "huggingface-org-token",
              "Hugging Face organization API token",
              HIGH,
              "api_org_[A-Za-z0-9]{34}",
              W,
              "api_org_"),
          ctx(
              "travis-ci-token",
              "Travis CI token",
              HIGH,
              "travis[a-z0-9_.-]{0,20}(?:token|key)",
              "[A-Za-z0-9_-]{22}",
              W,
              "travis"),
          ctx(
              "drone-ci-token",
              "Drone CI token",
              HIGH,
              "drone[a-z0-9_.-]{0,20}token",
              "[A-Za-z0-9]{32}",
              W,
              "drone"),
          ctx(
              "jenkins-api-token",
              "Jenkins API token",
              HIGH,
              "jenkins[a-z0-9_.-]{0,20}(?:token|key|password)",
              "11[0-9a-f]{32}",
              W,
              "jenkins"),
          tok(
              "teamcity-token",
              "TeamCity access token",
              HIGH,
              "eyJ0eXAiOiAiVENWMiJ9\\.[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}",
              W,
              "eyj0exaioiaivenwmij9"),
          ctx(
              "octopus-deploy-api-key",
              "Octopus Deploy API key",
              HIGH,
              "octopus[a-z0-9_.-]{0,20}(?:key|token)",
              "API-[A-Z0-9]{26,32}",
              W,
              "octopus"),
          tok(
              "harness-token",
              "Harness personal or service account token",
              HIGH,
              "(?:pat|sat)\\.[A-Za-z0-9_-]{22}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}",
              W,
              "pat.",
              "sat."),
          ctx(
              "snyk-api-token",
              "Snyk API token",
              HIGH,
              "snyk[a-z0-9_.-]{0,20}(?:token|key)",
              UUID,
              W,
              "snyk"),
          tok(
              "sonarqube-token",
              "SonarQube / SonarCloud token",
              HIGH,
              "sq[pua]_[0-9a-f]{40}",
              W,
              "sqp_",
              "squ_",
              "sqa_"),
          ctx(
              "codecov-token",
              "Codecov upload token",
              MEDIUM,
              "codecov[a-z0-9_.-]{0,20}token",
              UUID,
              W,
              "codecov"),
          tok(
              "jfrog-identity-token",
              "JFrog identity / reference token",
              HIGH,
              "cmVmdGtuOjAxOj[A-Za-z0-9]{40,}",
              "A-Za-z0-9",
              "cmvmdgtuojaxoj"),
          tok(
              "crates-io-token",
              "crates.io API token",
              HIGH,
              "cio[A-Za-z0-9]{32}",
              "A-Za-z0-9",
              "cio"),
          tok(
              "docker-hub-org-token",
              "Docker Hub organization access token",
              HIGH,
              "dckr_oat_[A-Za-z0-9_-]{32}",
              W,
              "dckr_oat_"),
          ctx(
              "gradle-plugin-portal-key",
              "Gradle Plugin Portal publish key or secret",
              HIGH,
              "gradle\\.publish\\.(?:key|secret)",
              "[A-Za-z0-9]{32}",
              W,
              "gradle.publish"),
          // more payment and commerce
          tok(
              "stripe-test-key",
              "Stripe test-mode secret or restricted key (no live data; reported LOW)",
              LOW,
              "[sr]k_test_[A-Za-z0-9]{20,}",
              W,
              "sk_test_",
              "rk_test_"),
          tok(
              "braintree-access-token",
              "PayPal Braintree access token",
              CRITICAL,
              "access_token\\$production\\$[0-9a-z]{16}\\$[0-9a-f]{32}",
              W,
              "access_token$production$"),
          ctx(
              "razorpay-key-secret",
              "Razorpay key secret",
              HIGH,
              "razorpay[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9]{24}",
              W,
              "razorpay"),
          tok(
              "plaid-access-token",
              "Plaid access token",
              HIGH,
              "access-(?:production|development)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
              W,
              "access-production-",
              "access-development-"),
          ctx(
              "plaid-secret",
              "Plaid API secret",
              HIGH,
              "plaid[a-z0-9_.-]{0,20}secret",
              "[0-9a-f]{30}",
              W,
              "plaid"),
          tok(
              "flutterwave-secret-key",
              "Flutterwave secret key",
              HIGH,
              "FLWSECK-[0-9a-f]{32}-X",
              W,
              "flwseck-"),
          tok(
              "shippo-live-token",
              "Shippo live API token",
              HIGH,
              "shippo_live_[0-9a-f]{40}",
              W,
              "shippo_live_"),
          tok(
              "easypost-api-key",
              "EasyPost production API key",
              HIGH,
              "EZAK[0-9a-zA-Z]{54}",
              "A-Za-z0-9",
              "ezak"),
          tok(
              "duffel-live-token",
              "Duffel live access token",
              HIGH,
              "duffel_live_[A-Za-z0-9_=-]{43}",
              "A-Za-z0-9_=-",
              "duffel_live_"),
          ctx(
              "gocardless-access-token",
              "GoCardless live access token",
              HIGH,
              "gocardless[a-z0-9_.-]{0,20}(?:token|key)",
              "live_[A-Za-z0-9_=-]{40}",
              "A-Za-z0-9_=-",
              "gocardless"),
          ctx(
              "mollie-api-key",
              "Mollie live API key",
              HIGH,
              "mollie[a-z0-9_.-]{0,20}(?:key|token)",
              "live_[A-Za-z0-9]{30}",
              W,
              "mollie"),
          // more messaging and social
          rule(
              "slack-legacy-webhook",
              "Slack legacy webhook URL with a token",
              MEDIUM,
              "https://[A-Za-z0-9-]{1,60}\\.slack\\.com/services/hooks/[a-z-]{1,40}\\?token=([A-Za-z0-9]{24})"
                  + "(?:$|[^A-Za-z0-9])",
              ENTROPY,
              "slack.com/services/hooks"),
          rule(
              "teams-incoming-webhook",
              "Microsoft Teams incoming webhook URL",
              MEDIUM,
              "https://[A-Za-z0-9-]{1,60}\\.webhook\\.office\\.com/webhookb2/[0-9a-f-]{36}@[0-9a-f-]{36}/"
                  + "IncomingWebhook/([0-9a-f]{32})/[0-9a-f-]{36}",
              ENTROPY,
              "webhook.office.com"),
          ctx(
              "twilio-auth-token",
              "Twilio auth token",
              CRITICAL,
              "twilio[a-z0-9_.-]{0,20}auth[_.-]?token",
              "[0-9a-f]{32}",
              W,
              "twilio"),
          tok(
              "mailersend-api-key",
              "MailerSend API token",
              HIGH,
              "mlsn\\.[0-9a-f]{64}",
              W,
              "mlsn."),
          ctx(
              "postmark-token",
              "Postmark server or account token",
              HIGH,
              "postmark[a-z0-9_.-]{0,20}(?:token|key)",
              UUID,
              W,
              "postmark"),
          ctx(
              "sparkpost-api-key",
              "SparkPost API key",
              HIGH,
              "sparkpost[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{40}",
              W,
              "sparkpost"),
          ctx(
              "mandrill-api-key",
              "Mandrill (Mailchimp Transactional) API key",
              HIGH,
              "mandrill[a-z0-9_.-]{0,20}key",
              "[A-Za-z0-9_-]{22}",
              W,
              "mandrill"),
          ctx(
              "mailjet-api-secret",
              "Mailjet API key or secret",
              HIGH,
              "mailjet[a-z0-9_.-]{0,20}(?:secret|key)",
              "[0-9a-f]{32}",
              W,
              "mailjet"),
          ctx(
              "messagebird-api-key",
              "MessageBird (Bird) API key",
              HIGH,
              "messagebird[a-z0-9_.-]{0,20}key",
              "[A-Za-z0-9]{25}",
              W,
              "messagebird"),
          ctx(
              "vonage-api-secret",
              "Vonage (Nexmo) API secret",
              HIGH,
              "(?:nexmo|vonage)[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9]{16}",
              W,
              "nexmo",
              "vonage"),
          ctx(
              "zendesk-api-token",
              "Zendesk API token",
              HIGH,
              "zendesk[a-z0-9_.-]{0,20}(?:token|key)",
              "[A-Za-z0-9]{40}",
              W,
              "zendesk"),
          tok(
              "intercom-access-token",
              "Intercom access token",
              HIGH,
              "dG9rOm[A-Za-z0-9+/_=-]{40,}",
              "A-Za-z0-9+/_=-",
              "dg9rom"),
          tok(
              "facebook-access-token",
              "Facebook (Meta) access token",
              HIGH,
              "EAA[A-Za-z0-9]{100,}",
              "A-Za-z0-9",
              "eaa"),
          ctx(
              "facebook-app-secret",
              "Facebook (Meta) app secret",
              HIGH,
              "(?:facebook|fb)[a-z0-9_.-]{0,20}secret",
              "[0-9a-f]{32}",
              W,
              "facebook",
              "fb_",
              "fb-",
              "fb."),
          tok(
              "twitter-bearer-token",
              "X (Twitter) bearer token",
              HIGH,
              "AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9]{1,60}%[A-Za-z0-9%]{30,}",
              "A-Za-z0-9%",
              "aaaaaaaaaaaaaaaaaaaaa"),
          ctx(
              "twitter-api-secret",
              "X (Twitter) API or access token secret",
              HIGH,
              "twitter[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9]{45,50}",
              W,
              "twitter"),
          ctx(
              "linkedin-client-secret",
              "LinkedIn client secret",
              HIGH,
              "linkedin[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9]{16}",
              W,
              "linkedin"),
          ctx(
              "discord-client-secret",
              "Discord OAuth client secret",
              HIGH,
              "discord[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9_-]{32}",
              W,
              "discord"),
          ctx(
              "pusher-secret",
              "Pusher Channels app secret",
              HIGH,
              "pusher[a-z0-9_.-]{0,20}secret",
              "[0-9a-f]{20}",
              W,
              "pusher"),
          tok(
              "fcm-server-key",
              "Firebase Cloud Messaging server key",
              HIGH,
              "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}",
              W,
              "apa91b"),
          ctx(
              "twitch-secret",
              "Twitch OAuth token or client secret",
              HIGH,
              "twitch[a-z0-9_.-]{0,20}(?:token|secret)",
              "[a-z0-9]{30}",
              W,
              "twitch"),
          ctx(
              "spotify-client-secret",
              "Spotify client secret",
              HIGH,
              "spotify[a-z0-9_.-]{0,20}secret",
              "[0-9a-f]{32}",
              W,
              "spotify"),
          // more AI providers
          ctx(
              "cohere-api-key",
              "Cohere API key",
              HIGH,
              "co(?:here)?[_.-]?api[_.-]?key|cohere[a-z0-9_.-]{0,20}key",
              "[A-Za-z0-9]{40}",
              W,
              "cohere",
              "co_api"),
          ctx(
              "mistral-api-key",
              "Mistral AI API key",
              HIGH,
              "mistral[a-z0-9_.-]{0,20}key",
              "[A-Za-z0-9]{32}",
              W,
              "mistral"),
          ctx(
              "deepseek-api-key",
              "DeepSeek API key",
              HIGH,
              "deepseek[a-z0-9_.-]{0,20}key",
              "sk-[0-9a-f]{32}",
              W,
              "deepseek"),
          tok(
              "langsmith-api-key",
              "LangSmith (LangChain) API key",
              HIGH,
              "lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10}",
              W,
              "lsv2_"),
          tok(
              "pinecone-api-key",
              "Pinecone API key",
              HIGH,
              "pcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{50,80}",
              W,
              "pcsk_"),
          tok(
              "openrouter-api-key",
              "OpenRouter API key",
              HIGH,
              "sk-or-v1-[0-9a-f]{64}",
              W,
              "sk-or-v1-"),
          ctx(
              "elevenlabs-api-key",
              "ElevenLabs API key",
              HIGH,
              "(?:elevenlabs|xi)[_.-]?api[_.-]?key|elevenlabs[a-z0-9_.-]{0,20}key",
              "sk_[0-9a-f]{48}",
              W,
              "elevenlabs",
              "xi-api-key",
              "xi_api_key"),
          ctx(
              "wandb-api-key",
              "Weights & Biases API key",
              HIGH,
              "wandb[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{40}",
              W,
              "wandb"),
          ctx(
              "azure-openai-api-key",
              "Azure OpenAI API key",
              HIGH,
              "azure[_.-]?openai[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{32}",
              W,
              "azure_openai",
              "azure-openai",
              "azureopenai"),
          ctx(
              "together-api-key",
              "Together AI API key",
              HIGH,
              "together[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{64}",
              W,
              "together"),
          ctx(
              "assemblyai-api-key",
              "AssemblyAI API key",
              HIGH,
              "assemblyai[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{32}",
              W,
              "assemblyai"),
          ctx(
              "deepgram-api-key",
              "Deepgram API key",
              HIGH,
              "deepgram[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{40}",
              W,
              "deepgram"),
          // more observability and feature flags
          tok(
              "newrelic-insert-key",
              "New Relic Insights insert key",
              HIGH,
              "NRII-[A-Za-z0-9_-]{32}",
              W,
              "nrii-"),
          tok(
              "newrelic-license-key",
              "New Relic ingest license key",
              HIGH,
              "[0-9a-f]{36}NRAL",
              "A-Za-z0-9",
              "nral"),
          tok(
              "dynatrace-api-token",
              "Dynatrace API token",
              HIGH,
              "dt0[a-z][0-9]{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}",
              W,
              "dt0"),
          ctx(
              "splunk-hec-token",
              "Splunk HTTP Event Collector token",
              HIGH,
              "splunk[a-z0-9_.-]{0,20}(?:token|key)|hec[_.-]?token",
              UUID,
              W,
              "splunk",
              "hec_token",
              "hec-token",
              "hec.token"),
          ctx(
              "rollbar-access-token",
              "Rollbar access token",
              HIGH,
              "rollbar[a-z0-9_.-]{0,20}(?:token|key)",
              "[0-9a-f]{32}",
              W,
              "rollbar"),
          ctx(
              "bugsnag-api-key",
              "Bugsnag API key",
              MEDIUM,
              "bugsnag[a-z0-9_.-]{0,20}key",
              "[0-9a-f]{32}",
              W,
              "bugsnag"),
          ctx(
              "pagerduty-api-key",
              "PagerDuty API key",
              HIGH,
              "pagerduty[a-z0-9_.-]{0,20}(?:token|key)|pd[_.-]api[_.-]key",
              "[A-Za-z0-9_+-]{20}",
              "A-Za-z0-9_+-",
              "pagerduty",
              "pd_api",
              "pd-api",
              "pd.api"),
          ctx(
              "opsgenie-api-key",
              "Opsgenie API key",
              HIGH,
              "opsgenie[a-z0-9_.-]{0,20}key",
              UUID,
              W,
              "opsgenie"),
          ctx(
              "honeycomb-api-key",
              "Honeycomb API key",
              HIGH,
              "honeycomb[a-z0-9_.-]{0,20}(?:key|team)",
              "[A-Za-z0-9]{32}|[A-Za-z0-9]{22}",
              W,
              "honeycomb"),
          ctx(
              "algolia-admin-key",
              "Algolia admin or write API key",
              HIGH,
              "algolia[a-z0-9_.-]{0,20}(?:admin|api|write)[a-z0-9_.-]{0,10}key",
              "[0-9a-f]{32}",
              W,
              "algolia"),
          ctx(
              "sumologic-access-key",
              "Sumo Logic access key",
              HIGH,
              "sumo[a-z0-9_.-]{0,20}(?:key|secret)",
              "[A-Za-z0-9]{64}",
              W,
              "sumo"),
          tok(
              "launchdarkly-sdk-key",
              "LaunchDarkly server-side SDK key",
              HIGH,
              "sdk-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
              W,
              "sdk-"),
          ctx(
              "influxdb-token",
              "InfluxDB API token",
              HIGH,
              "influx[a-z0-9_.-]{0,20}token",
              "[A-Za-z0-9_-]{86}==",
              "A-Za-z0-9_=-",
              "influx"),
          // more developer tools, identity, SaaS
          tok(
              "notion-integration-token",
              "Notion integration token",
              HIGH,
              "ntn_[0-9]{11}[A-Za-z0-9]{35}",
              W,
              "ntn_"),
          ctx(
              "notion-legacy-token",
              "Notion integration token (secret_)",
              HIGH,
              "notion[a-z0-9_.-]{0,20}(?:token|key|secret)",
              "secret_[A-Za-z0-9]{43}",
              W,
              "notion",
              "secret_"),
          tok(
              "figma-pat",
              "Figma personal access token",
              HIGH,
              "figd_[A-Za-z0-9_-]{40,}",
              W,
              "figd_"),
          tok(
              "airtable-pat",
              "Airtable personal access token",
              HIGH,
              "pat[A-Za-z0-9]{14}\\.[0-9a-f]{64}",
              "A-Za-z0-9",
              "pat"),
          tok(
              "contentful-pat",
              "Contentful personal access token",
              HIGH,
              "CFPAT-[A-Za-z0-9_-]{43}",
              W,
              "cfpat-"),
          tok(
              "typeform-pat",
              "Typeform personal access token",
              HIGH,
              "tfp_[A-Za-z0-9_.=-]{59}",
              "A-Za-z0-9_.=-",
              "tfp_"),
          tok(
              "frameio-token",
              "Frame.io developer token",
              HIGH,
              "fio-u-[A-Za-z0-9_=-]{64}",
              "A-Za-z0-9_=-",
              "fio-u-"),
          tok(
              "adobe-client-secret",
              "Adobe OAuth client secret",
              HIGH,
              "p8e-[A-Za-z0-9]{32}",
              W,
              "p8e-"),
          tok("infracost-api-key", "Infracost API key", MEDIUM, "ico-[A-Za-z0-9]{32}", W, "ico-"),
          tok(
              "scalingo-api-token",
              "Scalingo API token",
              HIGH,
              "tk-us-[A-Za-z0-9_-]{48}",
              W,
              "tk-us-"),
          tok(
              "salesforce-access-token",
              "Salesforce access token",
              HIGH,
              "00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,}",
              "A-Za-z0-9._",
              "00d"),
          tok(
              "hubspot-pat",
              "HubSpot private app access token",
              HIGH,
              "pat-(?:na|eu|ap)[0-9]-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
              W,
              "pat-na",
              "pat-eu",
              "pat-ap"),
          ctx(
              "asana-pat",
              "Asana personal access token",
              HIGH,
              "asana[a-z0-9_.-]{0,20}(?:token|pat|key)",
              "[0-9]/[0-9]{13,19}(?:/[0-9]{13,19})?:[A-Za-z0-9]{32}",
              W,
              "asana"),
          ctx(
              "fastly-api-token",
              "Fastly API token",
              HIGH,
              "fastly[a-z0-9_.-]{0,20}(?:token|key)",
              "[A-Za-z0-9_-]{32}",
              W,
              "fastly"),
          ctx(
              "recaptcha-secret",
              "Google reCAPTCHA secret key",
              MEDIUM,
              "recaptcha[a-z0-9_.-]{0,20}secret",
              "6L[A-Za-z0-9_-]{38}",
              W,
              "recaptcha"),
          ctx(
              "dropbox-long-lived-token",
              "Dropbox long-lived access token",
              HIGH,
              "dropbox[a-z0-9_.-]{0,20}(?:token|key)",
              "[A-Za-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_-]{43}",
              W,
              "dropbox"),
          tok(
              "yandex-oauth-token",
              "Yandex OAuth token",
              HIGH,
              "y[0-3]_[A-Za-z0-9_-]{55}",
              W,
              "y0_",
              "y1_",
              "y2_",
              "y3_"),
          ctx(
              "auth0-client-secret",
              "Auth0 client secret",
              HIGH,
              "auth0[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9_-]{64}",
              W,
              "auth0"),
          ctx(
              "confluent-api-secret",
              "Confluent Cloud API secret",
              HIGH,
              "confluent[a-z0-9_.-]{0,20}secret",
              "[A-Za-z0-9+/]{64}",
              "A-Za-z0-9+/",
              "confluent"),
          ctx(
              "mongodb-atlas-private-key",
              "MongoDB Atlas API private key",
              HIGH,
              "atlas[a-z0-9_.-]{0,20}private[_.-]?key",
              UUID,
              W,
              "atlas"),
          ctx(
              "github-oauth-client-secret",
              "GitHub OAuth app client secret",
              HIGH,
              "github[a-z0-9_.-]{0,20}client[_.-]?secret",
              "[0-9a-f]{40}",
              W,
              "github"),
          ctx(
              "atlassian-datacenter-pat",
              "Jira / Confluence Data Center personal access token",
              HIGH,
              "(?:jira|confluence|bitbucket)[a-z0-9_.-]{0,20}(?:token|pat)",
              "[A-Za-z0-9+/]{44}",
              "A-Za-z0-9+/",
              "jira",
              "confluence",
              "bitbucket"));

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

  /**
   * Runs the built-in rules whose keywords occur in {@code lower} (same length as {@code text}).
   */
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
          out.add(
              new Raw(
                  rule.id(), rule.title(), severity, base + m.start(1), base + m.end(1), value));
        }
      }
    }
  }

  /**
   * A token rule: group 1 is the token, which no character of {@code cont} (a character class body)
   * may touch (except that {@code =} may come before it).
   */
  private static SecretRule tok(
      String id, String title, String severity, String token, String cont, String... keywords) {
    // "=" (base64 padding) may continue a token but never starts one: KEY=token must match
    String before = cont.replace("=", "");
    return rule(
        id,
        title,
        severity,
        "(?:^|[^" + before + "])(" + token + ")(?:$|[^" + cont + "])",
        ENTROPY,
        keywords);
  }

  private static SecretRule rule(
      String id,
      String title,
      String severity,
      String regex,
      double minEntropy,
      String... keywords) {
    return new SecretRule(
        id, title, severity, List.of(keywords), Pattern.compile(regex), minEntropy, List.of());
  }

  private static SecretRule rule(
      String id,
      String title,
      String severity,
      String regex,
      double minEntropy,
      List<Pattern> allow,
      String... keywords) {
    return new SecretRule(
        id, title, severity, List.of(keywords), Pattern.compile(regex), minEntropy, allow);
  }

  /**
   * A context rule, for tokens without a prefix of their own: the value ({@code value}, group 1)
   * assigned to a name matching {@code name} (case-insensitive, then up to 30 more name
   * characters), in any of {@code = : := =>} with optional quotes. {@code cont} is the token's
   * alphabet, which may not follow it.
   */
  private static SecretRule ctx(
      String id,
      String title,
      String severity,
      String name,
      String value,
      String cont,
      String... keywords) {
    return rule(
        id,
        title,
        severity,
        "(?i:"
            + name
            + ")[A-Za-z0-9_.-]{0,30}[\"']?[ \\t]{0,20}(?:=>|:=|=|:)[ \\t]{0,20}"
            + "[\"']?("
            + value
            + ")(?:$|[^"
            + cont
            + "])",
        ENTROPY,
        keywords);
  }

  /**
   * A connection URI {@code scheme://user:password@host}; the password is the secret. The user may
   * be empty ({@code redis://:pw@host}); documentation stand-ins ({@code user:pass}) are allowed.
   */
  private static SecretRule uri(String id, String title, String schemes, String... keywords) {
    Pattern p =
        Pattern.compile(
            "(?i)(?:^|[^a-z0-9+.-])(?:"
                + schemes
                + ")://[^:/?#@\\s\"'<>]*:"
                + "([^:/?#@\\s\"'<>]{3,})@[A-Za-z0-9\\[]");
    return new SecretRule(id, title, HIGH, List.of(keywords), p, 1.5, URI_ALLOW);
  }
}

#!/usr/bin/env python3
"""Writes the bench/secrets tree: N text files, some holding one planted synthetic secret each, padded with
filler text and (when SIZE_MB asks for more) random binary files, as one uncompressed layer tar.

  make.py LAYER.tar EXPECTED.json FILES SIZE_MB

EXPECTED.json maps each planted file's path to the rule id caulk should report there. Every secret is made
here from a seeded generator (no real credential); the shapes are the vendors' published formats.
"""
import base64, json, random, sys, tarfile, io

R = random.Random(11)
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
B64 = ALNUM + "+/"
URL = ALNUM + "_-"

def c(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))

def uuid():
    return "-".join(c(HEX, n) for n in (8, 4, 4, 4, 12))

def jwt():
    enc = lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("=")
    return enc('{"alg":"HS256","typ":"JWT"}') + "." + enc('{"sub":"%s","iat":1700000000}' % c(ALNUM, 10)) + "." + c(URL, 43)

def b64(s):
    return base64.b64encode(s.encode()).decode()

# (rule id, file name, content) makers: the secret in the syntax a real file would hold it
PLANTS = [
    ("aws-access-key-id", "aws.env", lambda: "AWS_ACCESS_KEY_ID=AK" + "IA" + c(B32, 16) + "\n"),
    ("github-pat", "ci.sh", lambda: "git clone https://x-access-token@github.com/o/r # " + "gh" + "p_" + c(ALNUM, 36) + "\n"),
    ("github-fine-grained-pat", "gh.env", lambda: "GH=github" + "_pat_" + c(ALNUM, 22) + "_" + c(ALNUM, 59) + "\n"),
    ("gitlab-pat", "gitlab.yml", lambda: "token: gl" + "pat-" + c(URL, 20) + "\n"),
    ("slack-token", "slack.json", lambda: '{"bot": "xo' + 'xb-' + c("0123456789", 12) + "-" + c("0123456789", 13) + "-" + c(ALNUM, 24) + '"}\n'),
    ("stripe-secret-key", "pay.py", lambda: "stripe.api_key = 'sk" + "_live_" + c(ALNUM, 24) + "'\n"),
    ("stripe-test-key", "pay_test.py", lambda: "stripe.api_key = 'sk" + "_test_" + c(ALNUM, 24) + "'\n"),
    ("npm-access-token", "publish.sh", lambda: "npm config set //registry.npmjs.org/:_authToken np" + "m_" + c(ALNUM, 36) + "\n"),
    ("jwt", "session.txt", lambda: "Authorization: Bearer " + jwt() + "\n"),
    ("jwt", "jwt.b64", lambda: "TOKEN=" + b64(jwt()) + "\n"),
    ("private-key", "server.key.txt", lambda: "-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(c(B64, 64) for _ in range(20)) + "\n-----END RSA PRIVATE KEY-----\n"),
    ("gcp-api-key", "maps.js", lambda: "const key = 'AI" + "za" + c(URL, 35) + "';\n"),
    ("azure-storage-account-key", "azure.cfg", lambda: "conn=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=" + c(B64, 86) + "==;EndpointSuffix=core.windows.net\n"),
    ("azure-ad-client-secret", "aad.json", lambda: '{"clientSecret": "' + c(ALNUM, 3) + "8Q~" + c(ALNUM, 34) + '"}\n'),
    ("alibaba-access-key-id", "ali.ini", lambda: "access_key_id = LT" + "AI" + c(ALNUM, 16) + "\n"),
    ("openai-api-key", "ai.env", lambda: "OPENAI_API_KEY=sk-proj-" + c(URL, 40) + "T3Blbk" + "FJ" + c(URL, 40) + "\n"),
    ("anthropic-api-key", "claude.env", lambda: "ANTHROPIC_API_KEY=sk-" + "ant-api03-" + c(URL, 93) + "AA\n"),
    ("huggingface-token", "hf.env", lambda: "HF_TOKEN=hf" + "_" + c(ALNUM, 34) + "\n"),
    ("sendgrid-api-key", "mail.php", lambda: "$key = 'S" + "G." + c(URL, 22) + "." + c(URL, 43) + "';\n"),
    ("twilio-auth-token", "sms.env", lambda: "TWILIO_AUTH_TOKEN=" + c(HEX, 32) + "\n"),
    ("datadog-api-key", "dd.yaml", lambda: "dd_api_key: " + c(HEX, 32) + "\n"),
    ("vault-service-token", "vault.hcl", lambda: 'token = "hv' + 's.' + c(URL, 90) + '"\n'),
    ("terraform-cloud-token", "credentials.tfrc.json", lambda: '{"credentials": {"app.terraform.io": {"token": "' + c(ALNUM, 14) + ".atlas" + "v1." + c(URL, 67) + '"}}}\n'),
    ("docker-hub-pat", "login.sh", lambda: "docker login -u me -p dckr" + "_pat_" + c(URL, 27) + "\n"),
    ("shopify-access-token", "shop.rb", lambda: "TOKEN = 'shp" + "at_" + c(HEX, 32) + "'\n"),
    ("discord-webhook", "notify.sh", lambda: "curl https://discord.com/api/web" + "hooks/" + c("123456789", 18) + "/" + c(URL, 68) + "\n"),
    ("telegram-bot-token", "bot.py", lambda: "TELEGRAM_TOKEN = '" + c("123456789", 10) + ":A" + "A" + c(URL, 33) + "'\n"),
    ("postgres-uri-password", "db.env", lambda: "DATABASE_URL=postgres://app:" + c(ALNUM, 16) + "@db:5432/app\n"),
    ("mongodb-uri-password", "mongo.env", lambda: "MONGO_URL=mongodb+srv://admin:" + c(ALNUM, 16) + "@cluster0.mongodb.net/\n"),
    ("redis-uri-password", "cache.env", lambda: "REDIS_URL=redis://:" + c(ALNUM, 16) + "@cache:6379/0\n"),
    ("jdbc-password", "app.properties", lambda: "spring.datasource.url=jdbc:mysql://db:3306/app?user=root&password=" + c(ALNUM, 14) + "\n"),
    ("keystore-password", "ssl.properties", lambda: "server.ssl.key-store-password=" + c(ALNUM, 10) + "\n"),
    ("generic-secret", "Makefile", lambda: "API_TOKEN ?= " + c(ALNUM, 24) + "\n"),
    ("generic-secret", "Config.java", lambda: 'System.setProperty("db.password", "' + c(ALNUM, 20) + '");\n'),
    ("generic-secret", "main.go", lambda: 'var apiKey string = "' + c(ALNUM, 24) + '"\n'),
    ("generic-secret", "app.config", lambda: "<appSettings>\n  <add key=\"ApiKey\" value=\"" + c(ALNUM, 24) + "\" />\n</appSettings>\n"),
    ("kubernetes-secret", "secret.yaml", lambda: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: " + b64(c(ALNUM, 14)) + "\n"),
    ("docker-config-auth", ".dockerconfigjson", lambda: '{"auths":{"registry.example":{"auth":"' + b64("ci:" + c(ALNUM, 14)) + '"}}}\n'),
    ("netrc-password", ".netrc", lambda: "machine api.example\n  login me\n  password " + c(ALNUM, 12) + "\n"),
    ("pgpass-password", ".pgpass", lambda: "db:5432:app:app:" + c(ALNUM, 12) + "\n"),
    ("sonarqube-token", "sonar.properties", lambda: "sonar.token=sq" + "p_" + c(HEX, 40) + "\n"),
    ("sentry-user-token", "sentry.env", lambda: "SENTRY_AUTH_TOKEN=sntr" + "yu_" + c(HEX, 64) + "\n"),
    ("newrelic-user-api-key", "nr.env", lambda: "NEW_RELIC_API_KEY=NR" + "AK-" + c("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 27) + "\n"),
    ("grafana-service-account-token", "grafana.ini", lambda: "token = gl" + "sa_" + c(ALNUM, 32) + "_" + c(HEX, 8) + "\n"),
]

WORDS = ("the quick brown fox jumps over the lazy dog while configuration values load from the environment "
         "and every service logs its startup banner before accepting connections on its port").split()

def filler(n):
    lines = []
    size = 0
    while size < n:
        line = " ".join(R.choice(WORDS) for _ in range(12)) + "\n"
        lines.append(line)
        size += len(line)
    return "".join(lines)

def main():
    out, expected_path, files, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    expected = {}
    total = 0
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        def add(path, data):
            nonlocal total
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 1700000000
            tar.addfile(info, io.BytesIO(data))
            total += len(data) + 512
        for i in range(files):
            folder = "app/svc%03d" % (i % 100)
            if i % 10 == 0:  # one file in ten holds a planted secret
                rule, name, make = PLANTS[(i // 10) % len(PLANTS)]
                path = "%s/%d/%s" % (folder, i, name)
                add(path, (filler(2000) + make() + filler(2000)).encode())
                expected[path] = rule
            else:
                add("%s/%d.txt" % (folder, i), filler(R.randint(2000, 12000)).encode())
        left = size_mb * 1000 * 1000 - total
        k = 0
        while left > 0:  # binary payload (compiled code, assets): sniffed and skipped by the scanner
            n = min(left, 8 << 20)
            add("opt/assets/blob%03d.bin" % k, R.randbytes(n))
            left -= n + 512
            k += 1
    with open(expected_path, "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)

main()

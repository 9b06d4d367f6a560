package dev.caulk.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildConfigLoaderTest {
  static BuildConfig parse(String yaml) throws BuildConfigException {
    return BuildConfigLoader.parse(new StringReader(yaml), "caulk.yaml");
  }

  @Test
  void readsEveryKey() throws BuildConfigException {
    BuildConfig c =
        parse(
            """
        prefix: titpetric/service-
        services: [stats, hello]
        binary: build/{service}-linux-{arch}
        tag: v1
        base: scratch
        user: {name: www-data, uid: 1000, gid: 1001}
        workdir: /app
        ports: [3000, 53/udp]
        env: {A: "1", service_name: x}
        timezone: Europe/Ljubljana
        zoneinfo: all
        ca-certificates: certs/bundle.pem
        labels: {k: v}
        entrypoint: [/app/service, --flag]
        cmd: serve
        files:
          - {source: conf/app.toml, destination: /etc/app.toml, mode: 0600}
        strip: true
        static-only: false
        platforms: [linux/amd64, linux/arm64]
        sysroot: /srv/root
        """);
    assertEquals("titpetric/service-", c.prefix());
    assertEquals(List.of("stats", "hello"), c.services());
    assertEquals(new BuildConfig.User("www-data", 1000, 1001), c.user());
    assertEquals(List.of("3000", "53/udp"), c.ports());
    assertEquals(Map.of("A", "1", "service_name", "x"), c.env());
    assertEquals("all", c.zoneinfo());
    assertEquals(List.of("serve"), c.cmd());
    assertEquals(
        new BuildConfig.FileSpec("conf/app.toml", "/etc/app.toml", 0600), c.files().get(0));
    assertEquals(Boolean.TRUE, c.strip());
    assertEquals(Boolean.FALSE, c.staticOnly());
    assertEquals("/srv/root", c.sysroot());
  }

  /** The caulk.yaml shown in the README is valid and sets every key. */
  @Test
  void readmeExampleParses() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
    // the caulk.yaml example follows the sentence that introduces it (other yaml blocks, e.g. CI
    // steps, exist)
    int intro = readme.indexOf("Settings live in `caulk.yaml`");
    assertTrue(intro >= 0, "the README introduces caulk.yaml");
    int start = readme.indexOf("```yaml\n", intro) + 8;
    String yaml = readme.substring(start, readme.indexOf("```", start));
    BuildConfig c = parse(yaml);
    for (var component : BuildConfig.class.getRecordComponents()) {
      if (!component.getName().equals("services")) {
        assertTrue(
            component.getAccessor().invoke(c) != null,
            "README example sets " + component.getName());
      }
    }
  }

  @Test
  void userAsString() throws BuildConfigException {
    assertEquals(new BuildConfig.User("www-data", 1000, 1000), parse("user: www-data:1000").user());
    assertEquals(new BuildConfig.User("app", 10, 20), parse("user: app:10:20").user());
  }

  @Test
  void emptyFileIsEmptyConfig() throws BuildConfigException {
    assertEquals(BuildConfig.EMPTY, parse(""));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "prefix: a\\nbogus: 1|caulk.yaml:2: unknown key 'bogus'",
        "ports: [0]|caulk.yaml:1: ports: invalid port '0'",
        "ports: [http]|invalid port 'http'",
        "zoneinfo: some|zoneinfo: expected one of used, all",
        "compression-level: 10|compression-level: expected a number from 0 to 9, got '10'",
        "java: {cds: always}|java.cds: expected one of default, train, none, got 'always'",
        "java: {jvm: x}|java: unknown key 'jvm' (known: cds, classpath, jdk, jvm-flags, main-class, modules)",
        "java: {modules: [a..b]}|java.modules: invalid module name 'a..b'",
        "java: {main-class: 'a b'}|java.main-class: invalid class name 'a b'",
        "java: [x]|java: expected a mapping",
        "user: {name: Root, uid: 0}|user: invalid user name 'Root'",
        "user: {name: app, uid: x}|user.uid: expected a number",
        "user: {name: app, uid: 1, home: /x}|user: unknown key 'home'",
        "workdir: app|workdir: must be an absolute path",
        "timezone: ../../etc/passwd|timezone: invalid zone name",
        "strip: yes please|strip: expected true or false",
        "files: [{source: a}]|each entry needs source and destination",
        "files: [{source: a, destination: /b, mode: 999}]|files.mode: expected octal",
        "services: [Bad_Name]|invalid service name",
        "platforms: [amd64]|invalid platform 'amd64'",
        "env: {1BAD: x}|env: invalid variable name",
        "prefix: [a, b]|prefix: expected a single value",
        "- a\\n- b|top level: expected a mapping",
        "a: b: c|invalid YAML",
        "prefix: a\\nprefix: b|caulk.yaml:2: duplicate key 'prefix'",
      })
  void errorsNameKeyAndLine(String yaml, String expected) {
    BuildConfigException e =
        assertThrows(BuildConfigException.class, () -> parse(yaml.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().startsWith("caulk.yaml"), e.getMessage());
  }

  @Test
  void billionLaughsIsRefused() {
    String yaml =
        "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            + "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n";
    assertThrows(BuildConfigException.class, () -> parse(yaml));
  }

  @Test
  void readsTheJavaBlock() throws BuildConfigException {
    BuildConfig c =
        parse(
            """
        binary: target/{service}.jar
        compression-level: 1
        java:
          jdk: {amd64: /opt/jdk-amd64, arm64: /opt/jdk-arm64}
          modules: [jdk.crypto.ec, jdk.localedata]
          jvm-flags: [-XX:MaxRAMPercentage=75]
          main-class: com.example.Main
          classpath: [target/lib]
          cds: train
        """);
    assertEquals(1, c.compressionLevel());
    BuildConfig.Java j = c.java();
    assertNull(j.jdk());
    assertEquals(Map.of("amd64", "/opt/jdk-amd64", "arm64", "/opt/jdk-arm64"), j.jdks());
    assertEquals(List.of("jdk.crypto.ec", "jdk.localedata"), j.modules());
    assertEquals(List.of("-XX:MaxRAMPercentage=75"), j.jvmFlags());
    assertEquals("com.example.Main", j.mainClass());
    assertEquals(List.of("target/lib"), j.classpath());
    assertEquals("train", j.cds());
    assertEquals("/usr/lib/jvm/x", parse("java: {jdk: /usr/lib/jvm/x}").java().jdk());
    assertEquals(BuildConfig.Java.DEFAULTS, parse("java:").java());
  }

  @Test
  void mergesTheJavaBlockKeyByKey() throws BuildConfigException {
    BuildConfig file = parse("java: {modules: [jdk.crypto.ec], cds: train}");
    BuildConfig flags =
        BuildConfig.builder()
            .java(new BuildConfig.Java("/jdk", null, null, null, "a.B", null, null))
            .build();
    BuildConfig.Java j = file.merge(flags).java();
    assertEquals("/jdk", j.jdk());
    assertEquals("a.B", j.mainClass());
    assertEquals(List.of("jdk.crypto.ec"), j.modules());
    assertEquals("train", j.cds());
    assertEquals(flags.java(), BuildConfig.EMPTY.merge(flags).java());
  }

  @Test
  void mergePrefersOverride() throws BuildConfigException {
    BuildConfig file = parse("prefix: a-\ntag: v1");
    BuildConfig flags = BuildConfig.builder().tag("v2").build();
    BuildConfig m = file.merge(flags);
    assertEquals("a-", m.prefix());
    assertEquals("v2", m.tag());
    assertNull(m.base());
  }

  @Test
  void fileEntriesAndTheCaBundleRememberWhereTheyWereSet() throws Exception {
    BuildConfig c =
        parse(
            "prefix: a-\nca-certificates: certs/ca.pem\nfiles:\n  - source: conf/a\n    destination: /a\n  - destination: /b\n    source: ../b\n");
    assertEquals("caulk.yaml:4: files.source", c.files().get(0).where());
    assertEquals("caulk.yaml:7: files.source", c.files().get(1).where());
    assertEquals("caulk.yaml:2: ca-certificates", c.origins().get("ca-certificates"));
    BuildConfig flags =
        BuildConfig.builder()
            .caCertificates("/x.pem")
            .origins(java.util.Map.of("ca-certificates", "--ca-certificates"))
            .build();
    assertEquals("--ca-certificates", c.merge(flags).origins().get("ca-certificates"));
    assertEquals(
        "caulk.yaml:2: ca-certificates",
        c.merge(BuildConfig.EMPTY).origins().get("ca-certificates"));
  }

  @Test
  void aCaBundleMustHoldX509CertificatesAndNoKey(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path shadow =
        java.nio.file.Files.writeString(tmp.resolve("shadow"), "root:$6$x:1:0:99999:7:::\n");
    BuildConfigException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            BuildConfigException.class,
            () -> HostFiles.pemBundle(shadow, "caulk.yaml:2: ca-certificates"));
    assertEquals(
        "caulk.yaml:2: ca-certificates: "
            + shadow
            + " is not a PEM CA bundle (no -----BEGIN CERTIFICATE----- block)",
        e.getMessage());
    java.nio.file.Path junk =
        java.nio.file.Files.writeString(
            tmp.resolve("junk.pem"),
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    assertEquals(
        "ca-certificates: " + junk + ": certificate 1 does not parse as X.509",
        org.junit.jupiter.api.Assertions.assertThrows(
                BuildConfigException.class, () -> HostFiles.pemBundle(junk, null))
            .getMessage());
    java.nio.file.Path host = java.nio.file.Path.of("/etc/ssl/certs/ca-certificates.crt");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(host));
    String real =
        java.nio.file.Files.readString(host, java.nio.charset.StandardCharsets.ISO_8859_1);
    java.nio.file.Path withKey =
        java.nio.file.Files.writeString(
            tmp.resolve("k.pem"),
            real + "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
    org.junit.jupiter.api.Assertions.assertTrue(
        org.junit.jupiter.api.Assertions.assertThrows(
                BuildConfigException.class, () -> HostFiles.pemBundle(withKey, null))
            .getMessage()
            .endsWith(" holds a private key; refusing to put it in the image"));
    java.nio.file.Path commented =
        java.nio.file.Files.writeString(tmp.resolve("c.pem"), "# my bundle\n" + real);
    String out =
        new String(
            HostFiles.pemBundle(commented, null), java.nio.charset.StandardCharsets.US_ASCII);
    org.junit.jupiter.api.Assertions.assertFalse(
        out.contains("# my bundle"), "only certificates go into the image");
    assertEquals(
        real.split("BEGIN CERTIFICATE", -1).length, out.split("BEGIN CERTIFICATE", -1).length);
  }
}

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bench/build's peer: one image per service with jib-core, from scratch, with the layers caulk makes (a system
 * layer: passwd, group, CA bundle, the zone and UTC; an app layer: the binary), written as Jib's tar.
 * Services are containerized concurrently, one per core, as caulk builds them.
 *
 * <p>Usage: JibBuild PROJECT OUT CACHE (binaries in PROJECT/build/SERVICE-linux-amd64, one per cmd/SERVICE)
 */
public final class JibBuild {
  public static void main(String[] args) throws Exception {
    Path project = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    Path cache = Path.of(args[2]);
    Path etc = Files.createDirectories(out.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/sbin/nologin\nwww-data:x:1000:1000::/home/www-data:/sbin/nologin\n");
    Files.writeString(etc.resolve("group"), "root:x:0:\nwww-data:x:1000:\n");
    Instant epoch = Instant.ofEpochSecond(1);
    FilePermissions r = FilePermissions.fromOctalString("644");
    FileEntriesLayer system = FileEntriesLayer.builder().setName("system")
        .addEntry(etc.resolve("passwd"), AbsoluteUnixPath.get("/etc/passwd"), r, epoch)
        .addEntry(etc.resolve("group"), AbsoluteUnixPath.get("/etc/group"), r, epoch)
        .addEntry(Path.of("/etc/ssl/certs/ca-certificates.crt"), AbsoluteUnixPath.get("/etc/ssl/certs/ca-certificates.crt"), r, epoch)
        .addEntry(Path.of("/usr/share/zoneinfo/Europe/Ljubljana"), AbsoluteUnixPath.get("/usr/share/zoneinfo/Europe/Ljubljana"), r, epoch)
        .addEntry(Path.of("/usr/share/zoneinfo/UTC"), AbsoluteUnixPath.get("/usr/share/zoneinfo/UTC"), r, epoch)
        .build();
    List<String> services = new ArrayList<>();
    try (var s = Files.list(project.resolve("cmd"))) {
      s.map(p -> p.getFileName().toString()).sorted().forEach(services::add);
    }
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String service : services) {
        done.add(pool.submit(() -> {
          JibContainerBuilder b = Jib.fromScratch().setFormat(ImageFormat.OCI).setCreationTime(epoch)
              .setUser("1000:1000").setWorkingDirectory(AbsoluteUnixPath.get("/app"))
              .setExposedPorts(Set.of(Port.tcp(3000)))
              .setEnvironment(Map.of("service_name", service, "TZ", "Europe/Ljubljana", "SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt"))
              .setEntrypoint("/app/service")
              .addFileEntriesLayer(system)
              .addFileEntriesLayer(FileEntriesLayer.builder().setName("app")
                  .addEntry(project.resolve("build/" + service + "-linux-amd64"), AbsoluteUnixPath.get("/app/service"),
                      FilePermissions.fromOctalString("755"), epoch)
                  .build());
          b.containerize(Containerizer.to(TarImage.at(out.resolve(service + ".tar")).named(ImageReference.parse("bench/" + service + ":bench")))
              .setApplicationLayersCache(cache).setBaseImageLayersCache(cache).setAllowInsecureRegistries(false)
              .setOfflineMode(true));
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
  }
}

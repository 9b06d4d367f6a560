import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.JavaContainerBuilder;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * bench/java's peer: the sample service containerized the way Jib's Maven plugin does it, with jib-core's
 * JavaContainerBuilder on a JRE base image: layers for dependencies, resources and classes, entrypoint
 * {@code java -cp /app/resources:/app/classes:/app/libs/* MAIN}, user 1000, port 8080.
 *
 * <p>Usage: JibJava BASE CLASSES LIBS CACHE DEST, where BASE is an image reference in a registry (plain HTTP allowed),
 * CLASSES the compiled classes and resources (Maven's target/classes), LIBS a folder of dependency jars, CACHE Jib's
 * layer cache, and DEST {@code registry:REFERENCE} (what {@code jib:build} does) or {@code tar:FILE} (what
 * {@code jib:buildTar} does). Prints the image digest.
 */
public final class JibJava {
  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: JibJava BASE CLASSES LIBS CACHE registry:REF|tar:FILE");
      System.exit(2);
    }
    Path classes = Path.of(args[1]);
    List<Path> libs;
    try (Stream<Path> s = Files.list(Path.of(args[2]))) {
      libs = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    }
    Path cache = Path.of(args[3]);
    String dest = args[4];
    Containerizer to;
    if (dest.startsWith("registry:")) {
      to = Containerizer.to(RegistryImage.named(dest.substring("registry:".length())));
    } else if (dest.startsWith("tar:")) {
      to = Containerizer.to(TarImage.at(Path.of(dest.substring("tar:".length())))
          .named(ImageReference.parse("bench/java-app:bench")));
    } else {
      throw new IllegalArgumentException("DEST must be registry:REF or tar:FILE, not " + dest);
    }
    to.setAllowInsecureRegistries(true).setBaseImageLayersCache(cache).setApplicationLayersCache(cache);
    JibContainer image = JavaContainerBuilder.from(RegistryImage.named(args[0]))
        .addDependencies(libs)
        .addResources(classes, p -> !p.toString().endsWith(".class"))
        .addClasses(classes, p -> p.toString().endsWith(".class"))
        .setMainClass("bench.app.Main")
        .toContainerBuilder()
        .setFormat(ImageFormat.OCI)
        .setUser("1000:1000")
        .setWorkingDirectory(AbsoluteUnixPath.get("/app"))
        .setExposedPorts(Set.of(Port.tcp(8080)))
        .containerize(to);
    System.out.println(image.getDigest());
  }
}

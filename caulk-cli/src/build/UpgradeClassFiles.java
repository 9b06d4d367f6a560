import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A build step of caulk-cli (run by the exec plugin in {@code process-classes}, as a single-file
 * source program): writes the classes of a jar whose class files are older than Java 6 (version
 * 50) into a classes folder as version 52 (Java 8) class files with computed stack map frames.
 *
 * <p>Why: HotSpot's dynamic CDS archive and JDK 25's AOT cache skip classes of version 49 and
 * older (they would need the old verifier at run time), and picocli's jar is version 49, so every
 * caulk start parsed and linked picocli's ~170 classes again (bench/startup). The bytecode is not
 * changed, only the version number and the frames the new verifier checks; the output depends on
 * the input jar only (no time stamps, nothing of this machine), so the build stays reproducible.
 *
 * <p>Usage: {@code java -cp asm.jar UpgradeClassFiles IN.jar OUT-DIR}
 */
public final class UpgradeClassFiles {
  private static final int OLDEST_KEPT = Opcodes.V1_6;
  private static final int TARGET = Opcodes.V1_8;

  private UpgradeClassFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: UpgradeClassFiles IN.jar OUT-DIR");
    }
    Path jar = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int upgraded = 0;
    try (JarFile in = new JarFile(jar.toFile());
        URLClassLoader loader =
            new URLClassLoader(
                new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (JarEntry e : in.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList()) {
        String name = e.getName();
        if (!name.endsWith(".class")
            || name.startsWith("META-INF/")
            || name.endsWith("module-info.class")) {
          continue;
        }
        byte[] bytes;
        try (InputStream s = in.getInputStream(e)) {
          bytes = s.readAllBytes();
        }
        int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        if (major >= OLDEST_KEPT) {
          continue;
        }
        byte[] now = upgrade(bytes, loader);
        Path target = out.resolve(name);
        if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), now)) {
          Files.createDirectories(target.getParent());
          Files.write(target, now);
        }
        upgraded++;
      }
    }
    System.out.println(
        "UpgradeClassFiles: " + upgraded + " class files of " + jar.getFileName() + " -> " + out);
  }

  private static byte[] upgrade(byte[] bytes, ClassLoader loader) {
    ClassReader reader = new ClassReader(bytes);
    // COMPUTE_FRAMES asks for common super classes: they are found in the jar and the JDK (the
    // classes are loaded, never initialised). JSR/RET, which frames cannot describe, fail here.
    ClassWriter writer =
        new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
          @Override
          protected ClassLoader getClassLoader() {
            return loader;
          }
        };
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          @Override
          public void visit(
              int version,
              int access,
              String name,
              String signature,
              String superName,
              String[] interfaces) {
            super.visit(TARGET, access, name, signature, superName, interfaces);
          }
        },
        ClassReader.SKIP_FRAMES);
    return writer.toByteArray();
  }
}

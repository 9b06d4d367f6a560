package dev.caulk.maven;

import dev.caulk.verbs.Push;
import dev.caulk.verbs.Session;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code caulk:push}: pushes the image the last {@code caulk:build} of this project wrote to {@code
 * PREFIXIMAGE:TAG} without building again (caulk's {@link Push} verb), checked against the digest
 * the build recorded.
 */
@Mojo(name = "push", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
@SuppressWarnings("NullAway.Init") // fields Maven injects
public final class PushMojo extends CaulkMojo {
  /** Pushes under this prefix instead of the one built with. */
  @Parameter(property = "caulk.prefix")
  @Nullable String prefix;

  /** Pushes under this tag instead of the one built with. */
  @Parameter(property = "caulk.tag")
  @Nullable String tag;

  @Override
  String goal() {
    return "push";
  }

  @Override
  void execute(Session session) throws IOException {
    Push.Result r =
        Push.run(
            Push.options()
                .projectDir(workDir())
                .prefix(prefix)
                .tag(PomSettings.tag("tag", tag))
                .build(),
            session);
    for (Push.Pushed p : r.pushed()) {
      getLog().info("caulk:push " + p.pinned());
    }
  }
}

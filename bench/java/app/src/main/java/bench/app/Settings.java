package bench.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The service's settings, from the {@code app.yaml} resource. */
record Settings(String greeting, List<String> routes) {
  @SuppressWarnings("unchecked")
  static Settings load() throws IOException {
    try (InputStream in = Settings.class.getResourceAsStream("/app.yaml")) {
      if (in == null) {
        throw new IOException("app.yaml is not on the classpath");
      }
      Map<String, Object> m = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return new Settings((String) m.get("greeting"), (List<String>) m.get("routes"));
    }
  }
}

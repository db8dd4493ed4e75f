package io.glmvoicebatch.cli;

import io.glmvoicebatch.pipeline.VoiceBatchOptions;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * {@code --help}: every option of {@link VoiceBatchOptions} (and of the stage interfaces it extends) with
 * its description and default, grouped by the stage named in its description's [tag]. Read from the annotations, so it cannot go stale.
 */
final class HelpText {
  private HelpText() {}

  static void print(PrintStream out) {
    out.println(WordWrap.text("glm-voice-batch: sends a manifest of WAV clips to GLM-4-Voice and writes the reply "
        + "audio, text and a ledger.", WordWrap.COLUMNS, ""));
    out.println();
    out.println("Usage:");
    out.println("  java -jar glm-voice-batch.jar --manifest=FILE --outputDir=DIR [options]");
    out.println("  java -jar glm-voice-batch.jar simulator [--port=8765 ...]");
    out.println();
    out.println(WordWrap.text("Without ZHIPUAI_API_KEY or --apiKeyFile the batch runs against the embedded "
        + "simulator: outputs are then synthetic. Beam runner options (--runner, ...) are accepted too.",
        WordWrap.COLUMNS, ""));
    for (Map.Entry<String, List<String>> group : groups().entrySet()) {
      out.println();
      out.println(group.getKey() + ":");
      group.getValue().forEach(out::println);
    }
    out.println();
    out.println(WordWrap.text("Exit codes: 0 all done, 1 some items failed, 2 usage or configuration error, 3 stopped "
        + "early, 4 internal error, 5 disk full (no room in --outputDir for the next reply), 130 interrupted.",
        WordWrap.COLUMNS, ""));
  }

  static List<String> optionNames() {
    List<String> names = new ArrayList<>();
    for (Method m : ourOptions()) {
      names.add(property(m));
    }
    return names;
  }

  /** The getters of our options: VoiceBatchOptions and the stage interfaces it extends, not Beam's own. */
  private static List<Method> ourOptions() {
    List<Method> methods = new ArrayList<>();
    for (Method m : VoiceBatchOptions.class.getMethods()) {
      if (m.getAnnotation(Description.class) != null
          && m.getDeclaringClass().getPackageName().equals(VoiceBatchOptions.class.getPackageName())) {
        methods.add(m);
      }
    }
    return methods;
  }

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    List<Method> methods = ourOptions();
    methods.sort(Comparator.comparing(HelpText::groupOf).thenComparing(HelpText::property));
    for (Method m : methods) {
      String text = m.getAnnotation(Description.class).value();
      String group = groupOf(m);
      String description = text.startsWith("[") ? text.substring(text.indexOf(']') + 1).strip() : text;
      String def = defaultOf(m);
      groups.computeIfAbsent(group, g -> new ArrayList<>()).add(
          String.format("  --%s=<%s>%s%n%s", property(m), m.getReturnType().getSimpleName(),
              def == null ? "" : "  (default: " + def + ")", WordWrap.text(description, WordWrap.COLUMNS, "      ")));
    }
    return groups;
  }

  private static String groupOf(Method m) {
    String text = m.getAnnotation(Description.class).value();
    return text.startsWith("[") ? text.substring(1, text.indexOf(']')) : "other";
  }

  /** The flag a user types for {@code m}'s property (see {@link OptionsParser#FLAG_TO_PROPERTY}). */
  private static String property(Method m) {
    String name = m.getName().substring(3);
    String property = Character.toLowerCase(name.charAt(0)) + name.substring(1);
    for (Map.Entry<String, String> alias : OptionsParser.FLAG_TO_PROPERTY.entrySet()) {
      if (alias.getValue().equals(property)) {
        return alias.getKey();
      }
    }
    return property;
  }

  private static String defaultOf(Method m) {
    if (m.getAnnotation(Default.String.class) != null) {
      return m.getAnnotation(Default.String.class).value();
    }
    if (m.getAnnotation(Default.Boolean.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Boolean.class).value());
    }
    if (m.getAnnotation(Default.Integer.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Integer.class).value());
    }
    if (m.getAnnotation(Default.Double.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Double.class).value());
    }
    if (m.getAnnotation(Default.Long.class) != null) {
      return String.valueOf(m.getAnnotation(Default.Long.class).value());
    }
    return null;
  }
}

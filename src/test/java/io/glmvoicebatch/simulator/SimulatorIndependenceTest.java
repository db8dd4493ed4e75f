package io.glmvoicebatch.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The simulator is the oracle the client is checked against: if it used the client's own code (token
 * counting, base64, audio decoding, the pipeline's or ledger's types), both sides would share every bug
 * and still agree. So no source file of package simulator may name a class of api, pipeline, ledger or
 * audio, by import or by qualified name.
 */
class SimulatorIndependenceTest {
  private static final Path SOURCES = Path.of("src/main/java/io/glmvoicebatch/simulator");
  private static final Pattern CLIENT_SIDE = Pattern.compile("\\bio\\.glmvoicebatch\\.(api|pipeline|ledger|audio)\\b");
  private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

  @Test
  void noSimulatorSourceNamesTheClientSidePackages() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(SOURCES)) {
      files = listing.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
    assertTrue(files.size() > 10, "found only " + files + " under " + SOURCES.toAbsolutePath());
    List<String> offences = new ArrayList<>();
    for (Path file : files) {
      String code = COMMENTS.matcher(Files.readString(file)).replaceAll(" ");
      Matcher m = CLIENT_SIDE.matcher(code);
      while (m.find()) {
        int lineEnd = code.indexOf('\n', m.start());
        offences.add(file.getFileName() + ": " + code.substring(m.start(), lineEnd < 0 ? code.length() : lineEnd).trim());
      }
    }
    assertEquals(List.of(), offences, "the simulator must not use the client's packages");
  }
}

package io.glmvoicebatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glmvoicebatch.ledger.Cost;
import io.glmvoicebatch.ledger.LedgerLocation;
import io.glmvoicebatch.pipeline.ManifestInput;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end summary folded from a ledger as a killed run leaves it (the committed resume-v1 ledger without its
 * last line: zh-homework's intent line is its last): that item is uncertain and may have been paid at its
 * worst case, and the summary says so, not that it is ok or missing.
 */
class LedgerFoldTest {
  private static final Path FIXTURE = Path.of("src/test/resources/resume-v1");

  @Test
  void anIntentLineLeftLastIsAnUncertainItemPaidAtItsWorstCase(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(FIXTURE.resolve("ledger.jsonl"), StandardCharsets.UTF_8);
    Path ledger = dir.resolve("ledger.jsonl");
    Files.write(ledger, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
    Path manifest = Files.copy(FIXTURE.resolve("manifest.jsonl"), dir.resolve("manifest.jsonl"));

    List<String> uncertainFromLastRun = new ArrayList<>();
    LedgerFold.Result fold = LedgerFold.summary(LedgerLocation.file(ledger), ManifestInput.file(manifest.toString()),
        0, 4, uncertainFromLastRun);
    BatchSummary s = fold.summary();
    assertEquals(2, s.ok());
    assertEquals(1, s.uncertain(), "zh-homework was sent and never concluded");
    assertTrue(s.render().contains("items: 2 ok, 0 failed, 0 skipped, 1 uncertain"), s.render());
    JsonNode json = new ObjectMapper().readTree(s.toJson());
    assertEquals(1, json.get("uncertain_attempts").asInt());
    long billed = 103 + 156;
    assertEquals(billed, json.get("total_tokens").asLong());
    assertEquals(0, Cost.of(1080, new BigDecimal("80")).compareTo(new BigDecimal(json.get("cost_uncertain_worst_case")
        .asText())), "the intent line's worst case: " + json);
    assertEquals(0, Cost.of(billed + 1080, new BigDecimal("80")).compareTo(s.cost()));
    assertEquals(2, json.get("requests_this_run").asInt(), "every line is this run's: two ok requests concluded");
    assertEquals(3, fold.manifestItems());
  }
}

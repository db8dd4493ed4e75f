package io.glmvoicebatch.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** STUB until the report package lands. */
public final class BatchReport {
  private BatchReport() {}

  public static Path write(Path outputDir) throws IOException {
    Path file = outputDir.resolve("report.html");
    Files.writeString(file, "<!doctype html><title>report</title>");
    return file;
  }
}
